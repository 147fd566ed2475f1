"""The balance and functional exercises on exact synthetic kinematics (truth joints as landmarks, no pose model):
scores, counts, hold times and ending causes against the generator's truth, from the front and the side."""

from __future__ import annotations

import json

import pytest

from coach.labels import STANCE_WORDS, TEST_WORDS, UNIT_WORDS, VERDICT_WORDS
from coach.pipeline import RecordedPoses, review
from coach.report import to_csv, to_json
from coach.session import SessionAnalyzer
from coach.synth import Generator, SynthSpec
from coach.synth.functional import balance_test
from coach.thresholds import CHAIR_STAND_NORMS
from coach.types import Exercise, FunctionalSetup, HoldEnd, Stance, Verdict, View, WarningKind
from tests.functional.truth_poses import truth_poses

HOLD_TOLERANCE_S = 0.3
"""The issue's bar: every hold timed within 0.3 s of the truth."""


def _session(spec: SynthSpec, setup: FunctionalSetup | None = None):
    session = SessionAnalyzer(spec.exercise, setup=setup)
    for pose in truth_poses(spec):
        session.push(pose)
    return session.finish()


def _truth(spec: SynthSpec):
    gen = Generator(spec)
    return gen, gen.truth([gen.truth_for(i)[0] for i in range(spec.n_frames())])


@pytest.mark.parametrize("view", [View.SIDE, View.FRONT])
def test_chair_stand_scores_14_of_15_stands(view):
    spec = SynthSpec(Exercise.CHAIR_STAND, view=view, fps=15.0)
    _, truth = _truth(spec)
    assert truth.test["score"] == 14 and len(truth.reps) == 15  # one stand finishes after the 30 s
    assert truth.reps[-1].bottom_s - truth.go_s > 30.0
    result = _session(spec, FunctionalSetup(age=67, sex="female"))
    test = result.analysis.test
    assert test is not None and test.score == 14
    assert test.norm is not None and test.norm["below_average_under"] == CHAIR_STAND_NORMS[(65, 69)][1]
    assert test.verdict is Verdict.AVERAGE_OR_BETTER
    reps = result.analysis.reps
    assert [r.complete for r in reps] == [True] * 14 + [False]
    assert [w.kind for w in reps[-1].warnings] == [WarningKind.AFTER_TIME_LIMIT]
    for rep, true in zip(reps, truth.reps, strict=True):  # each stand dated near (a little before) full extension
        early = (true.bottom_s - truth.go_s) - rep.metrics["stood_at_s"]
        assert -0.1 < early < 0.4, (rep.index, early)


def test_chair_stand_norm_verdict_below_average_and_unrated():
    spec = SynthSpec(Exercise.CHAIR_STAND, fps=10.0)
    poses = list(truth_poses(spec))
    for setup, verdict in ((FunctionalSetup(age=62, sex="male"), Verdict.AVERAGE_OR_BETTER),
                           (FunctionalSetup(age=62, sex="female"), Verdict.AVERAGE_OR_BETTER),
                           (FunctionalSetup(), Verdict.NOT_RATED)):
        session = SessionAnalyzer(Exercise.CHAIR_STAND, setup=setup)
        for p in poses:
            session.push(p)
        assert session.finish().analysis.test.verdict is verdict
    # "Go" said at 8.5 s: the 3 stands before it do not count (the other 12 do), and men aged 60-64 need 14
    session = SessionAnalyzer(Exercise.CHAIR_STAND, setup=FunctionalSetup(age=62, sex="male", go_s=8.5))
    for p in poses:
        session.push(p)
    test = session.finish().analysis.test
    assert test.score == 12 and test.verdict is Verdict.BELOW_AVERAGE


def test_sit_to_stand_counts_every_stand_and_flags_the_arm_push():
    spec = SynthSpec(Exercise.SIT_TO_STAND, reps=10, fps=15.0)
    _, truth = _truth(spec)
    result = _session(spec)
    reps = result.analysis.reps
    assert sum(r.complete for r in reps) == 10 == len(truth.reps)
    flagged = [r.index for r in reps if any(w.kind is WarningKind.ARM_PUSH for w in r.warnings)]
    assert flagged == [i.index for i in truth.reps if i.fault == "arm_push"] == [3]
    assert result.analysis.test is None
    assert result.sets[0].reps == 10


