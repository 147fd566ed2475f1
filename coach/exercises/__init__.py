"""The exercises: one module per exercise (its analyzer and its `ExerciseSpec`) and the REGISTRY every other
place reads. Adding an exercise: a module with its analyzer and SPEC, one line here, and its `Exercise` value
(docs/adding-an-exercise.md)."""

from __future__ import annotations

from coach.calibration import Neutral
from coach.exercises import back_extension, bird_dog, deadlift, squat
from coach.exercises.base import AnalysisResult, Analyzer, FrameResult
from coach.exercises.spec import ExerciseSpec, Posture, SynthTiming
from coach.thresholds import Thresholds
from coach.types import Exercise

REGISTRY: dict[Exercise, ExerciseSpec] = {
    s.exercise: s for s in (squat.SPEC, deadlift.SPEC, back_extension.SPEC, bird_dog.SPEC)
}
"""Every exercise's spec, in the order the exercise picker shows them."""


class NotAnalyzedYet(LookupError):
    """The exercise has no analyzer."""


def spec_of(exercise: Exercise | str) -> ExerciseSpec:
    """The spec of an exercise (raises NotAnalyzedYet for an unknown one)."""
    try:
        return REGISTRY[Exercise(exercise)]
    except (ValueError, KeyError):
        raise NotAnalyzedYet(f"'{exercise}' is not an exercise the coach analyzes") from None


def analyzer_for(exercise: Exercise | str, thresholds: Thresholds | None = None,
                 neutral: Neutral | None = None) -> Analyzer:
    """A fresh analyzer for an exercise (raises NotAnalyzedYet for an unknown one)."""
    return spec_of(exercise).analyzer(thresholds, neutral)


__all__ = ["REGISTRY", "AnalysisResult", "Analyzer", "ExerciseSpec", "FrameResult", "NotAnalyzedYet", "Posture",
           "SynthTiming", "analyzer_for", "spec_of"]
