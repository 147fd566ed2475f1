"""One exercise session: features → analyzer → sets, plus what the notices need.

`SessionAnalyzer` is fed pose frames one at a time, by the file review and by the live page alike,
and produces a `SessionResult`. It keeps only running statistics and a compact angle series, so
memory does not grow with the length of the video beyond a few floats a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from coach.calibration import Neutral
from coach.cuts import CutDetector
from coach.estimator import (
    FULL_CAPABILITIES,
    Capability,
    EstimatorCapabilities,
    missing_capability_notices,
)
from coach.exercises import AnalysisResult, FrameResult, analyzer_for, spec_of
from coach.features import BodyFeatures, extract
from coach.plausibility import PlausibilityCheck
from coach.thresholds import OSTEOPOROSIS_TARGET, SET_BREAK_S, SetTarget, Thresholds
from coach.types import HOLD_EXERCISES, Exercise, FunctionalSetup, Notice, NoticeKind, PoseFrame, Rep, SetVerdict

LEFT_FRAME_S = 5.0
"""Nobody in view for this long ends the set, seconds."""
MAX_CUTS_LISTED = 5
"""The scene-cut notice names the times of at most this many cuts."""


SEVERAL_PEOPLE_TEXT = "More than one person is in view: the coach follows the most prominent one."
"""The several-people notice of a review, and the live page's line while someone else is in the picture."""

@dataclass(frozen=True, slots=True)
class SetSummary:
    """One set: its span (s), complete reps and the verdict against the target."""

    index: int
    start_s: float
    end_s: float
    reps: int
    target_min: int
    target_max: int
    verdict: SetVerdict


def ends_set(gap_s: float) -> bool:
    """Whether `gap_s` seconds without a rep end a set (the one rule, live and in a review)."""
    return gap_s >= SET_BREAK_S


def group_sets(reps: tuple[Rep, ...], target: SetTarget, breaks_s: tuple[float, ...] = ()) -> list[SetSummary]:
    """Group complete reps into sets: a set ends after a pause that `ends_set`, or at a break (s)."""
    done = [r for r in reps if r.complete]
    groups: list[list[Rep]] = []
    for rep in done:
        if groups:
            prev = groups[-1][-1]
            gap = rep.start_s - prev.end_s
            broke = any(prev.end_s <= b <= rep.start_s for b in breaks_s)
            if not ends_set(gap) and not broke:
                groups[-1].append(rep)
                continue
        groups.append([rep])
    out = []
    for i, g in enumerate(groups, start=1):
        n = len(g)
        verdict = (SetVerdict.BELOW if n < target.reps_min
                   else SetVerdict.ABOVE if n > target.reps_max else SetVerdict.IN_RANGE)
        out.append(SetSummary(i, g[0].start_s, g[-1].end_s, n, target.reps_min, target.reps_max, verdict))
    return out


def body_size_px(f: BodyFeatures) -> float:
    """The person's extent on screen, px: the longer side of the landmark box (a lying body is wide, not tall)."""
    x0, y0, x1, y1 = f.bbox
    return max(x1 - x0, y1 - y0)


@dataclass(slots=True)
class FrameStats:
    """Running counts for the notices (no per-frame storage)."""

    total: int = 0
    with_person: int = 0
    several_people: int = 0
    too_small: int = 0
    partial_body: int = 0
    dark: int = 0
    brightness_sum: float = 0.0
    brightness_n: int = 0


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """A compact per-frame sample for charts: time (s), depth signal and display angles (deg)."""

    time_s: float
    signal_deg: float
    angles: dict[str, float]
    count: int


@dataclass(frozen=True, slots=True)
class SessionResult:
    """The outcome of one session."""

    analysis: AnalysisResult
    sets: tuple[SetSummary, ...]
    notices: tuple[Notice, ...]
    frames_total: int
    frames_with_person: int
    series: tuple[SeriesPoint, ...] = field(default_factory=tuple)


