"""The functional pages in a real browser: a rendered single-leg stand through a fake webcam (the page shows the
safety note, the person fields and the hold as it goes, and says how the first hold ended), and a rendered
4-stage balance test reviewed with the person's age, sex and height, then found in the history with its holds,
its result and the person, charted over the weeks, readable at 1280×800 and 390×844."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import (
    WEBRTC_IFRAME,
    App,
    assert_accessible,
    assert_readable,
    assert_table_fits,
    fake_camera,
    launch,
    serve_app,
    shot,
)

from coach.exercises.functional_base import SAFETY_NOTE
from coach.synth import SynthSpec, generate
from coach.types import Exercise, View

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    yield from serve_app(tmp_path_factory)


def test_live_single_leg_hold_is_shown_and_its_end_said(server: App, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    clip = tmp_path / "single_leg.mp4"
    generate(SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0), clip)
    flags = fake_camera(clip, tmp_path / "camera.y4m")
    with sync_playwright() as p:
        browser = launch(p, flags)
        page = browser.new_page(viewport={"width": 1300, "height": 1300})
        frame = start_live_test(page, server, "Single-leg stand (balance, film from the front)",
                                "Your height (cm)", "170")
        status = page.locator('[data-testid="live-test"]')
        seen: set[str] = set()
        for _ in range(90):  # up to about a minute and a half of page time (the clip is 25 s, looped)
            page.wait_for_timeout(1000)
            seen.update(status.all_inner_texts())
            if any("held" in s for s in seen) and any(s.startswith("Holding") for s in seen):
                break
        shot(page, "live_single_leg.png")
        assert any(s.startswith("Holding: ") for s in seen), seen
        assert any(s.startswith("The raised foot came down: held ") for s in seen), seen
        frame.get_by_role("button", name="STOP").click()
        browser.close()


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """An app with a history of its own: the holds table below must show this review's holds only (the module's
    server also keeps the live test's holds)."""
    yield from serve_app(tmp_path_factory)


def test_a_balance_test_review_and_its_history_are_readable(own_server: App, tmp_path: Path) -> None:
    server = own_server
    import re

    from playwright.sync_api import expect, sync_playwright

    clip = tmp_path / "balance_test_front.mp4"
    generate(SynthSpec(Exercise.BALANCE_TEST, view=View.FRONT, fps=15.0), clip)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url + "/review")
        page.locator('input[type="file"]').set_input_files(str(clip))
        page.get_by_text(re.compile(r"_front\.mp4")).wait_for(timeout=30_000)  # the chip shortens the name
        page.get_by_text("Balance and fitness tests").click()
        page.get_by_text("4-stage balance test (film from the front)").click()
        age = page.get_by_role("spinbutton", name="Your age (years)")
        age.fill("72")
        age.press("Enter")
        pick_option(page, "Sex", "Woman")
        height = page.get_by_role("spinbutton", name="Your height (cm)")
        height.fill("160")
        height.press("Enter")
        page.wait_for_timeout(1000)
        page.get_by_role("button", name="Review this video").click()
        count = page.locator('[data-testid="review-count"]')
        expect(count).to_contain_text("timed", timeout=240_000)  # holds timed, never "0 reps counted"
        page.wait_for_timeout(1000)
        shot(page, "balance_review.png")
        holds = page.locator('[data-testid="holds-table"] tbody tr')
        n = holds.count()
        assert n >= 3 and count.inner_text() == f"{n} holds timed"
        assert "cm" in page.locator('[data-testid="holds-table"]').inner_text()  # sway in cm: the height was used
        assert page.get_by_text("Saved to your history.").count() == 1
        assert_readable(page)

        for size in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
            page.set_viewport_size(size)
            page.goto(server.url + "/history")
            tests = page.locator('[data-testid="tests-table"]')
            expect(tests).to_contain_text("4-stage balance test", timeout=30_000)
            tests.scroll_into_view_if_needed()
            page.wait_for_timeout(1000)
            shot(page, f"balance_history_{size['width']}.png")
            first = tests.locator("tbody tr").first
            assert first.locator('td[data-label="Age"]').inner_text() == "72"  # the person as given then
            assert first.locator('td[data-label="Sex"]').inner_text() == "woman"
            assert page.locator('[data-testid="holds-table"] tbody tr').count() == n
            assert page.get_by_text("4-stage balance test (film from the front): longest hold each week").count() == 1
            assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 2  # the weeks and the holds charts
            expect(page.get_by_role("button", name="Download test results and holds (CSV)")).to_be_visible()
            assert_table_fits(page, '[data-testid="tests-table"]')
            assert_table_fits(page, '[data-testid="holds-table"]')
            assert_readable(page)
            assert_accessible(page)
        browser.close()


