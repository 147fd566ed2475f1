"""The one rep-counting state machine that every exercise shares.

It reads a single "depth" signal in degrees (0 at rest, larger = further into the rep) and gives
events. Hysteresis (start/return thresholds), a minimum phase duration in seconds of *video* time,
a visibility gate and a ready posture keep it from double counting on jitter, counting while the
person gets into position, or losing the count when the person rests or is briefly hidden.

It behaves the same at any frame rate: each frame stands for one frame interval of video when a phase's
duration is summed, a phase change needs at least MIN_PHASE_FRAMES frames, and when a committed phase is
already behind the signal (a fast rep, sparse frames) the next one is dated from when the signal crossed
its threshold, not from when the previous one was committed.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from coach.thresholds import CounterThresholds

MAX_FRAME_S = 0.1
"""A frame stands for at most this much video time when a phase's duration is summed, seconds (a gap in the
detections is not time the phase was seen)."""
MIN_PHASE_FRAMES = 3
"""A phase change needs at least this many trustworthy frames in its favour, whatever the frame rate."""
RUN_MEMORY_S = 2.0
"""Recent signal values kept to date the start of a run towards the next phase, seconds."""


class Phase(StrEnum):
    """Where the person is in the rep cycle."""

    NOT_READY = "not_ready"
    REST = "rest"
    DOWN = "down"
    DEEP = "deep"
    UP = "up"


class EventKind(StrEnum):
    """What happened on this update."""

    READY = "ready"
    STARTED = "started"
    DEEP = "deep"
    COMPLETED = "completed"
    PARTIAL = "partial"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class RepEvent:
    """A counter event; times are seconds of video time, values degrees of the depth signal."""

    kind: EventKind
    time_s: float
    start_s: float
    end_s: float
    peak_deg: float
    peak_time_s: float
    count: int
    seen_from_start: bool = True


class RepCounter:
    """Counts reps on a depth signal.

    Args:
        thresholds: Thresholds for this exercise's signal.
        count_from_depth: If True, a clip (or a set) may start at the bottom of the rep: the
            ready posture may be the deep position, and returning to rest from there counts a rep
            (a conventional deadlift from the floor). If False, a rep must start at rest.
    """

    def __init__(self, thresholds: CounterThresholds, *, count_from_depth: bool = False) -> None:
        if not thresholds.return_deg < thresholds.start_deg <= thresholds.depth_deg:
            raise ValueError(
                f"counter thresholds must satisfy return_deg < start_deg <= depth_deg, got "
                f"{thresholds.return_deg}, {thresholds.start_deg}, {thresholds.depth_deg}"
            )
        self.thresholds = thresholds
        self.count_from_depth = count_from_depth
        self.phase = Phase.NOT_READY
        self.count = 0
        self._pending: Phase | None = None
        self._pending_since = math.nan
        self._last_rest_s = math.nan
        self._rep_start_s = math.nan
        self._seen_from_start = True
        self._peak = -math.inf
        self._peak_t = math.nan
        self._last_visible_s = math.nan
        self._recent: deque[tuple[float, float]] = deque()
        self._opening_deg = math.nan
        self._frame_s = 0.0

    def _target(self, value: float) -> Phase | None:
        """The phase the signal asks for, or None to stay."""
        c = self.thresholds
        if self.phase is Phase.NOT_READY:
            if value < c.start_deg:
                return Phase.REST
            if self.count_from_depth and value >= c.depth_deg:
                return Phase.DEEP
            return None
        if self.phase is Phase.REST:
            return Phase.DOWN if value > c.start_deg else None
        if self.phase is Phase.DOWN:
            if value >= c.depth_deg:
                return Phase.DEEP
            return Phase.REST if value < c.return_deg else None
        if self.phase is Phase.DEEP:
            return Phase.UP if value < c.depth_deg else None
        # UP
        if value >= c.depth_deg:
            return Phase.DEEP
        return Phase.REST if value < c.return_deg else None

    def _still_wanted(self, pending: Phase, value: float) -> bool:
        """Whether a pending change survives a value just short of its threshold (noise band)."""
        c = self.thresholds
        band = (c.start_deg - c.return_deg) / 2.0
        if pending is Phase.DEEP:
            return value >= c.depth_deg - band
        if pending is Phase.REST:
            return value < c.return_deg + band
        if pending is Phase.DOWN:
            return value > c.start_deg - band
        if pending is Phase.UP:
            return value < c.depth_deg + band
        return False

    def update(self, time_s: float, value: float, visible: bool = True) -> tuple[RepEvent, ...]:
        """Feed one frame: its timestamp (s), the depth signal (deg) and whether it is trustworthy."""
        if not visible or math.isnan(value):
            return self._gap(time_s)
        self._frame_s = min(time_s - self._last_visible_s, MAX_FRAME_S) if self._last_visible_s < time_s else 0.0
        self._last_visible_s = time_s
        self._recent.append((time_s, value))
        while time_s - self._recent[0][0] > RUN_MEMORY_S:
            self._recent.popleft()
        if self.phase in (Phase.REST, Phase.NOT_READY) and value < self.thresholds.return_deg:
            self._last_rest_s = time_s
        if self.phase in (Phase.DOWN, Phase.DEEP, Phase.UP) and value > self._peak:
            self._peak, self._peak_t = value, time_s
        target = self._target(value)
        if target is None and self._pending is not None and self._still_wanted(self._pending, value):
            target = self._pending
        if target is None:
            self._pending = None
            return ()
        if target is not self._pending:
            self._pending, self._pending_since = target, time_s
        return self._settle(time_s, value)

    def _settle(self, time_s: float, value: float) -> tuple[RepEvent, ...]:
        """Commit the pending change once held long enough; then, if the signal already asks for the next
        phase (a fast rep outran the debounce, or sparse frames), pend that too from when its run began."""
        events: tuple[RepEvent, ...] = ()
        while self._pending is not None:
            hold = self.thresholds.ready_s if self.phase is Phase.NOT_READY else self.thresholds.min_phase_s
            # Each frame stands for one frame interval of video: n frames cover (last - first) + interval. And
            # never fewer than MIN_PHASE_FRAMES frames, so that sparse frames' misdetections cannot make one.
            if time_s - self._pending_since + self._frame_s < hold - 1e-9:
                break
            if sum(1 for t, _ in reversed(self._recent) if t >= self._pending_since) < MIN_PHASE_FRAMES:
                break
            events += self._commit(self._pending, time_s)
            following = self._target(value)
            if following is None:
                break
            self._pending, self._pending_since = following, self._run_start(following, time_s)
        return events

    def _run_start(self, pending: Phase, time_s: float) -> float:
        """When the signal's current run past `pending`'s threshold began (within the recent values), s."""
        c = self.thresholds
        past = {Phase.REST: lambda v: v < c.return_deg, Phase.DOWN: lambda v: v > c.start_deg,
                Phase.DEEP: lambda v: v >= c.depth_deg, Phase.UP: lambda v: v < c.depth_deg}[pending]
        since = time_s
        for t, v in reversed(self._recent):
            if not past(v):
                break
            since = t
        return since

    def _commit(self, target: Phase, time_s: float) -> tuple[RepEvent, ...]:
        since = self._pending_since
        previous, self.phase, self._pending = self.phase, target, None
        if previous is Phase.NOT_READY:
            if target is Phase.DEEP:
                self._begin(since, seen_from_start=False)
                return (self._event(EventKind.READY, time_s), self._event(EventKind.DEEP, time_s))
            return (self._event(EventKind.READY, time_s),)
        if target is Phase.DOWN:
            start = self._last_rest_s if not math.isnan(self._last_rest_s) else since
            self._begin(start, seen_from_start=True)
            return (self._event(EventKind.STARTED, time_s),)
        if target is Phase.DEEP and previous is Phase.DOWN:
            return (self._event(EventKind.DEEP, time_s),)
        if target is Phase.REST:
            self._last_rest_s = since
            if previous is Phase.DOWN:
                return (self._event(EventKind.PARTIAL, time_s, end_s=since),)
            if self._seen_from_start and since - self._rep_start_s < self.thresholds.min_rep_s:
                return (self._event(EventKind.PARTIAL, time_s, end_s=since),)
            if not self._seen_from_start and self._peak - self._opening_deg < self.thresholds.opening_descent_deg:
                return (self._event(EventKind.PARTIAL, time_s, end_s=since),)  # only the way up was seen
            self.count += 1
            return (self._event(EventKind.COMPLETED, time_s, end_s=since),)
        return ()

    def _begin(self, start_s: float, *, seen_from_start: bool) -> None:
        self._rep_start_s = start_s
        self._seen_from_start = seen_from_start
        self._peak, self._peak_t = -math.inf, math.nan
        if not seen_from_start:  # opened inside the rep: its values so far, from the first one
            run = [(t, v) for t, v in self._recent if t >= start_s]
            self._opening_deg = run[0][1] if run else math.nan
            for t, v in run:
                if v > self._peak:
                    self._peak, self._peak_t = v, t

    @property
    def seen_from_start(self) -> bool:
        """Whether the rep under way was seen from its start (False for one already under way when counting
        began or after a gap)."""
        return self._seen_from_start

    @property
    def rep_start_s(self) -> float:
        """When the rep under way began, seconds (NaN at rest)."""
        return self._rep_start_s

    def _event(self, kind: EventKind, time_s: float, end_s: float = math.nan) -> RepEvent:
        return RepEvent(
            kind=kind,
            time_s=time_s,
            start_s=self._rep_start_s,
            end_s=end_s,
            peak_deg=self._peak if self._peak > -math.inf else math.nan,
            peak_time_s=self._peak_t,
            count=self.count,
            seen_from_start=self._seen_from_start,
        )

    def _gap(self, time_s: float) -> tuple[RepEvent, ...]:
        """A frame without a trustworthy signal: hold the state, abandon a rep after a long gap.

        A phase change waiting out its hold survives a gap shorter than `min_phase_s` (a missed detection or
        two): the next trustworthy frame decides whether it still stands. A longer gap drops it."""
        if math.isnan(self._last_visible_s) or time_s - self._last_visible_s >= self.thresholds.min_phase_s:
            self._pending = None
        if math.isnan(self._last_visible_s) or time_s - self._last_visible_s <= self.thresholds.max_gap_s:
            return ()
        if self.phase in (Phase.DOWN, Phase.DEEP, Phase.UP):
            self.phase = Phase.NOT_READY
            return (self._event(EventKind.ABANDONED, time_s, end_s=self._last_visible_s),)
        if self.phase is Phase.REST:
            self.phase = Phase.NOT_READY
        return ()

    @property
    def in_rep(self) -> bool:
        """True between leaving rest and returning to it."""
        return self.phase in (Phase.DOWN, Phase.DEEP, Phase.UP)
