"""Camera geometry (coach.camera): hand-computed tilts and leans, roll-free by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.camera import image_tilt_deg, majority_facing, trunk_against_legs_deg


def _turn(p: tuple[float, float], deg: float) -> np.ndarray:
    """A point turned about the origin as a camera rolled by `deg` shows it (content counter-clockwise on a
    y-down screen)."""
    r = math.radians(deg)
    x, y = p
    return np.array([math.cos(r) * x + math.sin(r) * y, -math.sin(r) * x + math.cos(r) * y])


@pytest.mark.parametrize("upper, tilt", [((0.0, -10.0), 0.0), ((10.0, -10.0), 45.0), ((-10.0, -10.0), -45.0),
                                         ((10.0, 0.0), 90.0), ((0.0, 10.0), 180.0)])
def test_image_tilt_by_hand(upper: tuple[float, float], tilt: float) -> None:
    assert image_tilt_deg((0.0, 0.0), upper) == pytest.approx(tilt)


def test_image_tilt_of_a_world_vertical_reads_minus_the_roll() -> None:
    # The synth convention: + roll leans the world's verticals to the image-left at the top.
    assert image_tilt_deg((0.0, 0.0), _turn((0.0, -100.0), 10.0)) == pytest.approx(-10.0)
    assert math.isnan(image_tilt_deg((1.0, 1.0), (1.0, 1.0)))
    assert math.isnan(image_tilt_deg((0.0, 0.0), (math.nan, 1.0)))


def test_trunk_against_legs_by_hand() -> None:
    ankle, hip = (0.0, 0.0), (0.0, -100.0)
    behind = (-50.0, -150.0)  # 45° to the image-left of the leg line
    assert trunk_against_legs_deg(ankle, hip, behind, facing=1) == pytest.approx(45.0)  # faces right: leans back
    assert trunk_against_legs_deg(ankle, hip, behind, facing=-1) == pytest.approx(-45.0)  # faces left: hinges
    assert trunk_against_legs_deg(ankle, hip, (0.0, -160.0), facing=1) == pytest.approx(0.0)
    assert math.isnan(trunk_against_legs_deg(ankle, hip, behind, facing=0))
    # Facing image-left, hips pushed 10° forward of the ankles and the trunk upright: 10° behind the legs.
    hip_fwd = (-100.0 * math.sin(math.radians(10.0)), -100.0 * math.cos(math.radians(10.0)))
    assert trunk_against_legs_deg(ankle, hip_fwd, (hip_fwd[0], hip_fwd[1] - 60.0), facing=-1) == pytest.approx(10.0)


@pytest.mark.parametrize("roll", [-10.0, 7.5, 10.0, 20.0])
def test_trunk_against_legs_ignores_camera_roll(roll: float) -> None:
    ankle, hip, shoulder = (0.0, 0.0), (8.0, -100.0), (-40.0, -160.0)
    level = trunk_against_legs_deg(ankle, hip, shoulder, facing=1)
    rolled = trunk_against_legs_deg(_turn(ankle, roll), _turn(hip, roll), _turn(shoulder, roll), facing=1)
    assert rolled == pytest.approx(level, abs=1e-9)
    # The image tilt of the trunk alone moves by the roll: that is what the lean-back check used to read.
    assert image_tilt_deg(_turn(hip, roll), _turn(shoulder, roll)) == pytest.approx(
        image_tilt_deg(hip, shoulder) - roll)


def test_majority_facing() -> None:
    assert majority_facing([1, 1, -1, 0]) == 1
    assert majority_facing([-1, 0, -1, 1]) == -1
    assert majority_facing([1, -1]) == 0 and majority_facing([]) == 0
