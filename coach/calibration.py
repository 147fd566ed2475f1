"""The person's own neutral posture, captured while they stand (or kneel, or lie) still and ready.

Spine measures are judged against this neutral, never against a population norm: a kyphotic back
that is someone's normal is not a warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.camera import image_tilt_deg, trunk_against_legs_deg
from coach.features import BodyFeatures


def _median(values: Sequence[float]) -> float:
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    return float(np.median(arr)) if arr.size else math.nan


@dataclass(frozen=True, slots=True)
class Neutral:
    """Calibrated neutral values (medians over the ready posture).

    Angles in degrees, `back_bulge` dimensionless; `measured` is False until a ready posture was seen.
    `leg_tilt_deg` is the image tilt of ankle→hip (coach.camera.image_tilt_deg; standing, it is the camera's
    roll and perspective, negated) and `lean_back_deg` the trunk's lean behind the legs
    (coach.camera.trunk_against_legs_deg): a standing posture's own values, NaN when not seen side-on.
    """

    back_bulge: float = math.nan
    twist_world_deg: float = 0.0
    neck_flexion_deg: float = math.nan
    measured: bool = False
    leg_tilt_deg: float = math.nan
    lean_back_deg: float = math.nan

    @classmethod
    def from_features(cls, samples: Sequence[BodyFeatures]) -> Neutral:
        """The neutral from frames of the ready posture (detected frames only)."""
        s = [f for f in samples if f.detected]
        if not s:
            return cls()
        twist = _median([f.twist_world_deg for f in s])
        return cls(
            back_bulge=_median([f.back_bulge for f in s]),
            twist_world_deg=0.0 if math.isnan(twist) else twist,
            neck_flexion_deg=_median([f.neck_flexion_deg for f in s]),
            measured=True,
            leg_tilt_deg=_median([image_tilt_deg(f.ankle_xy, f.hip_xy) for f in s]),
            lean_back_deg=_median([trunk_against_legs_deg(f.ankle_xy, f.hip_xy, f.shoulder_xy, f.facing) for f in s]),
        )
