"""Large type and high contrast for every page (older eyes, arm's length from the screen).

Body text is at least 18 px, buttons are at least 44 px high, big lines wrap (never cut) and shrink with the
screen, and the top padding is small so the live page fits one screen at 1280×800.
"""

from __future__ import annotations

import html
import itertools
import re

import streamlit as st

CSS = """
<style>
.block-container { padding-top: 2.2rem !important; padding-bottom: 2rem !important; }
.stMarkdown p, .stMarkdown li, .stRadio label p, .stSelectbox label p, .stNumberInput label p,
.stFileUploader label p, .stToggle label p, .stCheckbox label p, .stSlider label p,
.stAlert p, .stCaption p, [data-testid="stCaptionContainer"] p, .stExpander summary p,
[data-testid="stSidebarNav"] a span { font-size: 1.2rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #262626 !important; }
h1 { font-size: clamp(1.9rem, 6vw, 2.4rem) !important; padding-top: 0 !important; }
[data-testid="stSelectbox"] input, [data-testid="stNumberInput"] input, [role="listbox"] [role="option"] {
  font-size: 1.2rem !important; }  /* the chosen exercise and the typed age read as large as the rest */
[data-testid="stCaptionContainer"] { opacity: 1 !important; }  /* captions dark grey on white, not faded */
/* Streamlit's own small controls: heading links and chart toolbars ("Copy Vega-Lite spec") are of no use to a
   person and too small to hit; the chosen file's name, size and buttons are made as large as the rest */
[data-testid="stHeaderActionElements"], [data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stFileChip"] div, [data-testid="stFileUploaderDropzone"] button,
[data-testid="stFileUploaderDropzoneInstructions"] *,
[data-testid="stProgress"] p { font-size: 1.1rem !important; }
[data-testid="stFileChipDeleteBtn"] button, [data-testid="stFileUploaderDropzone"] button,
[data-testid="stNumberInput"] button, button[aria-label^="Help for"] { min-width: 44px; min-height: 44px; }
.stButton button, .stDownloadButton button { font-size: 1.25rem; min-height: 3rem; padding: 0.5rem 1.2rem;
                                             font-weight: 700; white-space: normal; }
.stButton button p, .stDownloadButton button p { font-size: 1.25rem !important; white-space: normal; }
.stRadio label, .stCheckbox label { min-height: 44px; align-items: center; }
.coach-big, .coach-mid, .coach-warn, .coach-ok, .coach-help { overflow-wrap: break-word; }
.coach-big, [data-testid="stAlert"] { scroll-margin-top: 4.5rem; }  /* brought into view below the top bar */
.coach-big { font-size: clamp(2.2rem, 9vw, 3.6rem); font-weight: 800; line-height: 1.1; color: #000; }
.coach-mid { font-size: clamp(1.3rem, 4.5vw, 1.6rem); font-weight: 700; color: #000; }
.coach-small { font-size: 1.2rem; color: #262626; }
.coach-warn-line { font-size: 1.2rem; font-weight: 700; color: #a00000; margin: 0.2rem 0 0.6rem; }
.coach-warn { font-size: clamp(1.4rem, 5vw, 1.8rem); font-weight: 800; color: #fff; background: #a00000;
              padding: 0.5rem 1rem; border-radius: 0.4rem; margin: 0.3rem 0; }
.coach-ok { font-size: clamp(1.3rem, 4.5vw, 1.6rem); font-weight: 700; color: #fff; background: #145a32;
            padding: 0.5rem 1rem; border-radius: 0.4rem; margin: 0.3rem 0; }
.coach-help { font-size: clamp(1.3rem, 4.5vw, 1.6rem); font-weight: 700; color: #000; background: #ffe066;
              padding: 0.5rem 1rem; border-radius: 0.4rem; margin: 0.3rem 0; }
@media (max-width: 640px) {  /* phone: the count and the cue above the picture */
  [data-testid="stHorizontalBlock"]:has([data-testid="live-count"]) { flex-direction: column-reverse; }
}
.coach-table-box { container-type: inline-size; container-name: coach-table; }
table.coach-table { border-collapse: collapse; width: 100%; font-size: 1.15rem; }
table.coach-table th, table.coach-table td { border: 1px solid #8a8a8a; padding: 0.35rem 0.5rem;
                                             text-align: left; vertical-align: top; color: #000; }
table.coach-table th { background: #e8e8e8; }
/* words wrap between words, never inside one ("Re / p", "Cou / nted"); a short value stays on one line */
table.coach-table td, table.coach-table th { overflow-wrap: break-word; word-break: normal; hyphens: manual; }
table.coach-table td.coach-short { white-space: nowrap; }
table.coach-table td.coach-flag { color: #8b0000; font-weight: 700; }
@container coach-table (max-width: 899px) {  /* too narrow for the columns in 18-px type (1280 px with the
  sidebar, a phone, a zoomed window): each row is a card of "heading: value" pairs, as many side by side as fit,
  the words column on a line of its own; nothing off screen, no word cut */
  table.coach-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.coach-table, table.coach-table tbody { display: block; }
  table.coach-table tr { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
                         grid-auto-flow: dense; border: 2px solid #8a8a8a; margin-bottom: 0.6rem; }
  table.coach-table td { display: block; border: none; border-bottom: 1px solid #d0d0d0; white-space: normal; }
  table.coach-table td.coach-wide { grid-column: 1 / -1; }
  table.coach-table td::before { content: attr(data-label) ": "; font-weight: 700; color: #000; }
}
</style>
"""


