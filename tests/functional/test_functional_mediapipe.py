"""The real pose model on rendered functional clips: the chair-stand score, heel-drop count and hold times against
the generator's exact truth, through the same review as `coach review` (15 analysed frames a second)."""

from __future__ import annotations

import pytest

from coach.pipeline import review
from coach.synth import SynthSpec, generate
from coach.types import Exercise, FunctionalSetup, View

pytestmark = pytest.mark.slow

HOLD_TOLERANCE_S = 0.3


def _review(tmp_path, spec: SynthSpec, setup: FunctionalSetup | None = None):
    path = tmp_path / f"{spec.exercise.value}_{spec.view.value}.mp4"
    truth = generate(spec, path)
    return truth, review(path, spec.exercise, setup=setup)


@pytest.mark.parametrize("view", [View.SIDE, View.FRONT])
def test_chair_stand_score_from_rendered_clip(tmp_path, view):
    truth, report = _review(tmp_path, SynthSpec(Exercise.CHAIR_STAND, view=view, fps=15.0))
    assert report.session.analysis.test.score == truth.test["score"] == 14
    assert len(report.reps) == 15 and not report.reps[-1].complete


@pytest.mark.parametrize("view", [View.SIDE, View.FRONT])
def test_heel_drops_counted_exactly_from_rendered_clip(tmp_path, view):
    truth, report = _review(tmp_path, SynthSpec(Exercise.HEEL_DROP, reps=8, view=view, fps=15.0))
    assert len(report.reps) == len(truth.reps) == 8


@pytest.mark.parametrize("exercise", [Exercise.SINGLE_LEG_STAND, Exercise.BALANCE_TEST])
def test_holds_timed_from_rendered_clip(tmp_path, exercise):
    spec = SynthSpec(exercise, view=View.FRONT, fps=15.0)
    truth, report = _review(tmp_path, spec, FunctionalSetup(height_cm=170.0))
    holds = report.session.analysis.holds
    assert len(holds) == len(truth.holds)
    for got, true in zip(holds, truth.holds, strict=True):
        assert got.stance.value == true["stance"] and got.ended_by.value == true["ended_by"]
        assert abs(got.start_s - true["start_s"]) <= HOLD_TOLERANCE_S
        assert abs(got.end_s - true["end_s"]) <= HOLD_TOLERANCE_S
