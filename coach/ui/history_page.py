"""History: past sessions, progress per exercise over weeks, sessions per week, delete, export."""

from __future__ import annotations

import sqlite3
from typing import Any

import pandas as pd
import streamlit as st

from coach.history import History
from coach.history_export import export_csv, export_json
from coach.labels import day_words, exercise_title
from coach.ui import functional_history
from coach.ui import settings as prefs
from coach.ui.charts import over_time_chart, weekly_chart
from coach.ui.style import html_table

NO_LOAD = "not recorded"
"""The load cell of a session without a recorded weight (never "None")."""
GUIDE_MIN, GUIDE_MAX = 2, 3
"""Guidance: strength sessions two to three times a week."""


def render() -> None:
    """The history page."""
    prefs.settings_panel()
    st.title("My history")
    problem = prefs.history_problem()
    if problem:
        st.warning(problem)
    hist = prefs.get_history()
    if hist is None:
        return
    try:
        _show(hist)
    except sqlite3.DatabaseError as exc:  # damaged while the page was open: one plain line, never a traceback
        st.error(f"Your history could not be read just now ({exc}). Nothing was removed: reload the page to try "
                 "again.")
    if hist.skipped_rows:
        n = len(hist.skipped_rows)
        st.warning(f"{n} damaged rep record{'s' if n != 1 else ''} could not be read and {'are' if n != 1 else 'is'} "
                   "left out above and in the downloads; everything else is shown.")


def _show(hist: History) -> None:
    """Sessions, weekly progress and downloads of an open history."""
    st.caption("Kept on this computer only. Sets and reviews within a few hours of each other count as one "
               "session; sample videos are not saved.")
    sessions = hist.sessions()
    if not sessions:
        st.info("No sessions yet. Exercise with the camera, or review a video, and your sessions appear here.")
        return

    per_week = hist.sessions_per_week()
    if per_week:
        this = per_week[-1]
        st.subheader("Sessions per week")
        n = this["sessions"]
        verdict = ("on target" if GUIDE_MIN <= n <= GUIDE_MAX else
                   "fewer than the 2–3 advised" if n < GUIDE_MIN else "more than the 2–3 advised: allow rest days")
        st.markdown(f"<div class='coach-mid' data-testid='history-week'>Week of {day_words(this['week'])}: {n} "
                    f"session{'s' if n != 1 else ''}, {verdict}.</div>", unsafe_allow_html=True)
        st.altair_chart(weekly_chart(per_week, GUIDE_MIN, GUIDE_MAX), width="stretch")
        st.caption("Green band: the 2–3 sessions a week the guidance asks for.")

    st.subheader("Sessions")
    st.markdown(html_table(["When", "Exercise", "Reps", "Sets", "Warnings", "Load (kg)", "How"], [[
        s.started_at.replace("T", " ")[:16], exercise_title(s.exercise), str(s.reps), str(s.sets), str(s.warnings),
        NO_LOAD if s.load_kg is None else f"{s.load_kg:g}",
        "with the camera" if s.source == "live" else f"video: {s.title}",
    ] for s in sessions], test_id="history-table"), unsafe_allow_html=True)

    st.subheader("Progress by week")
    progress = hist.weekly_progress()
    if progress:
        show_progress_charts(progress)
        holds = any(w["holds"] for w in progress)  # a column for the holds only when there are some
        st.markdown(html_table(
            ["Week of", "Exercise", "Sessions", "Sets", "Reps", *(["Holds"] if holds else []), "Warnings",
             "Warnings per rep", "Top load (kg)"],
            [[str(w["week"]), exercise_title(w["exercise"]), str(w["sessions"]), str(w["sets"]), str(w["reps"]),
              *([str(w["holds"])] if holds else []), str(w["warnings"]), f"{w['warnings_per_rep']:g}",
              NO_LOAD if w["load_kg"] is None else f"{w['load_kg']:g}"] for w in progress],
            test_id="progress-table"), unsafe_allow_html=True)

    functional_history.show_test_history(hist)

    labels = {s.id: f"{s.started_at.replace('T', ' ')[:16]} · {exercise_title(s.exercise)} · {s.reps} reps"
              for s in sessions}
    with st.expander("Record the load, or delete a session"):
        sid = st.selectbox("Session", list(labels), format_func=lambda i: labels[i], key="history_pick")
        current = next(s for s in sessions if s.id == sid)
        load = st.number_input("Load lifted (kg, 0 for none)", min_value=0.0, max_value=500.0, step=0.5,
                               value=float(current.load_kg or 0.0), key=f"history_load_{sid}")
        if st.button("Save load", key="history_save_load"):
            hist.set_load(sid, load or None)
            st.rerun()
        sure = st.checkbox("Yes, delete this session for good", key=f"history_sure_{sid}")
        if st.button("Delete session", disabled=not sure, key="history_delete"):
            hist.delete_session(sid)
            st.success("Deleted.")
            st.rerun()

    st.subheader("Export everything")
    c1, c2 = st.columns(2)
    c1.download_button("Download all (JSON)", export_json(hist), "coach-history.json", "application/json",
                       key="history_json", help="Every session with its reps, holds, test results and the age, "
                       "sex and height given.")
    c2.download_button("Download all reps (CSV)", export_csv(hist), "coach-history.csv", "text/csv",
                       key="history_csv")
    results = functional_history.results_csv(hist)
    if results:
        c1.download_button("Download test results and holds (CSV)", results, "coach-tests-and-holds.csv",
                           "text/csv", key="history_results_csv",
                           help="For your physiotherapist: every test result and hold, in words.")


def progress_frame(progress: list[dict[str, Any]]) -> pd.DataFrame:
    """Reps and warnings per rep per exercise and week (the strength and counted exercises), for the charts."""
    rows = [{"Week of": w["week"], "Exercise": exercise_title(w["exercise"]), "Reps": w["reps"],
             "Warnings per rep": w["warnings_per_rep"]} for w in progress if w["reps"]]
    return pd.DataFrame(rows, columns=["Week of", "Exercise", "Reps", "Warnings per rep"])


def show_progress_charts(progress: list[dict[str, Any]]) -> None:
    """Reps per week and warnings per rep per week, one line per exercise (the table below has the numbers)."""
    frame = progress_frame(progress)
    if frame.empty:
        return
    left, right = st.columns(2)
    left.altair_chart(over_time_chart(frame, "Week of", "Reps", "Exercise"), width="stretch")
    right.altair_chart(over_time_chart(frame, "Week of", "Warnings per rep", "Exercise", whole=False), width="stretch")
    st.caption("Left: reps each week. Right: warnings per rep (fewer is better). One line per exercise.")
