"""The app in a real Chromium: upload → rep table; fake webcam → live counter; history shows both.

Run with `pytest -m browser tests/ui/test_browser.py`. Needs /usr/bin/chromium and ffmpeg. The tests share
one Streamlit server (started on a free port with a private data folder) and run in file order:
the history test checks the sessions the first two made. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CLIP = ("squat", "rohanx01_squat.mp4")
"""A shared real clip: 2 squats, both warned for spinal flexion by the review."""
CLIP_REPS = 2
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-default-apps", "--disable-sync", "--no-first-run", "--metrics-recording-only"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def clip(shared_videos: Path) -> Path:
    path = shared_videos / CLIP[0] / CLIP[1]
    if not path.exists():
        pytest.skip(f"clip {path} not found")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("needs /usr/bin/chromium")
    pytest.importorskip("playwright")
    data = tmp_path_factory.mktemp("coach-data")
    samples = tmp_path_factory.mktemp("no-samples")
    port = _free_port()
    env = {**os.environ, "COACH_DATA_DIR": str(data), "COACH_SAMPLES_DIR": str(samples)}
    env.pop("COACH_DB", None)
    log = open(data / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.address", "localhost", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start: " + (data / "streamlit.log").read_text()) from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _browser(p: object, extra: list[str] | None = None) -> object:
    return p.chromium.launch(executable_path=str(CHROMIUM), headless=True,  # type: ignore[attr-defined]
                             args=CHROMIUM_ARGS + (extra or []))


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)  # type: ignore[attr-defined]


def test_upload_shows_rep_table_with_count_and_warning(server: str, clip: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1300, "height": 1800})  # type: ignore[attr-defined]
        page.goto(server + "/review")
        page.locator('input[type="file"]').set_input_files(str(clip))
        expect(page.get_by_text(CLIP[1])).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="Review this video").click()
        count = page.locator('[data-testid="review-count"]')
        expect(count).to_have_text(f"{CLIP_REPS} reps counted", timeout=240_000)
        expect(page.locator('[data-testid="review-warned"]')).to_contain_text("with a warning")
        table = page.locator('[data-testid="stDataFrame"]').first
        expect(table).to_be_visible()
        page.wait_for_timeout(1500)
        _shot(page, "review.png")
        # the table's Warnings column (canvas grid: read it through the CSV download instead)
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download CSV").click()
        rows = Path(dl.value.path()).read_text().splitlines()
        assert len(rows) == 1 + CLIP_REPS
        assert all("spinal_flexion" in r for r in rows[1:])
        browser.close()  # type: ignore[attr-defined]


def test_live_counter_reaches_the_clip_count(server: str, clip: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    y4m = tmp_path / "camera.y4m"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(clip), "-vf",
                    "scale=-2:480,pad=640:480:(ow-iw)/2:0,fps=15", "-pix_fmt", "yuv420p", str(y4m)], check=True)
    with sync_playwright() as p:
        browser = _browser(p, ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                               f"--use-file-for-fake-video-capture={y4m}"])
        page = browser.new_page(viewport={"width": 1300, "height": 1100})  # type: ignore[attr-defined]
        page.goto(server + "/")
        frame = page.frame_locator('iframe[title="streamlit_webrtc.component.webrtc_streamer"]')
        frame.get_by_role("button", name="START").click(timeout=30_000)
        total = 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            page.wait_for_timeout(1000)
            texts = page.locator('[data-testid="live-set"]').all_inner_texts()
            m = re.search(r"(\d+) reps in total", texts[0]) if texts else None
            total = int(m.group(1)) if m else 0
            if total >= CLIP_REPS:
                break
        _shot(page, "live.png")
        assert total >= CLIP_REPS, f"live counter stopped at {total}"
        frame.get_by_role("button", name="STOP").click()
        browser.close()  # type: ignore[attr-defined]


def test_history_shows_both_sessions(server: str, clip: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1300, "height": 1600})  # type: ignore[attr-defined]
        page.goto(server + "/history")
        expect(page.locator('[data-testid="history-week"]')).to_contain_text("2 sessions", timeout=30_000)
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download all (JSON)").click()
        import json

        data = json.loads(Path(dl.value.path()).read_text())
        sources = sorted(s["source"] for s in data["sessions"])
        assert sources == ["live", "review"]
        review = next(s for s in data["sessions"] if s["source"] == "review")
        assert review["title"] == CLIP[1]
        assert sum(r["complete"] for r in review["reps"]) == CLIP_REPS
        live = next(s for s in data["sessions"] if s["source"] == "live")
        assert sum(r["complete"] for r in live["reps"]) >= CLIP_REPS
        page.wait_for_timeout(1500)
        _shot(page, "history.png")
        browser.close()  # type: ignore[attr-defined]
