"""A file over Streamlit's own upload limit gets one line saying what to do (issue #19 item 11).

Streamlit refuses such a file in the browser, before the coach's code sees it, with only an error sign on the
file. The server here runs with a 1 MB limit (STREAMLIT_SERVER_MAX_UPLOAD_SIZE) so a 2 MB file is over it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import App, launch, need_browser, shot, start_app

from coach.ui.review_page import refused_upload_text
from coach.ui.style import TOO_BIG_TESTID

pytestmark = pytest.mark.browser


def test_a_file_over_the_server_limit_says_to_trim_or_use_the_command_line(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    need_browser()
    app: App = start_app(tmp_path / "data", tmp_path / "streamlit.log", {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE": "1"})
    big = tmp_path / "long session.mp4"
    big.write_bytes(b"\0" * 2_100_000)
    small = tmp_path / "short.mp4"
    small.write_bytes(b"\0" * 1000)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1300, "height": 1100})
            page.goto(app.url + "/review")
            line = page.locator(f'[data-testid="{TOO_BIG_TESTID}"]')
            page.locator('input[type="file"]').set_input_files(str(big))
            expect(line).to_have_text(refused_upload_text(1.0), timeout=30_000)
            expect(line).to_be_visible()
            assert "coach review VIDEO" in line.inner_text() and "1 MB" in line.inner_text()
            assert line.count() == 1
            shot(page, "upload-too-big.png")
            page.get_by_role("button", name="Remove long session.mp4").click()
            expect(line).to_have_count(0, timeout=10_000)
            page.locator('input[type="file"]').set_input_files(str(small))  # a file within the limit: no line
            expect(page.get_by_text("short.mp4")).to_be_visible(timeout=30_000)
            page.wait_for_timeout(1000)
            assert line.count() == 0
            browser.close()
    finally:
        app.stop()
