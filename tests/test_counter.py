"""The shared rep counter on synthetic depth signals, with per-frame expectations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.counter import EventKind, Phase, RepCounter
from coach.thresholds import CounterThresholds

CFG = CounterThresholds(start_deg=35.0, depth_deg=60.0, return_deg=25.0, min_phase_s=0.15, min_rep_s=0.5,
                        max_gap_s=2.0, ready_s=0.2)
FPS = 30.0


def run(values, visible=None, cfg=CFG, count_from_depth=False):
    """Feed values at 30 fps; returns (counter, per-frame phases, per-frame counts, events)."""
    counter = RepCounter(cfg, count_from_depth=count_from_depth)
    phases, counts, events = [], [], []
    for i, v in enumerate(values):
        vis = True if visible is None else visible[i]
        events.extend(counter.update(i / FPS, float(v), vis))
        phases.append(counter.phase)
        counts.append(counter.count)
    return counter, phases, counts, events


def squat_rep(depth=90.0, seconds=2.0):
    """One smooth rep from 0° to `depth` and back, at 30 fps."""
    n = int(seconds * FPS)
    return list(depth * np.sin(np.linspace(0, np.pi, n)) ** 2)


def test_rejects_inconsistent_thresholds():
    with pytest.raises(ValueError, match="return_deg < start_deg"):
        RepCounter(CounterThresholds(start_deg=20.0, depth_deg=60.0, return_deg=25.0))


def test_ready_posture_needed_before_counting():
    # Standing still for less than 0.2 s (ready_s) is not yet ready. Each 30 fps frame stands for 1/30 s of
    # video, so 5 frames (0.167 s) are not enough and the 6th frame completes 0.2 s.
    _, phases, _, events = run([0.0] * 10)
    assert phases[:5] == [Phase.NOT_READY] * 5  # frames 0..4
    assert phases[5] is Phase.REST and phases[-1] is Phase.REST
    assert [e.kind for e in events] == [EventKind.READY]


def test_two_clean_reps_counted_on_return():
    values = [0.0] * 15 + squat_rep() + [0.0] * 15 + squat_rep() + [0.0] * 15
    _, phases, counts, events = run(values)
    completed = [e for e in events if e.kind is EventKind.COMPLETED]
    assert len(completed) == 2
    # The count changes exactly once per rep, only after the return to rest.
    first = counts.index(1)
    assert phases[first] is Phase.REST and phases[first - 1] is Phase.UP
    assert counts[-1] == 2
    # Rep spans come from timestamps: from leaving to regaining the return threshold (25°), which
    # 90·sin²(x) crosses at x = 0.177·π, so the 2 s rep spans 2 · (1 − 2 · 0.177) ≈ 1.29 s.
    assert completed[0].end_s - completed[0].start_s == pytest.approx(1.29, abs=0.05)
    assert completed[0].peak_deg == pytest.approx(90.0, abs=0.5)


def test_jitter_around_start_threshold_does_not_count():
    # The signal hovers 33–37° around start_deg (35°) for 3 s: never deep, so no rep.
    jitter = [35.0 + 2.0 * (-1) ** i for i in range(90)]
    _, phases, counts, events = run([0.0] * 15 + jitter + [0.0] * 15)
    assert counts[-1] == 0
    assert not any(e.kind is EventKind.COMPLETED for e in events)
    # Hovering inside the noise band is one movement, not a flurry of starts.
    assert sum(e.kind is EventKind.STARTED for e in events) == 1
    assert phases[-1] is Phase.REST


def test_jitter_around_depth_threshold_counts_once():
    # Down to ~60° with ±3° noise for 2 s, crossing depth_deg many times, then back up.
    down = list(np.linspace(0, 60, 20))
    noisy_bottom = [60.0 + 3.0 * (-1) ** i for i in range(60)]
    up = list(np.linspace(60, 0, 20))
    _, _, counts, events = run([0.0] * 15 + down + noisy_bottom + up + [0.0] * 15)
    assert counts[-1] == 1
    assert sum(e.kind is EventKind.COMPLETED for e in events) == 1


def test_single_frame_spike_is_ignored():
    # One frame at 90° (a landmark glitch) is shorter than min_phase_s.
    values = [0.0] * 15 + [90.0] + [0.0] * 15
    _, phases, counts, _ = run(values)
    assert counts[-1] == 0
    assert all(p is not Phase.DEEP for p in phases)


def test_pause_at_the_bottom_is_one_rep():
    rep = squat_rep()
    half = len(rep) // 2
    values = [0.0] * 15 + rep[:half] + [90.0] * 150 + rep[half:] + [0.0] * 15  # 5 s pause at the bottom
    _, phases, counts, _ = run(values)
    assert counts[-1] == 1
    assert phases[15 + half + 100] is Phase.DEEP


def test_half_rep_is_partial_not_counted():
    values = [0.0] * 15 + squat_rep(depth=50.0) + [0.0] * 15  # never reaches depth_deg (60°)
    _, _, counts, events = run(values)
    assert counts[-1] == 0
    assert [e.kind for e in events if e.kind is not EventKind.READY] == [EventKind.STARTED, EventKind.PARTIAL]


def test_long_rest_keeps_the_count():
    values = [0.0] * 15 + squat_rep() + [0.0] * int(120 * FPS) + squat_rep() + [0.0] * 15  # 2-minute rest
    _, _, counts, _ = run(values)
    assert counts[-1] == 2


def test_short_visibility_gap_mid_rep_keeps_the_rep():
    rep = squat_rep()
    values = [0.0] * 15 + rep + [0.0] * 15
    visible = [True] * len(values)
    for i in range(15 + 25, 15 + 40):  # 0.5 s hidden around the bottom
        visible[i] = False
    _, phases, counts, _ = run(values, visible)
    assert phases[15 + 30] is Phase.DEEP  # state held while hidden
    assert counts[-1] == 1


def test_long_visibility_gap_abandons_rep_but_keeps_count():
    values = [0.0] * 15 + squat_rep() + [0.0] * 15 + squat_rep() + [0.0] * 120
    visible = [True] * len(values)
    second = 15 + 60 + 15
    for i in range(second + 30, second + 30 + 90):  # hidden 3 s at the bottom of rep 2
        visible[i] = False
    values[second + 30 : second + 120] = [90.0] * 90
    _, phases, counts, events = run(values, visible)
    assert counts[-1] == 1
    assert any(e.kind is EventKind.ABANDONED for e in events)
    assert phases[second + 30 + 89] is Phase.NOT_READY


def test_nan_signal_is_treated_as_not_visible():
    values = [0.0] * 15 + squat_rep() + [0.0] * 15
    values[40] = math.nan
    _, _, counts, _ = run(values)
    assert counts[-1] == 1


def test_clip_starting_mid_rep_does_not_count_that_rep():
    rep = squat_rep()
    values = rep[len(rep) // 2 :] + [0.0] * 15 + rep + [0.0] * 15
    _, _, counts, _ = run(values)
    assert counts[-1] == 1


def test_clip_starting_at_the_bottom_counts_when_allowed():
    # Conventional deadlift filmed from the floor: starts deep, lifts to lockout, ends.
    values = [70.0] * 15 + list(np.linspace(70, 0, 45)) + [0.0] * 15
    _, _, counts_no, _ = run(values, count_from_depth=False)
    _, _, counts_yes, events = run(values, count_from_depth=True)
    assert counts_no[-1] == 0
    assert counts_yes[-1] == 1
    completed = [e for e in events if e.kind is EventKind.COMPLETED]
    assert completed[0].seen_from_start is False


def test_too_quick_rep_is_partial():
    values = [0.0] * 15 + squat_rep(seconds=0.4) + [0.0] * 15
    # 12 frames: may reach depth, but the whole rep is shorter than min_rep_s
    _, _, counts, _ = run(values, cfg=CounterThresholds(start_deg=35, depth_deg=60, return_deg=25,
                                                        min_phase_s=0.0, min_rep_s=0.5))
    assert counts[-1] == 0


def test_brief_depth_survives_single_missed_detections():
    # Rest, then a rep whose every third frame is a missed detection: no visible run lasts min_phase_s
    # (0.15 s) on its own, but a one-frame gap no longer restarts the hold → the rep counts.
    values = [0.0] * 15 + [45.0] * 6 + [65.0] * 12 + [45.0] * 6 + [0.0] * 15
    visible = [i < 15 or i >= 29 or i % 3 != 0 for i in range(len(values))]
    _, phases, counts, _ = run(values, visible)
    assert Phase.DEEP in phases and counts[-1] == 1


def test_a_longer_gap_still_restarts_the_hold():
    # The bottom is seen for 0.1 s, then missed for 0.17 s (≥ min_phase_s), then seen below depth: no rep.
    values = [0.0] * 15 + [45.0] * 8 + [65.0] * 3 + [65.0] * 5 + [45.0] * 8 + [0.0] * 15
    visible = [not 26 <= i < 31 for i in range(len(values))]
    _, phases, counts, _ = run(values, visible)
    assert Phase.DEEP not in phases and counts[-1] == 0


def run_at(values_by_time, fps):
    """Feed (time s → value) samples at `fps`; returns (counter, per-frame phases, events)."""
    counter = RepCounter(CFG)
    phases, events = [], []
    n = round(values_by_time.duration_s * fps)
    for i in range(n + 1):
        t = i / fps
        events.extend(counter.update(t, values_by_time(t)))
        phases.append(counter.phase)
    return counter, phases, events


class FastRep:
    """Still at 0° for 0.3 s, one 0.8 s rep to 120° and back, still to 1.5 s (a quick real squat)."""

    duration_s = 1.5

    def __call__(self, t: float) -> float:
        x = (t - 0.3) / 0.8
        return 120.0 * math.sin(math.pi * x) ** 2 if 0.0 <= x <= 1.0 else 0.0


@pytest.mark.parametrize("fps", [15.0, 25.0, 30.0, 60.0])
def test_fast_rep_counts_at_any_frame_rate(fps):
    # Deep for ~0.45 s and the debounce (0.15 s per phase) is met at every rate; the run towards the next
    # phase is dated from when the signal crossed its threshold, not from when the previous phase committed.
    counter, phases, events = run_at(FastRep(), fps)
    assert counter.count == 1
    assert [e.kind for e in events] == [EventKind.READY, EventKind.STARTED, EventKind.DEEP, EventKind.COMPLETED]
    assert Phase.DEEP in phases and phases[-1] is Phase.REST
    done = events[-1]
    # 120·sin²(πx) crosses the 25° return line at x = 0.152: the rep spans 0.8·(1 − 2·0.152) = 0.56 s.
    assert done.end_s - done.start_s == pytest.approx(0.56, abs=1.5 / fps + 0.01)


def test_short_rep_cut_by_the_clip_start_still_counts():
    # The clip opens at the bottom (count_from_depth): 0.27 s deep, a quick stand-up, then standing. Only the
    # seen part is short; `min_rep_s` guards reps seen from their start, not one the recording cut.
    values = [100.0] * 8 + [60.0, 20.0] + [0.0] * 15
    _, phases, counts, events = run(values, count_from_depth=True)
    assert [e.kind for e in events] == [EventKind.READY, EventKind.DEEP, EventKind.COMPLETED]
    assert counts[-1] == 1 and phases[-1] is Phase.REST
    assert not events[-1].seen_from_start
