"""Live page (placeholder until built)."""

from __future__ import annotations

import streamlit as st


def render() -> None:
    """The live page."""
    st.title("Exercise with the camera")
