"""The exercises: one module per exercise (its analyzer and its `ExerciseSpec`) and the REGISTRY every other
place reads. Adding an exercise: a module with its analyzer and SPEC, one line here, and its `Exercise` value
(docs/adding-an-exercise.md)."""

from __future__ import annotations

from coach.calibration import Neutral
from coach.exercises import back_extension, bird_dog, chair_stand, deadlift, heel_drop, squat, stances
from coach.exercises.base import AnalysisResult, Analyzer, FrameResult
from coach.exercises.functional_base import FunctionalAnalyzer
from coach.exercises.spec import ExerciseSpec, Group, Load, Posture, SynthTiming
from coach.thresholds import Thresholds
from coach.types import Exercise, FunctionalSetup

REGISTRY: dict[Exercise, ExerciseSpec] = {
    s.exercise: s for s in (squat.SPEC, deadlift.SPEC, back_extension.SPEC, bird_dog.SPEC, chair_stand.SPEC,
                            chair_stand.SIT_TO_STAND_SPEC, heel_drop.SPEC, stances.SINGLE_LEG_SPEC,
                            stances.BALANCE_TEST_SPEC)
}
"""Every exercise's spec, in the order the exercise picker shows them; `in_group` gives each of its groups."""


def in_group(group: Group) -> list[Exercise]:
    """The exercises of one picker group, in the registry's order."""
    return [e for e, s in REGISTRY.items() if s.group is group]


class NotAnalyzedYet(LookupError):
    """The exercise has no analyzer."""


def spec_of(exercise: Exercise | str) -> ExerciseSpec:
    """The spec of an exercise (raises NotAnalyzedYet for an unknown one)."""
    try:
        return REGISTRY[Exercise(exercise)]
    except (ValueError, KeyError):
        raise NotAnalyzedYet(f"'{exercise}' is not an exercise the coach analyzes") from None


def analyzer_for(exercise: Exercise | str, thresholds: Thresholds | None = None,
                 neutral: Neutral | None = None, setup: FunctionalSetup | None = None) -> Analyzer:
    """A fresh analyzer for an exercise (raises NotAnalyzedYet for an unknown one); `setup` reaches the
    balance and functional tests (age, sex, height, "Go", a hold's target)."""
    cls = spec_of(exercise).analyzer
    if issubclass(cls, FunctionalAnalyzer):
        return cls(thresholds, neutral, setup)
    return cls(thresholds, neutral)


__all__ = ["REGISTRY", "AnalysisResult", "Analyzer", "ExerciseSpec", "FrameResult", "Group", "Load", "NotAnalyzedYet",
           "Posture", "SynthTiming", "analyzer_for", "in_group", "spec_of"]
