"""One set rule (live and review) and one target text."""

from __future__ import annotations

from coach.session import ends_set, group_sets
from coach.thresholds import OSTEOPOROSIS_TARGET, SET_BREAK_S, SUPERVISED_5X5_TARGET, range_text
from coach.types import Rep


def _reps(starts: list[float], length_s: float = 3.0) -> tuple[Rep, ...]:
    return tuple(Rep(i, t, t + length_s, True) for i, t in enumerate(starts, start=1))


def test_a_pause_of_the_set_break_ends_a_set_and_a_shorter_one_does_not() -> None:
    assert not ends_set(SET_BREAK_S - 0.1) and ends_set(SET_BREAK_S)
    short, long = SET_BREAK_S - 1.0, SET_BREAK_S + 1.0
    reps = _reps([0.0, 3.0 + short, 6.0 + short, 9.0 + short + long])
    assert [s.reps for s in group_sets(reps, OSTEOPOROSIS_TARGET)] == [3, 1]


def test_the_rest_setting_does_not_change_where_a_set_ends() -> None:
    from dataclasses import replace

    reps = _reps([0.0, 3.0 + SET_BREAK_S + 20.0])
    for rest_s in (30.0, 90.0, 240.0):
        assert [s.reps for s in group_sets(reps, replace(OSTEOPOROSIS_TARGET, rest_s=rest_s))] == [1, 1]


def test_the_page_target_carries_the_rest_setting() -> None:
    from coach.ui.settings import Settings, TargetChoice

    s = Settings(rest_s=120.0, target_choice=TargetChoice.SUPERVISED)
    assert s.target.rest_s == 120.0 and s.target.reps_min == SUPERVISED_5X5_TARGET.reps_min
    assert s.target_text() == "5"


def test_target_text() -> None:
    assert OSTEOPOROSIS_TARGET.reps_text() == "8–12" == range_text(8, 12)
    assert OSTEOPOROSIS_TARGET.reps_text(ascii_only=True) == "8-12"
    assert range_text(5, 5) == "5"
