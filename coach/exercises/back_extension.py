"""Back extension (prone floor "superman" and 45° bench): counted on the lift above the rest posture.

One depth signal serves both versions: the trunk's image elevation (hip→shoulder above the horizontal) minus
the lowest elevation seen so far (median-smoothed), capped at `REST_CEILING_DEG`. Lying flat, the rest is
about horizontal and a lift raises the chest 10–30°; on the 45° bench the rest is hinged down over the pad
and the lift raises the trunk 60–100°. The cap keeps a clip that opens at the top of a bench rep from taking
the top for the rest (the rest is known to be lower than horizontal). A rep counts when its lift is seen from
rest to the top, so a clip that stops at the top counts its last lift and one that opens there does not count
the lowering. Legs that rest flat on the floor add their own
lift (hip→ankle elevation above their rest), so alternating and legs-first supermans count too.

Checks: lumbar hyperextension (a lift beyond the person's own first reps), neck cranked back (relative to the
calibrated neutral), and rapid movement. Twist is not judged (see `_check_twist`); the notices say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from coach.counter import RepEvent
from coach.exercises.base import BaseAnalyzer, FrameResult, RollingMedian, nanmax, peak, smoothed
from coach.exercises.own_range import OwnRange, PersonSize, RecentRange, own_range_band
from coach.exercises.spec import ExerciseSpec, Posture, SynthTiming
from coach.features import BodyFeatures
from coach.thresholds import CounterThresholds
from coach.types import Exercise, FormWarning, Notice, NoticeKind, View, WarningKind

REST_CEILING_DEG = 10.0
"""The rest posture's trunk elevation is taken to be at most this, degrees (lying flat reads about 0 ± 10)."""
REFERENCE_REPS = 2
"""The first this-many complete reps set the person's own lift range."""
FLAT_LEG_DEG = 25.0
"""A leg whose rest elevation (hip→ankle) is within this of horizontal lies flat on the floor, degrees: its
lift then counts too (alternating and legs-only supermans barely raise the trunk). Bench legs rest ≈ −45°."""


END_VIEWS = (View.FRONT, View.REAR)
"""Views along a body lying face down (the head end, the feet end)."""
END_PARTS = ("chest", "leg_left", "leg_right")
"""The parts whose own-range lift counts from the head or the feet end."""


def end_lifts_px(f: BodyFeatures) -> dict[str, float]:
    """How far the mid-shoulder is above the mid-hip and each ankle above the mid-hip, image px (up = +; NaN for
    a foot not seen): from either end of a body lying face down, a chest or leg lift raises them in the picture."""
    lb = f.limbs
    return {"chest": lb.hip[1] - lb.shoulder[1],
            "leg_left": lb.hip[1] - lb.left.ankle[1] if lb.left.visible else math.nan,
            "leg_right": lb.hip[1] - lb.right.ankle[1] if lb.right.visible else math.nan}


