"""Squat: counted on knee flexion; checks back rounding, twist, depth, knee valgus and tempo."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from coach.analyzers.base import BaseAnalyzer, peak
from coach.counter import RepEvent
from coach.features import BodyFeatures
from coach.geometry import vertical_inclination_deg
from coach.thresholds import CounterThresholds
from coach.types import Exercise, FormWarning, View, WarningKind


class SquatAnalyzer(BaseAnalyzer):
    """Bodyweight or loaded squat, filmed from any side (side view for spine checks)."""

    exercise: ClassVar[Exercise] = Exercise.SQUAT

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._thigh_px = 0.0
        self._shank_px = 0.0

    def counter_thresholds(self) -> CounterThresholds:
        return self.th.squat_counter

    def knee_flexion(self, f: BodyFeatures) -> float:
        """Knee flexion, degrees: the image angle from the side, else also a view-independent estimate.

        The view-independent estimate reads each leg segment's tilt from its vertical extent over
        its standing length (a vertical segment is never foreshortened by a level camera), so a
        front view does not read 26–37° low as the plain image angle does.
        """
        thigh = math.dist(f.hip_xy, f.knee_xy)
        shank = math.dist(f.knee_xy, f.ankle_xy)
        if not math.isnan(thigh):
            self._thigh_px = max(self._thigh_px, thigh)
            self._shank_px = max(self._shank_px, shank)
        vi = vertical_inclination_deg(f.knee_xy[1] - f.hip_xy[1], self._thigh_px) + vertical_inclination_deg(
            f.ankle_xy[1] - f.knee_xy[1], self._shank_px
        )
        if self.view() is View.SIDE or math.isnan(vi):
            return f.knee_flexion_deg
        # Off the side, the image angle reads low; both segments' tilts overestimate a little at rest.
        return vi if math.isnan(f.knee_flexion_deg) else max(f.knee_flexion_deg, vi)

    def signal(self, f: BodyFeatures) -> float:
        return self.knee_flexion(f)

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        return {"knee_flexion_deg": self.knee_flexion(f), "trunk_from_vertical_deg": f.trunk_from_vertical_deg}

    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        times = [f.timestamp_s for f in frames]
        knee = np.array([self.knee_flexion(f) for f in frames])
        depth, depth_t = peak(times, knee)
        metrics: dict[str, float] = {"knee_flexion_deg": depth}
        trunk, _ = peak(times, np.array([f.trunk_from_vertical_deg for f in frames]))
        metrics["trunk_from_vertical_deg"] = trunk
        warnings: list[FormWarning] = []
        warnings += self.check_spinal_flexion(frames, metrics, "Sit back as if onto a chair and keep your chest proud.")
        warnings += self.check_twist(frames, metrics, "Keep your shoulders square over your hips, facing forwards.")
        good = self.th.squat_good_depth_deg
        if not math.isnan(depth) and depth < good:
            warnings.append(FormWarning(WarningKind.SHALLOW_DEPTH, depth_t, depth, good, "deg",
                                        f"Knees bent to about {depth:.0f}°.",
                                        "If it feels comfortable, sit a little lower, towards chair height."))
        if self.view() in (View.FRONT, View.REAR):
            valgus = np.array([max(f.knee_valgus_left_deg, f.knee_valgus_right_deg) for f in frames])
            value, t = peak(times, valgus)
            if not math.isnan(value):
                metrics["knee_valgus_deg"] = value
                limit = self.th.knee_valgus_deg
                if value > limit:
                    warnings.append(FormWarning(WarningKind.KNEE_VALGUS, t, value, limit, "deg",
                                                "Your knees drifted inwards.",
                                                "Push your knees out over your toes as you stand up."))
        warnings += self.check_tempo(event, metrics, "Take about two seconds down and two seconds up.")
        return metrics, warnings
