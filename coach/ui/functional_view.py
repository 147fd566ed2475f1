"""The balance and functional results on the page: the safety note, the test score against its norm, and the holds
(plain words from `coach.labels`)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from coach.exercises.functional_base import SAFETY_NOTE
from coach.labels import HOLD_END_WORDS, STANCE_WORDS, test_sentence
from coach.report import Report
from coach.types import HOLD_EXERCISES, STRENGTH_EXERCISES, Exercise, FunctionalSetup, Hold, HoldEnd, Side, Stance
from coach.ui.style import html_table

VIEW_HELP: dict[Exercise, str] = {
    Exercise.CHAIR_STAND: "Film from the side, with the chair and your whole body in view. Arms crossed on your "
                          "chest; stand up fully and sit down as many times as you can in 30 seconds.",
    Exercise.SIT_TO_STAND: "Film from the side, with the chair and your whole body in view.",
    Exercise.HEEL_DROP: "Film from the side with your feet in view. Rise onto your toes, then drop onto your heels.",
    Exercise.SINGLE_LEG_STAND: "Film from the front with your feet in view. Lift one foot and hold; put it down "
                               "when you need to.",
    Exercise.BALANCE_TEST: "Film from the front with your feet in view. Hold each stance for 10 seconds: feet side "
                           "by side, one foot half a step ahead, heel to toe, then on one leg.",
}
"""Which view each functional exercise needs, and how to do it."""


def is_functional(exercise: Exercise) -> bool:
    """Whether the exercise is one of the balance and functional ones."""
    return exercise not in STRENGTH_EXERCISES


SWAY_NOT_MEASURED = "not measured (height not given)"
"""The sway cell of a hold measured without the person's height (never "None")."""


def hold_cells(stance: Stance, leg: Side | None, duration_s: float, ended_by: HoldEnd,
               metrics: dict[str, Any]) -> list[str]:
    """A hold in words: the stance (and standing leg), time held (s), how it ended, sway (cm)."""
    sway = metrics.get("sway_range_cm")
    return [STANCE_WORDS[stance] + (f" (the {leg.value})" if leg else ""), f"{duration_s:.1f}",
            HOLD_END_WORDS[ended_by], f"{sway:.1f}" if sway is not None else SWAY_NOT_MEASURED]


HOLD_COLUMNS = ["Stance", "Held (s)", "How it ended", "Sway (cm)"]
"""The columns of `hold_cells`."""


def holds_frame(holds: tuple[Hold, ...]) -> pd.DataFrame:
    """One row per hold, in plain words (times in seconds, sway in cm)."""
    rows = [[str(h.index), f"{h.start_s:.1f}", *hold_cells(h.stance, h.leg, h.duration_s, h.ended_by, h.metrics)]
            for h in holds]
    return pd.DataFrame(rows, columns=["Hold", "From (s)", *HOLD_COLUMNS])


def show_setup_help(exercise: Exercise) -> None:
    """The one-line safety note and the view help, before a functional exercise."""
    if is_functional(exercise):
        st.warning(SAFETY_NOTE)
        st.caption(VIEW_HELP[exercise])


def show_results(report: Report) -> None:
    """The test result and the holds of a reviewed functional exercise."""
    analysis = report.session.analysis
    if analysis.test is not None:
        st.markdown(f"**{test_sentence(analysis.test)}**")
    if analysis.holds or report.exercise in HOLD_EXERCISES:
        st.subheader("Holds")
        if analysis.holds:
            frame = holds_frame(analysis.holds)
            st.markdown(html_table(list(frame.columns), frame.values.tolist(), test_id="holds-table"),
                        unsafe_allow_html=True)
        else:
            st.caption("No hold was seen. Check that your feet are in view.")


SEX_CHOICES = {"Not given": None, "Woman": "female", "Man": "male"}
"""The sex choice for the chair-stand norms, in words → the value the norms use."""


PERSON_KEY = "person"
"""Session key: the person as last given (`FunctionalSetup`), kept when the fields are not on the page."""
_FIELDS = {"person_age": "age", "person_sex": "sex", "person_height_cm": "height_cm"}
"""The fields' widget keys → `FunctionalSetup` attributes."""


def remembered_setup() -> FunctionalSetup:
    """The person as last given in this browser session (nothing given: every field None)."""
    kept = st.session_state.get(PERSON_KEY)
    return kept if isinstance(kept, FunctionalSetup) else FunctionalSetup()


def person_setup(exercise: Exercise) -> FunctionalSetup | None:
    """Age, sex and height for a functional exercise (kept for this browser session across pages); None for
    the strength exercises. Height gives sway in cm; age and sex compare the chair stand with its norm."""
    if not is_functional(exercise):
        return None
    kept = remembered_setup()
    sex_names = {v: k for k, v in SEX_CHOICES.items()}
    for key, attr in _FIELDS.items():  # a field not drawn on the last page lost its value: give it back
        if key not in st.session_state:
            value = getattr(kept, attr)
            st.session_state[key] = sex_names.get(value, "Not given") if attr == "sex" else \
                (int(value) if value else None)
    age_col, sex_col, height_col = st.columns(3)
    age = age_col.number_input("Your age (years)", min_value=1, max_value=110, step=1, placeholder="not given",
                               key="person_age", help="Compares your chair-stand score with others of your age.")
    sex = sex_col.selectbox("Sex (for the norms)", list(SEX_CHOICES), key="person_sex")
    height = height_col.number_input("Your height (cm)", min_value=50, max_value=230, step=1,
                                     placeholder="not given", key="person_height_cm",
                                     help="Turns sway into centimetres.")
    setup = FunctionalSetup(age=int(age) if age else None, sex=SEX_CHOICES[sex],
                            height_cm=float(height) if height else None)
    st.session_state[PERSON_KEY] = setup
    return setup
