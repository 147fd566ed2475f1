"""Time-based smoothing helpers shared by the analyzers: the same window in seconds at any frame rate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.exercises.base import RollingMedian, smoothed


def test_smoothed_is_a_running_median_over_seconds():
    # At 30 fps a 0.17 s window holds 5 frames (±2): a lone spike disappears, a step stays sharp.
    t = np.arange(10) / 30.0
    v = [0, 0, 0, 90, 0, 0, 10, 10, 10, 10]
    out = smoothed(t, v, window_s=0.17)
    assert out[3] == 0.0  # median of 0, 0, 90, 0, 0
    assert list(out[:5]) == [0.0] * 5
    assert out[5] == 10.0  # median of 90, 0, 0, 10, 10
    assert out[-1] == 10.0 and out[-2] == 10.0
    assert out[6] == 10.0  # median of 0, 0, 10, 10, 10


def test_smoothed_window_holds_fewer_frames_at_lower_rates():
    # The same 0.17 s at 15 fps holds 3 frames (±1): median of 0, 90, 0.
    t = np.arange(6) / 15.0
    out = smoothed(t, [0, 0, 90, 0, 30, 30], window_s=0.17)
    assert out[2] == 0.0
    assert out[4] == 30.0  # median of 0, 30, 30


def test_smoothed_ignores_nan_and_keeps_nan_where_nothing_is_known():
    t = np.arange(7) / 30.0
    nan = math.nan
    out = smoothed(t, [nan, nan, nan, nan, nan, 4.0, 6.0], window_s=0.17)
    assert all(math.isnan(x) for x in out[:3])
    assert out[3] == 4.0  # only 4.0 lies within ±0.085 s
    assert out[6] == 5.0


def test_smoothed_empty():
    assert smoothed([], []).size == 0


def test_rolling_median_spans_seconds():
    m = RollingMedian(span_s=0.15, min_count=3)
    got = [m.push(i / 30.0, v) for i, v in enumerate([5.0, 1.0, 9.0, 2.0, 3.0, 100.0, 100.0])]
    assert math.isnan(got[0]) and math.isnan(got[1])
    assert got[2] == 5.0  # 5, 1, 9
    assert got[4] == 3.0  # 5, 1, 9, 2, 3 (0.133 s)
    assert got[5] == 3.0  # 1, 9, 2, 3, 100: the first value is now 0.167 s old
    assert got[6] == 9.0  # 9, 2, 3, 100, 100


@pytest.mark.parametrize("fps", [5.0, 12.5])
def test_rolling_median_keeps_the_last_few_when_frames_are_sparse(fps):
    # Three frames at 12.5 fps span 0.16 s > 0.15 s: the median still uses the last three.
    m = RollingMedian(span_s=0.15, min_count=3)
    got = [m.push(i / fps, v) for i, v in enumerate([4.0, 8.0, 6.0, 0.0])]
    assert math.isnan(got[1])
    assert got[2] == 6.0
    assert got[3] == 6.0  # 8, 6, 0
