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

    Angles in degrees, `back_bulge` dimensionless; `measured` is False until a ready posture was seen.
    """

    back_bulge: float = math.nan
    twist_world_deg: float = 0.0
    neck_flexion_deg: float = math.nan
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
            measured=True,
        )
