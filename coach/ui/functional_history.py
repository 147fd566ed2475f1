"""The balance and fitness tests in the history: each result and hold in words, with the person as given then,
the chair-stand score and the hold times charted over the weeks against their norm or target, heel drops per
day against the daily target, and the same rows as a CSV for the physiotherapist."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from coach.exercises.chair_stand import chair_stand_norm
from coach.history import History, week_start
from coach.labels import STANCE_SHORT_WORDS, STANCE_WORDS, TEST_WORDS, UNIT_WORDS, VERDICT_WORDS, exercise_title
from coach.thresholds import BALANCE_STAGE_S, HEEL_DROP_DAILY_TARGET, SINGLE_LEG_TARGET_S
from coach.types import Exercise, HoldEnd, Side, Stance, Verdict
from coach.ui.charts import over_time_chart
from coach.ui.functional_view import HOLD_COLUMNS, SEX_CHOICES, hold_cells, person_setup
from coach.ui.style import html_table

NOT_GIVEN = "not given"
"""A person's field that was not filled in (never "None")."""
PERSON_COLUMNS = ("Age", "Sex", "Height (cm)")
HOLD_TARGET_S: dict[Exercise, float] = {Exercise.SINGLE_LEG_STAND: SINGLE_LEG_TARGET_S,
                                        Exercise.BALANCE_TEST: BALANCE_STAGE_S}
"""The hold time each hold exercise works toward (s): the dashed line of its chart."""
HEEL_DROP_TEST = "heel_drops"
"""The per-video heel-drop count (`FunctionalTest.name`): the history adds them up per day instead."""


def person_cells(person: dict[str, Any]) -> list[str]:
    """Age, sex and height as given then, in words ("not given" for a field left empty)."""
    sex = {v: k.lower() for k, v in SEX_CHOICES.items() if v is not None}.get(person.get("sex") or "")
    age, height = person.get("age"), person.get("height_cm")
    return [str(age) if age else NOT_GIVEN, sex or NOT_GIVEN, f"{height:g}" if height else NOT_GIVEN]


def tests_frame(hist: History) -> pd.DataFrame:
    """One row per test result (chair stand, balance test) and per day of heel drops, oldest first, in words."""
    rows = [[r["started_at"][:10], TEST_WORDS.get(r["name"], r["name"]),
             f"{r['score']:g} {UNIT_WORDS.get(r['unit'], r['unit'])}", VERDICT_WORDS[Verdict(r["verdict"])],
             *person_cells(r["person"])]
            for r in hist.test_results() if r["name"] != HEEL_DROP_TEST]
    for day, n, person in heel_drop_days(hist):
        verdict = Verdict.TARGET_REACHED if n >= HEEL_DROP_DAILY_TARGET else Verdict.BELOW_TARGET
        rows.append([day, "Heel drops that day", f"{n} of {HEEL_DROP_DAILY_TARGET} impacts", VERDICT_WORDS[verdict],
                     *person_cells(person)])
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame(rows, columns=["Date", "Test", "Result", "What it means", *PERSON_COLUMNS])


def heel_drop_days(hist: History) -> list[tuple[str, int, dict[str, Any]]]:
    """(date, impacts counted that day, the person as given last that day) for each day with heel drops, live
    or reviewed, oldest first."""
    days: dict[str, tuple[int, dict[str, Any]]] = {}
    for s in sorted(hist.sessions(), key=lambda s: s.started_at):
        if s.exercise == Exercise.HEEL_DROP.value and s.reps:
            day = s.started_at[:10]
            days[day] = (days.get(day, (0, {}))[0] + s.reps, s.person)
    return [(day, n, person) for day, (n, person) in days.items()]


def stance_words(stance: str, leg: str | None) -> str:
    """"Standing on one leg (the left)", "Feet side by side"."""
    return STANCE_WORDS[Stance(stance)] + (f" (the {leg})" if leg else "")


def holds_history_frame(hist: History) -> pd.DataFrame:
    """One row per stored hold, oldest first, in words: when, which exercise, stance and leg, time held, how it
    ended, sway (cm, when the height was given) and the person as given then."""
    rows = [[h["started_at"][:10], exercise_title(h["exercise"]),
             *hold_cells(Stance(h["stance"]), Side(h["leg"]) if h["leg"] else None, h["duration_s"],
                         HoldEnd(h["ended_by"]), h["metrics"]), *person_cells(h["person"])]
            for h in hist.hold_results()]
    return pd.DataFrame(rows, columns=["Date", "Exercise", *HOLD_COLUMNS, *PERSON_COLUMNS])


