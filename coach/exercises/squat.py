"""Squat: counted on knee flexion; checks back rounding, twist, depth, knee valgus and tempo.

Knee flexion comes from the image angle in a side view. From other views the image angle reads low
(26–37° from the front), so it is combined with a view-independent estimate from how far the hips
drop towards the ankles: with thigh and shank sharing the bend, hip height = standing height ×
cos(flexion / 2) (a level camera never foreshortens a vertical extent).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from coach.counter import RepEvent
from coach.exercises.base import (
    STANDING_KNEE_DEG,
    TWIST_REST_BAND_DEG,
    BaseAnalyzer,
    HipDrop,
    StandingTorso,
    peak,
    smoothed,
    sustained_peak,
)
from coach.exercises.spec import ExerciseSpec, Load, Posture, SynthTiming
from coach.features import BodyFeatures
from coach.thresholds import CounterThresholds
from coach.types import Exercise, FormWarning, Notice, NoticeKind, View, WarningKind

WARMUP_S = 1.0
"""Seconds held back at the start to learn the standing hip height (a clip may open mid-rep)."""

CUE_FLEXION = "Sit back as if onto a chair, hinge from the hips and keep your chest proud."
CUE_TWIST = "Keep your shoulders square over your hips, facing forwards, with your weight even on both feet."
CUE_DEPTH = "If it feels comfortable, sit a little lower, towards chair height."
CUE_VALGUS = "Push your knees out over your toes as you stand up."
CUE_TEMPO = "Take about two seconds down and two seconds up."


class SquatAnalyzer(BaseAnalyzer):
    """Bodyweight or loaded squat, filmed from any side (side view for spine checks)."""

    exercise: ClassVar[Exercise] = Exercise.SQUAT
    count_from_depth: ClassVar[bool] = True
    """A clip that starts at the bottom and stands up holds the rep's working (lifting) phase."""
    warmup_s: ClassVar[float] = WARMUP_S

    def learn(self, f: BodyFeatures) -> None:
        self._drop.observe(f)
        self._torso.observe(f)

    def on_scene_cut(self) -> None:
        """The standing hip height and torso length are in pixels of the old shot."""
        self._drop = HipDrop()
        self._torso = StandingTorso()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_scene_cut()  # the camera-dependent references start unknown

    def counter_thresholds(self) -> CounterThresholds:
        return SPEC.band(self.th)

    def drop_flexion(self, f: BodyFeatures) -> float:
        """View-independent knee flexion estimate from the hip height above the ankle, degrees."""
        return self._drop(f)

    def knee_flexion(self, f: BodyFeatures) -> float:
        """Knee flexion, degrees: the image angle from the side, else the hip-drop estimate (off the side the
        image angle reads low from the front and jumps when left and right legs are confused), except that
        from an oblique view both legs reading straight in the image (< STANDING_KNEE_DEG) caps it there."""
        drop = self.drop_flexion(f)
        image = f.knee_flexion_deg
        if self.view() is View.SIDE or math.isnan(drop):
            return image
        straight = max(f.knee_flexion_left_deg, f.knee_flexion_right_deg)
        if self.view() is View.OBLIQUE and straight < STANDING_KNEE_DEG:
            # Seen at an angle, a bent knee shows bent in the image, so both legs reading straight means
            # standing; the hip drop is ill-conditioned there (rest needs the hips within 2.4 % of the standing
            # height: cos(25°/2) = 0.976). From the front or back a bent leg can line up straight: no such rule.
            return min(drop, straight)
        return drop

    def signal(self, f: BodyFeatures) -> float:
        self._torso.observe(f)
        return self.knee_flexion(f)

    def visible(self, f: BodyFeatures) -> bool:
        """Hips and knees in view: enough to count (the head may leave the top of the frame, the feet
        the bottom); the spine checks make their own visibility demands."""
        return f.detected and f.knees_visible

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        return {"knee_flexion_deg": self.signal_of(f), "trunk_from_vertical_deg": f.trunk_from_vertical_deg}

    def notices(self, view: View) -> list[Notice]:
        out = super().notices(view)
        if view in (View.SIDE, View.OBLIQUE):
            out.append(Notice(NoticeKind.VIEW_LIMITS,
                              "Knees caving inwards can only be judged from the front or back; not checked here."))
        return out

    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        times = [f.timestamp_s for f in frames]
        knee = smoothed(times, [self.signal_of(f) for f in frames])
        depth, depth_t = peak(times, knee)
        metrics: dict[str, float] = {"knee_flexion_deg": depth}
        trunk, _ = peak(times, smoothed(times, [f.trunk_from_vertical_deg for f in frames]))
        metrics["trunk_from_vertical_deg"] = trunk
        warnings: list[FormWarning] = []
        warnings += self.check_spinal_flexion(frames, metrics, CUE_FLEXION)
        warnings += self.check_twist(frames, metrics, CUE_TWIST)
        good = self.th.squat_good_depth_deg
        if not math.isnan(depth) and depth < good:
            warnings.append(FormWarning(WarningKind.SHALLOW_DEPTH, depth_t, depth, good, "deg",
                                        f"Knees bent to about {depth:.0f}°.", CUE_DEPTH))
        if self.view() in (View.FRONT, View.REAR):
            warnings += self._check_valgus(frames, knee, metrics)
        self.phase_times(frames, event, metrics)
        lean = [self._torso.lean_deg(f) if f.upper_body_visible else math.nan for f in frames]
        warnings += self.check_trunk_speed(frames, lean, metrics, CUE_TEMPO)
        return metrics, warnings

    def _check_valgus(self, frames: Sequence[BodyFeatures], knee: np.ndarray,
                      metrics: dict[str, float]) -> list[FormWarning]:
        """Knees drifting inwards beyond the rep's own standing reading, degrees, held for
        `knee_valgus_min_duration_s`.

        Each knee's frontal angle (+ = towards the midline) is taken against its median over the rep's rest
        frames (knee bend within TWIST_REST_BAND_DEG of the rep's lowest), so a camera that is high, low or
        off-centre, or a person who stands a little knock-kneed, does not read as valgus; readings beyond
        `knee_valgus_max_plausible_deg` are dropped (a leg mix-up or a landmark jump)."""
        times = [f.timestamp_s for f in frames]
        gate = self.th.knee_valgus_max_plausible_deg
        sides = []
        for side in ("left", "right"):
            raw = np.array([getattr(f, f"knee_valgus_{side}_deg") for f in frames], dtype=float)
            with np.errstate(invalid="ignore"):
                raw[np.abs(raw) > gate] = np.nan
            rest = raw[knee <= np.nanmin(knee) + TWIST_REST_BAND_DEG] if np.isfinite(knee).any() else raw[:0]
            rest = rest[np.isfinite(rest)]
            sides.append(smoothed(times, raw - (float(np.median(rest)) if rest.size else 0.0)))
        valgus = np.fmax(sides[0], sides[1])  # the worse knee; NaN only where neither is seen
        value, t = sustained_peak(times, valgus, self.th.knee_valgus_min_duration_s)
        if math.isnan(value):
            return []
        metrics["knee_valgus_deg"] = value
        limit = self.th.knee_valgus_deg
        if not value > limit:
            return []
        return [FormWarning(WarningKind.KNEE_VALGUS, t, value, limit, "deg",
                            f"Your knees drifted about {value:.0f}° inwards.", CUE_VALGUS)]

SPEC = ExerciseSpec(
    exercise=Exercise.SQUAT,
    name="squat",
    title="Squat",
    load=Load.OPTIONAL_WEIGHT,
    harder="hold a little more weight, or pause a moment at the bottom",
    posture=Posture.STANDING,
    signal_words="knee bend (°)",
    counter=lambda th: th.squat_counter,
    analyzer=SquatAnalyzer,
    words={
        "knee_flexion_deg": "Knee bend",
        "trunk_from_vertical_deg": "Trunk lean",
        "knee_valgus_deg": "Knees turning in",
    },
    columns=("knee_flexion_deg", "trunk_from_vertical_deg", "spinal_flexion_deg", "twist_deg"),
    synth=SynthTiming(tempo_s=2.5, splits=(0.38, 0.06, 0.38, 0.18)),
)
