"""Features on hand-built PoseFrames with known angles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.features import BodyFeatures, extract
from coach.landmarks import NUM_LANDMARKS, Lm
from coach.types import PoseFrame, Side, View

W, H = 1280, 720
L_TO_R = [
    (Lm.LEFT_EYE, Lm.RIGHT_EYE), (Lm.LEFT_EAR, Lm.RIGHT_EAR), (Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER),
    (Lm.LEFT_ELBOW, Lm.RIGHT_ELBOW), (Lm.LEFT_WRIST, Lm.RIGHT_WRIST), (Lm.LEFT_HIP, Lm.RIGHT_HIP),
    (Lm.LEFT_KNEE, Lm.RIGHT_KNEE), (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE), (Lm.LEFT_HEEL, Lm.RIGHT_HEEL),
    (Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX),
]

TRUNK_LEAN = 20.0  # deg from vertical, forward
THIGH = 40.0  # deg from downward vertical, forward
SHANK = 30.0  # deg from downward vertical, backward
NECK = 15.0  # head forward of the trunk line, deg


def _dir(deg_from_up: float) -> np.ndarray:
    """Unit image vector at deg from straight up, towards image-right (y down)."""
    a = math.radians(deg_from_up)
    return np.array([math.sin(a), -math.cos(a)])


def side_skeleton(near_gap_px: float = 8.0) -> PoseFrame:
    """Squatting person seen from their right, facing image-right: right side near (smaller z, visible).

    Knee flexion = THIGH + SHANK = 70°, hip flexion = TRUNK_LEAN + THIGH = 60°, trunk 20° from vertical.
    """
    lm = np.zeros((NUM_LANDMARKS, 4))
    hip = np.array([500.0, 380.0])
    sh = hip + 200 * _dir(TRUNK_LEAN)
    knee = hip + 180 * _dir(180 - THIGH)
    ankle = knee + 170 * _dir(180 + SHANK)
    ear = sh + 60 * _dir(TRUNK_LEAN + NECK)
    wrist = sh + 150 * _dir(180 - 10)
    pts = {
        Lm.RIGHT_SHOULDER: sh, Lm.RIGHT_HIP: hip, Lm.RIGHT_KNEE: knee, Lm.RIGHT_ANKLE: ankle,
        Lm.RIGHT_EAR: ear, Lm.RIGHT_WRIST: wrist, Lm.RIGHT_ELBOW: (sh + wrist) / 2,
        Lm.RIGHT_EYE: ear + np.array((22, -6)), Lm.RIGHT_HEEL: ankle + np.array((-10, 12)),
        Lm.RIGHT_FOOT_INDEX: ankle + np.array((35, 15)),
    }
    for (left, right) in L_TO_R:
        if right in pts:
            lm[right, :2] = pts[right]
            lm[left, :2] = pts[right] + (near_gap_px, 0.0)
            lm[right, 2:] = (-40.0, 0.99)
            lm[left, 2:] = (40.0, 0.4)
    lm[Lm.NOSE] = (*(ear + np.array((30, 4))), -40.0, 0.99)
    world = np.zeros((NUM_LANDMARKS, 3))
    world[[Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER, Lm.LEFT_HIP, Lm.RIGHT_HIP]] = [
        [0.18, -0.5, 0.0], [-0.18, -0.5, 0.0], [0.1, 0.0, 0.0], [-0.1, 0.0, 0.0],
    ]
    return PoseFrame(timestamp_s=1.5, width=W, height=H, detected=True, landmarks=lm, world=world,
                     brightness=120.0)


def mirrored(f: PoseFrame) -> PoseFrame:
    lm = f.landmarks.copy()
    lm[:, 0] = W - lm[:, 0]
    return PoseFrame(timestamp_s=f.timestamp_s, width=W, height=H, detected=True, landmarks=lm,
                     world=f.world, mask=f.mask)


def test_side_view_angles() -> None:
    f = extract(side_skeleton())
    assert f.detected and f.people == 1 and f.brightness == 120.0 and f.timestamp_s == 1.5
    assert f.view is View.SIDE
    assert f.near_side is Side.RIGHT
    assert f.facing == 1
    assert f.knee_flexion_deg == pytest.approx(THIGH + SHANK)
    assert f.knee_flexion_right_deg == pytest.approx(THIGH + SHANK)
    assert f.knee_flexion_left_deg == pytest.approx(THIGH + SHANK)
    assert f.hip_flexion_deg == pytest.approx(TRUNK_LEAN + THIGH)
    assert f.trunk_from_vertical_deg == pytest.approx(TRUNK_LEAN)
    assert f.trunk_elevation_deg == pytest.approx(90 - TRUNK_LEAN)
    assert f.neck_flexion_deg == pytest.approx(NECK)
    assert f.arm_elevation_right_deg == pytest.approx(-80.0)
    assert f.leg_elevation_right_deg < -45
    assert f.twist_world_deg == pytest.approx(0.0, abs=1e-9)
    assert f.torso_length_px == pytest.approx(200.0)
    assert f.shoulder_width_px == pytest.approx(8.0)
    assert f.hip_xy == pytest.approx((500.0, 380.0))
    assert f.head_visible and f.upper_body_visible and f.lower_body_visible and f.feet_visible
    assert f.body_height_px == pytest.approx(f.bbox[3] - f.bbox[1])
    assert math.isnan(f.back_bulge)  # no mask


def test_mirrored_faces_other_way_same_angles() -> None:
    a, b = extract(side_skeleton()), extract(mirrored(side_skeleton()))
    assert b.facing == -1
    assert b.view is View.SIDE
    for name in ("knee_flexion_deg", "hip_flexion_deg", "trunk_from_vertical_deg", "trunk_elevation_deg",
                 "neck_flexion_deg", "arm_elevation_right_deg", "leg_elevation_left_deg"):
        assert getattr(b, name) == pytest.approx(getattr(a, name)), name


def test_head_cranked_back_is_negative() -> None:
    f = side_skeleton()
    lm = f.landmarks.copy()
    sh = lm[Lm.RIGHT_SHOULDER, :2]
    ear = sh + 60 * _dir(TRUNK_LEAN - 25)  # 25° behind the trunk line
    for i in (Lm.LEFT_EAR, Lm.RIGHT_EAR):
        lm[i, :2] = ear
    lm[Lm.NOSE, :2] = ear + np.array((30, -8))
    g = extract(PoseFrame(1.0, W, H, True, lm, f.world))
    assert g.neck_flexion_deg == pytest.approx(-25.0)


def test_undetected_frame_all_nan() -> None:
    f = extract(PoseFrame.empty(2.0, W, H, brightness=30.0))
    assert isinstance(f, BodyFeatures)
    assert not f.detected and f.view is View.UNKNOWN and f.near_side is None and f.facing == 0
    assert f.timestamp_s == 2.0 and f.brightness == 30.0
    assert math.isnan(f.knee_flexion_deg) and math.isnan(f.trunk_from_vertical_deg)
    assert math.isnan(f.back_bulge) and all(math.isnan(v) for v in f.hip_xy)
    assert all(math.isnan(v) for v in (*f.shoulder_line_px, *f.hip_line_px))


def test_nan_landmarks_do_not_raise() -> None:
    f = side_skeleton()
    lm = f.landmarks.copy()
    lm[Lm.RIGHT_KNEE] = np.nan
    lm[Lm.LEFT_KNEE] = np.nan
    g = extract(PoseFrame(1.0, W, H, True, lm, f.world))
    assert math.isnan(g.knee_flexion_deg) and math.isnan(g.hip_flexion_deg)
    assert g.trunk_from_vertical_deg == pytest.approx(TRUNK_LEAN)
    assert not g.lower_body_visible


def test_back_bulge_with_mask() -> None:
    f = side_skeleton()
    hip, sh = f.landmarks[Lm.RIGHT_HIP, :2], f.landmarks[Lm.RIGHT_SHOULDER, :2]
    yy, xx = np.mgrid[:H, :W].astype(np.float64)
    u = (sh - hip) / np.linalg.norm(sh - hip)
    n = np.array([-u[1], u[0]])  # image-right-ish: the front, since the person faces right
    along = (xx - hip[0]) * u[0] + (yy - hip[1]) * u[1]
    across = (xx - hip[0]) * n[0] + (yy - hip[1]) * n[1]
    mask = ((along > -20) & (along < 220) & (across > -50) & (across < 60)).astype(np.float32)
    g = extract(PoseFrame(1.0, W, H, True, f.landmarks, f.world, mask=mask))
    assert g.back_bulge == pytest.approx(0.0, abs=0.005)
    assert math.isnan(extract(PoseFrame(1.0, W, H, True, f.landmarks, f.world, mask=mask),
                              with_silhouette=False).back_bulge)


def front_skeleton(face: bool = True, valgus_px: float = 0.0, rear: bool = False) -> PoseFrame:
    """Standing person facing the camera (their left at image-right), or from behind (rear)."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    lm[:, 3] = 0.95
    cx = 640.0
    for (left, right), (dx, y) in zip(
        L_TO_R,
        [(15, 105), (35, 110), (90, 180), (100, 260), (100, 330), (50, 380), (50 - valgus_px, 500),
         (50, 620), (50, 640), (55, 650)],
        strict=True,
    ):
        sign = -1.0 if rear else 1.0
        lm[left, :2] = (cx + sign * dx, y)
        lm[right, :2] = (cx - sign * dx, y)
    lm[Lm.NOSE, :2] = (cx, 118)
    if not face:
        lm[[Lm.NOSE, Lm.LEFT_EYE, Lm.RIGHT_EYE], 3] = 0.1
    return PoseFrame(0.0, W, H, True, lm, np.zeros((NUM_LANDMARKS, 3)))


