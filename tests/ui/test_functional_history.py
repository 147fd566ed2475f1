"""The balance and fitness tests in the history (issue #17): every result and hold in words with the person as
given then, the hold times per week, heel drops per day, the CSV for the physiotherapist, and the page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.history import History
from coach.thresholds import HEEL_DROP_DAILY_TARGET
from coach.types import FunctionalSetup, FunctionalTest, Hold, HoldEnd, Rep, Side, Stance, Verdict
from coach.ui import functional_history as fh

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _hold(i: int, stance: Stance, held: float, ended: HoldEnd, leg: Side | None = None,
          sway: float | None = None) -> Hold:
    return Hold(i, stance, leg, 1.0 + 20 * i, 1.0 + 20 * i + held, ended, {} if sway is None else
                {"sway_range_cm": sway})


@pytest.fixture
def hist(tmp_path: Path) -> History:
    """Two weeks of tests: a chair stand and a balance test, single-leg holds, and heel drops on one day."""
    h = History(tmp_path / "h.sqlite3")
    her = FunctionalSetup(age=72, sex="female", height_cm=160.0)
    h.save_reviewed("chair_stand", [], {}, title="a", target_min=8, target_max=12, person=her,
                    test=FunctionalTest("chair_stand", 9, "stands", {"below_average_under": 10},
                                        Verdict.BELOW_AVERAGE))
    sid = h.start_session("single_leg_stand", "live", started_at="2026-11-02T10:00:00+00:00", person=her)
    h.add_hold(sid, _hold(1, Stance.SINGLE_LEG, 8.0, HoldEnd.FOOT_DOWN, Side.LEFT, 4.5))
    h.add_hold(sid, _hold(2, Stance.SINGLE_LEG, 11.0, HoldEnd.FOOT_DOWN, Side.LEFT, 3.9))
    sid = h.start_session("single_leg_stand", "live", started_at="2026-11-10T10:00:00+00:00")
    h.add_hold(sid, _hold(1, Stance.SINGLE_LEG, 15.5, HoldEnd.SUPPORT, Side.LEFT))
    h.save_reviewed("balance_test", [], {}, title="b", target_min=8, target_max=12,
                    holds=[_hold(1, Stance.SIDE_BY_SIDE, 10.0, HoldEnd.TARGET_REACHED),
                           _hold(2, Stance.SEMI_TANDEM, 4.0, HoldEnd.STEPPED)],
                    test=FunctionalTest("balance_test", 1, "stages", {}, Verdict.HIGHER_FALL_RISK))
    for start, n in (("2026-11-10T08:00:00+00:00", 30), ("2026-11-10T18:00:00+00:00", 25)):
        sid = h.start_session("heel_drop", "live", started_at=start)
        for i in range(1, n + 1):
            h.add_rep(sid, Rep(i, float(i), i + 0.5, True))
    return h


def test_every_test_result_is_a_row_in_words_with_the_person(hist: History) -> None:
    frame = fh.tests_frame(hist)
    by_test = {row["Test"]: row for row in frame.to_dict("records")}
    assert set(by_test) == {"30-second chair stand", "4-stage balance test", "Heel drops that day"}
    chair = by_test["30-second chair stand"]
    assert (chair["Result"], chair["Age"], chair["Sex"], chair["Height (cm)"]) == ("9 stands", "72", "woman", "160")
    assert chair["What it means"].startswith("Below average")
    assert by_test["4-stage balance test"]["Age"] == fh.NOT_GIVEN  # not given: said, never "None"
    drops = by_test["Heel drops that day"]  # the two sets of the day added up, live or reviewed
    assert (drops["Date"], drops["Result"]) == ("2026-11-10", f"55 of {HEEL_DROP_DAILY_TARGET} impacts")
    assert drops["What it means"] == "Daily target reached"


def test_every_hold_is_a_row_and_the_longest_per_week_is_charted(hist: History) -> None:
    holds = fh.holds_history_frame(hist)
    assert len(holds) == 5
    first = holds.iloc[0]
    assert (first["Stance"], first["Held (s)"], first["How it ended"], first["Sway (cm)"]) == (
        "Standing on one leg (the left)", "8.0", "The raised foot came down", "4.5")
    assert holds.iloc[2]["Sway (cm)"].startswith("not measured")
    weeks = fh.hold_weeks(hist, fh.Exercise.SINGLE_LEG_STAND)
    assert weeks.values.tolist() == [["2026-11-02", "On one leg (left)", 11.0],
                                     ["2026-11-09", "On one leg (left)", 15.5]]
    assert len(fh.hold_weeks(hist, fh.Exercise.BALANCE_TEST)) == 2  # a line per stance


def test_the_results_csv_is_in_words_for_the_physiotherapist(hist: History) -> None:
    rows = list(csv.DictReader(io.StringIO(fh.results_csv(hist))))
    assert len(rows) == 3 + 5  # three test rows (chair stand, balance test, one day of heel drops), five holds
    assert {r["Kind"] for r in rows} == {"Test result", "Hold"}
    assert [r["Date"] for r in rows] == sorted(r["Date"] for r in rows)
    text = fh.results_csv(hist)
    assert not SNAKE.findall(text) and "None" not in text and "nan" not in text
    assert "Height (cm)" in rows[0]


def test_an_empty_history_has_no_results_csv(tmp_path: Path) -> None:
    assert fh.results_csv(History(tmp_path / "h.sqlite3")) == ""


def _history_app() -> None:
    from coach.ui import history_page

    history_page.render()


def test_the_history_page_shows_the_tests_the_holds_and_offers_their_csv(hist: History,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_DB", str(hist.path))
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    assert not at.exception
    page = "\n".join(m.value for m in at.markdown)
    assert 'data-testid="tests-table"' in page and 'data-testid="holds-table"' in page
    assert "Single-leg stand" in page and "longest hold each week" in page
    assert "Holds" in page  # the weekly progress table counts the holds too
    assert [n.label for n in at.number_input][:2] == ["Your age (years)", "Your height (cm)"]
    assert not SNAKE.findall(re.sub(r"<[^>]+>", " ", page))


def test_reps_and_warnings_per_rep_are_charted_per_exercise_over_the_weeks(hist: History,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.ui.history_page import progress_frame

    frame = progress_frame(hist.weekly_progress())
    assert frame.values.tolist() == [["2026-11-09", "Heel drops (impact)", 55, 0.0]]  # holds-only weeks have no reps
    monkeypatch.setenv("COACH_DB", str(hist.path))
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    charts = at.get("vega_lite_chart")
    # sessions per week, reps, warnings per rep, the chair stand, single-leg and balance-test holds
    assert len(charts) == 6
