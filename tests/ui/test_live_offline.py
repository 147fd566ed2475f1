"""Live coaching with loopback alone (issue #19 item 6): no network interface but 127.0.0.1, and the live set's
server makes no connect or send to anything else, checked at the system-call level.

The live counter browser test is run again inside a new network namespace (`unshare -n`, only `lo` up) with the
Streamlit server under `strace -f`; the trace is read with the same rules as tests/test_offline_syscalls.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_helpers import REPO, STRACE_ENV, need_browser

from tests.syscalls import leaks, need_strace

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LIVE_TEST = "tests/ui/test_browser.py::test_live_counter_reaches_the_clip_count"


def _need_namespace() -> str:
    """unshare's path when this user may make a network namespace (fail in CI, skip elsewhere)."""
    path = shutil.which("unshare")
    ok = path is not None and subprocess.run([path, "-n", "true"], capture_output=True).returncode == 0
    if not ok:
        message = "needs `unshare -n` (root or user namespaces) to run with loopback only"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert path is not None
    return path


def test_a_live_set_works_on_loopback_alone_and_sends_nothing_out(tmp_path: Path) -> None:
    need_browser()
    need_strace()
    unshare = _need_namespace()
    trace = tmp_path / "trace.txt"
    env = {**os.environ, STRACE_ENV: str(trace), "PYTHONPATH": str(REPO)}
    inner = (f"ip link set lo up && ip -o addr && exec {sys.executable} -m pytest -q -p no:cacheprovider "
             f"{LIVE_TEST}")
    done = subprocess.run([unshare, "-n", "sh", "-c", inner], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-9000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
    addresses = [line.split()[3] for line in done.stdout.splitlines() if " inet" in line]
    assert addresses and all(a.startswith(("127.", "::1/")) for a in addresses), addresses
    text = trace.read_text()
    assert "connect(" in text and "127.0.0.1" in text, "strace recorded no loopback traffic"
    assert leaks(text) == []
