"""Camera geometry read from the person: roll of the image, and posture measures that do not depend on it.

Pure functions on image points (px, x right, y down); angles in degrees, never rounded. A home camera is
rarely level: a phone on the floor looks up, one on a shelf looks down, and either may be rolled. Roll turns
every image direction by the same angle, and a pitched camera tilts the verticals of a person away from the
image centre, but both leave angles *between* body segments that lie in one vertical plane nearly unchanged.
So a lean is read against the vertical the person's own legs show at the top of a lift (`roll_from_legs_deg`),
not against the image axis, and the other checks compare a reading with the same rep's own rest reading from
the same camera (the knee angles, the shoulder line), or use shares of a range (hips rising first), which a
camera's roll or pitch shifts alike and so cancels.

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


def roll_from_legs_deg(leg_tilts_deg: Sequence[float], max_abs_deg: float) -> float:
    """Camera roll from the image tilts of a standing person's legs (ankle→hip, `image_tilt_deg`), degrees:
    minus their median (legs standing tall are vertical in the world); 0 when none is known or the median is
    beyond ±max_abs_deg (the person was not standing tall)."""
    vals = np.array([v for v in leg_tilts_deg if math.isfinite(v)], dtype=float)
    if not vals.size:
        return 0.0
    roll = -float(np.median(vals))
    return roll if abs(roll) <= max_abs_deg else 0.0


def lean_back_from_tilt_deg(tilt_deg: float, facing: int) -> float:
    """Trunk lean behind the vertical from its image tilt (`image_tilt_deg` of hip→shoulder, degrees, already
    taken against a reference vertical), + = behind; NaN without a facing (+1 image-right, −1 image-left)."""
    return -facing * tilt_deg if facing in (1, -1) else NAN


def majority_facing(facings: Sequence[int]) -> int:
    """The facing (+1 / −1) most frames agree on, 0 when none is known or they tie."""
    right = sum(1 for f in facings if f > 0)
    left = sum(1 for f in facings if f < 0)
    return 1 if right > left else -1 if left > right else 0
