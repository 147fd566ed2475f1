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


def test_measures_read_as_words_never_none_nan_or_negative_rounding() -> None:
    from coach.labels import NOT_MEASURED, measure_text

    assert measure_text("spinal_flexion_deg", -4.6) == "0°"  # straighter than neutral: no fault, not "-5°"
    assert measure_text("knee_flexion_deg", -0.3) == "0°"  # never "-0"
    assert measure_text("knee_flexion_deg", 94.6) == "95°"
    assert measure_text("hold_s", 2.2) == "2s"
    assert measure_text("twist_deg", float("nan")) == NOT_MEASURED
    assert measure_text("twist_deg", None, unit=False) == NOT_MEASURED


def test_a_limb_height_reads_against_level_never_a_raw_lift_angle() -> None:
    from coach.labels import measure_text

    assert measure_heading("arm_elevation_deg") == "Arm height"  # no "(°)": the value says it
    assert measure_text("arm_elevation_deg", 5.2) == "level"  # was "Arm lift 5°" next to a chart at 104°
    assert measure_text("leg_elevation_deg", -23.4) == "23° below level"
    assert measure_text("peak_lift_deg", 104.0) == "14° above level"  # 90 on the lift scale is level
    assert measure_text("lift_left_deg", 60.0, unit=False) == "30° below level"
    assert measure_text("arm_elevation_deg", None) == "not measured"
    assert measure_text("knee_flexion_deg", 80.2, unit=False) == "80"  # other measures keep their number


def test_set_advice_never_tells_a_bodyweight_exercise_to_lighten_the_load() -> None:
    from coach.exercises import REGISTRY, Load
    from coach.labels import set_advice
    from coach.session import SetVerdict

    for exercise, spec in REGISTRY.items():
        below, above = set_advice(exercise, SetVerdict.BELOW), set_advice(exercise, SetVerdict.ABOVE)
        if spec.load is Load.BODYWEIGHT:
            assert not re.search(r"load|weight", below + above), (exercise, below, above)
        assert "load" not in below + above  # "weight", a word a person uses
        assert below.endswith(".") and above.endswith(".") and "  " not in below + above
    assert "lighter weight" in set_advice(coach.exercises.Exercise.DEADLIFT, SetVerdict.BELOW)
    assert "slow count" in set_advice(coach.exercises.Exercise.BIRD_DOG, SetVerdict.ABOVE)  # how, not a nag
    assert set_advice(coach.exercises.Exercise.SQUAT, SetVerdict.IN_RANGE) == "In the target range: well done."


@pytest.mark.parametrize(("exercise", "first"), [("squat", "Reps 3 of 8-12"), ("balance_test", "Holds timed: 3"),
                                                 ("single_leg_stand", "Holds timed: 3")])
def test_the_video_panel_counts_reps_or_holds_in_words(exercise: str, first: str) -> None:
    from coach.annotate import Annotator
    from coach.counter import Phase
    from coach.exercises.results import FrameResult
    from coach.types import Exercise

    result = FrameResult(1.0, Phase.REST, 3, 0.0, {"knee_flexion_deg": 80.0, "twist_deg": float("nan")})
    lines = Annotator(Exercise(exercise)).panel_lines(result)
    assert lines[0] == first  # a balance exercise never reads "Reps 0 of 8-12"
    assert lines[1:] == ["Knee bend: 80 deg"]  # words, no key, no nan


def test_a_date_reads_as_a_person_says_it() -> None:
    from coach.labels import day_words

    assert day_words("2026-11-30") == "30 November 2026"
    assert day_words("2026-01-05T10:00:00+00:00") == "5 January 2026"


def test_every_stance_and_hold_ending_has_words() -> None:
    from coach.labels import HOLD_END_WORDS, STANCE_SHORT_WORDS, STANCE_WORDS
    from coach.types import HoldEnd, Stance

    assert set(STANCE_WORDS) == set(STANCE_SHORT_WORDS) == set(Stance)
    assert set(HOLD_END_WORDS) == set(HoldEnd)
    assert all(len(w) <= 20 for w in STANCE_SHORT_WORDS.values())  # fits a phone's chart legend