@pytest.mark.parametrize("view", [View.SIDE, View.FRONT])
def test_heel_drops_counted_exactly_with_bent_knees_flagged(view):
    spec = SynthSpec(Exercise.HEEL_DROP, reps=8, view=view, fps=15.0)
    _, truth = _truth(spec)
    result = _session(spec)
    reps = result.analysis.reps
    assert len(reps) == len(truth.reps) == 8
    for rep, true in zip(reps, truth.reps, strict=True):
        assert abs(rep.end_s - true.bottom_s) < 0.15  # the impact
    kinds = {r.index: {w.kind for w in r.warnings} for r in reps}
    assert kinds[3] == {WarningKind.BENT_KNEES}
    assert all(not k for i, k in kinds.items() if i not in (3, 5))
    if view is View.SIDE:  # from the front a 30° trunk fall reads about 17°, under the 20° limit
        assert kinds[5] == {WarningKind.TRUNK_DROP}
    test = result.analysis.test
    assert test.score == 8 and test.norm == {"daily_target": 50} and test.verdict is Verdict.BELOW_TARGET


def _assert_holds_match(holds, truth_holds):
    assert len(holds) == len(truth_holds)
    for got, true in zip(holds, truth_holds, strict=True):
        assert got.stance.value == true["stance"]
        assert (got.leg.value if got.leg else None) == true["leg"]
        assert got.ended_by.value == true["ended_by"]
        assert abs(got.start_s - true["start_s"]) <= HOLD_TOLERANCE_S, (got, true)
        assert abs(got.end_s - true["end_s"]) <= HOLD_TOLERANCE_S, (got, true)


def test_single_leg_holds_timed_with_their_ending_and_sway():
    spec = SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0)
    gen, truth = _truth(spec)
    result = _session(spec, FunctionalSetup(height_cm=gen.dims.height_m * 100))
    holds = result.analysis.holds
    _assert_holds_match(holds, truth.holds)
    assert [h.ended_by for h in holds] == [HoldEnd.FOOT_DOWN, HoldEnd.SUPPORT, HoldEnd.VIDEO_END]
    sway_range_cm = 2 * gen.script.sway_m * 100  # the script's sideways sway, peak to peak
    for h in holds:
        assert abs(h.metrics["sway_range_cm"] - sway_range_cm) < 0.5, h.metrics


def test_single_leg_target_reached():
    spec = SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0)
    result = _session(spec, FunctionalSetup(target_s=4.0))
    holds = result.analysis.holds
    assert [h.ended_by for h in holds] == [HoldEnd.TARGET_REACHED] * 3  # one per lift: no restart while still up
    assert all(abs(h.duration_s - 4.0) < 1e-6 for h in holds)


def test_balance_test_stages_and_fall_risk():
    spec = SynthSpec(Exercise.BALANCE_TEST, view=View.FRONT, fps=15.0)
    _, truth = _truth(spec)
    result = _session(spec)
    holds = result.analysis.holds
    _assert_holds_match(holds, truth.holds)
    assert [h.stance for h in holds] == [Stance.SIDE_BY_SIDE, Stance.SEMI_TANDEM, Stance.TANDEM]
    assert holds[-1].ended_by is HoldEnd.STEPPED
    test = result.analysis.test
    assert test.score == 2 and test.verdict is Verdict.HIGHER_FALL_RISK == Verdict(truth.test["verdict"])


def test_balance_script_with_all_stages_held_but_single_leg():
    script = balance_test(fail_stage=4, fail_after_s=4.3)
    assert [h["ended_by"] for h in script.holds] == ["target_reached"] * 3 + ["foot_down"]
    assert script.test["verdict"] == "no_added_risk"


def test_report_json_and_csv_carry_holds_and_test(tmp_path):
    spec = SynthSpec(Exercise.BALANCE_TEST, view=View.FRONT, fps=10.0, width=320, height=240)
    path = tmp_path / "b.mp4"
    from coach.video import VideoWriter

    with VideoWriter(path, 10.0, 320, 240) as w:  # a stand-in file; the poses are replayed
        import numpy as np

        for i in range(3):
            w.write(np.zeros((240, 320, 3), np.uint8), i / 10.0)
    report = review(path, Exercise.BALANCE_TEST, recorded=RecordedPoses(list(truth_poses(spec))))
    data = json.loads(to_json(report))
    assert [set(h) >= {"index", "stance", "leg", "start_s", "end_s", "duration_s", "ended_by"} for h in data["holds"]]
    assert data["holds"][0]["stance"] == "side_by_side" and data["holds"][2]["ended_by"] == "stepped"
    assert data["test"] == {"name": "balance_test", "score": 2, "unit": "stages", "norm": data["test"]["norm"],
                            "verdict": "higher_fall_risk"}
    assert data["notices"][0]["kind"] == "safety"
    csv_text = to_csv(report)
    lines = csv_text.splitlines()  # in words for the person and their physiotherapist
    assert lines[0].startswith("Hold,Stance,Leg,Start (s),End (s),Held (s),How it ended")
    assert lines[1].split(",")[1] == STANCE_WORDS[Stance.SIDE_BY_SIDE]
    assert lines[-1] == (f"Test,{TEST_WORDS['balance_test']},2,{UNIT_WORDS['stages']},"
                         f"{VERDICT_WORDS[Verdict.HIGHER_FALL_RISK]}")
