"""The hold engine times a held stance: in, stay, out; a short loss is not the end, a short stance not a hold."""

from __future__ import annotations

import pytest

from coach.exercises.hold_engine import HoldReading, HoldTimer
from coach.types import Hold, HoldEnd, Side, Stance

MIN_STATE_S = 0.15


def run(fps: float, duration_s: float, reading, target_s: float | None = None) -> list[Hold]:
    """Feed `reading(t)` (a HoldReading or None) at `fps` for `duration_s`, then finish; the holds."""
    timer = HoldTimer(MIN_STATE_S, target_s)
    for i in range(int(duration_s * fps)):
        timer.update(i / fps, reading(i / fps))
    timer.finish()
    return timer.holds


ON = HoldReading(True, Stance.SINGLE_LEG, Side.LEFT)
DOWN = HoldReading(False, Stance.SIDE_BY_SIDE, cause=HoldEnd.FOOT_DOWN)


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_hold_with_a_short_loss_is_one_hold_ended_by_its_cause(fps: float) -> None:
    def reading(t: float) -> HoldReading:
        return ON if 2.0 <= t < 14.0 and not 7.0 <= t < 7.1 else DOWN

    (hold,) = run(fps, 18.0, reading)
    assert hold.start_s == pytest.approx(2.0, abs=1 / fps)
    assert hold.end_s == pytest.approx(14.0, abs=1 / fps)
    assert hold.ended_by is HoldEnd.FOOT_DOWN and hold.leg is Side.LEFT


def test_a_short_stance_is_no_hold() -> None:
    assert run(30.0, 5.0, lambda t: ON if 1.0 <= t < 1.1 else DOWN) == []


def test_the_target_ends_a_hold_and_the_next_needs_a_fresh_start() -> None:
    (hold,) = run(30.0, 20.0, lambda t: ON if t >= 1.0 else DOWN, target_s=10.0)
    assert hold.ended_by is HoldEnd.TARGET_REACHED and hold.duration_s == pytest.approx(10.0, abs=0.05)


def test_a_hold_under_way_when_the_video_ends_ends_with_it() -> None:
    (hold,) = run(30.0, 6.0, lambda t: ON if t >= 1.0 else DOWN)
    assert hold.ended_by is HoldEnd.VIDEO_END and hold.end_s == pytest.approx(6.0 - 1 / 30, abs=1e-6)


def test_unseen_frames_do_not_end_a_hold() -> None:
    (hold,) = run(30.0, 10.0, lambda t: None if 3.0 <= t < 5.0 else (ON if t >= 1.0 else DOWN))
    assert hold.ended_by is HoldEnd.VIDEO_END and hold.start_s == pytest.approx(1.0, abs=0.04)


def test_a_settled_time_dates_the_start_when_the_feet_stop_moving() -> None:
    settled = HoldReading(True, Stance.TANDEM, settled_s=1.1)
    (hold,) = run(30.0, 4.0, lambda t: settled if t >= 1.0 else DOWN)
    assert hold.start_s == pytest.approx(1.1) and hold.stance is Stance.TANDEM
