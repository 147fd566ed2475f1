"""The hold engine: timing how long a position is held (a balance stand, a plank), for exercises that are not
counted in repetitions.

A held position is not a rep: there is no way down and back, only getting into the position, staying, and
leaving it. `HoldTimer` is the one state machine for that, fed a hold signal per frame (degrees, 0 = out of the
position; e.g. how far a foot is lifted); `HoldEvent`s say when a hold started and ended and how long it
lasted. An exercise built on it implements the same `coach.exercises.results.Analyzer` protocol as the rep
exercises (`update` per frame, `finish` at the end), reporting each hold as a `Rep` whose metrics carry
`hold_s`, so sessions, reports and screens need nothing new. Time comes from frame timestamps only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coach.thresholds import HoldThresholds


@dataclass(frozen=True, slots=True)
class HoldEvent:
    """One hold from getting into the position to leaving it, seconds; `complete` when it lasted the target."""

    start_s: float
    end_s: float
    complete: bool

    @property
    def held_s(self) -> float:
        """How long the position was held, seconds."""
        return self.end_s - self.start_s


class HoldTimer:
    """Times holds on a signal with hysteresis and debounce: in at `enter_deg` for `min_phase_s`, out below
    `leave_deg` for `min_phase_s` (the hold ends where it was last in), or after `max_gap_s` unseen."""

    def __init__(self, thresholds: HoldThresholds) -> None:
        if not thresholds.leave_deg < thresholds.enter_deg:
            raise ValueError(f"hold thresholds must satisfy leave_deg < enter_deg, got {thresholds.leave_deg}, "
                             f"{thresholds.enter_deg}")
        self.thresholds = thresholds
        self.holding = False
        self._pending_s = math.nan
        self._start_s = math.nan
        self._last_in_s = math.nan

    def update(self, time_s: float, value_deg: float, visible: bool = True) -> HoldEvent | None:
        """Feed one frame (time in seconds, signal in degrees); the hold that ended on it, if any."""
        th = self.thresholds
        if not visible or math.isnan(value_deg):
            if self.holding and time_s - self._last_in_s > th.max_gap_s:
                return self._end(self._last_in_s)
            return None
        inside = value_deg >= th.enter_deg if not self.holding else value_deg >= th.leave_deg
        if inside == self.holding:
            self._pending_s = math.nan
            if self.holding:
                self._last_in_s = time_s
            return None
        if math.isnan(self._pending_s):
            self._pending_s = time_s
        if time_s - self._pending_s < th.min_phase_s:
            return None
        if not self.holding:
            self.holding, self._start_s, self._last_in_s = True, self._pending_s, time_s
            self._pending_s = math.nan
            return None
        return self._end(self._last_in_s)

    def finish(self) -> HoldEvent | None:
        """The hold still going when the recording stopped, ended where it was last seen."""
        return self._end(self._last_in_s) if self.holding else None

    def _end(self, end_s: float) -> HoldEvent:
        self.holding, self._pending_s = False, math.nan
        return HoldEvent(self._start_s, end_s, end_s - self._start_s >= self.thresholds.target_s)