def hold_weeks(hist: History, exercise: Exercise) -> pd.DataFrame:
    """The longest hold of each stance (and leg) per week for one hold exercise, oldest first."""
    best: dict[tuple[str, str], float] = {}
    for h in hist.hold_results():
        if h["exercise"] == exercise.value:
            short = STANCE_SHORT_WORDS[Stance(h["stance"])] + (f" ({h['leg']})" if h["leg"] else "")
            key = (week_start(h["started_at"]), short)  # a legend line that fits a phone
            best[key] = max(best.get(key, 0.0), round(h["duration_s"], 1))
    rows = [{"Week of": w, "Stance": s, "Longest hold (s)": v} for (w, s), v in sorted(best.items())]
    return pd.DataFrame(rows, columns=["Week of", "Stance", "Longest hold (s)"])


def chair_stand_history(hist: History) -> pd.DataFrame:
    """Chair-stand scores over time with the norm each was compared with (below average under it)."""
    rows = [{"Date": r["started_at"][:10], "Stands in 30 s": r["score"],
             "Below average under": r["norm"].get("below_average_under")}
            for r in hist.test_results("chair_stand")]
    return pd.DataFrame(rows, columns=["Date", "Stands in 30 s", "Below average under"])


def results_csv(hist: History) -> str:
    """Every test result and every hold, one row each, headings in words (a spreadsheet for the
    physiotherapist); a column a row does not have is left empty."""
    tests = tests_frame(hist).assign(Kind="Test result")
    holds = holds_history_frame(hist).assign(Kind="Hold")
    frames = [f for f in (tests, holds) if len(f)]
    if not frames:
        return ""
    both = pd.concat(frames, ignore_index=True).sort_values("Date", kind="stable").fillna("")
    first = ["Date", "Kind", "Test", "Exercise", "Result", "What it means", "Stance", "Held (s)", "How it ended"]
    order = [c for c in first if c in both.columns] + [c for c in both.columns if c not in first]
    return str(both[order].to_csv(index=False))


def show_test_history(hist: History) -> None:
    """The balance and fitness tests: the person's fields (for the norm line), the chair-stand score and the
    hold times over the weeks, then every result and hold in a table."""
    tests, holds = tests_frame(hist), holds_history_frame(hist)
    if tests.empty and holds.empty:
        return
    st.subheader("Balance and fitness tests")
    setup = person_setup(Exercise.CHAIR_STAND)
    chair = chair_stand_history(hist)
    if len(chair):
        st.markdown("**30-second chair stand over time**")
        norm = chair_stand_norm(setup.age, setup.sex) if setup is not None else None
        given = chair["Below average under"].dropna()
        below = norm[1] if norm is not None else given.iloc[-1] if len(given) else None
        st.altair_chart(over_time_chart(chair, "Date", "Stands in 30 s", line_at=below,
                                        line_label="below average under this"), width="stretch")
        if norm is not None:
            st.caption(f"The dashed line is the norm for {norm[0]}-year-olds: a score under it is below average "
                       "(CDC STEADI).")
        elif below is not None:
            st.caption("The dashed line is the norm your last test was compared with: a score under it is below "
                       "average (CDC STEADI).")
        else:
            st.caption("Give your age and sex above to see the norm for your age (CDC STEADI).")
    for exercise, target in HOLD_TARGET_S.items():
        weeks = hold_weeks(hist, exercise)
        if len(weeks):
            st.markdown(f"**{exercise_title(exercise)}: longest hold each week**")
            st.altair_chart(over_time_chart(weeks, "Week of", "Longest hold (s)", "Stance", line_at=target,
                                            line_label=f"target: {target:g} s"), width="stretch")
    if len(tests):
        st.markdown("**Test results**")
        st.markdown(html_table(list(tests.columns), tests.values.tolist(), test_id="tests-table"),
                    unsafe_allow_html=True)
    if len(holds):
        st.markdown("**Every hold**")
        st.markdown(html_table(list(holds.columns), holds.values.tolist(), test_id="holds-table"),
                    unsafe_allow_html=True)
