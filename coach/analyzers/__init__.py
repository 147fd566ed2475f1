"""Exercise analyzers: one class per exercise behind the `Analyzer` protocol."""

from __future__ import annotations

from coach.analyzers.base import AnalysisResult, Analyzer, BaseAnalyzer, FrameResult
from coach.calibration import Neutral
from coach.thresholds import Thresholds
from coach.types import Exercise


class NotAnalyzedYet(LookupError):
    """The exercise has no analyzer yet."""


def analyzer_for(exercise: Exercise | str, thresholds: Thresholds | None = None,
                 neutral: Neutral | None = None) -> Analyzer:
    """A fresh analyzer for an exercise."""
    from coach.analyzers.squat import SquatAnalyzer

    classes: dict[Exercise, type[BaseAnalyzer]] = {Exercise.SQUAT: SquatAnalyzer}
    try:
        from coach.analyzers.deadlift import DeadliftAnalyzer

        classes[Exercise.DEADLIFT] = DeadliftAnalyzer
    except ImportError:
        pass
    try:
        from coach.analyzers.back_extension import BackExtensionAnalyzer

        classes[Exercise.BACK_EXTENSION] = BackExtensionAnalyzer
    except ImportError:
        pass
    try:
        from coach.analyzers.bird_dog import BirdDogAnalyzer

        classes[Exercise.BIRD_DOG] = BirdDogAnalyzer
    except ImportError:
        pass
    ex = Exercise(exercise)
    if ex not in classes:
        raise NotAnalyzedYet(f"the {ex.value.replace('_', ' ')} is not analyzed yet")
    return classes[ex](thresholds, neutral)


__all__ = ["AnalysisResult", "Analyzer", "FrameResult", "NotAnalyzedYet", "analyzer_for"]
