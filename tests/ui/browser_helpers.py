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


# --- what a person sees: words, boxes, type size, targets, axe-core ------------------------------------
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
"""A variable name such as trunk_inclination_deg."""
FILE_NAME = re.compile(r"\S+\.(?:mp4|mov|csv|json|pdf|y4m)\b")

# Elements whose text is cut by their own box (scrollWidth beyond clientWidth with overflow hidden or clip),
# or that stick out of the window to the right. Streamlit's own file chip shortens long names on purpose.
OVERFLOW_JS = """() => {
  const out = [];
  const W = window.innerWidth;
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.closest('[data-testid="stFileUploader"]') || el.closest('iframe')) continue;  // Streamlit's own
    const head = el.closest('thead');  // a phone's table headings are visually hidden (each cell names itself)
    if (head && getComputedStyle(head).position === 'absolute') continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(el);
    const cut = (cs.overflowX === 'hidden' || cs.overflowX === 'clip' || cs.textOverflow === 'ellipsis')
                && el.scrollWidth > el.clientWidth + 1;
    if (cut || r.right > W + 1) out.push(el.textContent.trim().slice(0, 60));
  }
  return out;
}"""


# Words drawn across two lines ("Re / p", "Cou / nted", "1.8– / 3.3"): a word's range has boxes on two lines.
# Words over 20 characters (a file name) may wrap where they must.
BROKEN_WORDS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid="stMain"]'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent.closest('iframe, [data-testid="stFileUploader"], script, style, code')) continue;  // code: for a helper
    if (parent.closest('details:not([open])') && !parent.closest('summary')) continue;  // a closed expander's inside
    const re = /\\S+/g;
    for (let m = re.exec(node.textContent); m; m = re.exec(node.textContent)) {
      if (m[0].length > 20) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""

MIN_TEXT_PX = 18.0
"""Body text at least 18 px (the charts' words too)."""
SMALL_TYPE_JS = """(min) => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.closest('iframe, thead')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())
                || (el.tagName === 'INPUT' && el.type !== 'file' && el.value);
    const r = el.getBoundingClientRect();
    if (!own || r.width === 0 || r.height === 0) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < min - 0.05) out.push(px.toFixed(1) + 'px ' + (el.value || el.textContent).trim().slice(0, 40));
  }
  return out;
}"""
"""Words drawn smaller than `min` px on the page (inputs' values too)."""
MIN_TARGET_PX = 44.0
"""Buttons, choices and fields at least 44 × 44 px (WCAG 2.5.5 at the size older hands need)."""
SMALL_TARGETS_JS = """(min) => {
  const out = [];
  const sel = 'button, a[href], summary, [role="combobox"], input[type="number"], input[type="text"], ' +
              'label:has(input[type="radio"]), label:has(input[type="checkbox"])';
  for (const el of document.querySelectorAll('[data-testid="stMain"] :is(' + sel + ')')) {
    if (el.closest('iframe') || el.closest('[data-testid="stSelectbox"] [role="group"]') && el.tagName === 'BUTTON')
      continue;  // a drop-down's arrow is part of its field, which is the target
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;  // not shown
    if (r.width < min - 0.5 || r.height < min - 0.5)
      out.push(Math.round(r.width) + 'x' + Math.round(r.height) + ' ' + el.tagName + ' ' +
               (el.getAttribute('aria-label') || el.textContent).trim().slice(0, 40));
  }
  return out;
}"""
"""Targets smaller than `min` px on either side."""


def visible_text(page: Any) -> str:
    """The main area's text, file names removed (a person's own file name may have underscores), and the
    names of icon-font glyphs (drawn as an arrow, never read as text) too."""
    text = FILE_NAME.sub("", page.locator('[data-testid="stMain"]').inner_text())
    for icon in set(page.locator('[data-testid="stIconMaterial"]').all_inner_texts()):
        text = text.replace(icon, "")
    return text


def assert_readable(page: Any) -> None:
    """No variable name, no "None", no text cut by its box or sticking out of the window, no word split over two
    lines, no text under 18 px, no target under 44 × 44 px."""
    text = visible_text(page)
    assert not SNAKE.findall(text), SNAKE.findall(text)
    assert not re.search(r"\bNone\b|\bnan\b", text), text
    cut = page.evaluate(OVERFLOW_JS)
    assert cut == [], cut
    broken = page.evaluate(BROKEN_WORDS_JS)
    assert broken == [], broken  # every word whole, never split over two lines
    small = page.evaluate(SMALL_TYPE_JS, MIN_TEXT_PX)
    assert small == [], small  # body text at least 18 px
    tiny = page.evaluate(SMALL_TARGETS_JS, MIN_TARGET_PX)
    assert tiny == [], tiny  # every target at least 44 × 44 px


def assert_accessible(page: Any) -> None:
    """axe-core (bundled with axe-playwright-python, no network): no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
           if v["impact"] in ("serious", "critical")]
    assert bad == []


def assert_table_fits(page: Any, selector: str) -> None:
    """Every cell of the table is drawn inside the window's width (on a phone the rows become cards)."""
    width = page.viewport_size["width"]
    for box in page.locator(f"{selector} td").evaluate_all("els => els.map(e => e.getBoundingClientRect().right)"):
        assert box <= width + 1


def in_viewport(page: Any, selector: str) -> bool:
    """The first element matching `selector` lies wholly inside the window."""
    box = page.locator(selector).first.bounding_box()
    vp = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= vp["width"] + 1
            and box["y"] + box["height"] <= vp["height"] + 1)
