"""Per-browser-session settings: defaults that need no setup, kept in st.session_state."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from enum import StrEnum

import streamlit as st

from coach.exercises import REGISTRY, Group, in_group
from coach.history import History, HistoryError, HistoryUnavailable
from coach.labels import exercise_title
from coach.thresholds import OSTEOPOROSIS_TARGET, SUPERVISED_5X5_TARGET, SetTarget, Strictness, Thresholds, preset
from coach.types import Exercise

SETTINGS_KEY = "coach_settings"
HISTORY_KEY = "coach_history"
DEFAULT_MAX_UPLOAD_MB = 200.0


def parse_upload_cap(text: str | None) -> float:
    """$COACH_MAX_UPLOAD_MB as a positive number of MB; the default when unset or not a positive number."""
    try:
        value = float(text) if text else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        return DEFAULT_MAX_UPLOAD_MB
    return value if 0 < value < float("inf") else DEFAULT_MAX_UPLOAD_MB


MAX_UPLOAD_MB = parse_upload_cap(os.environ.get("COACH_MAX_UPLOAD_MB"))
"""Largest upload the review page accepts, MB ($COACH_MAX_UPLOAD_MB; .streamlit/config.toml caps it too)."""


def max_upload_mb() -> float:
    """The cap in force: $COACH_MAX_UPLOAD_MB, but never above Streamlit's own server.maxUploadSize."""
    try:
        server = float(st.get_option("server.maxUploadSize"))
    except Exception:  # option missing in a bare test run
        return MAX_UPLOAD_MB
    return min(MAX_UPLOAD_MB, server) if server > 0 else MAX_UPLOAD_MB


def mb_text(mb: float) -> str:
    """E.g. "200 MB", "0.5 MB"."""
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.2g} MB"


DEFAULT_EXERCISE = next(iter(REGISTRY))
"""The exercise chosen until the user picks one (the registry's first)."""


class TargetChoice(StrEnum):
    """The set targets offered."""

    STANDARD = "8–12 reps × 2–3 sets"
    SUPERVISED = "5 reps × 5 sets (supervised)"


class CameraSide(StrEnum):
    """Which side of the body faces the camera."""

    AUTO = "either (detect)"
    LEFT = "left side"
    RIGHT = "right side"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the user may change; the defaults need no setup."""

    exercise: Exercise = DEFAULT_EXERCISE
    strictness: Strictness = Strictness.STANDARD
    target_choice: TargetChoice = TargetChoice.STANDARD
    rest_s: float = 90.0
    voice: bool = True
    side: CameraSide = CameraSide.AUTO

    @property
    def target(self) -> SetTarget:
        """The set target (reps × sets) with the chosen rest between sets."""
        base = SUPERVISED_5X5_TARGET if self.target_choice is TargetChoice.SUPERVISED else OSTEOPOROSIS_TARGET
        return replace(base, rest_s=float(self.rest_s))

    @property
    def thresholds(self) -> Thresholds:
        """The thresholds for the chosen strictness."""
        return preset(self.strictness)

    def target_text(self) -> str:
        """E.g. "8–12"."""
        return self.target.reps_text()


def get_settings() -> Settings:
    """This browser session's settings (created with defaults on first use)."""
    if SETTINGS_KEY not in st.session_state:
        st.session_state[SETTINGS_KEY] = Settings()
    value: Settings = st.session_state[SETTINGS_KEY]
    return value


def set_settings(settings: Settings) -> None:
    """Replace this browser session's settings."""
    st.session_state[SETTINGS_KEY] = settings


def exercise_picker(label: str = "Exercise", key: str = "exercise_pick") -> Exercise:
    """A one-line exercise choice (a drop-down, so the live page keeps its height for the picture and the
    count) that updates the session's settings."""
    s = get_settings()
    options = [e for g in Group for e in in_group(g)]  # the exercises, then the balance and fitness tests
    choice = st.selectbox(label, options, index=options.index(s.exercise), format_func=exercise_title, key=key)
    ex = Exercise(choice)
    if ex is not s.exercise:
        set_settings(replace(s, exercise=ex))
    return ex


def settings_panel() -> Settings:
    """The settings widgets (in the sidebar); returns the current settings."""
    s = get_settings()
    voice = st.sidebar.toggle("Spoken cues", value=s.voice, key="set_voice",
                              help="Rep numbers and warnings are spoken by this device (no internet needed).")
    with st.sidebar.expander("Settings", expanded=False):
        strictness = st.radio("How early to warn", list(Strictness), index=list(Strictness).index(s.strictness),
                              format_func=lambda x: {"gentle": "Gentle (warn least)", "standard": "Standard",
                                                     "strict": "Strict (warn earliest)"}[x.value],
                              key="set_strictness")
        target = st.radio("Set target", list(TargetChoice), index=list(TargetChoice).index(s.target_choice),
                          key="set_target")
        rest = st.slider("Rest between sets (seconds)", 30, 240, int(s.rest_s), step=15, key="set_rest")
        side = st.radio("Side facing the camera", list(CameraSide), index=list(CameraSide).index(s.side),
                        key="set_side")
    # A radio with an index always has a choice; None (no choice) keeps the current one.
    new = Settings(s.exercise, Strictness(strictness or s.strictness), TargetChoice(target or s.target_choice),
                   float(rest), bool(voice), CameraSide(side or s.side))
    if new != s:
        set_settings(new)
    return new


def get_history() -> History | None:
    """The history database (path from $COACH_DB or the user's data folder); None if unusable."""
    if st.session_state.get(HISTORY_KEY) is None and st.session_state.get(HISTORY_KEY + "_retry", True):
        path = os.environ.get("COACH_DB") or None
        try:
            st.session_state[HISTORY_KEY] = History(path)
            st.session_state.pop(HISTORY_KEY + "_error", None)
        except (HistoryError, OSError) as exc:  # a passing problem (full disk, read-only folder) is tried again
            st.session_state[HISTORY_KEY] = None
            st.session_state[HISTORY_KEY + "_error"] = str(exc)
            st.session_state[HISTORY_KEY + "_retry"] = isinstance(exc, HistoryUnavailable | OSError)
    hist: History | None = st.session_state[HISTORY_KEY]
    return hist


def history_problem() -> str | None:
    """Why the history could not be opened, or a note that a damaged file was set aside."""
    hist = get_history()
    if hist is None:
        return "History is switched off: " + str(st.session_state.get(HISTORY_KEY + "_error", ""))
    if hist.set_aside is not None:
        return (f"The history file was damaged. It was kept as '{hist.set_aside}' and a new history was "
                "started.")
    return None
