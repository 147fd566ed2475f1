"""What a person sees, in a real Chromium at 1280×800, 1366×768 and 390×844 (issue #16).

One Streamlit server for the module (the project's own samples, a private data folder); the tests run in file
order and the history test reads the sessions the live and upload tests made (one sitting). Each test saves
its screenshots under test-artifacts/ux/ before it asserts, so CI keeps them even when a check fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    ARTIFACTS,
    REPO,
    WEBRTC_IFRAME,
    App,
    assert_accessible,
    assert_readable,
    assert_table_fits,
    fake_camera,
    in_viewport,
    launch,
    need_browser,
    start_app,
)

pytestmark = pytest.mark.browser

SAMPLES = REPO / "sample_videos"
SHOTS = ARTIFACTS / "ux"
DESKTOP = {"width": 1280, "height": 800}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LIVE_CLIP = SAMPLES / "squat_rounded_side_5reps.mp4"
"""Squats (the default exercise) whose back rounds on some reps."""
UPLOADS = {  # one clip per exercise, the picker label the review must end on, the reps in its truth file
    "squat_good_side_10reps.mp4": "Squat",
    "deadlift_rounded_side_5reps.mp4": "Deadlift (hip hinge)",
    "back_extension_good_side_5reps.mp4": "Back extension (lying face down)",
    "bird_dog_good_side_6reps.mp4": "Bird dog (on hands and knees)",
}
LIVE_CUE = '[data-testid="live-warning"], [data-testid="live-cue"], [data-testid="live-setup"]'
"""What the live page tells the person now: a warning, a cue or the setup help."""


def snap(page: Any, name: str) -> None:
    """Save what the screen shows (not the whole page: the viewport is what the person sees)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def below_top_bar(page: Any, selector: str) -> bool:
    """The first element matching `selector` starts below the page's sticky top bar (not hidden under it)."""
    box = page.locator(selector).first.bounding_box()
    bar = page.locator('[data-testid="stHeader"]').bounding_box()
    return box is not None and (bar is None or box["y"] >= bar["y"] + bar["height"] - 1)


