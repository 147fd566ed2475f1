"""The rep engine: today's rep loop, shared by every exercise counted in repetitions (`RepEngine`).

A timed hold is not a rep: exercises that hold a position build on `coach.exercises.hold_engine` instead.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from coach.calibration import Neutral
from coach.counter import EventKind, Phase, RepCounter, RepEvent
from coach.exercises.results import AnalysisResult, FrameResult
from coach.features import BodyFeatures
from coach.thresholds import CounterThresholds, Thresholds
from coach.types import Exercise, FormWarning, Notice, NoticeKind, Rep, Side, View

CALIBRATION_S = 0.8
"""Seconds of still ready posture used to capture the neutral."""
PRE_ROLL_S = 0.6
"""Frames kept before a rep starts, seconds (the start of the movement precedes the threshold)."""
SIGNAL_MEMORY = 4000
SIGNAL_MEMORY_S = 120.0
"""Per-frame depth signals are remembered for the last SIGNAL_MEMORY_S seconds once over SIGNAL_MEMORY frames."""
CUT_RISE_S = 0.05
"""The visible frames in the last this-many seconds of a clip (at least the last one) must all be back above
the depth line for a rep cut by the clip's end to count (see RepEngine._rose_past_depth), seconds."""


class RepEngine:
    """The rep loop every rep-counted exercise shares: warm-up, the one `RepCounter` state machine on the
    exercise's depth signal, the frames of each rep, the calibrated neutral, reps cut by the clip's end,
    the camera view and the view notices. An exercise defines the hooks under "what subclasses define"
    (its signal, visibility, per-rep `evaluate`); the shared spine checks are in `BaseAnalyzer`."""

    exercise: ClassVar[Exercise]
    count_from_depth: ClassVar[bool] = False
    sagittal: ClassVar[bool] = True
    """True when the main angles need a side view."""
    lift_ends_at_depth: ClassVar[bool] = False
    """True when the working (lifting) phase ends at depth, as a back-extension lift ends at the top: a rep whose
    lift was seen from rest counts once it held depth, even if the recording stops before the return."""
    warmup_s: ClassVar[float] = 0.0
    """Seconds of frames held back at the start to learn references before judging (see `update`)."""

    def __init__(self, thresholds: Thresholds | None = None, neutral: Neutral | None = None) -> None:
        self.th = thresholds or Thresholds()
        self.counter = RepCounter(self.counter_thresholds(), count_from_depth=self.count_from_depth)
        self.neutral = neutral or Neutral()
        self._fixed_neutral = neutral is not None and neutral.measured
        self._rest: list[BodyFeatures] = []
        self._pre: deque[BodyFeatures] = deque()
        self._rep_frames: list[BodyFeatures] = []
        self._reps: list[Rep] = []
        self._views: Counter[View] = Counter()
        self._last: BodyFeatures | None = None
        self._seen_person = False
        self._signals: dict[float, float] = {}
        self._warm: list[BodyFeatures] | None = [] if self.warmup_s > 0 else None

    # --- what subclasses define -------------------------------------------------------------
    def counter_thresholds(self) -> CounterThresholds:
        """The counter thresholds for this exercise's depth signal."""
        raise NotImplementedError(f"{type(self).__name__} must define counter_thresholds()")

    def signal(self, f: BodyFeatures) -> float:
        """The depth signal in degrees (0 at rest); NaN when it cannot be measured."""
        raise NotImplementedError(f"{type(self).__name__} must define signal()")

    def may_start_deep(self, f: BodyFeatures) -> bool:
        """Whether a recording that opens in this posture, deep in a rep, may count that rep (the counter's
        `count_from_depth` until it is ready); default the class's `count_from_depth`."""
        return self.count_from_depth

    def visible(self, f: BodyFeatures) -> bool:
        """Whether this frame shows what the exercise needs (default: whole body)."""
        return f.detected and f.upper_body_visible and f.lower_body_visible

    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        """Metrics (degrees, seconds) and warnings for one completed rep."""
        raise NotImplementedError(f"{type(self).__name__} must define evaluate()")

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        """The one or two angles worth showing live, degrees."""
        return {}

    def rep_side(self, frames: Sequence[BodyFeatures]) -> Side | None:
        """The side a rep worked (bird-dog); None for symmetric exercises."""
        return None

    def signal_of(self, f: BodyFeatures) -> float:
        """The depth signal this analyzer computed for a frame it was fed (signals may keep state, so
        they are computed once per frame), degrees."""
        v = self._signals.get(f.timestamp_s)
        return v if v is not None else (self.signal(f) if f.detected else math.nan)

    # --- the shared loop ----------------------------------------------------------------------
    def learn(self, f: BodyFeatures) -> None:
        """Warm-up hook: take references (standing lengths and heights) from a frame before counting."""

    def on_scene_cut(self) -> None:
        """The video cut to another shot (`BodyFeatures.scene_cut`): forget the references that depend on the
        camera (image lengths, heights and rest angles) and learn them again from the frames that follow.
        The count, the rep in progress and the calibrated neutral are kept."""

    def update(self, features: BodyFeatures) -> FrameResult:
        """Consume one frame's features.

        With `warmup_s` > 0 the first frames are held back that long, so that the references a signal
        needs (standing height, torso length) are known before the first frame is judged; a clip that
        opens at the bottom of a rep is then read correctly. Their results arrive with the frame that ends
        the warm-up (counts then jump; later frames are answered at once). A frame that follows a camera cut
        first resets the camera-dependent references (`on_scene_cut`).
        """
        if features.scene_cut:
            self.on_scene_cut()
        if self._warm is not None:
            self._warm.append(features)
            if features.detected:
                self._views[features.view] += 1
                self.learn(features)
            if features.timestamp_s - self._warm[0].timestamp_s < self.warmup_s:
                return FrameResult(timestamp_s=features.timestamp_s, phase=self.counter.phase,
                                   count=self.counter.count, signal_deg=math.nan)
            return self._end_warmup()
        return self._step(features)

    def _end_warmup(self) -> FrameResult:
        frames, self._warm = self._warm or [], None
        result: FrameResult | None = None
        rep = None
        for f in frames:
            result = self._step(f, replay=True)
            rep = result.rep or rep
        assert result is not None
        return replace(result, rep=rep)

    def _step(self, features: BodyFeatures, replay: bool = False) -> FrameResult:
        """One frame through the signal and the counter (`replay`: a warm-up frame, its view already tallied)."""
        f = features
        self._last = f
        if f.detected:
            self._seen_person = True
            if not replay:
                self._views[f.view] += 1
        value = self.signal(f) if f.detected else math.nan
        self._signals[f.timestamp_s] = value
        if len(self._signals) > SIGNAL_MEMORY:
            for t in [t for t in self._signals if t < f.timestamp_s - SIGNAL_MEMORY_S]:
                del self._signals[t]
        ok = self.visible(f)
        if self.counter.phase is Phase.NOT_READY:
            self.counter.count_from_depth = self.may_start_deep(f)
        events = self.counter.update(f.timestamp_s, value, ok)
        self._buffer(f)
        if self.counter.phase is Phase.REST and ok:
            self._calibrate(f)
        rep = None
        for ev in events:
            rep = self._on_event(ev) or rep
        return FrameResult(
            timestamp_s=f.timestamp_s,
            phase=self.counter.phase,
            count=self.counter.count,
            signal_deg=value,
            angles=self.display_angles(f) if f.detected else {},
            rep=rep,
            calibrated=self.neutral.measured,
        )

    def _buffer(self, f: BodyFeatures) -> None:
        if self.counter.in_rep or (self._rep_frames and self.counter.phase is Phase.DEEP):
            if not self._rep_frames:
                self._rep_frames = list(self._pre)
            self._rep_frames.append(f)
        self._pre.append(f)
        while self._pre and f.timestamp_s - self._pre[0].timestamp_s > PRE_ROLL_S:
            self._pre.popleft()

    def _calibrate(self, f: BodyFeatures) -> None:
        if self._fixed_neutral or self.neutral.measured:
            return
        if self._rest and f.timestamp_s - self._rest[-1].timestamp_s > 0.5:
            self._rest.clear()  # the still stretch was broken
        self._rest.append(f)
        if self._rest[-1].timestamp_s - self._rest[0].timestamp_s >= CALIBRATION_S:
            self.neutral = Neutral.from_features(self._rest)
            self._rest.clear()

    def _on_event(self, ev: RepEvent) -> Rep | None:
        if ev.kind in (EventKind.STARTED, EventKind.READY):
            if ev.kind is EventKind.STARTED:
                self._rep_frames = list(self._pre)
            return None
        if ev.kind is EventKind.DEEP and not ev.seen_from_start and not self._rep_frames:
            self._rep_frames = list(self._pre)
            return None
        if ev.kind not in (EventKind.COMPLETED, EventKind.PARTIAL, EventKind.ABANDONED):
            return None
        frames = [f for f in self._rep_frames if f.timestamp_s <= ev.time_s]
        self._rep_frames = []
        complete = ev.kind is EventKind.COMPLETED
        if not complete and not self._worth_listing(ev):
            return None
        if not self.neutral.measured and not self._fixed_neutral:
            self.neutral = self._fallback_neutral(frames)
        metrics, warnings = self.evaluate(frames, ev) if frames else ({}, [])
        end = ev.end_s if not math.isnan(ev.end_s) else ev.time_s
        rep = Rep(
            index=len(self._reps) + 1,
            start_s=ev.start_s,
            end_s=end,
            complete=complete,
            side=self.rep_side(frames),
            metrics=metrics,
            warnings=tuple(warnings) if complete else (),
        )
        self._reps.append(rep)
        return rep

    def _worth_listing(self, ev: RepEvent) -> bool:
        """A partial rep is listed when it went at least halfway to depth."""
        c = self.counter.thresholds
        return not math.isnan(ev.peak_deg) and ev.peak_deg >= (c.start_deg + c.depth_deg) / 2.0

    def _fallback_neutral(self, frames: Sequence[BodyFeatures]) -> Neutral:
        """No still ready posture was seen: take the rep's own rest-like frames."""
        c = self.counter.thresholds
        rest = [f for f in frames if f.detected and self.signal_of(f) < c.start_deg]
        return Neutral.from_features(rest) if rest else Neutral()

    def reps(self) -> tuple[Rep, ...]:
        """The reps so far, with the warnings found on them up to now."""
        return tuple(self._reps)

    def finish(self) -> AnalysisResult:
        """Close the analysis. A rep cut off by the end of the clip is listed as incomplete, unless the
        signal had already reached depth and come back to rest (the clip ended inside the debounce time), or its
        lift ends at depth (`lift_ends_at_depth`) and reached it."""
        if self._warm:
            self._end_warmup()
        if self.counter.in_rep and self._rep_frames and self._last is not None:
            self._close_cut_rep(self._last.timestamp_s)
        view = self.view()
        return AnalysisResult(
            exercise=self.exercise,
            reps=tuple(self._reps),
            view=view,
            notices=tuple(self.notices(view)),
            neutral=self.neutral,
        )

    def _close_cut_rep(self, end_s: float) -> None:
        c = self.counter.thresholds
        values = [(f.timestamp_s, self.signal_of(f)) for f in self._rep_frames if self.visible(f)]
        values = [(t, v) for t, v in values if not math.isnan(v)]
        peak_deg = max((v for _, v in values), default=math.nan)
        peak_t = next((t for t, v in values if v == peak_deg), math.nan)
        seen = self.counter.seen_from_start
        start = self.counter.rep_start_s if seen else self._rep_frames[0].timestamp_s
        back = [t for t, v in values if t > peak_t and v < c.return_deg]
        if not back and self._rose_past_depth(values, peak_deg):
            back = [values[-1][0]]  # the clip ended on the way up, already back above the depth line
        if not back and self.lift_ends_at_depth and seen and peak_deg >= c.depth_deg:
            back = [peak_t]  # the lift reached the top before the recording stopped: its working phase was seen
        done = self.counter.phase in (Phase.DEEP, Phase.UP) and bool(back) and back[0] - start >= c.min_rep_s
        ev = RepEvent(
            kind=EventKind.COMPLETED if done else EventKind.ABANDONED,
            time_s=end_s,
            start_s=start,
            end_s=back[0] if done else end_s,
            peak_deg=peak_deg,
            peak_time_s=peak_t if done else math.nan,
            count=self.counter.count + int(done),
            seen_from_start=seen,
        )
        if done or not seen or peak_deg >= c.start_deg:
            self._on_event(ev)

    def _rose_past_depth(self, values: Sequence[tuple[float, float]], peak_deg: float) -> bool:
        """Whether a rep cut by the end of the clip was on its way back: its visible signal values (deg) of
        the last CUT_RISE_S seconds all lie below the depth threshold after reaching it (the lifting phase is
        done bar the lockout; a recording stopped as the person stands up)."""
        c = self.counter.thresholds
        if not values:
            return False
        tail = [v for t, v in values if t >= values[-1][0] - CUT_RISE_S - 1e-6]
        return not math.isnan(peak_deg) and peak_deg >= c.depth_deg and max(tail) < c.depth_deg

    def view(self) -> View:
        """The camera view seen most often."""
        known = {v: n for v, n in self._views.items() if v is not View.UNKNOWN}
        if not known:
            return View.UNKNOWN
        return max(known, key=lambda v: known[v])

    def notices(self, view: View) -> list[Notice]:
        """What this analysis could not judge, and why."""
        out: list[Notice] = []
        if self.sagittal and view in (View.FRONT, View.REAR):
            out.append(Notice(NoticeKind.VIEW_LIMITS,
                              f"Filmed from the {view.value}: back rounding and joint angles cannot be judged well "
                              "from here. Film from the side for spine checks; reps are still counted."))
        if self._seen_person and not self.neutral.measured:
            out.append(Notice(NoticeKind.CALIBRATION,
                              "No still starting posture was seen, so the spine was judged against typical values "
                              "rather than your own neutral. Stand still for a second before the first rep."))
        return out
