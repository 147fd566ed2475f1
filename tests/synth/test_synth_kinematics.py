"""Forward kinematics, exact angle definitions and rep timing of the synthetic person, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.synth import angles
from coach.synth.motions import READY_S, Fault, Phase, phase_at, plan, pose_at
from coach.synth.render import Camera, intersect_round_cone
from coach.synth.skeleton import SPINE, SPINE_REST_DEG, BodyDims, Pose, Seg, forward_kinematics, joints, pitch, yaw
from coach.types import Exercise, Side, WarningKind

DIMS = BodyDims(height_m=1.7)
H = DIMS.height_m


def test_rotation_helpers_follow_the_documented_signs():
    # pitch tilts +y toward +x; yaw turns +z (right) toward +x (forward), i.e. the person turns left.
    np.testing.assert_allclose(pitch(90) @ [0, 1, 0], [1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(pitch(90) @ [0, -1, 0], [-1, 0, 0], atol=1e-12)
    np.testing.assert_allclose(yaw(90) @ [0, 0, 1], [1, 0, 0], atol=1e-12)


def test_rest_pose_joint_positions_match_the_segment_lengths():
    js = joints(DIMS, forward_kinematics(DIMS, Pose(root=np.array([0.0, 1.0, 0.0]))))
    np.testing.assert_allclose(js["left_hip"], [0, 1.0, -0.052 * H])
    np.testing.assert_allclose(js["right_hip"], [0, 1.0, 0.052 * H])
    np.testing.assert_allclose(js["left_knee"], [0, 1.0 - 0.245 * H, -0.052 * H])
    np.testing.assert_allclose(js["left_ankle"], [0, 1.0 - (0.245 + 0.246) * H, -0.052 * H])
    # Shoulder: sacrum offset + three straight spine segments + the shoulder offset (no curvature here).
    np.testing.assert_allclose(
        js["left_shoulder"], [(-0.02 + 0.012) * H, 1.0 + (0.04 + 0.105 + 0.09 + 0.085 - 0.03) * H, -0.106 * H]
    )
    np.testing.assert_allclose(js["left_wrist"][1], js["left_shoulder"][1] - (0.186 + 0.146) * H)


def test_hip_flexion_and_knee_flexion_by_forward_kinematics():
    # Thigh swung 60° forward (knee ahead), shank flexed 90° back relative to the thigh.
    rot = {Seg.THIGH_L: pitch(-60), Seg.SHANK_L: pitch(-60) @ pitch(90)}
    js = joints(DIMS, forward_kinematics(DIMS, Pose(root=np.zeros(3), rotations=rot)))
    hip, knee, ankle = js["left_hip"], js["left_knee"], js["left_ankle"]
    thigh = 0.245 * H
    np.testing.assert_allclose(knee - hip, [thigh * math.sin(math.radians(60)), -thigh * 0.5, 0], atol=1e-12)
    shank = 0.246 * H  # shank at pitch +30: lower end goes back and down
    np.testing.assert_allclose(ankle - knee, [-shank * 0.5, -shank * math.cos(math.radians(30)), 0], atol=1e-12)
    assert angles.knee_flexion(hip, knee, ankle) == pytest.approx(90.0)


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((0, 1, 0), (0, 0, 0), (1, 0, 0), 90.0),
        ((0, 1, 0), (0, 0, 0), (0, -1, 0), 180.0),
        ((1, 1, 0), (0, 0, 0), (1, 0, 0), 45.0),
    ],
)
def test_interior_angle(a, b, c, expected):
    assert angles.interior_angle(np.array(a), np.array(b), np.array(c)) == pytest.approx(expected)


def test_knee_hip_and_trunk_definitions():
    assert angles.knee_flexion(np.array([0, 1.0, 0]), np.zeros(3), np.array([0, -1.0, 0])) == pytest.approx(0.0)
    # Trunk pitched 90° forward over a vertical thigh: hip angle 90.
    assert angles.hip_angle(np.array([1.0, 0, 0]), np.zeros(3), np.array([0, -1.0, 0])) == pytest.approx(90.0)
    assert angles.trunk_from_vertical(np.zeros(3), np.array([1.0, 1.0, 0.0])) == pytest.approx(45.0)
    # 2-D: image y points down, so "up" is −y.
    assert angles.trunk_from_vertical_2d(np.array([100.0, 300.0]), np.array([100.0, 200.0])) == pytest.approx(0.0)
    assert angles.trunk_from_vertical_2d(np.array([100.0, 300.0]), np.array([200.0, 200.0])) == pytest.approx(45.0)


@pytest.mark.parametrize("deg", [-20.0, 10.0, 35.0])
def test_trunk_twist_sign_and_size(deg):
    hips = (np.array([0, 0, -0.1]), np.array([0, 0, 0.1]))
    rot = yaw(deg)  # positive: right shoulder forward = shoulders turned to the person's left
    ls, rs = rot @ np.array([0, 0.5, -0.18]), rot @ np.array([0, 0.5, 0.18])
    assert angles.trunk_twist(ls, rs, *hips) == pytest.approx(deg)


def test_spine_flexion_is_zero_at_rest_curvature_and_adds_segment_pitches():
    def spine_pose(deltas):
        rot, prev = {}, np.eye(3)
        for seg, rest, d in zip(SPINE, SPINE_REST_DEG, deltas, strict=True):
            prev = prev @ pitch(rest + d)
            rot[seg] = prev
        return forward_kinematics(DIMS, Pose(root=np.zeros(3), rotations=rot))

    assert angles.spine_flexion(spine_pose((0, 0, 0))) == pytest.approx(0.0, abs=1e-9)
    assert angles.spine_flexion(spine_pose((10, 12, 8))) == pytest.approx(30.0)
    assert angles.spine_flexion(spine_pose((-9, -3, 0))) == pytest.approx(-12.0)


def test_fault_parsing():
    assert Fault.parse("none") is None
    assert Fault.parse("spinal_flexion:30") == Fault(WarningKind.SPINAL_FLEXION, 30.0)
    assert Fault.parse("hips_rise_first") == Fault(WarningKind.HIPS_RISE_FIRST)
    for bad in ("twist", "twist:x", "twist:0", "rapid_movement:5", "wobble:3", "hips_rise_first:5"):
        with pytest.raises(ValueError):
            Fault.parse(bad)
    with pytest.raises(ValueError):
        Fault(WarningKind.HIPS_RISE_FIRST).check(Exercise.BIRD_DOG)


def test_timeline_ready_hold_rep_spans_and_bird_dog_sides():
    tl = plan(Exercise.BIRD_DOG, 3, {1: Fault(WarningKind.TWIST, 15)}, tempo_s=2.5, rest_s=0.5)
    assert [r.start_s for r in tl.reps] == pytest.approx([READY_S, READY_S + 3.0, READY_S + 6.0])
    assert [r.end_s - r.start_s for r in tl.reps] == pytest.approx([2.5] * 3)
    assert tl.duration_s == pytest.approx(READY_S + 3 * 2.5 + 2 * 0.5 + 0.5)
    assert [r.side for r in tl.reps] == [Side.LEFT, Side.RIGHT, Side.LEFT]
    assert [r.fault for r in tl.reps] == [None, Fault(WarningKind.TWIST, 15), None]
    assert phase_at(tl, 0.5).rep is None and phase_at(tl, 0.5).q == 0.0
    assert phase_at(tl, tl.reps[0].bottom_s).q == pytest.approx(1.0)


def test_bird_dog_left_rep_extends_left_arm_and_right_leg():
    tl = plan(Exercise.BIRD_DOG, 1, {})
    pose, _ = pose_at(Exercise.BIRD_DOG, DIMS, phase_at(tl, tl.reps[0].bottom_s))
    js = joints(DIMS, forward_kinematics(DIMS, pose))
    # Left arm reaches forward (horizontal), right leg reaches back (straight knee).
    assert js["left_wrist"][0] - js["left_shoulder"][0] > 0.3 * H
    assert abs(js["left_wrist"][1] - js["left_shoulder"][1]) < 0.02 * H
    assert angles.knee_flexion(js["right_hip"], js["right_knee"], js["right_ankle"]) < 5
    assert angles.knee_flexion(js["left_hip"], js["left_knee"], js["left_ankle"]) == pytest.approx(90.0)


def test_quadruped_rest_puts_hands_and_knees_at_one_height():
    pose, _ = pose_at(Exercise.BIRD_DOG, DIMS, Phase(0, 0, 0, None))
    js = joints(DIMS, forward_kinematics(DIMS, pose))
    knee_floor = js["left_knee"][1] - 0.03 * H
    wrist_floor = js["left_wrist"][1] - 0.012 * H
    assert knee_floor == pytest.approx(wrist_floor, abs=1e-4)


def test_camera_projects_its_target_to_the_image_centre():
    cam = Camera(np.array([0.0, 1.0, -2.7]), np.array([0.0, 1.0, 0.0]), 60.0, 640, 480)
    np.testing.assert_allclose(cam.project(np.array([[0.0, 1.0, 0.0]])), [[320.0, 240.0]])
    assert cam.focal_px == pytest.approx(320 / math.tan(math.radians(30)))
    # 1 m to the camera's right at 2.7 m depth: the camera looks along +z, so its right is −x.
    x = cam.project(np.array([[-1.0, 1.0, 0.0]]))[0, 0]
    assert x == pytest.approx(320 + cam.focal_px / 2.7)


def test_round_cone_intersection_matches_sphere_and_cylinder_by_hand():
    ro = np.array([0.0, 0.0, -5.0])
    rd = np.array([[0.0, 0.0, 1.0], [0.0, 0.5, 1.0], [0.0, 3.0, 1.0]])
    rd = rd / np.linalg.norm(rd, axis=1, keepdims=True)
    t, n = intersect_round_cone(ro, rd, 0.0, 1.0, 1.0)  # unit sphere at the origin
    assert t[0] == pytest.approx(4.0)
    np.testing.assert_allclose(n[0], [0, 0, -1], atol=1e-12)
    assert np.isinf(t[2])
    # Capsule along z from 0 to 2, radius 0.5, seen from the side: hits the body at distance 2.5.
    t, n = intersect_round_cone(np.array([0.0, -3.0, 1.0]), np.array([[0.0, 1.0, 0.0]]), 2.0, 0.5, 0.5)
    assert t[0] == pytest.approx(2.5)
    np.testing.assert_allclose(n[0], [0, -1, 0], atol=1e-12)
