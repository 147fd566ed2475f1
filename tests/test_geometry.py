"""Geometry against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach import geometry as g

NAN = float("nan")


def rot_y(deg: float) -> np.ndarray:
    """Rotation about the y axis (the trunk axis in these tests) by deg."""
    a = math.radians(deg)
    return np.array([[math.cos(a), 0, math.sin(a)], [0, 1, 0], [-math.sin(a), 0, math.cos(a)]])


def test_joint_angle_right_angle_and_345() -> None:
    assert g.joint_angle_deg((3, 0), (0, 0), (0, 4)) == pytest.approx(90.0)
    # 3-4-5 triangle: angle at (0,0) between (4,0) and (4,3) = atan(3/4)
    assert g.joint_angle_deg((4, 0), (0, 0), (4, 3)) == pytest.approx(math.degrees(math.atan2(3, 4)))
    assert g.joint_angle_deg((0, 0), (4, 0), (4, 3)) == pytest.approx(90.0)
    assert g.joint_angle_deg((-1, 0), (0, 0), (1, 0)) == pytest.approx(180.0)
    assert g.joint_angle_deg((1, 0, 0), (0, 0, 0), (0, 0, 1)) == pytest.approx(90.0)


@pytest.mark.parametrize("deg", [30.0, 45.0, 60.0, 135.0])
def test_joint_and_flexion_known(deg: float) -> None:
    a = math.radians(deg)
    c = (math.cos(a), math.sin(a))
    assert g.joint_angle_deg((1, 0), (0, 0), c) == pytest.approx(deg)
    assert g.flexion_deg((1, 0), (0, 0), c) == pytest.approx(180.0 - deg)


def test_nan_and_zero_length() -> None:
    assert math.isnan(g.joint_angle_deg((NAN, 0), (0, 0), (1, 1)))
    assert math.isnan(g.joint_angle_deg((0, 0), (0, 0), (1, 1)))
    assert math.isnan(g.flexion_deg((1, 1), (1, 1), (2, 2)))
    assert math.isnan(g.angle_from_vertical_deg((1, 1), (1, 1)))
    assert math.isnan(g.elevation_deg((0, 0), (NAN, 1)))
    assert math.isnan(g.signed_angle_2d_deg((0, 0), (1, 0)))
    assert math.isnan(g.point_line_distance((1, 1), (0, 0), (0, 0)))
    assert math.isnan(g.twist_deg((0, 0, 0), (NAN, 0, 0), (0, 1, 0), (1, 1, 0)))
    assert np.all(np.isnan(g.unit((0.0, 0.0))))
    assert math.isnan(g.wrap_deg(NAN))


def test_angle_from_vertical_image_coords() -> None:
    assert g.angle_from_vertical_deg((0, 0), (0, -10)) == pytest.approx(0.0)
    assert g.angle_from_vertical_deg((0, 0), (10, 0)) == pytest.approx(90.0)
    assert g.angle_from_vertical_deg((0, 0), (-10, 0)) == pytest.approx(90.0)
    assert g.angle_from_vertical_deg((0, 0), (0, 10)) == pytest.approx(180.0)
    assert g.angle_from_vertical_deg((0, 0), (3, -3)) == pytest.approx(45.0)
    assert g.angle_from_vertical_deg((0, 0), (-1, -math.sqrt(3))) == pytest.approx(30.0)


def test_elevation_signed() -> None:
    assert g.elevation_deg((0, 0), (10, 0)) == pytest.approx(0.0)
    assert g.elevation_deg((0, 0), (-10, 0)) == pytest.approx(0.0)
    assert g.elevation_deg((0, 0), (0, -5)) == pytest.approx(90.0)
    assert g.elevation_deg((0, 0), (0, 5)) == pytest.approx(-90.0)
    assert g.elevation_deg((0, 0), (-math.sqrt(3), -1)) == pytest.approx(30.0)
    assert g.elevation_deg((0, 0), (4, 4)) == pytest.approx(-45.0)


def test_signed_angle_2d() -> None:
    assert g.signed_angle_2d_deg((1, 0), (0, 1)) == pytest.approx(90.0)
    assert g.signed_angle_2d_deg((1, 0), (0, -1)) == pytest.approx(-90.0)
    assert g.signed_angle_2d_deg((1, 0), (1, math.sqrt(3))) == pytest.approx(60.0)
    assert abs(g.signed_angle_2d_deg((1, 0), (-1, 0))) == pytest.approx(180.0)
    # Positive towards the left normal (-u_y, u_x).
    u = np.array([0.0, -1.0])
    n = g.left_normal_2d((0, 0), u)
    assert n == pytest.approx([1.0, 0.0])
    assert g.signed_angle_2d_deg(u, u + 0.1 * n) > 0


def test_point_line_distance() -> None:
    assert g.point_line_distance((0, 5), (0, 0), (4, 0)) == pytest.approx(5.0)
    # 3-4-5: distance from the origin to the line through (3,0) and (0,4) = 12/5
    assert g.point_line_distance((0, 0), (3, 0), (0, 4)) == pytest.approx(2.4)
    assert g.point_line_distance((0, 0, 5), (0, 0, 0), (1, 0, 0)) == pytest.approx(5.0)
    assert g.signed_point_line_distance((3, 0), (0, 0), (0, -10)) == pytest.approx(3.0)
    assert g.signed_point_line_distance((-3, 0), (0, 0), (0, -10)) == pytest.approx(-3.0)


def test_midpoint_distance() -> None:
    assert g.midpoint((0, 0), (4, 2)) == pytest.approx([2, 1])
    assert g.distance((0, 0), (3, 4)) == pytest.approx(5.0)
    assert g.wrap_deg(190.0) == pytest.approx(-170.0)


@pytest.mark.parametrize("deg", [0.0, 10.0, 30.0, -45.0, 60.0, 120.0])
def test_twist_known_rotation(deg: float) -> None:
    # Trunk axis along -y (up, world y down). Hips left→right along +x, shoulders rotated by deg about -y.
    l_hip, r_hip = np.array([-0.1, 0.0, 0.0]), np.array([0.1, 0.0, 0.0])
    sh = np.array([[-0.18, 0.0, 0.0], [0.18, 0.0, 0.0]]) @ rot_y(deg).T + np.array([0.0, -0.5, 0.0])
    got = g.twist_deg(sh[0], sh[1], l_hip, r_hip)
    # rot_y(+deg) is right-handed about +y, i.e. -deg about the trunk axis -y.
    assert got == pytest.approx(-deg, abs=1e-9)


def test_twist_ignores_lean_and_tilt() -> None:
    # Whole trunk leaned forward 40° (rotation about x): no twist.
    a = math.radians(40)
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    pts = np.array([[-0.18, -0.5, 0], [0.18, -0.5, 0], [-0.1, 0, 0], [0.1, 0, 0]]) @ rx.T
    assert g.twist_deg(*pts) == pytest.approx(0.0, abs=1e-9)
    # Shoulders tilted (one higher) but not rotated about the axis: small projection, no twist sign flip.
    assert g.twist_deg((-0.18, -0.55, 0), (0.18, -0.45, 0), (-0.1, 0, 0), (0.1, 0, 0)) == pytest.approx(
        0.0, abs=1e-9
    )


def test_signed_angle_about_axis() -> None:
    assert g.signed_angle_about_axis_deg((1, 0, 0), (0, 1, 0), (0, 0, 1)) == pytest.approx(90.0)
    assert g.signed_angle_about_axis_deg((1, 0, 0), (0, 1, 0), (0, 0, -1)) == pytest.approx(-90.0)
