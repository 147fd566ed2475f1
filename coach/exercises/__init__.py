"""Exercise analyzers: one class per exercise behind the `Analyzer` protocol."""

from __future__ import annotations

from coach.calibration import Neutral
from coach.exercises.back_extension import BackExtensionAnalyzer
from coach.exercises.base import AnalysisResult, Analyzer, BaseAnalyzer, FrameResult
from coach.exercises.bird_dog import BirdDogAnalyzer
from coach.exercises.deadlift import DeadliftAnalyzer
from coach.exercises.squat import SquatAnalyzer
from coach.functional.base import FunctionalAnalyzer
from coach.functional.chair_stand import ChairStandAnalyzer, SitToStandAnalyzer
from coach.functional.heel_drop import HeelDropAnalyzer
from coach.functional.stances import BalanceTestAnalyzer, SingleLegStandAnalyzer
from coach.thresholds import Thresholds
from coach.types import Exercise, FunctionalSetup

ANALYZERS: dict[Exercise, type[BaseAnalyzer] | type[FunctionalAnalyzer]] = {
    Exercise.SQUAT: SquatAnalyzer,
    Exercise.DEADLIFT: DeadliftAnalyzer,
    Exercise.BACK_EXTENSION: BackExtensionAnalyzer,
    Exercise.BIRD_DOG: BirdDogAnalyzer,
    Exercise.CHAIR_STAND: ChairStandAnalyzer,
    Exercise.SIT_TO_STAND: SitToStandAnalyzer,
    Exercise.HEEL_DROP: HeelDropAnalyzer,
    Exercise.SINGLE_LEG_STAND: SingleLegStandAnalyzer,
    Exercise.BALANCE_TEST: BalanceTestAnalyzer,
}


class NotAnalyzedYet(LookupError):
    """The exercise has no analyzer."""


def analyzer_for(exercise: Exercise | str, thresholds: Thresholds | None = None,
                 neutral: Neutral | None = None, setup: FunctionalSetup | None = None) -> Analyzer:
    """A fresh analyzer for an exercise (raises NotAnalyzedYet for an unknown one); `setup` reaches the
    functional tests."""
    try:
        cls = ANALYZERS[Exercise(exercise)]
    except (ValueError, KeyError):
        raise NotAnalyzedYet(f"'{exercise}' is not an exercise the coach analyzes") from None
    if issubclass(cls, FunctionalAnalyzer):
        return cls(thresholds, neutral, setup)
    return cls(thresholds, neutral)


__all__ = ["ANALYZERS", "AnalysisResult", "Analyzer", "FrameResult", "NotAnalyzedYet", "analyzer_for"]
