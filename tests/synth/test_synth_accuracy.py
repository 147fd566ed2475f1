"""`coach accuracy` scoring: rep matching, fault recall and false alarms on a hand-made report."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from coach.commands.accuracy import Case, cases, print_summary, score, summarize
from coach.landmarks import NUM_LANDMARKS
from coach.synth import Generator, SynthSpec
from coach.synth.motions import Fault
from coach.types import STRENGTH_EXERCISES, Exercise, FormWarning, PoseFrame, Rep, Side, View, WarningKind


def _warning(kind: WarningKind) -> FormWarning:
    return FormWarning(kind, 0.0, 1.0, 1.0, "deg", "m", "c")


def test_matrix_has_every_exercise_and_applicable_fault():
    quick = cases(quick=True)
    assert {c.exercise for c in quick} == set(STRENGTH_EXERCISES)
    assert all(c.view is View.SIDE for c in quick)
    bird = {c.fault.split(":")[0] for c in quick if c.exercise is Exercise.BIRD_DOG}
    assert bird == {"none", "spinal_flexion", "twist", "lumbar_hyperextension"}  # no hips_rise_first
    full = cases(quick=False)
    assert {c.view for c in full} == {View.SIDE, View.FRONT, View.OBLIQUE, View.REAR}
    assert len({c.name for c in full}) == len(full)


def test_score_and_summary_on_a_hand_made_report():
    case = Case(Exercise.BIRD_DOG, View.SIDE, "twist:20", 2, (2,), 10.0, 0)
    spec = SynthSpec(Exercise.BIRD_DOG, reps=2, fault=Fault.parse("twist:20"), fault_reps=(2,), fps=10.0)
    gen = Generator(spec)
    truth = gen.truth([gen.truth_for(i)[0] for i in range(spec.n_frames())])
    t1, t2 = truth.reps
    # Perfect landmarks: the projected truth joints.
    poses = []
    for ft in truth.frames:
        lm = np.zeros((NUM_LANDMARKS, 4))
        for name, xy in ft.joints_px.items():
            from coach.types import Lm

            lm[Lm[name.upper()], :2] = xy
        poses.append(PoseFrame(ft.time_s, 640, 480, True, lm, np.zeros((NUM_LANDMARKS, 3))))
    reps = (
        Rep(1, t1.start_s + 0.1, t1.end_s - 0.2, True, Side.LEFT, warnings=(_warning(WarningKind.SPINAL_FLEXION),)),
        Rep(2, t2.start_s, t2.end_s, True, Side.LEFT, warnings=(_warning(WarningKind.TWIST),)),
    )
    series = [SimpleNamespace(time_s=ft.time_s, angles={"trunk_lift_deg": 1.0}) for ft in truth.frames]
    report = SimpleNamespace(reps=reps, complete_reps=2, session=SimpleNamespace(series=series, notices=()))
    res = score(case, truth, report, poses)
    assert res["reps_counted"] == res["reps_true"] == 2
    for measure in ("knee_flexion", "hip_angle", "trunk_from_vertical"):
        assert np.max(np.abs(res["errors"][f"mp_vs_2d.{measure}"])) < 0.05  # perfect 2-D landmarks (px rounded)
    assert np.max(np.abs(res["errors"]["mp.knee_flexion"])) < 2.0  # side view: 2-D ≈ 3-D
    summary = summarize([res])
    assert summary["fault_recall"]["bird_dog:twist"] == {"hits": 1, "reps": 1}
    assert summary["false_alarms"]["bird_dog:spinal_flexion"] == {"alarms": 1, "reps": 2}
    assert summary["bird_dog_side_accuracy"] == 0.5  # rep 2 was a right-side rep
    assert summary["rep_count"]["exact"] == 1.0
    lines: list[str] = []
    print_summary(summary, lines.append)
    assert any("bird_dog:twist" in line for line in lines)