def apply_style() -> None:
    """Inject the page style (call once per run, before other elements)."""
    st.markdown(CSS, unsafe_allow_html=True)


def big(text: str, kind: str = "big", test_id: str | None = None) -> None:
    """A large line of text; kind is big, mid, small, warn, ok or help. `test_id` becomes a data-testid."""
    st.markdown(big_html(text, kind, test_id), unsafe_allow_html=True)


def big_html(text: str, kind: str = "big", test_id: str | None = None) -> str:
    """The HTML of `big` (several lines can go in one markdown call, so they update together)."""
    attr = f' data-testid="{html.escape(test_id)}"' if test_id else ""
    role = ' role="alert"' if kind == "warn" else ""
    return f'<div class="coach-{kind}"{attr}{role}>{html.escape(text)}</div>'


SHORT_CELL = 12
"""A table cell of at most this many characters ("1.8–3.3", "2026-11-30", "not recorded") never wraps."""


def html_table(columns: list[str], rows: list[list[str]], flag_column: str | None = None,
               test_id: str | None = None) -> str:
    """A plain HTML table whose text wraps (readable on a phone, unlike a canvas grid); cells are escaped.
    Cells of `flag_column` that are not "Good" are shown in dark red bold (the words carry the meaning too).
    Where the columns do not fit (a phone, a zoomed window), each row becomes a card."""
    attr = f' data-testid="{html.escape(test_id)}"' if test_id else ""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for c, v in zip(columns, row, strict=True):
            if c == flag_column:
                kind = "coach-wide coach-flag" if v != "Good" else "coach-wide"
            else:
                kind = "coach-short" if len(v) <= SHORT_CELL else ""
            cls = f' class="{kind}"' if kind else ""
            cells.append(f'<td data-label="{html.escape(c)}"{cls}>{html.escape(v)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="coach-table-box"><table class="coach-table"{attr}><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!~$#|])")
"""The characters that start Markdown (or Streamlit) markup: links and images need '[', emphasis '*' or '_'."""


def plain(text: str) -> str:
    """Text (a file name, an error) shown as itself in Markdown: every Markdown sign backslash-escaped, so a
    name like "![x](https:evil.example)" neither links nor loads anything."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_SCROLLS = itertools.count(1)
"""Numbers each scroll script: the page draws a changed script again (an unchanged one is not run twice)."""


def scroll_into_view(selector: str, where: str = "center") -> None:
    """Bring the page's first element matching the CSS `selector` to the middle (`where` "center") or the top
    ("start") of the screen (a result or an error below the fold is where the eye is then). A line of script in
    the page, no frame; it waits up to 3 s for the element to be drawn, and runs on every call (each is new)."""
    import json

    target = json.dumps(selector).replace("<", "\\u003c")
    block = json.dumps(where)
    st.html(f"""<script>
/* scroll {next(_SCROLLS)} */
(function() {{
  let tries = 0;
  const go = () => {{
    const el = document.querySelector({target});
    if (el) {{  // again as the page settles (pictures and charts below still change its height)
      for (const ms of [0, 500, 1200, 2500]) setTimeout(() => el.scrollIntoView({{block: {block}}}), ms);
      return;
    }}
    if (++tries < 30) setTimeout(go, 100);
  }};
  setTimeout(go, 100);
}})();
</script>""", unsafe_allow_javascript=True)


TOO_BIG_TESTID = "upload-too-big"
"""The line the review page shows under the upload box when the browser refused a file for its size."""


def explain_refused_upload(message: str) -> None:
    """Streamlit's upload box refuses a file over server.maxUploadSize in the browser, before any code here sees
    it, with only an error sign on the file (its words, "File must be 200.0MB or smaller.", in a tooltip). A
    line of script in the page watches for that refusal and shows `message` under the box, as plain text, for
    as long as the refused file is listed."""
    import json

    text = json.dumps(message).replace("<", "\\u003c")
    testid = json.dumps(TOO_BIG_TESTID)
    st.html(f"""<script>
(function() {{
  const doc = window.document;
  const refused = (box) => Array.from(box.querySelectorAll('[role="alert"]'))
    .some((el) => /File must be .* or smaller/.test(el.textContent || ""));
  const update = () => {{
    for (const box of doc.querySelectorAll('[data-testid="stFileUploader"]')) {{
      const note = box.parentElement && box.parentElement.querySelector('[data-testid=' + {testid} + ']');
      if (refused(box) && !note) {{
        const line = doc.createElement("div");
        line.setAttribute("data-testid", {testid});
        line.setAttribute("role", "alert");
        line.className = "coach-warn-line";
        line.textContent = {text};
        box.insertAdjacentElement("afterend", line);
      }} else if (!refused(box) && note) {{
        note.remove();
      }}
    }}
  }};
  if (window.__coachRefusedUpload) window.__coachRefusedUpload.disconnect();
  window.__coachRefusedUpload = new MutationObserver(update);
  window.__coachRefusedUpload.observe(doc.body, {{childList: true, subtree: true, characterData: true}});
  update();
}})();
</script>""", unsafe_allow_javascript=True)
