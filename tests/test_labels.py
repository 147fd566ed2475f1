"""Every key an analyzer shows, and every warning and notice kind, has plain words in `coach.labels`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import coach.exercises
from coach.labels import MEASURE_WORDS, NOTICE_WORDS, WARNING_WORDS, measure_heading, measure_words
from coach.types import NoticeKind, WarningKind
from tests.analyzers.sequences import duration, feats, frames_of, front_frame, hinge_pose, rep_profile, squat_pose

ANALYZERS = Path(coach.exercises.__file__).parent
KEY = re.compile(r'"([a-z_]+_(?:deg|s))"')


def shown_keys() -> set[str]:
    """Every measure key written in an analyzer module (display angles and rep metrics)."""
    return {k for p in ANALYZERS.glob("*.py") for k in KEY.findall(p.read_text())}


def test_every_key_an_analyzer_writes_has_words() -> None:
    keys = shown_keys()
    assert {"knee_flexion_deg", "trunk_inclination_deg", "lift_left_deg", "hold_s"} <= keys
    assert sorted(keys - MEASURE_WORDS.keys()) == []


@pytest.mark.parametrize(("exercise", "pose"), [("squat", squat_pose), ("deadlift", hinge_pose)])
def test_keys_seen_in_a_run_have_words(exercise: str, pose: object) -> None:
    from coach.exercises import analyzer_for

    analyzer = analyzer_for(exercise)
    seen: set[str] = set()
    for f in feats(frames_of(rep_profile(2), duration(2), pose, make=front_frame)):  # type: ignore[arg-type]
        result = analyzer.update(f)
        seen |= set(result.angles)
    for rep in analyzer.finish().reps:
        seen |= set(rep.metrics)
    assert seen
    assert sorted(seen - MEASURE_WORDS.keys()) == []


def test_every_warning_and_notice_kind_has_words() -> None:
    assert sorted(set(WarningKind) - WARNING_WORDS.keys()) == []
    assert sorted(set(NoticeKind) - NOTICE_WORDS.keys()) == []


def test_headings_carry_units_and_never_the_key() -> None:
    assert measure_heading("knee_flexion_deg") == "Knee bend (°)"
    assert measure_heading("hold_s") == "Time held (s)"
    assert measure_words("some_new_deg") == "Measure"
