"""Camera geometry (coach.camera): hand-computed tilts and leans, roll-free by construction."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.camera import image_tilt_deg, lean_back_from_tilt_deg, majority_facing, roll_from_legs_deg


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


def test_roll_from_legs_by_hand() -> None:
    # Standing legs drawn 10° to the image-left at the top: a camera rolled +10°.
    legs = [image_tilt_deg((0.0, 0.0), _turn((0.0, -100.0), 10.0)) for _ in range(3)] + [math.nan]
    assert roll_from_legs_deg(legs, 20.0) == pytest.approx(10.0)
    assert roll_from_legs_deg([-4.0, -6.0, 30.0], 20.0) == pytest.approx(4.0)  # median −4°, one outlier
    assert roll_from_legs_deg([-25.0, -26.0], 20.0) == 0.0  # bent knees, not a roll
    assert roll_from_legs_deg([], 20.0) == 0.0


@pytest.mark.parametrize("roll", [-10.0, 7.5, 10.0, 20.0])
def test_a_lean_against_the_same_cameras_reference_ignores_its_roll(roll: float) -> None:
    hip, shoulder, standing = (0.0, -100.0), (-40.0, -160.0), (-3.0, -160.0)
    def lean(r: float) -> float:
        ref = image_tilt_deg(_turn(hip, r), _turn(standing, r))
        return lean_back_from_tilt_deg(image_tilt_deg(_turn(hip, r), _turn(shoulder, r)) - ref, facing=1)
    assert lean(roll) == pytest.approx(lean(0.0), abs=1e-9)
    assert lean(0.0) == pytest.approx(math.degrees(math.atan2(40.0, 60.0)) - math.degrees(math.atan2(3.0, 60.0)))
    # The image tilt of the trunk alone moves by the roll: that is what the lean-back check used to read.
    assert image_tilt_deg(_turn(hip, roll), _turn(shoulder, roll)) == pytest.approx(
        image_tilt_deg(hip, shoulder) - roll)


def test_lean_back_sign_follows_the_facing() -> None:
    assert lean_back_from_tilt_deg(-20.0, facing=1) == 20.0  # facing right, shoulders to the left: behind
    assert lean_back_from_tilt_deg(-20.0, facing=-1) == -20.0
    assert math.isnan(lean_back_from_tilt_deg(5.0, facing=0))


def test_majority_facing() -> None:
    assert majority_facing([1, 1, -1, 0]) == 1
    assert majority_facing([-1, 0, -1, 1]) == -1
    assert majority_facing([1, -1]) == 0 and majority_facing([]) == 0
