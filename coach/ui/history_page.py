"""History page (placeholder until built)."""

from __future__ import annotations

import streamlit as st


def render() -> None:
    """The history page."""
    st.title("My history")
