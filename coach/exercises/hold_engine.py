"""The hold engine: times holds from a per-frame "holding or not, and if not, why" reading.

A timed hold is not a rep: it starts when a stance is reached (held `min_state_s`, dated from its first frame
or from a later `settled_s`), and ends when it is lost (held lost `min_state_s`, dated from the first lost
frame or the `since_s` the reading gives), when its target time passes, or when the recording ends.
Times are seconds of video time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coach.types import Hold, HoldEnd, Side, Stance


@dataclass(frozen=True, slots=True)
class HoldReading:
    """One frame's reading: whether the stance is held, which stance and standing leg, and when lost, why and
    since when (s; NaN = this frame)."""

    holding: bool
    stance: Stance
    leg: Side | None = None
    cause: HoldEnd = HoldEnd.STEPPED
    since_s: float = math.nan
    settled_s: float = math.nan
    """When holding: the time the feet stopped moving into the stance, s (NaN = this frame)."""


class HoldTimer:
    """Turns per-frame readings into holds."""

    def __init__(self, min_state_s: float, target_s: float | None = None) -> None:
        self.min_state_s = min_state_s
        self.target_s = target_s
        self.holds: list[Hold] = []
        self._start_s = math.nan
        self._candidate: HoldReading | None = None
        self._candidate_s = math.nan
        self._lost_s = math.nan
        self._lost: HoldReading | None = None
        self._current: HoldReading | None = None
        self._last_s = math.nan
        self._released = True
        """False after a target was reached, until the stance is left (the next hold needs a fresh start)."""

    @property
    def holding(self) -> bool:
        """A hold is under way."""
        return self._current is not None

    @property
    def stance(self) -> Stance | None:
        """The stance of the hold under way (None when none)."""
        return self._current.stance if self._current is not None else None

    def elapsed_s(self, now_s: float) -> float:
        """Seconds of the hold under way at `now_s` (0 when none)."""
        return now_s - self._start_s if self._current is not None else 0.0

    def update(self, time_s: float, reading: HoldReading | None) -> Hold | None:
        """Feed one frame (None: nothing trustworthy seen); returns the hold that ended on it, if any."""
        self._last_s = time_s
        if self._current is None:
            self._await_start(time_s, reading)
            return None
        if self.target_s is not None and time_s - self._start_s >= self.target_s:
            return self._end(self._start_s + self.target_s, HoldEnd.TARGET_REACHED)
        if reading is None or (reading.holding and reading.stance is self._current.stance):
            self._lost = None
            return None
        if self._lost is None:
            self._lost = reading
            self._lost_s = reading.since_s if math.isfinite(reading.since_s) else time_s
        if time_s - self._lost_s >= self.min_state_s - 1e-9:
            return self._end(max(self._lost_s, self._start_s), self._lost.cause)
        return None

    def _await_start(self, time_s: float, reading: HoldReading | None) -> None:
        if reading is not None and not reading.holding:
            self._released = True
        if reading is None or not reading.holding or not self._released:
            self._candidate = None
            return None
        if self._candidate is None or self._candidate.stance is not reading.stance:
            self._candidate, self._candidate_s = reading, time_s
        if time_s - self._candidate_s >= self.min_state_s - 1e-9:
            self._current = reading
            settled = reading.settled_s
            self._start_s = settled if math.isfinite(settled) and settled >= self._candidate_s else self._candidate_s
            self._lost = None
        return None

    def _end(self, end_s: float, why: HoldEnd) -> Hold:
        cur = self._current
        assert cur is not None
        hold = Hold(index=len(self.holds) + 1, stance=cur.stance, leg=cur.leg, start_s=self._start_s, end_s=end_s,
                    ended_by=why)
        self.holds.append(hold)
        self._current, self._candidate, self._lost = None, None, None
        self._released = why is not HoldEnd.TARGET_REACHED
        return hold

    def finish(self) -> Hold | None:
        """The recording ended: a hold under way ends with it (its target reached if the time had passed)."""
        if self._current is None:
            return None
        if self.target_s is not None and self._last_s - self._start_s >= self.target_s:
            return self._end(self._start_s + self.target_s, HoldEnd.TARGET_REACHED)
        if self._lost is not None:  # lost in the last frames, shorter than the debounce: it was lost
            return self._end(max(self._lost_s, self._start_s), self._lost.cause)
        return self._end(self._last_s, HoldEnd.VIDEO_END)
