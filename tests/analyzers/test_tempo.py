"""Rep tempo: each way timed over the middle of its range and scaled to a whole smooth move, on hand-made
signals with known durations, and the rapid-movement check on whole reps."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from coach.exercises.back_extension import BackExtensionAnalyzer
from coach.exercises.base import angular_speed_deg_s, phase_durations_s
from coach.types import WarningKind
from tests.analyzers.sequences import duration, feats, frames_of, hinge_pose, rep_profile, run
from tests.analyzers.test_back_extension import frame


def cosine_rep(down_s: float, hold_s: float, up_s: float, depth: float, fps: float = 15.0,
               rest_s: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
    """Rest → half-cosine way down in `down_s` → hold → half-cosine way back in `up_s` → rest, degrees."""
    t = np.arange(0.0, rest_s + down_s + hold_s + up_s + rest_s, 1.0 / fps)
    u = t - rest_s
    x = np.where(u < 0, 0.0, np.where(u < down_s, (1 - np.cos(np.pi * u / max(down_s, 1e-9))) / 2, 1.0))
    back = u - down_s - hold_s
    x = np.where(back > 0, np.where(back < up_s, (1 + np.cos(np.pi * back / up_s)) / 2, 0.0), x)
    return t, depth * x


@pytest.mark.parametrize(("down_s", "hold_s", "up_s"), [(1.2, 0.8, 0.6), (0.4, 0.0, 2.0), (1.5, 2.0, 1.5)])
def test_each_way_of_a_cosine_move_is_recovered_whatever_the_hold(down_s, hold_s, up_s):
    t, v = cosine_rep(down_s, hold_s, up_s, depth=90.0)
    down, up = phase_durations_s(t, v, floor_deg=25.0)
    assert down == pytest.approx(down_s, rel=0.1) and up == pytest.approx(up_s, rel=0.1)


def test_the_low_level_never_sits_below_the_floor():
    # A 23° lift whose rep closes at 8°: the way back is timed from 80 % (18.4°) down to 8° (35 %), not to 20 %.
    t, v = cosine_rep(1.3, 0.5, 1.7, depth=23.0)
    back_at = t[(t > 0.6 + 1.3) & (v < 8.0)][0]
    closed = t <= back_at + 0.2  # the rep's frames end soon after the return line
    down, up = phase_durations_s(t[closed], v[closed], floor_deg=8.0)
    assert down == pytest.approx(1.3, rel=0.1) and up == pytest.approx(1.7, rel=0.1)


def test_a_way_not_seen_is_nan_and_a_jump_reads_near_zero():
    t, v = cosine_rep(1.0, 0.5, 1.0, depth=60.0)
    cut = t < 0.6 + 1.0 + 0.3  # the recording stops during the hold
    down, up = phase_durations_s(t[cut], v[cut], floor_deg=10.0)
    assert down == pytest.approx(1.0, rel=0.1) and math.isnan(up)
    jump = np.where((t > 1.0) & (t < 2.0), 60.0, 0.0)  # a landmark jump: 0 → 60 → 0 between single frames
    assert max(phase_durations_s(t, jump, floor_deg=10.0)) < 0.15  # why check_tempo also needs start → deepest


def run_superman(lift_s: float, hold_s: float, lower_s: float, top: float = 23.0) -> list[set[WarningKind]]:
    """Floor supermans (30 fps) whose hold creeps up 0.5°, so that its highest frame is its last; warnings per
    complete rep."""
    a = BackExtensionAnalyzer()
    for k in range(3):
        t, v = cosine_rep(lift_s, hold_s, lower_s, depth=top, fps=30.0, rest_s=1.5)
        held = np.flatnonzero((v >= top - 1e-9) & (t > 1.5))
        v[held] = top - 0.5 + 0.5 * np.linspace(0.0, 1.0, held.size)
        offset = k * (t[-1] + 1 / 30.0)
        for ti, vi in zip(t, v, strict=True):
            a.update(frame(offset + ti, float(vi)))
    return [{w.kind for w in r.warnings} for r in a.finish().reps if r.complete]


def test_a_small_slow_lift_with_a_hold_is_not_rapid_but_a_fast_one_is():
    # The way back of a 23° lift crosses the 8° return line 35 % above rest, and the highest frame of a noisy
    # hold can be its last: start → deepest → return alone read the 0.7 s lowering as about 0.4 s.
    assert [WarningKind.RAPID_MOVEMENT in w for w in run_superman(1.3, 0.8, 0.7)] == [False] * 3
    assert [WarningKind.RAPID_MOVEMENT in w for w in run_superman(0.35, 0.3, 0.35)] == [True] * 3


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_trunk_speed_of_a_cosine_hinge_is_known_whatever_the_frame_rate(fps):
    # 80° in 0.5 s (half-cosine): peak speed π/2 · 80 / 0.5 = 251°/s; over a 0.3-s span sin(0.3π)/(0.3π) of it.
    t, v = cosine_rep(0.5, 0.3, 2.0, depth=80.0, fps=fps)
    expected = math.pi / 2 * 80.0 / 0.5 * math.sin(0.3 * math.pi) / (0.3 * math.pi)
    assert np.nanmax(angular_speed_deg_s(t, v)) == pytest.approx(expected, rel=0.03)
    slow = cosine_rep(2.0, 0.3, 2.0, depth=80.0, fps=fps)
    assert np.nanmax(angular_speed_deg_s(*slow)) < 70.0


def test_trunk_speed_spans_only_the_frames_seen():
    t = np.arange(0.0, 1.0, 1 / 15.0)
    v = np.where(t < 0.5, 0.0, 30.0)
    v[3] = np.nan
    speed = angular_speed_deg_s(t, v)
    assert math.isnan(speed[0]) and math.isnan(speed[-1])  # the span would reach outside the frames
    assert np.nanmax(speed) == pytest.approx(30.0 / 0.3, rel=1e-6)  # a step reads step / span, never more


def hinge_frames(lean_s: float, glitch: bool = False) -> list:
    """Side-view hinges (80° of trunk lean, `lean_s` seconds a rep), optionally with the trunk read upside down
    (175°) on two frames of each rep, as a landmark failure does."""
    fs = feats(frames_of(rep_profile(2, rep_s=lean_s), duration(2, rep_s=lean_s), hinge_pose))
    if glitch:
        fs = [dataclasses.replace(f, trunk_from_vertical_deg=175.0) if 0.40 < (f.timestamp_s - 1.5) % (lean_s + 1.5)
              < 0.5 else f for f in fs]
    return fs


@pytest.mark.parametrize(("rep_s", "glitch", "rapid"), [(3.0, False, False), (3.0, True, False), (1.0, False, True)])
def test_a_hinge_is_rapid_when_its_trunk_moves_fast_and_a_trunk_read_upside_down_is_dropped(rep_s, glitch, rapid):
    done = [r for r in run("deadlift", hinge_frames(rep_s, glitch)).reps if r.complete]
    assert len(done) == 2
    assert [WarningKind.RAPID_MOVEMENT in {w.kind for w in r.warnings} for r in done] == [rapid, rapid]