def test_live_chair_stand_counts_down_3_2_1_go_and_keeps_its_score(server: App, tmp_path: Path) -> None:
    import re

    from playwright.sync_api import expect, sync_playwright

    from coach.labels import LIVE_TEST_WORDS

    clip = tmp_path / "chair_stand.mp4"
    generate(SynthSpec(Exercise.CHAIR_STAND, view=View.SIDE, fps=15.0), clip)
    flags = fake_camera(clip, tmp_path / "camera.y4m")
    with sync_playwright() as p:
        browser = launch(p, flags)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        frame = start_live_test(page, server, "30-second chair stand test (film from the side)",
                                "Your age (years)", "72")
        status = page.locator('[data-testid="live-test"]')
        seen: list[str] = []
        for _ in range(150):  # the clock is 3 s and 30 s of frame time; up to 75 s of page time
            page.wait_for_timeout(500)
            for text in status.all_inner_texts():
                if not seen or seen[-1] != text:
                    seen.append(text)
            if seen and seen[-1].startswith(LIVE_TEST_WORDS["stop"]):
                break
        shot(page, "live_chair_stand.png")
        ready = [s for s in seen if s.startswith("Get ready: ")]
        assert LIVE_TEST_WORDS["go"] in seen, seen
        assert ready and seen.index(ready[-1]) < seen.index(LIVE_TEST_WORDS["go"]), seen  # the countdown, then Go
        # (the page polls twice a second, and the camera takes a moment to connect: "3" may pass unseen)
        left = [int(m.group(1)) for s in seen if (m := re.fullmatch(r"(\d+) seconds left", s))]
        assert left and left == sorted(left, reverse=True), seen  # the seconds count down
        assert seen[-1].startswith(LIVE_TEST_WORDS["stop"]), seen
        stands = int(re.search(r"(\d+) stands\.", seen[-1]).group(1))
        assert stands >= 5, seen  # the rendered clip stands up about every 2 s
        frame.get_by_role("button", name="STOP").click()
        page.goto(server.url + "/history")
        tests = page.locator('[data-testid="tests-table"]')
        expect(tests).to_contain_text("30-second chair stand", timeout=30_000)
        row = tests.locator("tbody tr").filter(has_text="30-second chair stand").first
        assert row.locator('td[data-label="Result"]').inner_text() == f"{stands} stands"  # the score kept
        assert row.locator('td[data-label="Age"]').inner_text() == "72"
        browser.close()


def start_live_test(page: Any, server: App, title: str, field: str, value: str) -> Any:
    """Open the live page, pick the exercise `title`, see its safety note, type `value` into the number `field`
    and press START once the page has rerun for it (a START pressed meanwhile was lost); returns the camera frame,
    playing."""
    from playwright.sync_api import expect

    page.goto(server.url + "/")
    page.locator('[data-testid="stSelectbox"]').first.click(timeout=30_000)
    page.get_by_role("option", name=title).click()
    expect(page.get_by_text(SAFETY_NOTE)).to_be_visible(timeout=30_000)
    box = page.get_by_role("spinbutton", name=field)
    box.fill(value)
    box.press("Enter")
    page.wait_for_timeout(1500)
    frame = page.frame_locator(WEBRTC_IFRAME)
    frame.get_by_role("button", name="START").click(timeout=30_000)
    frame.get_by_role("button", name="STOP").wait_for(timeout=30_000)
    return frame


def pick_option(page: Any, box: str, option: str) -> None:
    """Choose `option` in the drop-down labelled `box`. The page reruns after a typed number is entered, which can
    close a list that was just opened: open it again until the option shows (three tries)."""
    select = page.locator('[data-testid="stSelectbox"]').filter(has_text=box).locator("input")
    choice = page.get_by_role("option", name=option)
    for _ in range(3):
        select.click()
        try:
            choice.wait_for(timeout=10_000)
            break
        except Exception:  # playwright's TimeoutError: the list closed on a rerun
            page.keyboard.press("Escape")
    choice.click()
