"""What an analyzer answers: per frame (`FrameResult`) and at the end (`AnalysisResult`), and the `Analyzer`
protocol the session, the live coach and the tests drive (the rep engine and the hold engine both keep it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from coach.calibration import Neutral
from coach.counter import Phase
from coach.features import BodyFeatures
from coach.types import Exercise, FunctionalTest, Hold, Notice, Rep, View


@dataclass(frozen=True, slots=True)
class FrameResult:
    """The analyzer's answer for one frame."""

    timestamp_s: float
    phase: Phase
    count: int
    signal_deg: float
    angles: Mapping[str, float] = field(default_factory=dict)
    rep: Rep | None = None
    calibrated: bool = False


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Everything one analyzer concluded about a video or a live session."""

    exercise: Exercise
    reps: tuple[Rep, ...]
    view: View
    notices: tuple[Notice, ...]
    neutral: Neutral
    holds: tuple[Hold, ...] = ()
    """Timed holds with their stance, leg and ending (single-leg stand, balance test); empty otherwise."""
    test: FunctionalTest | None = None
    """A functional test's score against its norm (chair stand, balance test, heel drops)."""


class Analyzer(Protocol):
    """What the pipeline, the live page and the tests need of an exercise analyzer."""

    exercise: ClassVar[Exercise]
    uses_back_bulge: ClassVar[bool]
    """Whether the analyzer reads `BodyFeatures.back_bulge` (else the session skips the silhouette)."""
    sagittal: ClassVar[bool]
    """Whether its checks need a side view (the live page then asks a person filmed from the front to turn)."""

    def update(self, features: BodyFeatures) -> FrameResult:
        """Consume one frame's features (in time order)."""
        ...

    def finish(self) -> AnalysisResult:
        """Close the analysis and return reps, view and notices."""
        ...

    def reps(self) -> tuple[Rep, ...]:
        """The reps so far, with the warnings found on them up to now (a check may add one after the rep has
        closed, as the deadlift's look at the lockout does)."""
        ...
