"""No connection or name lookup leaves the machine (issue #19 item 5), checked at the system-call level.

Python socket guards cannot see MediaPipe's native threads, which looked up play.googleapis.com on every
review. These tests run a CLI review and an app start under `strace -f` and read every connect, sendto,
sendmsg and sendmmsg: none may go to a non-loopback address, and none to a DNS port (even a loopback
resolver), wherever in the process tree it comes from.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.syscalls import leaks, need_strace, strace_prefix

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_videos" / "squat_good_side_10reps.mp4"


def test_leaks_reads_strace_lines() -> None:
    """The parser flags a DNS query and a public address, and passes loopback."""
    lines = [
        '12 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '12 connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) = 0',
        '12 connect(7, {sa_family=AF_INET, sin_port=htons(8501), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '12 connect(7, {sa_family=AF_INET6, sin6_port=htons(8501), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '12 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2a00:1450::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
        '12 connect(7, {sa_family=AF_UNIX, sun_path="/tmp/x"}, 110) = 0',
    ]
    assert leaks("\n".join(lines)) == [lines[0], lines[1], lines[4]]


@pytest.mark.slow
def test_a_cli_review_makes_no_network_call(tmp_path: Path) -> None:
    strace = need_strace()
    trace = tmp_path / "trace.txt"
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"https_proxy", "all_proxy", "no_proxy"}}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run([*strace_prefix(strace, str(trace)), sys.executable, "-m",
                           "coach.cli", "review", str(SAMPLE), "-e", "squat"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "10" in done.stdout
    text = trace.read_text()
    assert "connect(" in text or "sendto(" in text or text.strip(), "strace recorded nothing"
    assert leaks(text) == []


@pytest.mark.slow
def test_an_app_start_makes_no_network_call(tmp_path: Path) -> None:
    """Streamlit headless, its page fetched once from loopback, the live estimator made: nothing leaves."""
    strace = need_strace()
    trace = tmp_path / "trace.txt"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"https_proxy", "all_proxy", "no_proxy"}}
    env.update(PYTHONPATH=str(REPO), COACH_DATA_DIR=str(tmp_path / "data"))
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen([*strace_prefix(strace, str(trace)), sys.executable, "-m",
                             "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "streamlit.log").read_text(errors="replace")
                time.sleep(0.5)
        with urllib.request.urlopen(url + "/", timeout=10) as r:
            assert r.status == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # strace and the server it traces
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()
    text = trace.read_text()
    assert f"htons({port})" in text or text.strip(), "strace recorded nothing"
    assert leaks(text) == []


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
