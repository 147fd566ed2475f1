"""Counting on the person's own range: a lift read against the range this person shows in this clip.

`OwnRange`: a body part's lift (how far it is above its root, image px, up = +), median-smoothed and read
against the lowest and highest levels it has shown so far (its rest and its top), 0 at rest and 90 at its top
so far; a range under `min_share` of the person's size is a fidget and reads against that minimum. Lying face
down filmed from the head or the feet end, a chest lift barely turns the hip→shoulder line in the picture, but
the shoulders rise in it. `RecentRange` and `own_range_band`: a counter band at shares of the range a signal has
shown lately (10th to 90th percentile of the last seconds) above its recent rest, so that a small lift (a 150-px
person, a foreshortened view) counts and a rest that reads a little above 0 is followed; below a minimum range
the fixed band stands. A camera cut starts a range again.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import replace

import numpy as np

from coach.exercises.base import RollingMedian
from coach.thresholds import CounterThresholds

OWN_RANGE_SCALE_DEG = 90.0
"""The top of the own-range scale, degrees (the highest level seen reads this)."""
SIZE_MEDIAN_S = 2.0
"""The person's size in the picture is the median of this many seconds of frames, s."""


class OwnRange:
    """One body part's lift on the 0–90 own-range scale (see the module docstring)."""

    def __init__(self, min_share: float, smooth_s: float) -> None:
        self.min_share = min_share
        self.smooth_s = smooth_s
        self.reset()

    def reset(self) -> None:
        """Forget the rest and the top (a camera cut: the image lengths changed)."""
        self._median = RollingMedian(self.smooth_s)
        self.rest_px = math.inf
        self.top_px = -math.inf
        self._last = math.nan

    @property
    def range_px(self) -> float:
        """The range shown so far, px (0 before any)."""
        return self.top_px - self.rest_px if math.isfinite(self.rest_px) else 0.0

    def moved(self, size_px: float) -> bool:
        """Whether the part has shown a lift of at least the minimum share of `size_px`."""
        return self.range_px >= self.min_share * size_px

    def push(self, time_s: float, lift_px: float, size_px: float) -> float:
        """Add one frame's lift (px, up = +) at `time_s` (s) for a person `size_px` large; returns its level on
        the 0–90 scale (NaN when the lift is not measurable or the size unknown)."""
        self._last = math.nan
        if not (math.isfinite(lift_px) and math.isfinite(size_px) and size_px > 0):
            return math.nan
        level = self._median.push(time_s, lift_px)
        if math.isnan(level):
            return math.nan
        self.rest_px = min(self.rest_px, level)
        self.top_px = max(self.top_px, level)
        span = max(self.range_px, self.min_share * size_px)
        self._last = OWN_RANGE_SCALE_DEG * (level - self.rest_px) / span
        return self._last

    @property
    def last(self) -> float:
        """The level of the last frame pushed, degrees of the 0–90 scale (NaN when it had none)."""
        return self._last


class PersonSize:
    """The person's size in the picture (the larger side of the landmark box), median of recent frames, px."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget it (a camera cut)."""
        self._median = RollingMedian(SIZE_MEDIAN_S)
        self.px = math.nan

    def push(self, time_s: float, bbox: tuple[float, float, float, float]) -> float:
        """Add a frame's landmark box (x0, y0, x1, y1), px; returns the size, px (NaN while unknown)."""
        x0, y0, x1, y1 = bbox
        side = max(x1 - x0, y1 - y0)
        if math.isfinite(side) and side > 0:
            level = self._median.push(time_s, side)
            if not math.isnan(level):
                self.px = level
        return self.px



class RecentRange:
    """A signal's rest and range over its recent past: the low and high percentiles of its median-smoothed values
    within the last `window_s` seconds (degrees): a rest that drifts or reads a little above 0 from landmark noise
    is followed, and one glitch does not set the range."""

    def __init__(self, window_s: float, smooth_s: float, percentiles: tuple[float, float] = (10.0, 90.0)) -> None:
        self.window_s = window_s
        self.percentiles = percentiles
        self._median = RollingMedian(smooth_s)
        self._values: deque[tuple[float, float]] = deque()

    def reset(self) -> None:
        """Forget the past (a camera cut)."""
        self._median = RollingMedian(self._median.span_s)
        self._values.clear()

    def push(self, time_s: float, value: float) -> tuple[float, float]:
        """Add a value at `time_s` (s); returns (rest, range), degrees (NaN while nothing is known)."""
        if math.isfinite(value):
            level = self._median.push(time_s, value)
            if not math.isnan(level):
                self._values.append((time_s, level))
        while self._values and time_s - self._values[0][0] > self.window_s:
            self._values.popleft()
        if not self._values:
            return math.nan, math.nan
        lo, hi = np.percentile([v for _, v in self._values], self.percentiles)
        return float(lo), float(hi - lo)


def own_range_band(fixed: CounterThresholds, rest_deg: float, range_deg: float, min_range_deg: float,
                   shares: tuple[float, float, float]) -> CounterThresholds:
    """The counter band for a signal resting at `rest_deg` with a recent range of `range_deg`: start, depth and
    return at their shares of the range above the rest, once the range reaches `min_range_deg` (smaller ranges are
    fidgets or no rep yet: the fixed band then stands), degrees."""
    if not (math.isfinite(range_deg) and math.isfinite(rest_deg) and range_deg >= min_range_deg):
        return fixed
    rest = max(rest_deg, 0.0)  # the signal is a lift above the lowest seen: a rest below 0 is its first frames
    start, depth, back = (rest + share * range_deg for share in shares)
    return replace(fixed, start_deg=start, depth_deg=depth, return_deg=back)
