"""Helpers for the reliability browser tests: start/stop the app on a free port, Chromium, screenshots."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

from tests.syscalls import strace_prefix

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-default-apps", "--disable-sync", "--no-first-run", "--metrics-recording-only"]
WEBRTC_IFRAME = 'iframe[title="streamlit_webrtc.component.webrtc_streamer"]'
STRACE_ENV = "COACH_TEST_STRACE"
"""When set, `start_app` runs the server under `strace -f` writing the trace to this path."""
LOOPBACK_WEBRTC = "--allow-loopback-in-peer-connection"
"""Test-only: lets the test's Chromium offer 127.0.0.1 to the live stream. A person's Chrome on this computer
needs no flag: it offers its network address, which reaches the coach's 127.0.0.1 without leaving the machine
(measured: 202 frames in 10 s). With no network interface at all Chromium offers nothing (measured: ICE stays
"new"), which no server setting can change; this flag lets the tests run the live page in such a namespace."""


def _missing(reason: str) -> None:
    """Fail in CI (where setup installs everything), skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must have it: scripts/setup.sh --dev installs it)")
    pytest.skip(reason)


def need_browser() -> None:
    """Skip unless Chromium and Playwright are here (fail in CI)."""
    if not CHROMIUM.exists():
        _missing("needs /usr/bin/chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _missing("needs the playwright package")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class App:
    """A running `streamlit run app.py` (the Popen is the server itself, or strace and the server in its own
    process group when `traced`)."""

    proc: subprocess.Popen[bytes]
    url: str
    port: int
    log: Path
    _fh: IO[bytes]
    traced: bool = False

    def stop(self) -> None:
        if self.proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._fh.close()

    def _signal(self, sig: signal.Signals) -> None:
        if self.traced:
            os.killpg(self.proc.pid, sig)
        else:
            self.proc.send_signal(sig)


def start_app(data: Path, log: Path, extra_env: Mapping[str, str] | None = None) -> App:
    """Start the app with a private data folder and no samples; waits for /_stcore/health."""
    samples = data / "no-samples"
    samples.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_SAMPLES_DIR": str(samples), **(extra_env or {})}
    env.pop("COACH_DB", None)
    fh = open(log, "ab")
    trace = os.environ.get(STRACE_ENV)
    prefix = strace_prefix("strace", trace) if trace else []
    proc = subprocess.Popen(
        [*prefix, sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=bool(trace))
    app = App(proc, f"http://localhost:{port}", port, log, fh, traced=bool(trace))
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(app.url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return app
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                app.stop()
                raise RuntimeError("streamlit did not start: " + log.read_text(errors="replace")) from None
            time.sleep(0.5)


def launch(p: Any, extra: list[str] | None = None) -> Any:
    return p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS + (extra or []))


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def fake_camera(clip: Path, y4m: Path, fps: int = 15) -> list[str]:
    """Chromium flags for a fake webcam playing `clip` (converted to y4m at 640×480)."""
    if shutil.which("ffmpeg") is None:
        _missing("needs ffmpeg")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip), "-vf",
                    f"scale=-2:480,pad=640:480:(ow-iw)/2:0,fps={fps}", "-pix_fmt", "yuv420p", str(y4m)], check=True)
    return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={y4m}", LOOPBACK_WEBRTC]


def live_total(page: Any) -> int:
    """The "N reps in total" the live page shows (0 when not shown)."""
    texts = page.locator('[data-testid="live-set"]').all_inner_texts()
    m = re.search(r"(\d+) reps? in total", texts[0]) if texts else None
    return int(m.group(1)) if m else 0


def serve_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """A module fixture's body: the app on a private data folder, stopped afterwards."""
    need_browser()
    data = tmp_path_factory.mktemp("coach-data")
    app = start_app(data, data / "streamlit.log")
    try:
        yield app
    finally:
        app.stop()
