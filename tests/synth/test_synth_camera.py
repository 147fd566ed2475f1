"""`coach synth` camera rigs: height, pitch and roll give the projections geometry says (no pose model)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from coach.cli import main
from coach.synth import Generator, SynthSpec
from coach.synth.render import Camera
from coach.synth.scene import CAMERA_RIGS, CameraRig
from coach.types import Exercise, View


def test_roll_turns_a_world_vertical_by_the_roll_in_the_image() -> None:
    # A vertical 1 m pole straight ahead of a level camera 3 m away: upright in the image without roll; with
    # 10° of roll its top leans 10° to the image-left (image y points down).
    pole = np.array([[0.0, 0.5, 0.0], [0.0, 1.5, 0.0]])
    for roll, lean in ((0.0, 0.0), (10.0, -10.0), (-7.5, 7.5)):
        cam = Camera(np.array([0.0, 1.0, -3.0]), np.array([0.0, 1.0, 0.0]), 60.0, 640, 480, roll_deg=roll)
        (x0, y0), (x1, y1) = cam.project(pole)
        assert math.degrees(math.atan2(x1 - x0, y0 - y1)) == pytest.approx(lean, abs=1e-9)


@pytest.mark.parametrize("name, height_m, pitch_deg", [("floor", 0.15, -15.0), ("table", 0.75, 0.0),
                                                        ("shelf", 2.0, 25.0)])
def test_named_rigs_sit_where_they_say_and_keep_the_person_in_frame(name: str, height_m: float,
                                                                    pitch_deg: float) -> None:
    for exercise in (Exercise.SQUAT, Exercise.DEADLIFT, Exercise.BIRD_DOG):
        gen = Generator(SynthSpec(exercise, reps=1, fps=5.0, camera=CAMERA_RIGS[name]))
        truth = gen.truth([gen.truth_for(i)[0] for i in range(gen.spec.n_frames())])
        assert truth.camera["position_m"][1] == pytest.approx(height_m)
        assert truth.camera["pitch_deg"] == pytest.approx(pitch_deg, abs=1e-6)
        px = np.array([p for f in truth.frames for p in f.joints_px.values()])
        assert (px > 0).all() and (px[:, 0] < 640).all() and (px[:, 1] < 480).all(), (name, exercise)
        assert truth.person_size_px >= 150


def test_low_camera_changes_the_image_not_the_3d_truth() -> None:
    level = Generator(SynthSpec(Exercise.DEADLIFT, reps=1, fps=5.0))
    low = Generator(SynthSpec(Exercise.DEADLIFT, reps=1, fps=5.0, camera=CameraRig(0.15, -15.0, 10.0)))
    a, b = level.truth_for(6)[0], low.truth_for(6)[0]
    assert a.trunk_from_vertical_deg == b.trunk_from_vertical_deg and a.joints_m == b.joints_m
    assert a.joints_px != b.joints_px


@pytest.mark.parametrize("rig", [CameraRig(height_m=0.0), CameraRig(pitch_deg=80.0), CameraRig(roll_deg=45.0),
                                 CameraRig(roll_deg=math.nan)])
def test_impossible_rigs_are_refused(rig: CameraRig) -> None:
    with pytest.raises(ValueError, match="camera"):
        SynthSpec(Exercise.SQUAT, camera=rig).validate()


def test_cli_takes_a_named_camera_with_roll(tmp_path, capsys) -> None:
    out = tmp_path / "low.mp4"
    assert main(["synth", "--exercise", "squat", "--reps", "1", "--size", "160x120", "--fps", "5",
                 "--camera", "floor", "--camera-roll", "10", "-o", str(out)]) == 0
    cam = json.loads(out.with_suffix(".json").read_text())["camera"]
    assert cam["roll_deg"] == 10.0 and cam["pitch_deg"] == pytest.approx(-15.0) and cam["position_m"][1] == 0.15
    assert main(["synth", "--exercise", "squat", "--camera-roll", "60", "-o", str(out)]) == 2
    assert "camera roll" in capsys.readouterr().err


def test_view_default_camera_is_unchanged() -> None:
    # Old specs keep rendering the same frames (the accuracy cache keys on the spec).
    cam = Generator(SynthSpec(Exercise.SQUAT, view=View.SIDE, reps=1)).camera
    assert cam.roll_deg == 0.0 and cam.target[1] == pytest.approx(0.88)


def test_cli_camera_names_are_the_rigs() -> None:
    from coach.commands.synth import CAMERA_NAMES

    assert CAMERA_NAMES == list(CAMERA_RIGS)
