"""The app in a real Chromium: upload → rep table; fake webcam → live counter; history shows both.

Uses the project's own generated samples (sample_videos/, with truth JSON), so it needs no third-party clip.
The tests share one Streamlit server (a free port, a private data folder) and run in file order: the
history test checks the sessions the first two made. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import REPO, WEBRTC_IFRAME, App, fake_camera, launch, live_total, serve_app, shot

pytestmark = pytest.mark.browser

SAMPLES = REPO / "sample_videos"
REVIEW_CLIP = SAMPLES / "deadlift_rounded_side_5reps.mp4"
"""5 Romanian deadlifts; the back rounds 35° on reps 2 and 4 (truth in the JSON beside it)."""
LIVE_CLIP = SAMPLES / "squat_rounded_side_5reps.mp4"


def truth(clip: Path) -> dict:
    """The generator's truth JSON for a sample clip."""
    return json.loads(clip.with_suffix(".json").read_text())


def faulty_reps(t: dict) -> set[int]:
    """1-based indices of the reps that carry a fault, from the truth JSON."""
    return {int(r["index"]) for r in t["reps"] if r["fault"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    yield from serve_app(tmp_path_factory)


def test_upload_shows_rep_table_with_count_and_warning(server: App) -> None:
    from playwright.sync_api import expect, sync_playwright

    t = truth(REVIEW_CLIP)
    reps = len(t["reps"])
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1300, "height": 1800})
        page.goto(server.url + "/review")
        page.locator('input[type="file"]').set_input_files(str(REVIEW_CLIP))
        # The uploader shortens long names ("deadlif..._5reps.mp4"): match the end.
        expect(page.get_by_text(re.compile(re.escape(REVIEW_CLIP.name[-10:])))).to_be_visible(timeout=30_000)
        page.get_by_text("Deadlift (hip hinge)").click()
        page.get_by_role("button", name="Review this video").click()
        expect(page.locator('[data-testid="review-count"]')).to_have_text(f"{reps} reps counted", timeout=240_000)
        expect(page.locator('[data-testid="review-warned"]')).to_contain_text("with a warning")
        expect(page.locator('[data-testid="rep-table"]').first).to_be_visible()
        page.wait_for_timeout(1500)
        shot(page, "review.png")
        # The table is a canvas grid: read its rows through the CSV download instead.
        with page.expect_download() as dl:
            page.get_by_role("button", name="Table of reps (CSV)").click()
        rows = Path(dl.value.path()).read_text().splitlines()[1:]
        assert len(rows) == reps
        flagged = {i for i, row in enumerate(rows, start=1) if "Back rounding" in row}
        assert flagged == faulty_reps(t)
        browser.close()


def test_live_counter_reaches_the_clip_count(server: App, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    reps = len(truth(LIVE_CLIP)["reps"])
    flags = fake_camera(LIVE_CLIP, tmp_path / "camera.y4m")
    with sync_playwright() as p:
        browser = launch(p, flags)
        page = browser.new_page(viewport={"width": 1300, "height": 1100})
        page.goto(server.url + "/")
        frame = page.frame_locator(WEBRTC_IFRAME)
        frame.get_by_role("button", name="START").click(timeout=30_000)
        total = 0
        for _ in range(120):  # up to about two minutes of page time
            page.wait_for_timeout(1000)
            total = live_total(page)
            if total >= reps:
                break
        shot(page, "live.png")
        if total < reps:  # say what the page and the server said, for a run whose screenshot is out of reach
            said = " ".join(page.inner_text("body").split())[:1500]
            log = server.log.read_text(errors="replace")[-6000:]  # a stalled frame leaves thread stacks here
            pytest.fail(f"live counter stopped at {total} of {reps}; the page said: {said}; server log: {log}")
        frame.get_by_role("button", name="STOP").click()
        browser.close()


def test_history_shows_both_sessions(server: App) -> None:
    from playwright.sync_api import expect, sync_playwright

    review_reps = len(truth(REVIEW_CLIP)["reps"])
    live_reps = len(truth(LIVE_CLIP)["reps"])
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1300, "height": 1600})
        page.goto(server.url + "/history")
        expect(page.locator('[data-testid="history-week"]')).to_contain_text("1 session,", timeout=30_000)
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download all (JSON)").click()
        data = json.loads(Path(dl.value.path()).read_text())
        assert sorted(s["source"] for s in data["sessions"]) == ["live", "review"]
        review = next(s for s in data["sessions"] if s["source"] == "review")
        assert review["title"] == REVIEW_CLIP.name
        assert sum(r["complete"] for r in review["reps"]) == review_reps
        live = next(s for s in data["sessions"] if s["source"] == "live")
        assert sum(r["complete"] for r in live["reps"]) >= live_reps
        page.wait_for_timeout(1500)
        shot(page, "history.png")
        browser.close()
