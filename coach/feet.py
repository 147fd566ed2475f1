"""Both feet, both hands and the body's vertical extents from one pose frame (pure, px of the upright frame).

The balance and functional exercises need each foot separately (which foot is lifted, how the feet are placed)
and heights above the ankles, which `coach.features.BodyFeatures` only gives for the near side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coach.landmarks import Lm
from coach.types import PoseFrame, Side

NAN = float("nan")
Point = tuple[float, float]
NAN_POINT: Point = (NAN, NAN)

FOOT_VISIBLE = 0.3
"""A foot landmark at least this visible is used (MediaPipe rates a partly hidden foot lower than a hand)."""


@dataclass(frozen=True, slots=True)
class Foot:
    """One foot's landmarks, px; `floor_y` is its lowest point (largest y) of heel and toes."""

    ankle: Point
    heel: Point
    toe: Point
    visible: bool

    @property
    def floor_y(self) -> float:
        """The foot's lowest image point, px (NaN when not seen)."""
        ys = [y for y in (self.heel[1], self.toe[1]) if math.isfinite(y)]
        return max(ys) if ys and self.visible else NAN

    @property
    def lift_px(self) -> float:
        """The ankle's height above the toes, px (rises when the heel comes up)."""
        return self.toe[1] - self.ankle[1] if self.visible else NAN


@dataclass(frozen=True, slots=True)
class Limbs:
    """Per-side feet and wrists, and the mid-hip / mid-shoulder / nose positions, px (NaN when unseen)."""

    left: Foot
    right: Foot
    wrist_left: Point
    wrist_right: Point
    hip: Point
    shoulder: Point
    nose: Point
    knee_left: Point = NAN_POINT
    knee_right: Point = NAN_POINT

    def foot(self, side: Side) -> Foot:
        """The foot on the person's `side`."""
        return self.left if side is Side.LEFT else self.right

    @property
    def ankle_y(self) -> float:
        """Mean ankle height in the image, px (larger = lower)."""
        ys = [f.ankle[1] for f in (self.left, self.right) if f.visible and math.isfinite(f.ankle[1])]
        return sum(ys) / len(ys) if ys else NAN

    @property
    def hip_height_px(self) -> float:
        """Mid-hip height above the ankles, px."""
        return self.ankle_y - self.hip[1]

    @property
    def shoulder_height_px(self) -> float:
        """Mid-shoulder height above the ankles, px."""
        return self.ankle_y - self.shoulder[1]

    @property
    def stature_px(self) -> float:
        """Nose above the lowest foot point, px: about 0.94 of the standing height when upright."""
        floors = [f.floor_y for f in (self.left, self.right) if math.isfinite(f.floor_y)]
        return max(floors) - self.nose[1] if floors else NAN


EMPTY_FOOT = Foot(NAN_POINT, NAN_POINT, NAN_POINT, False)
EMPTY_LIMBS = Limbs(EMPTY_FOOT, EMPTY_FOOT, NAN_POINT, NAN_POINT, NAN_POINT, NAN_POINT, NAN_POINT)


def _foot(rows: list[list[float]], ankle: Lm, heel: Lm, toe: Lm) -> Foot:
    vis = all(rows[i][3] >= FOOT_VISIBLE and math.isfinite(rows[i][0]) and math.isfinite(rows[i][1])
              for i in (ankle, heel, toe))
    return Foot(_xy(rows, ankle), _xy(rows, heel), _xy(rows, toe), vis)


def _xy(rows: list[list[float]], i: Lm) -> Point:
    return (rows[i][0], rows[i][1])


def _mid(rows: list[list[float]], a: Lm, b: Lm) -> Point:
    return ((rows[a][0] + rows[b][0]) * 0.5, (rows[a][1] + rows[b][1]) * 0.5)


def limbs_of(frame: PoseFrame) -> Limbs:
    """Both feet and hands of a frame (EMPTY_LIMBS when nobody was found)."""
    if not frame.detected:
        return EMPTY_LIMBS
    rows: list[list[float]] = frame.landmarks.tolist()  # plain floats: much faster than numpy scalars
    return Limbs(
        left=_foot(rows, Lm.LEFT_ANKLE, Lm.LEFT_HEEL, Lm.LEFT_FOOT_INDEX),
        right=_foot(rows, Lm.RIGHT_ANKLE, Lm.RIGHT_HEEL, Lm.RIGHT_FOOT_INDEX),
        wrist_left=_xy(rows, Lm.LEFT_WRIST),
        wrist_right=_xy(rows, Lm.RIGHT_WRIST),
        hip=_mid(rows, Lm.LEFT_HIP, Lm.RIGHT_HIP),
        shoulder=_mid(rows, Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER),
        nose=_xy(rows, Lm.NOSE),
        knee_left=_xy(rows, Lm.LEFT_KNEE),
        knee_right=_xy(rows, Lm.RIGHT_KNEE),
    )