class SessionAnalyzer:
    """Feeds pose frames through features and the exercise analyzer, and tracks sets and notices."""

    def __init__(self, exercise: Exercise | str, thresholds: Thresholds | None = None,
                 target: SetTarget = OSTEOPOROSIS_TARGET, neutral: Neutral | None = None,
                 keep_series: bool = True, setup: FunctionalSetup | None = None) -> None:
        self.exercise = Exercise(exercise)
        self.th = thresholds or Thresholds()
        self.target = target
        self.analyzer = analyzer_for(self.exercise, self.th, neutral, setup)
        self.stats = FrameStats()
        self.keep_series = keep_series
        self._series: list[SeriesPoint] = []
        self._breaks: list[float] = []
        self._absent_since: float | None = None
        self._last_seen_s = math.nan
        self.last_features: BodyFeatures | None = None
        self.last_result: FrameResult | None = None
        band = spec_of(self.exercise).band(self.th)
        self._cuts = CutDetector(self.th.scene_cut_decorrelation)
        self._cut_times: list[float] = []
        self.capabilities = FULL_CAPABILITIES
        self._plausible = PlausibilityCheck(self.exercise, band.depth_deg - band.return_deg)

    def push(self, pose: PoseFrame) -> tuple[BodyFeatures, FrameResult]:
        """Analyze one frame."""
        f = extract(pose, with_silhouette=self.analyzer.uses_back_bulge)
        if self._cuts.push(pose.thumbnail):
            f = replace(f, scene_cut=True)
            self._cut_times.append(f.timestamp_s)
        self._observe(pose, f)
        result = self.analyzer.update(f)
        self._plausible.push(f, result.signal_deg)
        if self.keep_series:
            self._series.append(SeriesPoint(f.timestamp_s, result.signal_deg, dict(result.angles), result.count))
        self.last_features, self.last_result = f, result
        return f, result

    def reps(self) -> tuple[Rep, ...]:
        """The analyzer's reps so far, with the warnings found on them up to now."""
        return self.analyzer.reps()

    def declare_capabilities(self, capabilities: EstimatorCapabilities) -> None:
        """What the estimator feeding this session returns (a needed one it lacks becomes a notice)."""
        self.capabilities = capabilities

    @property
    def needed_capabilities(self) -> tuple[Capability, ...]:
        """What the exercise's checks need from the estimator besides image landmarks."""
        return (Capability.SEGMENTATION_MASK,) if self.analyzer.uses_back_bulge else ()

    @property
    def posture_fits(self) -> bool:
        """Whether the body's posture so far fits the exercise (`PlausibilityCheck.posture_fits`)."""
        return self._plausible.posture_fits()

    def _observe(self, pose: PoseFrame, f: BodyFeatures) -> None:
        s = self.stats
        s.total += 1
        if not math.isnan(pose.brightness):
            s.brightness_sum += pose.brightness
            s.brightness_n += 1
            if pose.brightness < self.th.min_brightness:
                s.dark += 1
        if not f.detected:
            if self._absent_since is None:
                self._absent_since = f.timestamp_s
            elif f.timestamp_s - self._absent_since >= LEFT_FRAME_S and (
                not self._breaks or self._breaks[-1] < self._absent_since
            ):
                self._breaks.append(self._absent_since)
            return
        self._absent_since = None
        self._last_seen_s = f.timestamp_s
        s.with_person += 1
        if pose.people > 1:
            s.several_people += 1
        if body_size_px(f) < self.th.min_person_size_px:
            s.too_small += 1
        if not (f.upper_body_visible and f.lower_body_visible):
            s.partial_body += 1

    def finish(self) -> SessionResult:
        """Close the session."""
        analysis = self.analyzer.finish()
        sets = tuple(group_sets(analysis.reps, self.target, tuple(self._breaks)))
        notices = [*missing_capability_notices(self.needed_capabilities, self.capabilities), *analysis.notices,
                   *self._notices(analysis)]
        return SessionResult(analysis, sets, tuple(notices), self.stats.total, self.stats.with_person,
                             tuple(self._series))

    def _notices(self, analysis: AnalysisResult) -> list[Notice]:
        s = self.stats
        out: list[Notice] = []
        if s.total and s.with_person == 0:
            dark = s.brightness_n and s.brightness_sum / s.brightness_n < self.th.min_brightness
            why = " The video is very dark: add light." if dark else ""
            out.append(Notice(NoticeKind.NO_PERSON, "No person was found in this video." + why))
            if dark:
                out.append(Notice(NoticeKind.TOO_DARK, "The video is very dark, so nobody could be tracked. "
                                                       "Add light in front of you."))
            return out
        if s.brightness_n and s.dark / s.brightness_n > 0.5:
            out.append(Notice(NoticeKind.TOO_DARK, "The video is very dark, which makes tracking less reliable. "
                                                   "Add light in front of you."))
        partial: list[str] = []  # one partial_body notice, with every reason
        if s.with_person and s.with_person < self.th.min_detection_share * s.total:
            share = 100.0 * s.with_person / s.total
            partial.append(f"You were tracked in only {share:.0f}% of the video; reps may be missed.")
        if s.several_people > 0.2 * max(s.with_person, 1):
            out.append(Notice(NoticeKind.SEVERAL_PEOPLE, SEVERAL_PEOPLE_TEXT))
        if s.too_small > 0.5 * max(s.with_person, 1):
            out.append(Notice(NoticeKind.PERSON_TOO_SMALL, "You look small in the picture: step closer, or film "
                                                           "from nearer, so that angles can be judged."))
        if s.partial_body > 0.5 * max(s.with_person, 1):
            partial.append("Part of your body is out of the picture: step back until your head and feet are both "
                           "visible.")
        if partial:
            out.append(Notice(NoticeKind.PARTIAL_BODY, " ".join(partial)))
        if self._cut_times:
            at = ", ".join(f"{t:.1f}" for t in self._cut_times[:MAX_CUTS_LISTED])
            more = " …" if len(self._cut_times) > MAX_CUTS_LISTED else ""
            out.append(Notice(NoticeKind.SCENE_CUTS,
                              f"The video cuts to another shot (at {at} s{more}). Counting carried on across each "
                              "cut; your rest position was learned again after it, so check the reps around the "
                              "cuts by eye."))
        wrong = self._plausible.notice(sum(r.complete for r in analysis.reps))
        if wrong is not None:
            out.append(wrong)
        elif s.with_person and not any(r.complete for r in analysis.reps) and self.exercise not in HOLD_EXERCISES:
            out.append(Notice(NoticeKind.NO_REPS, f"No complete {self.exercise.value.replace('_', ' ')} rep was "
                                                  "seen. Check the chosen exercise and that your whole body "
                                                  "is in view."))
        return out
