"""Large type and high contrast for every page (older eyes, arm's length from the screen)."""

from __future__ import annotations

import re

import streamlit as st

CSS = """
<style>
.stMarkdown p, .stRadio label p, .stSelectbox label p,
.stFileUploader label p, .stToggle label p { font-size: 1.25rem; }
h1 { font-size: 2.6rem !important; }
.stButton button, .stDownloadButton button { font-size: 1.3rem; padding: 0.6rem 1.4rem; font-weight: 700; }
.coach-big { white-space: nowrap; font-size: 3.2rem; font-weight: 800; line-height: 1.1; color: #000; }
.coach-mid { font-size: 1.8rem; font-weight: 700; color: #000; }
.coach-warn { font-size: 1.8rem; font-weight: 800; color: #fff; background: #a00000; padding: 0.6rem 1rem;
              border-radius: 0.4rem; }
.coach-ok { font-size: 1.6rem; font-weight: 700; color: #fff; background: #145a32; padding: 0.5rem 1rem;
            border-radius: 0.4rem; }
.coach-help { font-size: 1.6rem; font-weight: 700; color: #000; background: #ffe066; padding: 0.5rem 1rem;
              border-radius: 0.4rem; }
</style>
"""


def apply_style() -> None:
    """Inject the page style (call once per run, before other elements)."""
    st.markdown(CSS, unsafe_allow_html=True)


def big(text: str, kind: str = "big", test_id: str | None = None) -> None:
    """A large line of text; kind is big, mid, warn, ok or help. `test_id` becomes a data-testid."""
    import html

    attr = f' data-testid="{html.escape(test_id)}"' if test_id else ""
    st.markdown(f'<div class="coach-{kind}"{attr}>{html.escape(text)}</div>', unsafe_allow_html=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!~$#|])")
"""The characters that start Markdown (or Streamlit) markup: links and images need '[', emphasis '*' or '_'."""


def plain(text: str) -> str:
    """Text (a file name, an error) shown as itself in Markdown: every Markdown sign backslash-escaped, so a
    name like "![x](https:evil.example)" neither links nor loads anything."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
