"""Camera geometry read from the person: roll of the image, and posture measures that do not depend on it.

Pure functions on image points (px, x right, y down); angles in degrees, never rounded. A home camera is
rarely level: a phone on the floor looks up, one on a shelf looks down, and either may be rolled. Roll turns
every image direction by the same angle, and a pitched camera tilts the verticals of a person away from the
image centre, but both leave angles *between* body segments that lie in one vertical plane nearly unchanged.
So the checks read joint-relative angles (trunk against the legs) and compare with the person's own
standing values; where an angle from the vertical is needed, the vertical is the standing legs' image tilt
from the calibrated neutral (`Neutral.leg_tilt_deg`: the camera's roll plus its perspective at the person,
negated), not the image axis.

Roll sign: + = the camera turned clockwise as seen from behind it, so the world's verticals lean to the
image-left at the top (`image_tilt_deg` of a world vertical reads −roll; the convention of `coach synth`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from coach.geometry import PointLike, as_point

NAN = float("nan")


def image_tilt_deg(lower: PointLike, upper: PointLike) -> float:
    """Signed tilt of lower→upper from the image's upward vertical, −180..180°, + = upper towards image-right."""
    d = as_point(upper)[:2] - as_point(lower)[:2]
    dx, dy = float(d[0]), float(d[1])
    if not (math.isfinite(dx) and math.isfinite(dy)) or math.hypot(dx, dy) == 0.0:
        return NAN
    return math.degrees(math.atan2(dx, -dy))


def trunk_against_legs_deg(ankle: PointLike, hip: PointLike, shoulder: PointLike, facing: int) -> float:
    """How far the trunk (hip→shoulder) leans back behind the line of the legs (ankle→hip), degrees.

    + = shoulders behind the leg line (leaning back), − = trunk forward of it (hinging). `facing` is +1 when
    the person faces image-right, −1 image-left; NaN when unknown or a point is missing. Roll-free: both lines
    turn together with the camera; a pitched camera leaves it nearly unchanged for a person side-on, because
    ankle, hip and shoulder lie in one vertical plane and a vertical line stays straight in perspective.
    """
    if facing not in (1, -1):
        return NAN
    a, h, s = as_point(ankle)[:2], as_point(hip)[:2], as_point(shoulder)[:2]
    leg, trunk = h - a, s - h
    if not (np.isfinite(leg).all() and np.isfinite(trunk).all()) or not (np.hypot(*leg) > 0 and np.hypot(*trunk) > 0):
        return NAN
    # Angle from the leg direction to the trunk direction, + = clockwise on screen (towards image-right when up).
    cross = float(leg[0] * trunk[1] - leg[1] * trunk[0])
    dot = float(leg[0] * trunk[0] + leg[1] * trunk[1])
    forward = math.degrees(math.atan2(cross, dot)) * facing
    return -forward


def majority_facing(facings: Sequence[int]) -> int:
    """The facing (+1 / −1) most frames agree on, 0 when none is known or they tie."""
    right = sum(1 for f in facings if f > 0)
    left = sum(1 for f in facings if f < 0)
    return 1 if right > left else -1 if left > right else 0
