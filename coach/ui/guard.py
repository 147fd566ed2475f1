"""A page that fails shows the person one plain line, never a traceback (a traceback names the server's files
and folders, and means nothing to them); the traceback goes to the server's log.

Streamlit's own stop and rerun signals are not errors (they derive from BaseException) and pass through.
`.streamlit/config.toml` sets `client.showErrorDetails = "none"` for anything that fails outside a page.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

log = logging.getLogger(__name__)

PAGE_FAILED = ("Something went wrong on this page. It is a fault in the coach, not in anything you did, and "
               "nothing was removed: reload the page to try again.")
"""What the person sees when a page fails."""


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """`render`, showing PAGE_FAILED (and logging the traceback) instead of raising."""

    @functools.wraps(render)
    def run() -> None:
        try:
            render()
        except Exception:  # a bug or an unforeseen failure: one plain line on the page
            log.exception("the %s page failed", getattr(render, "__module__", "?"))
            st.error(PAGE_FAILED)

    return run