def comes_into_view(page: Any, selector: str, timeout_ms: int = 15_000) -> bool:
    """`in_viewport`, waiting up to `timeout_ms` for the page's own scroll (it runs after the page settles)."""
    for _ in range(timeout_ms // 250):
        if in_viewport(page, selector):
            return True
        page.wait_for_timeout(250)
    return in_viewport(page, selector)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    need_browser()
    data = tmp_path_factory.mktemp("coach-ux")
    app = start_app(data, data / "streamlit.log", {"COACH_SAMPLES_DIR": str(SAMPLES)})
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def camera(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    need_browser()
    return fake_camera(LIVE_CLIP, tmp_path_factory.mktemp("camera") / "camera.y4m")


@pytest.mark.parametrize("size", [DESKTOP, LAPTOP, PHONE], ids=["1280x800", "1366x768", "390x844"])
def test_live_page_shows_picture_count_and_cue_in_one_screen(server: App, camera: list[str],
                                                             size: dict[str, int]) -> None:
    from playwright.sync_api import sync_playwright

    tag = f"{size['width']}x{size['height']}"
    with sync_playwright() as p:
        browser = launch(p, camera)
        page = browser.new_page(viewport=size)
        page.goto(server.url + "/live")  # a stable address, not "Page not found"
        page.locator('[data-testid="live-count"]').wait_for(timeout=30_000)
        assert page.get_by_text("Page not found").count() == 0
        frame = page.frame_locator(WEBRTC_IFRAME)
        frame.get_by_role("button", name="START").click(timeout=30_000)
        mismatched: list[str] = []
        warned = 0
        for _ in range(24):  # 12 s of a looping rep
            page.wait_for_timeout(500)
            block = page.locator('[data-testid="live-count"]').first.inner_text()
            for w in page.locator('[data-testid="live-warning"]').all_inner_texts():
                warned += 1
                if not w.startswith(f"Rep {block.split()[0]}:"):  # a warning names the latest rep, or is gone
                    mismatched.append(f"{block} / {w}")
        snap(page, f"live-{tag}.png")
        assert in_viewport(page, '[data-testid="live-count"]')
        page.locator(LIVE_CUE).first.wait_for(timeout=5_000)  # the page redraws twice a second
        assert in_viewport(page, LIVE_CUE)
        if size is not PHONE:  # the picture too (on a phone the count and the cue come first, above it)
            assert in_viewport(page, WEBRTC_IFRAME)
        assert_readable(page)
        assert mismatched == []
        if size is DESKTOP:
            assert_accessible(page)
        stop_camera(frame)
        page.wait_for_timeout(1500)
        snap(page, f"live-stopped-{tag}.png")
        assert page.locator('[data-testid="live-angles"]').count() == 0  # no stale angles after STOP
        browser.close()


def stop_camera(frame: Any) -> None:
    """Press STOP; when a slow machine has already dropped the connection (START is back), nothing to press."""
    stop, start = frame.get_by_role("button", name="STOP"), frame.get_by_role("button", name="START")
    stop.or_(start).first.wait_for(timeout=30_000)
    if stop.count():
        stop.click()


CHECKED = '[data-testid="stRadio"] label:has(input[type="radio"]:checked)'
"""The chosen option of every radio on the page."""


def wait_for_pick(page: Any, title: str) -> None:
    """Wait until the picker shows `title` (the sample's exercise): a click before the page has caught up would
    send the previous choice back with it."""
    from playwright.sync_api import expect

    expect(page.locator(CHECKED).filter(has_text=title)).to_have_count(1, timeout=30_000)


def review(page: Any, url: str, clip: Path, exercise: str | None = None) -> None:
    """Upload `clip` on the review page, optionally pick the exercise, press Review and wait for the count."""
    page.goto(url + "/review")
    page.locator('input[type="file"]').set_input_files(str(clip))
    page.get_by_text(re.compile(re.escape(clip.name[-10:]))).wait_for(timeout=30_000)
    if exercise:
        page.get_by_text(exercise).click()
    page.get_by_role("button", name="Review this video").click()


@pytest.mark.parametrize("name", list(UPLOADS))
def test_upload_of_each_exercise_is_recognised_and_readable(server: App, name: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    clip = SAMPLES / name
    reps = len(json.loads(clip.with_suffix(".json").read_text())["reps"])
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=DESKTOP)
        review(page, server.url, clip)  # "Let the coach tell", the default
        count = page.locator('[data-testid="review-count"]')
        expect(count).to_contain_text("counted", timeout=240_000)
        page.wait_for_timeout(1000)
        snap(page, f"review-{clip.stem}-1280x800.png")
        assert comes_into_view(page, '[data-testid="review-count"]')  # brought into view, not below the fold
        assert below_top_bar(page, '[data-testid="review-count"]')  # not hidden under the top bar
        assert in_viewport(page, '[data-testid="rep-table"] tbody tr')  # and the table's first rep with it
        checked = page.locator(CHECKED).all_inner_texts()
        assert any(UPLOADS[name] in label for label in checked), checked  # the picker names the exercise reviewed
        assert count.inner_text() == f"{reps} reps counted"
        table = page.locator('[data-testid="rep-table"]')
        assert table.locator("tbody tr").count() >= reps
        assert table.locator("th").all_text_contents()[:2] == ["Rep", "What the coach saw"]  # the warning first
        assert_table_fits(page, '[data-testid="rep-table"]')
        assert_readable(page)
        for button in ("PDF report", "Table of reps (CSV)", "All data (JSON)"):
            b = page.get_by_role("button", name=button)
            assert b.inner_text().strip() == button  # the whole label is shown, never "Download …"
            box = b.bounding_box()
            assert box is not None and box["height"] >= 44
        if name.startswith("deadlift"):
            assert_accessible(page)
        browser.close()


def test_sample_review_on_a_phone(server: App) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=PHONE)
        page.goto(server.url + "/review")
        page.get_by_text("Use a sample video").click()
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="deadlift_rounded_side_5reps.mp4").click()
        wait_for_pick(page, "Deadlift")
        page.get_by_role("button", name="Review this video").click()
        count = page.locator('[data-testid="review-count"]')
        expect(count).to_contain_text("counted", timeout=240_000)
        page.wait_for_timeout(1000)
        snap(page, "review-sample-390x844.png")
        assert comes_into_view(page, '[data-testid="review-count"]')  # the whole line: "5 reps counted", not cut
        table = page.locator('[data-testid="rep-table"]')
        table.scroll_into_view_if_needed()
        snap(page, "review-sample-table-390x844.png")
        # each rep is a card that fits the phone's width, what the coach saw right after the rep number
        assert_table_fits(page, '[data-testid="rep-table"]')
        first = table.locator("tbody tr").first.locator("td")
        assert first.nth(1).get_attribute("data-label") == "What the coach saw"  # shown before its text
        assert_readable(page)
        assert_accessible(page)
        browser.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_a_bad_file_says_what_is_wrong_and_what_to_do_where_the_eye_is(server: App, tmp_path: Path,
                                                                       size: dict[str, int]) -> None:
    from playwright.sync_api import expect, sync_playwright

    bad = tmp_path / "holiday.mp4"
    bad.write_bytes(b"These are my workout notes, not a video.\n" * 40)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=size)
        review(page, server.url, bad)
        err = page.locator('[data-testid="stAlertContentError"]')
        expect(err).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1000)
        snap(page, f"bad-file-{size['width']}x{size['height']}.png")
        text = err.inner_text()
        assert "damaged or is not a video" in text and "What to do:" in text
        assert "Invalid data" not in text
        assert comes_into_view(page, '[data-testid="stAlertContentError"]')
        assert_readable(page)  # the upload box's own words and buttons too
        browser.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_history_is_readable_at_both_sizes(server: App, size: dict[str, int]) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=size)
        page.goto(server.url + "/history")
        expect(page.locator('[data-testid="history-week"]')).to_be_visible(timeout=30_000)
        table = page.locator('[data-testid="history-table"]')
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        snap(page, f"history-{size['width']}x{size['height']}.png")
        # an upload session and the live sets earlier the same morning are one sitting
        assert "1 session," in page.locator('[data-testid="history-week"]').inner_text()
        heads = table.locator("th").all_text_contents()
        assert heads[:3] == ["When", "Exercise", "Reps"]
        assert_table_fits(page, '[data-testid="history-table"]')  # every column on screen, none cut at the right
        assert_table_fits(page, '[data-testid="progress-table"]')
        first = table.locator("tbody tr").first
        for heading in ("Reps", "Sets", "Warnings", "Load (kg)", "How"):  # more than When and Exercise
            cell = first.locator(f'td[data-label="{heading}"]')
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box is not None and box["width"] > 0 and box["x"] + box["width"] <= size["width"] + 1
        assert_readable(page)
        assert_accessible(page)
        browser.close()


ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
"""A 1280×800 screen zoomed to 200 %: the page lays out in 640×400 CSS pixels, drawn at twice the size."""
NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def assert_zoomed_page_readable(page: Any, name: str) -> None:
    """At 200 %: nothing cut or sticking out, no sideways scrolling; the screen is kept as `name`."""
    snap(page, name)
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    assert_readable(page)


