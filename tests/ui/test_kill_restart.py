"""Nothing done is lost, sessions stay apart (issue #6), in a real Chromium against a real server.

Browser A runs a live set from a fake webcam (a shared real clip) until the page shows at least one rep;
browser session B, open on the same server at the same time, still shows its own empty count and no
calibration. Then the server is killed with SIGKILL mid-set, restarted on the same data folder, and every
rep A's page showed before the kill is in the history (through coach.history and the history page).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from browser_helpers import WEBRTC_IFRAME, fake_camera, launch, live_total, need_browser, shot, start_app

from coach.history import History

pytestmark = pytest.mark.browser

CLIP = ("squat", "rohanx01_squat.mp4")
"""Stands still ~8 s (calibration), then 2 squats; Chromium loops it."""


def test_reps_shown_before_sigkill_are_in_history_after_restart(shared_videos: Path, tmp_path: Path) -> None:
    need_browser()
    from playwright.sync_api import expect, sync_playwright

    clip = shared_videos.joinpath(*CLIP)
    if not clip.exists():
        pytest.skip(f"clip {clip} not found")
    data = tmp_path / "data"
    log = tmp_path / "streamlit.log"
    camera = fake_camera(clip, tmp_path / "camera.y4m")
    app = start_app(data, log)
    try:
        with sync_playwright() as p:
            browser = launch(p, camera)
            a = browser.new_context(viewport={"width": 1300, "height": 1100}).new_page()
            b = browser.new_context(viewport={"width": 1300, "height": 1100}).new_page()
            a.goto(app.url + "/")
            b.goto(app.url + "/")
            expect(b.locator('[data-testid="live-count"]')).to_have_text("0 of 8–12", timeout=30_000)
            a.frame_locator(WEBRTC_IFRAME).get_by_role("button", name="START").click(timeout=30_000)
            shown = 0
            deadline = time.monotonic() + 150
            while shown < 1 and time.monotonic() < deadline:
                a.wait_for_timeout(500)
                shown = live_total(a)
            shot(a, "kill-before-a.png")
            assert shown >= 1, "the live page never showed a rep"
            # B, open all along on the same server, has its own count and no calibration of A's
            b.wait_for_timeout(1000)  # one more poll of B's own panel
            assert live_total(b) == 0
            expect(b.locator('[data-testid="live-count"]')).to_have_text("0 of 8–12")
            assert b.get_by_text("Press START to turn on the camera.").count() == 1
            assert b.get_by_text("Stand still").count() == 0
            shot(b, "kill-before-b.png")
            # mid-set: the server dies without any chance to clean up
            os.kill(app.proc.pid, signal.SIGKILL)
            app.proc.wait(timeout=10)
            assert app.proc.returncode == -signal.SIGKILL
            browser.close()

            hist = History(data / "history.sqlite3")
            assert hist.set_aside is None  # the WAL database survived the kill undamaged
            [session] = hist.sessions()
            assert session.source == "live"
            assert session.reps >= shown
            reps = hist.reps(session.id)
            assert all(r["complete"] for r in reps) and len({r["rep"] for r in reps}) == len(reps)

            app = start_app(data, log)  # restart on the same data folder
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1300, "height": 1400})
            page.goto(app.url + "/history")
            expect(page.locator('[data-testid="history-week"]')).to_contain_text("1 session", timeout=30_000)
            assert page.get_by_text("damaged").count() == 0
            with page.expect_download() as dl:
                page.get_by_role("button", name="Download all (JSON)").click()
            import json

            [saved] = json.loads(Path(dl.value.path()).read_text())["sessions"]
            assert saved["source"] == "live" and sum(r["complete"] for r in saved["reps"]) >= shown
            shot(page, "kill-after-history.png")
            browser.close()
    finally:
        app.stop()
