"""The live functional page in a real browser: a rendered single-leg stand through a fake webcam; the page shows
the safety note, the person fields and the hold as it goes, and says how the first hold ended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import WEBRTC_IFRAME, App, fake_camera, launch, serve_app, shot

from coach.exercises.functional_base import SAFETY_NOTE
from coach.synth import SynthSpec, generate
from coach.types import Exercise, View

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    yield from serve_app(tmp_path_factory)


def test_live_single_leg_hold_is_shown_and_its_end_said(server: App, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    clip = tmp_path / "single_leg.mp4"
    generate(SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0), clip)
    flags = fake_camera(clip, tmp_path / "camera.y4m")
    with sync_playwright() as p:
        browser = launch(p, flags)
        page = browser.new_page(viewport={"width": 1300, "height": 1300})
        page.goto(server.url + "/")
        page.locator('[data-testid="stSelectbox"]').first.click(timeout=30_000)
        page.get_by_role("option", name="Single-leg stand (balance, film from the front)").click()
        expect(page.get_by_text(SAFETY_NOTE)).to_be_visible(timeout=30_000)
        height = page.get_by_role("spinbutton", name="Your height (cm)")
        height.fill("170")
        height.press("Enter")
        frame = page.frame_locator(WEBRTC_IFRAME)
        frame.get_by_role("button", name="START").click(timeout=30_000)
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
