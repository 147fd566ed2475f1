"""MediaPipe on a rendered clip: the person is found in every frame and lands on the projected truth.

Tolerances come from measurement (side-view squat, seed 0, 15 fps, 640×480): mean pixel error on
the near (left) side hip ≈ 4, knee ≈ 4, ankle ≈ 6, shoulder ≈ 9 px; knee flexion MAE ≈ 2°, trunk
from vertical MAE ≈ 2°. MediaPipe's shoulder sits ~3 cm above and ahead of the model's pivot.
"""

from __future__ import annotations

import numpy as np
import pytest

from coach.landmarks import Lm
from coach.synth import Generator, SynthSpec
from coach.synth import angles as A
from coach.types import Exercise, View

pytestmark = pytest.mark.slow

# Mean px error allowed per near-side joint (about 2× the measured mean).
PX_TOLERANCE = {"hip": 10.0, "knee": 10.0, "ankle": 12.0, "shoulder": 16.0, "wrist": 14.0}


def _run(spec: SynthSpec):
    from coach.pose import MediaPipeEstimator

    gen = Generator(spec)
    rows = []
    with MediaPipeEstimator() as est:
        for i in range(spec.n_frames()):
            ft, posed = gen.truth_for(i)
            rows.append((ft, est.estimate(gen.render(posed, i), ft.time_s)))
    return rows


@pytest.fixture(scope="module")
def squat_side():
    return _run(SynthSpec(Exercise.SQUAT, reps=1, view=View.SIDE, seed=0, fps=15.0))


def test_person_found_in_every_frame(squat_side):
    assert all(pf.detected for _, pf in squat_side)


def test_landmarks_land_on_projected_truth_joints(squat_side):
    for joint, tol in PX_TOLERANCE.items():
        idx = Lm[f"LEFT_{joint.upper()}"]
        err = [np.linalg.norm(pf.landmarks[idx, :2] - ft.joints_px[f"left_{joint}"]) for ft, pf in squat_side]
        assert np.mean(err) < tol, (joint, np.mean(err))
        assert np.max(err) < 3 * tol, (joint, np.max(err))


def test_side_view_knee_flexion_and_trunk_angle(squat_side):
    knee, trunk = [], []
    for ft, pf in squat_side:
        lm = pf.landmarks
        k = A.knee_flexion(lm[Lm.LEFT_HIP, :2], lm[Lm.LEFT_KNEE, :2], lm[Lm.LEFT_ANKLE, :2])
        knee.append(k - ft.knee_flexion_deg["left"])
        mid_hip = (lm[Lm.LEFT_HIP, :2] + lm[Lm.RIGHT_HIP, :2]) / 2
        mid_sh = (lm[Lm.LEFT_SHOULDER, :2] + lm[Lm.RIGHT_SHOULDER, :2]) / 2
        trunk.append(A.trunk_from_vertical_2d(mid_hip, mid_sh) - ft.trunk_from_vertical_deg)
    assert np.mean(np.abs(knee)) < 5.0
    assert np.mean(np.abs(trunk)) < 5.0
    # The rep is visible: MediaPipe's knee angle spans most of the true range.
    measured = [ft.knee_flexion_deg["left"] + e for (ft, _), e in zip(squat_side, knee, strict=True)]
    assert max(measured) > 85.0 and min(measured) < 15.0


def test_floor_exercise_found_in_every_frame():
    rows = _run(SynthSpec(Exercise.BIRD_DOG, reps=1, view=View.SIDE, seed=1, fps=10.0))
    assert all(pf.detected for _, pf in rows)
    err = [np.linalg.norm(pf.landmarks[Lm.LEFT_KNEE, :2] - ft.joints_px["left_knee"]) for ft, pf in rows]
    assert np.mean(err) < 12.0