def test_every_page_is_readable_zoomed_to_200_percent(server: App, camera: list[str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch(p, camera)
        page = browser.new_page(**ZOOM_200)
        page.goto(server.url + "/live")
        page.locator('[data-testid="live-count"]').wait_for(timeout=30_000)
        frame = page.frame_locator(WEBRTC_IFRAME)
        frame.get_by_role("button", name="START").click(timeout=30_000)
        frame.get_by_role("button", name="STOP").wait_for(timeout=30_000)
        expect(page.locator('[data-testid="live-set"]')).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        assert_zoomed_page_readable(page, "zoom200-live.png")
        page.locator('[data-testid="live-count"]').scroll_into_view_if_needed()
        assert in_viewport(page, '[data-testid="live-count"]')  # the count, whole, fits the zoomed screen
        cue = page.locator(LIVE_CUE).first
        expect(cue).to_be_visible()
        cue.scroll_into_view_if_needed()
        assert in_viewport(page, LIVE_CUE)  # and the cue, whole: no wider than the zoomed screen
        assert_zoomed_page_readable(page, "zoom200-live-count.png")
        stop_camera(frame)

        page.goto(server.url + "/review")
        page.get_by_text("Use a sample video").click()
        assert_zoomed_page_readable(page, "zoom200-review-picker.png")
        page.locator('[data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="bird_dog_good_side_6reps.mp4").click()
        wait_for_pick(page, "Bird dog")
        page.get_by_role("button", name="Review this video").click()
        count = page.locator('[data-testid="review-count"]')
        expect(count).to_contain_text("counted", timeout=240_000)
        assert comes_into_view(page, '[data-testid="review-count"]')
        page.wait_for_timeout(1000)
        assert_zoomed_page_readable(page, "zoom200-review.png")
        assert below_top_bar(page, '[data-testid="review-count"]')
        table = page.locator('[data-testid="rep-table"]')
        table.scroll_into_view_if_needed()
        assert_zoomed_page_readable(page, "zoom200-review-table.png")
        assert_table_fits(page, '[data-testid="rep-table"]')
        assert "Arm height" in table.inner_text()  # a limb's height in words ("level", "12° below level")

        page.goto(server.url + "/history")
        expect(page.get_by_role("heading", name="My history")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        assert_zoomed_page_readable(page, "zoom200-history.png")
        assert_table_fits(page, '[data-testid="history-table"]')  # (after the module's uploads; none alone)
        browser.close()
