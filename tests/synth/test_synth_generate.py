"""Generator: determinism, truth consistency, the JSON sidecar and the `coach synth` CLI (no pose model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coach.cli import main
from coach.synth import Fault, Generator, SynthSpec, Truth, generate
from coach.synth.render import raycast
from coach.types import STRENGTH_EXERCISES, Exercise, View

SMALL = {"width": 160, "height": 120, "fps": 10.0}


def _frames(spec: SynthSpec, indices: list[int]) -> list[np.ndarray]:
    gen = Generator(spec)
    return [gen.render(gen.truth_for(i)[1], i) for i in indices]


def test_same_seed_gives_bit_identical_frames_and_other_seeds_differ():
    spec = SynthSpec(Exercise.SQUAT, reps=1, seed=5, **SMALL)
    a = _frames(spec, [0, 20])
    b = _frames(spec, [0, 20])
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    c = _frames(SynthSpec(Exercise.SQUAT, reps=1, seed=6, **SMALL), [0, 20])
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize("exercise", STRENGTH_EXERCISES)
def test_truth_joints_land_on_the_rendered_body(exercise):
    gen = Generator(SynthSpec(exercise, reps=1, seed=2))
    bottom = round(gen.timeline.reps[0].bottom_s * gen.spec.fps)
    for index in (0, bottom):
        ft, posed = gen.truth_for(index)
        hits = raycast(gen.camera, gen.dirs, posed.prims)
        for name in ("left_hip", "left_knee", "left_ankle", "left_shoulder"):
            x, y = ft.joints_px[name]
            assert hits.mat[int(y), int(x)] >= 0, (exercise, index, name)


def test_person_stands_on_the_floor_and_is_tall_enough():
    gen = Generator(SynthSpec(Exercise.SQUAT, reps=1, seed=0))
    ft, posed = gen.truth_for(0)
    assert posed.prims.lowest_y() == pytest.approx(0.0, abs=1e-9)
    truth = gen.truth([ft])
    assert truth.person_size_px >= 150


def test_fault_reps_carry_the_fault_and_exact_spine_values():
    spec = SynthSpec(Exercise.DEADLIFT, reps=3, fault=Fault.parse("spinal_flexion:35"), fault_reps=(2,), fps=10.0)
    gen = Generator(spec)
    frames = [gen.truth_for(i)[0] for i in range(spec.n_frames())]
    truth = gen.truth(frames)
    assert [r.fault for r in truth.reps] == [None, "spinal_flexion", None]
    assert truth.reps[1].peak_spine_flexion_deg == pytest.approx(35.0, abs=0.01)
    assert max(r.peak_spine_flexion_deg for r in (truth.reps[0], truth.reps[2])) < 5.0
    # Ready hold: standing still, neutral spine.
    ready = [f for f in frames if f.time_s < truth.calibration_s[1]]
    assert all(f.rep is None and abs(f.spine_flexion_deg) < 1e-6 for f in ready)


def test_twist_and_hyperextension_faults_reach_their_degrees():
    def peak(exercise, fault):
        spec = SynthSpec(exercise, reps=1, fault=Fault.parse(fault), fps=10.0)
        gen = Generator(spec)
        return gen.truth([gen.truth_for(i)[0] for i in range(spec.n_frames())]).reps[0]

    assert peak(Exercise.SQUAT, "twist:15").peak_abs_twist_deg == pytest.approx(15.0, abs=0.5)
    assert peak(Exercise.BIRD_DOG, "twist:12").peak_abs_twist_deg == pytest.approx(12.0, abs=0.5)
    assert peak(Exercise.DEADLIFT, "lumbar_hyperextension:15").min_spine_flexion_deg == pytest.approx(-15.0, abs=0.5)
    # Back extension is an extension exercise (≈ −36° at the peak); the fault adds to it.
    base = peak(Exercise.BACK_EXTENSION, "twist:1").min_spine_flexion_deg
    assert peak(Exercise.BACK_EXTENSION, "lumbar_hyperextension:15").min_spine_flexion_deg == pytest.approx(
        base - 15.0, abs=0.5
    )


def test_generate_writes_clip_and_sidecar(tmp_path):
    out = tmp_path / "clip.mp4"
    spec = SynthSpec(Exercise.BIRD_DOG, reps=2, view=View.OBLIQUE, seed=3, tempo_s=1.5, **SMALL)
    truth = generate(spec, out)
    assert out.stat().st_size > 1000
    data = json.loads(out.with_suffix(".json").read_text())
    again = Truth.from_dict(data)
    assert again == truth
    assert data["n_frames"] == len(data["frames"]) == spec.n_frames()
    assert data["view"] == "oblique" and data["fps"] == 10.0 and data["width"] == 160
    assert [r["side"] for r in data["reps"]] == ["left", "right"]
    first = data["frames"][0]
    for key in ("knee_flexion_deg", "hip_angle_deg", "trunk_from_vertical_deg", "spine_flexion_deg", "trunk_twist_deg"):
        assert key in first
    for joint in ("left_shoulder", "right_hip", "left_knee", "right_ankle", "left_wrist", "right_ear"):
        assert len(first["joints_px"][joint]) == 2


def test_cli_writes_clip(tmp_path, capsys):
    out = tmp_path / "s.mp4"
    argv = ["synth", "--exercise", "squat", "--reps", "1", "--fault", "twist:20", "--view", "45"]
    assert main([*argv, "--size", "128x96", "--fps", "8", "--seed", "4", "-o", str(out)]) == 0
    data = json.loads(out.with_suffix(".json").read_text())
    assert data["fault"] == "twist:20" and data["fault_reps"] == [1] and data["seed"] == 4
    assert data["reps"][0]["fault"] == "twist" and data["reps"][0]["fault_deg"] == 20.0
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "extra",
    [
        ["--fault", "hips_rise_first", "--exercise", "bird_dog"],
        ["--exercise", "squat", "--fault", "twist"],
        ["--exercise", "squat", "--fault", "wobble:3"],
        ["--exercise", "squat", "--fault", "twist:10", "--fault-reps", "9"],
        ["--exercise", "squat", "--fault-reps", "1"],
        ["--exercise", "squat", "--size", "640by480"],
        ["--exercise", "squat", "--reps", "0"],
        ["--exercise", "squat", "--tempo-s", "-1"],
    ],
)
def test_cli_bad_arguments_give_one_line_and_nonzero_exit(tmp_path, capsys, extra):
    out = tmp_path / "bad.mp4"
    assert main(["synth", *extra, "-o", str(out)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("coach synth:") and "\n" not in err and "Traceback" not in err
    assert not out.exists()
