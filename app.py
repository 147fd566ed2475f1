"""Bone-safe exercise coach: `streamlit run app.py` (pages live in coach/ui/)."""

from __future__ import annotations

import streamlit as st

from coach.ui import history_page, live_page, review_page
from coach.ui.guard import guarded
from coach.ui.style import apply_style

st.set_page_config(page_title="Bone-safe coach", page_icon="🦴", layout="wide")
apply_style()
review_page.sweep_once()
# The first page is served at "/" (its own url_path is ignored there); the hidden twin gives it the stable
# address /live too, so a bookmark or a link to /live never reads "Page not found".
page = st.navigation([
    st.Page(guarded(live_page.render), title="Exercise with the camera", url_path="camera", default=True),
    st.Page(guarded(live_page.render), title="Exercise with the camera", url_path="live", visibility="hidden"),
    st.Page(guarded(review_page.render), title="Review a video", url_path="review"),
    st.Page(guarded(history_page.render), title="My history", url_path="history"),
])
page.run()