class BackExtensionAnalyzer(BaseAnalyzer):
    """Prone back extension on the floor or a 45° bench, best filmed from the side."""

    exercise: ClassVar[Exercise] = Exercise.BACK_EXTENSION
    uses_back_bulge: ClassVar[bool] = False
    """Lifting the trunk extends the spine: rounding is not checked, so the silhouette is not needed."""
    lift_ends_at_depth: ClassVar[bool] = True
    """The working phase is the lift from rest to the top: a recording that stops at the top has seen it, so that
    rep counts; one that opens at the top shows only the lowering, which does not (the end-to-end rule)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._ref_lifts: list[float] = []
        self.on_scene_cut()  # the camera-dependent references start unknown

    # --- signal -------------------------------------------------------------------------------
    def counter_thresholds(self) -> CounterThresholds:
        return SPEC.band(self.th)

    def on_scene_cut(self) -> None:
        """The rest elevations of trunk and legs, and the own ranges, are image measures of the old shot."""
        self._recent = RollingMedian()
        self._rest_ref = math.inf
        self._legs = (RollingMedian(), RollingMedian())
        self._leg_ref: list[float] = [math.inf, math.inf]
        th = self.th
        self._angle_range = RecentRange(th.own_range_window_s, th.own_range_smooth_s)
        self._angle_span_deg = math.nan
        self._end_range = RecentRange(th.own_range_window_s, th.own_range_smooth_s)
        self._size = PersonSize()
        self._parts = {name: OwnRange(th.own_range_min_share, th.own_range_smooth_s) for name in END_PARTS}

    def rest_reference_deg(self) -> float:
        """Trunk elevation of the rest posture so far, degrees (≤ REST_CEILING_DEG)."""
        return min(self._rest_ref, REST_CEILING_DEG)

    def leg_lift_deg(self, f: BodyFeatures) -> float:
        """The higher leg's lift above its rest, degrees, for legs resting flat on the floor (else NaN)."""
        lifts = []
        for value, ref in zip((f.leg_elevation_left_deg, f.leg_elevation_right_deg), self._leg_ref, strict=True):
            if math.isfinite(ref) and abs(ref) <= FLAT_LEG_DEG and math.isfinite(value):
                lifts.append(value - ref)
        return max(lifts) if lifts and f.lower_body_visible else math.nan

    def angle_lift_deg(self, f: BodyFeatures) -> float:
        """Lift above the rest posture, degrees: the trunk's, or a flat-lying leg's if that is larger."""
        trunk = f.trunk_elevation_deg - self.rest_reference_deg()
        legs = self.leg_lift_deg(f)
        return trunk if not legs > trunk else legs

    def end_view(self) -> bool:
        """Whether to count on the own-range lift: the clip so far is filmed from the head or the feet end (the
        body seen lengthways) and the trunk's angle has not swung through `back_extension_end_angle_range_deg`
        lately (it does on a 45° bench seen from the front: the angle then counts)."""
        return self.view() in END_VIEWS and not self._angle_span_deg >= self.th.back_extension_end_angle_range_deg

    def end_lift_deg(self) -> float:
        """From the head or the feet end: the highest own-range lift (0–90) of the chest and the legs that have
        moved; 0 while none has, NaN when none is seen."""
        moved = [p.last for p in self._parts.values() if p.moved(self._size.px)]
        if moved:
            return nanmax(*moved)
        return 0.0 if any(math.isfinite(p.last) for p in self._parts.values()) else math.nan

    def signal(self, f: BodyFeatures) -> float:
        """The depth signal: the angle lift (`angle_lift_deg`) from the side and at 45°, the own-range lift
        (`end_lift_deg`) from the head or the feet end."""
        return self.end_lift_deg() if self.end_view() else self.angle_lift_deg(f)

    def visible(self, f: BodyFeatures) -> bool:
        """Shoulders and hips suffice (a bench hides the legs)."""
        return f.detected and f.upper_body_visible

    def update(self, features: BodyFeatures) -> FrameResult:
        """Track the rest reference (lowest median-smoothed trunk elevation), then count."""
        f = features
        if self.visible(f) and math.isfinite(f.trunk_elevation_deg):
            level = self._recent.push(f.timestamp_s, f.trunk_elevation_deg)
            if not math.isnan(level):
                self._rest_ref = min(self._rest_ref, level)
        if self.visible(f) and f.lower_body_visible:
            for i, value in enumerate((f.leg_elevation_left_deg, f.leg_elevation_right_deg)):
                if math.isfinite(value):
                    level = self._legs[i].push(f.timestamp_s, value)
                    if not math.isnan(level):
                        self._leg_ref[i] = min(self._leg_ref[i], level)
        self._track_ranges(f)
        return super().update(f)

    def _track_ranges(self, f: BodyFeatures) -> None:
        """Follow the angle lift's range and the parts' own ranges; set the counter band for the view."""
        seen = self.visible(f)
        size = self._size.push(f.timestamp_s, f.bbox) if seen else math.nan
        lifts = end_lifts_px(f) if seen else {}
        for name, part in self._parts.items():
            part.push(f.timestamp_s, lifts.get(name, math.nan), size)
        rest, span = self._angle_range.push(f.timestamp_s, self.angle_lift_deg(f) if seen else math.nan)
        self._angle_span_deg = span
        end_rest, end_span = self._end_range.push(f.timestamp_s, self.end_lift_deg() if seen else math.nan)
        th = self.th
        shares = (th.own_range_start_share, th.own_range_depth_share, th.own_range_return_share)
        if self.end_view():  # the parts' own-range lift, its band again at shares of its recent range
            self.counter.thresholds = own_range_band(th.back_extension_end_counter, end_rest, end_span,
                                                     th.back_extension_end_min_range_deg, shares)
        else:
            self.counter.thresholds = own_range_band(SPEC.band(th), rest, span, th.back_extension_min_range_deg,
                                                     shares)

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        return {"trunk_lift_deg": self.angle_lift_deg(f), "neck_flexion_deg": f.neck_flexion_deg}

    # --- per-rep checks -----------------------------------------------------------------------
    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        times = [f.timestamp_s for f in frames]
        lift = smoothed(times, [self.angle_lift_deg(f) if self.visible(f) else math.nan for f in frames])
        top, top_t = peak(times, lift)
        metrics: dict[str, float] = {"trunk_lift_deg": top}
        warnings: list[FormWarning] = []
        warnings += self._check_hyperextension(top, top_t, metrics, event.seen_from_start)
        warnings += self._check_neck(frames, metrics)
        warnings += self.check_tempo(frames, event, metrics, "Lift and lower slowly, about two seconds each way.")
        warnings += self._check_twist(frames, metrics)
        return metrics, warnings

    def _check_hyperextension(self, top: float, t: float, metrics: dict[str, float],
                              seen_from_start: bool) -> list[FormWarning]:
        """Warn when a lift goes beyond the person's own first reps by more than the threshold."""
        if math.isnan(top):
            return []
        if len(self._ref_lifts) < REFERENCE_REPS:
            if seen_from_start:
                self._ref_lifts.append(top)
            return []
        ref = float(np.median(self._ref_lifts))
        metrics["reference_lift_deg"] = ref
        beyond = top - ref
        metrics["lift_beyond_reference_deg"] = beyond
        limit = self.th.spine.lumbar_hyperextension_deg
        if beyond <= limit:
            return []
        return [FormWarning(WarningKind.LUMBAR_HYPEREXTENSION, t, beyond, limit, "deg",
                            f"You arched about {beyond:.0f}° higher than in your first lifts.",
                            "Lift only until your body forms a long line; squeeze your glutes rather than "
                            "arching your lower back.")]

    def _check_neck(self, frames: Sequence[BodyFeatures], metrics: dict[str, float]) -> list[FormWarning]:
        """Warn when the head tips back against the trunk beyond neutral (neck flexion falls)."""
        base = self.neutral.neck_flexion_deg
        if math.isnan(base):
            return []
        times = [f.timestamp_s for f in frames]
        ext = base - smoothed(times, [f.neck_flexion_deg for f in frames])
        value, t = peak(times, ext)
        if math.isnan(value):
            return []
        metrics["neck_extension_deg"] = value
        limit = self.th.spine.neck_extension_deg
        if value <= limit:
            return []
        return [FormWarning(WarningKind.NECK_EXTENSION, t, value, limit, "deg",
                            f"Your head tipped back about {value:.0f}° as you lifted.",
                            "Keep your gaze on the floor a little ahead of you, chin gently tucked.")]

    def _check_twist(self, frames: Sequence[BodyFeatures], metrics: dict[str, float]) -> list[FormWarning]:
        """Not judged: 3-D twist read 38° MAE lying prone; image lines are edge-on from the side and untested
        head-on (on all fours from behind they read 11–15° on good reps, see bird_dog)."""
        return self.check_twist(frames, metrics, "Keep both hips and both shoulders pressing evenly; lift "
                                                 "straight up without rolling to one side.", world_fallback=False,
                                image_views=())

    def notices(self, view: View) -> list[Notice]:
        out = super().notices(view)
        if any(r.complete for r in self._reps):
            twist = ("Twist (rolling to one side) cannot be measured reliably lying down yet, so it was not "
                     "checked. " if self.twist_unjudged else "")
            out.append(Notice(NoticeKind.UNRELIABLE_MEASURE,
                              f"{twist}Arching is judged against your own first {REFERENCE_REPS} lifts, so those "
                              "lifts are not checked for it."))
        return out


SPEC = ExerciseSpec(
    exercise=Exercise.BACK_EXTENSION,
    name="back extension",
    title="Back extension (lying face down)",
    harder="hold at the top for a slow count of three",
    posture=Posture.LYING,
    signal_words="trunk lift (°)",
    counter=lambda th: th.back_extension_counter,
    analyzer=BackExtensionAnalyzer,
    words={
        "trunk_lift_deg": "Trunk lift",
        "neck_flexion_deg": "Head bend",
        "neck_extension_deg": "Head tipped back",
        "reference_lift_deg": "Usual lift",
        "lift_beyond_reference_deg": "Lift above usual",
    },
    columns=("trunk_lift_deg", "spinal_flexion_deg", "twist_deg"),
    synth=SynthTiming(tempo_s=3.0, splits=(0.3, 0.25, 0.3, 0.15)),
)