def test_front_view_and_valgus() -> None:
    f = extract(front_skeleton())
    assert f.view is View.FRONT
    assert f.facing == 0
    assert f.knee_valgus_left_deg == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(f.back_bulge)
    g = extract(front_skeleton(valgus_px=20.0))  # knees 20 px towards the midline
    expected = 2 * math.degrees(math.atan2(20, 120))
    assert g.knee_valgus_left_deg == pytest.approx(expected)
    assert g.knee_valgus_right_deg == pytest.approx(expected)
    h = extract(front_skeleton(valgus_px=-20.0))
    assert h.knee_valgus_left_deg == pytest.approx(-expected)
    assert extract(front_skeleton(face=False, rear=True)).view is View.REAR
    # MediaPipe reports a "visible" face from behind too: handedness decides.
    assert extract(front_skeleton(face=True, rear=True)).view is View.REAR
    assert extract(front_skeleton(face=False)).view is View.FRONT


def test_shoulder_and_hip_lines_are_left_minus_right_image_vectors() -> None:
    f = extract(front_skeleton())  # shoulders ±90 px, hips ±50 px about x = 640, left at image-right
    assert f.shoulder_line_px == pytest.approx((180.0, 0.0))
    assert f.hip_line_px == pytest.approx((100.0, 0.0))
    assert extract(front_skeleton(rear=True)).shoulder_line_px == pytest.approx((-180.0, 0.0))


def test_knees_visible_when_the_feet_are_cut_off() -> None:
    f = side_skeleton()
    lm = f.landmarks.copy()
    for i in (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE, Lm.LEFT_HEEL, Lm.RIGHT_HEEL, Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX):
        lm[i, 1] = H + 40.0  # below the bottom edge
    cut = extract(PoseFrame(timestamp_s=0.0, width=W, height=H, detected=True, landmarks=lm, world=f.world))
    assert cut.knees_visible and not cut.lower_body_visible and not cut.feet_visible
    lm[[Lm.LEFT_KNEE, Lm.RIGHT_KNEE], 3] = 0.1  # knees hidden as well
    hidden = extract(PoseFrame(timestamp_s=0.0, width=W, height=H, detected=True, landmarks=lm, world=f.world))
    assert not hidden.knees_visible
    assert not BodyFeatures.empty(0.0).knees_visible
