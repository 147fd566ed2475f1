"""The hold engine times a held position: in, stay, out; a short dip is not the end, a short lift not a hold."""

from __future__ import annotations

import pytest

from coach.exercises.hold_engine import HoldEvent, HoldTimer
from coach.thresholds import HoldThresholds

TH = HoldThresholds(enter_deg=20.0, leave_deg=10.0, target_s=10.0)


def run(samples: list[tuple[float, float]], visible_from_s: float = -1.0, visible_until_s: float = 1e9,
        ) -> list[HoldEvent]:
    timer = HoldTimer(TH)
    events = [timer.update(t, v, visible_from_s <= t <= visible_until_s) for t, v in samples]
    return [e for e in [*events, timer.finish()] if e is not None]


def frames(fps: float, duration_s: float, value: object) -> list[tuple[float, float]]:
    return [(i / fps, value(i / fps)) for i in range(int(duration_s * fps))]  # type: ignore[operator]


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_12_s_hold_with_a_short_dip_is_one_complete_hold(fps: float) -> None:
    lifted = lambda t: 30.0 if 2.0 <= t < 14.0 and not 7.0 <= t < 7.1 else 0.0  # noqa: E731
    (hold,) = run(frames(fps, 18.0, lifted))
    assert hold.complete
    assert hold.start_s == pytest.approx(2.0, abs=0.1)
    assert hold.held_s == pytest.approx(12.0, abs=0.2)


def test_a_short_lift_is_no_hold_and_a_short_hold_is_incomplete() -> None:
    assert run(frames(30.0, 5.0, lambda t: 30.0 if 1.0 <= t < 1.2 else 0.0)) == []
    (hold,) = run(frames(30.0, 8.0, lambda t: 30.0 if 1.0 <= t < 5.0 else 0.0))
    assert not hold.complete and hold.held_s == pytest.approx(4.0, abs=0.1)


def test_losing_sight_ends_the_hold_where_it_was_last_seen() -> None:
    (hold,) = run(frames(30.0, 20.0, lambda t: 30.0), visible_until_s=6.0)
    assert hold.end_s == pytest.approx(6.0, abs=0.05) and not hold.complete


def test_thresholds_must_have_hysteresis() -> None:
    with pytest.raises(ValueError, match="leave_deg < enter_deg"):
        HoldTimer(HoldThresholds(enter_deg=10.0, leave_deg=10.0, target_s=5.0))
