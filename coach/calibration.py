"""The person's own neutral posture, captured while they stand (or kneel, or lie) still and ready.

Spine measures are judged against this neutral, never against a population norm: a kyphotic back
that is someone's normal is not a warning.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.features import BodyFeatures


def _median(values: Sequence[float]) -> float:
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    return float(np.median(arr)) if arr.size else math.nan


@dataclass(frozen=True, slots=True)
class Neutral:
    """Calibrated neutral values (medians over the ready posture).

    Angles in degrees, lengths in px of the upright frame, `back_bulge` dimensionless.
    """

    back_bulge: float = math.nan
    twist_world_deg: float = 0.0
    neck_flexion_deg: float = math.nan
    trunk_from_vertical_deg: float = math.nan
    trunk_elevation_deg: float = math.nan
    shoulder_hip_width_ratio: float = math.nan
    torso_length_px: float = math.nan
    thigh_length_px: float = math.nan
    shank_length_px: float = math.nan
    hip_flexion_deg: float = math.nan
    frames: int = 0
    measured: bool = False

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
            trunk_from_vertical_deg=_median([f.trunk_from_vertical_deg for f in s]),
            trunk_elevation_deg=_median([f.trunk_elevation_deg for f in s]),
            shoulder_hip_width_ratio=_median([f.shoulder_hip_width_ratio for f in s]),
            torso_length_px=_median([f.torso_length_px for f in s]),
            thigh_length_px=_median([_dist(f.hip_xy, f.knee_xy) for f in s]),
            shank_length_px=_median([_dist(f.knee_xy, f.ankle_xy) for f in s]),
            hip_flexion_deg=_median([f.hip_flexion_deg for f in s]),
            frames=len(s),
            measured=True,
        )


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])
