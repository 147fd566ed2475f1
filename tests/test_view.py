"""View classification on hand-built frames."""

from __future__ import annotations

import numpy as np

from coach.features import extract
from coach.landmarks import NUM_LANDMARKS, Lm
from coach.types import PoseFrame, View
from coach.view import chirality, classify_cues, width_ratio

W, H = 1280, 720


def body(yaw_deg: float, horizontal: bool = False, face: bool = True, rear: bool = False) -> PoseFrame:
    """A torso (shoulders 0.36 m, hips 0.22 m, torso 0.5 m) turned yaw_deg from facing the camera
    (0 = front, 90 = side), 400 px/m; optionally lying horizontal (head to image-right), or seen from
    behind (rear: the person's left on image-left)."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    lm[:, 3] = 0.95
    c, s = np.cos(np.radians(yaw_deg)), np.sin(np.radians(yaw_deg))
    # body frame: x = person's left→right... person's left at +x when facing the camera
    pts = {
        Lm.LEFT_SHOULDER: (0.18, 0.5), Lm.RIGHT_SHOULDER: (-0.18, 0.5),
        Lm.LEFT_HIP: (0.11, 0.0), Lm.RIGHT_HIP: (-0.11, 0.0),
        Lm.LEFT_EAR: (0.07, 0.68), Lm.RIGHT_EAR: (-0.07, 0.68), Lm.NOSE: (0.0, 0.66),
        Lm.LEFT_EYE: (0.03, 0.7), Lm.RIGHT_EYE: (-0.03, 0.7),
    }
    for i, (bx, up) in pts.items():
        depth = 0.1 if i in (Lm.NOSE, Lm.LEFT_EYE, Lm.RIGHT_EYE) else 0.0
        x = (-bx if rear else bx) * c + depth * s  # turning: lateral shrinks, the nose moves sideways
        if horizontal:
            lm[i, :2] = (400 + 400 * up, 400 + 400 * x)
        else:
            lm[i, :2] = (640 + 400 * x, 600 - 400 * up)
    if not face:
        lm[[Lm.NOSE, Lm.LEFT_EYE, Lm.RIGHT_EYE], 3] = 0.05
    return PoseFrame(0.0, W, H, True, lm, np.zeros((NUM_LANDMARKS, 3)))


def test_width_ratio() -> None:
    assert width_ratio(100.0, 50.0, 100.0) == (100 + 0.5 * 50) / 150
    assert np.isnan(width_ratio(10.0, 10.0, 0.0))
    assert width_ratio(30.0, float("nan"), 100.0) == 0.3


def test_chirality_sign() -> None:
    assert chirality(body(0).landmarks) < -0.9
    assert chirality(body(0, rear=True).landmarks) > 0.9
    assert chirality(body(0, horizontal=True).landmarks) < -0.9


def test_cues() -> None:
    assert classify_cues(0.8, False, -0.9) is View.FRONT
    assert classify_cues(0.8, True, 0.9) is View.REAR
    assert classify_cues(0.1, True) is View.SIDE
    assert classify_cues(0.45, False) is View.OBLIQUE
    assert classify_cues(0.8, True) is View.FRONT
    assert classify_cues(0.8, False) is View.REAR
    assert classify_cues(float("nan"), True) is View.UNKNOWN


def _view(frame: PoseFrame) -> View:
    """The per-frame view the features carry."""
    return extract(frame).view


def test_upright_views() -> None:
    assert _view(body(0)) is View.FRONT
    assert _view(body(0, face=False, rear=True)) is View.REAR
    assert _view(body(0, face=True, rear=True)) is View.REAR  # handedness beats the face
    assert _view(body(0, horizontal=True, rear=True)) is View.REAR
    assert _view(body(45)) is View.OBLIQUE
    assert _view(body(90)) is View.SIDE
    assert _view(body(80)) is View.SIDE
    assert _view(PoseFrame.empty(0.0, W, H)) is View.UNKNOWN


def test_horizontal_body_uses_torso_length() -> None:
    assert _view(body(90, horizontal=True)) is View.SIDE
    assert _view(body(45, horizontal=True)) is View.OBLIQUE


def test_features_carry_the_view() -> None:
    assert extract(body(90)).view is View.SIDE
    assert extract(body(0)).view is View.FRONT
