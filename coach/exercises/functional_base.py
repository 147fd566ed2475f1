"""What the functional analyzers share: the person's standing heights (their own calibration), the px → cm
scale from their height, the view they were filmed from, the safety note and the analysis result."""

from __future__ import annotations

import math
from collections import Counter
from typing import ClassVar

from coach.calibration import Neutral
from coach.counter import Phase
from coach.exercises.base import AnalysisResult, FrameResult, RollingMedian
from coach.features import BodyFeatures
from coach.thresholds import DEFAULT_HEIGHT_CM, CounterThresholds, Thresholds
from coach.types import Exercise, FunctionalSetup, FunctionalTest, Hold, Notice, NoticeKind, Rep, View

NO_BAND = CounterThresholds(start_deg=0.0, depth_deg=0.0, return_deg=0.0)
"""The functional exercises are not counted on a depth band (the spec's `counter`; charts show none)."""
SAFETY_NOTE = "Stand next to a sturdy chair or a kitchen counter you can hold if you feel unsteady."
"""The one-line safety note every balance and functional exercise opens with."""
STEADY_S = 0.3
"""Heights are medians over this many seconds before they count as held (standing reference), s."""
NOSE_SHARE = 0.93
"""The nose sits at about this share of a person's standing height (anthropometric tables)."""


class StandingHeights:
    """The person's own standing heights above the ankles, px: the tallest held (median over STEADY_S) hip,
    shoulder and nose-to-floor heights seen so far, or those given by a calibration."""

    def __init__(self) -> None:
        self._hip, self._shoulder, self._stature = RollingMedian(STEADY_S), RollingMedian(STEADY_S), RollingMedian(
            STEADY_S)
        self.hip_px = self.shoulder_px = self.stature_px = math.nan

    def learn(self, f: BodyFeatures) -> None:
        """Take a frame's heights (px) into the running tallest held heights."""
        limbs = f.limbs
        for name, med, value in (("hip_px", self._hip, limbs.hip_height_px),
                                 ("shoulder_px", self._shoulder, limbs.shoulder_height_px),
                                 ("stature_px", self._stature, limbs.stature_px)):
            if math.isfinite(value) and value > 0:
                held = med.push(f.timestamp_s, value)
                if math.isfinite(held) and not held <= getattr(self, name):
                    setattr(self, name, held)

    @property
    def known(self) -> bool:
        """Whether standing heights have been seen."""
        return math.isfinite(self.hip_px) and math.isfinite(self.shoulder_px)

    def hip_ratio(self, f: BodyFeatures) -> float:
        """The frame's hip height as a share of the standing one (NaN when unknown)."""
        return f.limbs.hip_height_px / self.hip_px if self.known else math.nan

    def shoulder_ratio(self, f: BodyFeatures) -> float:
        """The frame's shoulder height as a share of the standing one (NaN when unknown)."""
        return f.limbs.shoulder_height_px / self.shoulder_px if self.known else math.nan


class FunctionalAnalyzer:
    """Shared loop of the functional analyzers; subclasses define `step` and `conclude`."""

    exercise: ClassVar[Exercise]
    uses_back_bulge: ClassVar[bool] = False
    best_view: ClassVar[View] = View.SIDE
    """The view the exercise needs (the notice names it when filmed otherwise)."""
    sagittal: ClassVar[bool] = False
    """Stands, heel drops and stances are all read from the front too: the live page never waits for a turn
    side-on (a chair stand filmed from the front would otherwise never get its "Go")."""

    def __init__(self, thresholds: Thresholds | None = None, neutral: Neutral | None = None,
                 setup: FunctionalSetup | None = None) -> None:
        self.th = thresholds or Thresholds()
        self.neutral = neutral or Neutral()
        self.setup = setup or FunctionalSetup()
        self.height_cm = self.setup.height_cm or DEFAULT_HEIGHT_CM
        self.standing = StandingHeights()
        self._reps: list[Rep] = []
        self.holds: list[Hold] = []
        self._views: Counter[View] = Counter()
        self._seen = False
        self.paused = False
        """Live: counting stopped because the person looked unsteady (a large sudden sway)."""

    def cm_per_px(self) -> float:
        """Centimetres per image pixel at the person, from their height and standing nose height (NaN unknown)."""
        s = self.standing.stature_px
        return NOSE_SHARE * self.height_cm / s if math.isfinite(s) and s > 0 else math.nan

    def update(self, features: BodyFeatures) -> FrameResult:
        """Consume one frame's features (in time order)."""
        f = features
        if f.detected:
            self._seen = True
            self._views[f.view] += 1
            self.standing.learn(f)
        return self.step(f)

    def step(self, f: BodyFeatures) -> FrameResult:
        """The exercise's own reading of a frame."""
        raise NotImplementedError

    def result(self, f: BodyFeatures, phase: Phase, count: int, signal: float, angles: dict[str, float],
               rep: Rep | None = None) -> FrameResult:
        """A frame result (calibrated once the standing heights are known)."""
        return FrameResult(timestamp_s=f.timestamp_s, phase=phase, count=count, signal_deg=signal, angles=angles,
                           rep=rep, calibrated=self.standing.known)

    def view(self) -> View:
        """The camera view seen most often."""
        known = {v: n for v, n in self._views.items() if v is not View.UNKNOWN}
        return max(known, key=lambda v: known[v]) if known else View.UNKNOWN

    def conclude(self) -> FunctionalTest | None:
        """Close the analysis: end what is under way and score the test (None when the exercise has none)."""
        return None

    def notices(self, view: View) -> list[Notice]:
        """The safety note, and what the view cannot show."""
        out = [Notice(NoticeKind.SAFETY, SAFETY_NOTE)]
        if self._seen and view not in (self.best_view, View.UNKNOWN, View.OBLIQUE):
            where = "the front" if self.best_view is View.FRONT else "the side"
            out.append(Notice(NoticeKind.VIEW_LIMITS, f"Filmed from the {view.value}: film from {where} for this "
                                                      "exercise, so the coach can see what it checks."))
        return out

    def reps(self) -> tuple[Rep, ...]:
        """The stands or impacts counted so far."""
        return tuple(self._reps)

    def finish(self) -> AnalysisResult:
        """Close the analysis: reps, holds, the test result, view and notices."""
        test = self.conclude()
        view = self.view()
        return AnalysisResult(exercise=self.exercise, reps=tuple(self._reps), view=view,
                              notices=tuple(self.notices(view)), neutral=self.neutral, holds=tuple(self.holds),
                              test=test)
