"""Deadlift and hip hinge (conventional, Romanian, kettlebell, good-morning): counted on trunk inclination.

The depth signal is the trunk's inclination from the vertical: from the side the image angle, from
any other view its vertical extent over its standing length (a level camera never foreshortens a
vertical extent), so a front-filmed hinge is counted too. A rep may start from standing (Romanian,
good-morning: down and back up) or at the bottom (conventional from the floor: the lift to lockout).
Checks: back rounding (the key one), twist, leaning back at lockout, hips rising before the chest,
and tempo.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

import numpy as np

from coach.camera import image_tilt_deg, lean_back_from_tilt_deg, majority_facing, roll_from_legs_deg
from coach.counter import RepEvent
from coach.exercises.base import (
    AnalysisResult,
    BaseAnalyzer,
    FrameResult,
    HipDrop,
    RollingMedian,
    StandingTorso,
    peak,
    smoothed,
    sustained_peak,
)
from coach.exercises.spec import ExerciseSpec, Load, Posture, SynthTiming
from coach.features import BodyFeatures
from coach.thresholds import CounterThresholds
from coach.types import Exercise, FormWarning, Notice, NoticeKind, View, WarningKind

SIDE_VIEWS = (View.SIDE, View.OBLIQUE)
WARMUP_S = 1.0
"""Seconds held back at the start to learn the standing torso length and hip height (clips often open at
the bottom of a pull)."""
LOCKOUT_WATCH_S = 1.0
"""After a rep is counted, the lockout is watched this long for leaning back, seconds."""
LOCKOUT_PRE_FRAMES = 60
"""Frames kept from before the rep's end for the lockout check (those within 0.5 s of it are used)."""
"""Frames whose median makes one sample of the lowest level the hinge signal has held."""

CUE_FLEXION = "Hinge at the hips and keep your chest proud, as if showing the logo on your shirt."
CUE_TWIST = "Keep your shoulders square over your hips and both hands level."
CUE_HYPEREXTENSION = "Finish tall: squeeze your buttocks and stack your ribs over your hips."
CUE_HIPS_FIRST = "Push the floor away and lift your chest and hips together."
CUE_TEMPO = "Lift smoothly and lower under control, about two seconds each way."


def lean_back_deg(f: BodyFeatures, facing: int = 0) -> float:
    """Trunk lean behind the vertical, degrees (+ = shoulders behind the hips); NaN without a facing.

    `facing` (+1 image-right, −1 image-left) is used when the frame's own is unknown (leaning back makes
    the frame's facing ambiguous)."""
    facing = f.facing or facing
    if facing == 0:
        return math.nan
    dx = (f.shoulder_xy[0] - f.hip_xy[0]) * facing
    dy = f.hip_xy[1] - f.shoulder_xy[1]
    if not (math.isfinite(dx) and math.isfinite(dy)) or dy <= 0:
        return math.nan
    return -math.degrees(math.atan2(dx, dy))


class DeadliftAnalyzer(BaseAnalyzer):
    """Hip hinge filmed from any side (side or oblique view for the spine checks)."""

    exercise: ClassVar[Exercise] = Exercise.DEADLIFT
    count_from_depth: ClassVar[bool] = True
    warmup_s: ClassVar[float] = WARMUP_S

    def may_start_deep(self, f: BodyFeatures) -> bool:
        """Only a pull from the floor (knees bent at the bottom) starts deep; see
        `Thresholds.deadlift_floor_start_knee_deg`."""
        return f.detected and f.knee_flexion_deg >= self.th.deadlift_floor_start_knee_deg

    def learn(self, f: BodyFeatures) -> None:
        self.trunk_inclination(f)
        self._drop.observe(f)

    def on_scene_cut(self) -> None:
        """Standing torso length and hip height are in pixels of the old shot, the rest level in its angles."""
        self._torso = StandingTorso()
        self._drop = HipDrop()
        self._recent = RollingMedian()
        self._floor = math.inf

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.on_scene_cut()  # the camera-dependent references start unknown
        self._facing = 0
        self._watch: tuple[int, float, list[BodyFeatures]] | None = None
        self._lockout_pre: deque[BodyFeatures] = deque(maxlen=LOCKOUT_PRE_FRAMES)

    def counter_thresholds(self) -> CounterThresholds:
        return SPEC.band(self.th)

    def trunk_inclination(self, f: BodyFeatures, learn: bool = True) -> float:
        """Trunk tilt from the vertical, degrees: the image angle from the side; from other views the
        vertical extent of hip→shoulder over its standing length (a high percentile of lengths seen)."""
        if not f.detected:
            return math.nan
        if learn:
            self._torso.observe(f)
        if self.view() in SIDE_VIEWS:
            return f.trunk_from_vertical_deg
        return self._torso.lean_deg(f)

    def signal(self, f: BodyFeatures) -> float:
        """Hinge depth above the lowest level held so far (capped; see `raw_signal`), degrees.

        Off the side, or from behind at an angle, a locked-out lifter can read 20–30° (foreshortened hip
        angle), so the counter works on the depth above the lowest level the signal has held for a few
        frames, never discounting more than `deadlift_rest_offset_max_deg`.
        """
        raw = self.raw_signal(f)
        if math.isnan(raw):
            return raw
        level = self._recent.push(f.timestamp_s, raw)
        if not math.isnan(level):
            self._floor = min(self._floor, level)
        return raw - min(max(self._floor, 0.0), self.th.deadlift_rest_offset_max_deg)

    def raw_signal(self, f: BodyFeatures) -> float:
        """Depth of the hinge, degrees: from the side the larger of trunk inclination and hip flexion; off
        the side the larger of trunk inclination and the hips' drop (a trunk leaning towards the camera
        reads short, and a conventional pull bends the knees)."""
        trunk = self.trunk_inclination(f)
        if f.facing:
            self._facing += f.facing
        if self.view() in SIDE_VIEWS:
            facing = 1 if self._facing > 0 else -1 if self._facing < 0 else 0
            if lean_back_deg(f, facing) > 0:
                return 0.0  # shoulders behind the hips: standing tall or leaning back, not hinging
            # Hip flexion also catches a knee-dominant pull, whose trunk stays fairly upright.
            hip = f.hip_flexion_deg
            return trunk if math.isnan(hip) else max(trunk, hip)
        drop = self._drop(f)
        return trunk if math.isnan(drop) else max(trunk, drop)

    def visible(self, f: BodyFeatures) -> bool:
        """Shoulders and hips are enough to count (plates often hide the shins)."""
        return f.detected and f.upper_body_visible

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        return {"trunk_inclination_deg": self.trunk_inclination(f, learn=False), "hip_flexion_deg": f.hip_flexion_deg}

    def notices(self, view: View) -> list[Notice]:
        out = super().notices(view)
        if view not in SIDE_VIEWS and view is not View.UNKNOWN:
            out.append(Notice(NoticeKind.VIEW_LIMITS,
                              "Hips rising before the chest and leaning back at lockout can only be judged from "
                              "the side; they were not checked."))
        return out

    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        times = [f.timestamp_s for f in frames]
        lean = [self.trunk_inclination(f, learn=False) for f in frames]
        trunk = smoothed(times, lean)
        depth, _ = peak(times, trunk)
        metrics: dict[str, float] = {"trunk_inclination_deg": depth}
        hip, _ = peak(times, smoothed(times, [f.hip_flexion_deg for f in frames]))
        metrics["hip_flexion_deg"] = hip
        warnings: list[FormWarning] = []
        warnings += self.check_spinal_flexion(frames, metrics, CUE_FLEXION)
        # A hinge filmed from the front folds the trunk towards the camera: in perspective the shoulder line
        # turns against the hip line without any twist (12–17° on good real deadlifts), so no image twist here.
        warnings += self.check_twist(frames, metrics, CUE_TWIST, image_views=())
        if self.view() in SIDE_VIEWS:
            warnings += self._check_hips_first(frames, trunk, metrics)
        self.phase_times(frames, event, metrics)
        warnings += self.check_trunk_speed(frames, lean, metrics, CUE_TEMPO)
        return metrics, warnings

    def update(self, features: BodyFeatures) -> FrameResult:
        """The shared loop, plus a look at the lockout just after each completed rep (the lean-back of
        lumbar hyperextension happens at the top, after the counter has already closed the rep)."""
        result = super().update(features)
        if self._watch is not None:
            self._watch[2].append(features)
            if features.timestamp_s > self._watch[1]:
                self._close_watch()
        if result.rep is not None and result.rep.complete:
            self._watch = (len(self._reps) - 1, features.timestamp_s + LOCKOUT_WATCH_S,
                           [f for f in self._lockout_pre if f.timestamp_s >= result.rep.end_s - 0.5])
        self._lockout_pre.append(features)
        return result

    def finish(self) -> AnalysisResult:
        self._close_watch()
        return super().finish()

    def _close_watch(self) -> None:
        if self._watch is None:
            return
        index, _, frames = self._watch
        self._watch = None
        if self.view() not in SIDE_VIEWS or not frames:
            return
        rep = self._reps[index]
        metrics = dict(rep.metrics)
        found = self._check_lockout(frames, metrics)
        self._reps[index] = replace(rep, metrics=metrics, warnings=rep.warnings + tuple(found))

    def _check_lockout(self, frames: Sequence[BodyFeatures], metrics: dict[str, float]) -> list[FormWarning]:
        """Leaning back at the top beyond the standing neutral (lumbar hyperextension), degrees.

        The trunk's image tilt is taken against the vertical the legs show at the top (`reference_tilt`), so a
        low, high or rolled camera does not read as a lean; the lean must hold
        `lean_back_min_duration_s`, and frames beyond `lean_back_max_plausible_deg` are dropped as landmark
        failures (too few left: not judged)."""
        sp = self.th.spine
        facing = self._rep_facing(frames)
        times = [f.timestamp_s for f in frames]
        ref = self.reference_tilt(frames)
        raw = np.array([lean_back_from_tilt_deg(image_tilt_deg(f.hip_xy, f.shoulder_xy) - ref, facing)
                        if f.detected else math.nan for f in frames], dtype=float)
        measured = int(np.isfinite(raw).sum())
        with np.errstate(invalid="ignore"):
            raw[np.abs(raw) > sp.lean_back_max_plausible_deg] = np.nan
        if not measured or np.isfinite(raw).sum() < sp.min_judged_share * measured:
            return []
        value, t = sustained_peak(times, smoothed(times, raw), sp.lean_back_min_duration_s)
        if math.isnan(value):
            return []
        metrics["lean_back_deg"] = value
        limit = sp.lumbar_hyperextension_deg
        if not value > limit:
            return []
        return [FormWarning(WarningKind.LUMBAR_HYPEREXTENSION, t, value, limit, "deg",
                            f"You leaned back about {value:.0f}° at the top.", CUE_HYPEREXTENSION)]

    def reference_tilt(self, frames: Sequence[BodyFeatures]) -> float:
        """The image tilt of a world vertical at the person, degrees: the median tilt of the legs (ankle→hip)
        over the lockout frames, i.e. minus the camera's roll (`roll_from_legs_deg`; 0 when the legs are not
        seen or lean beyond `camera_roll_max_deg`)."""
        legs = [image_tilt_deg(f.ankle_xy, f.hip_xy) for f in frames if f.detected and f.lower_body_visible]
        return -roll_from_legs_deg(legs, self.th.spine.camera_roll_max_deg)

    def _rep_facing(self, frames: Sequence[BodyFeatures]) -> int:
        """One facing for a rep (+1 image-right, −1 image-left): the whole set's majority, else the frames'.
        Per-frame facings flip when the head is seen from below or leans back; one flip would turn a forward
        lean into a lean back."""
        return 1 if self._facing > 0 else -1 if self._facing < 0 else majority_facing([f.facing for f in frames])

    def _check_hips_first(self, frames: Sequence[BodyFeatures], trunk: np.ndarray,
                          metrics: dict[str, float]) -> list[FormWarning]:
        """Hips rise first: on the way up the knees straighten while the trunk stays bent over.

        Value: share of the knee extension done (%) minus share of the trunk's rise done, at the time
        the knees have done `hips_first_knee_share` of their extension (interpolated between frames, so the
        verdict does not hang on which frames were sampled). Shares of a range do not move with a camera's
        roll, which shifts every trunk reading alike.
        """
        if trunk.size < 5 or np.all(np.isnan(trunk)):
            return []
        i_bot = int(np.nanargmax(trunk))
        knee = smoothed([f.timestamp_s for f in frames], [f.knee_flexion_deg for f in frames])[i_bot:]
        tr = trunk[i_bot:]
        if knee.size < 4 or np.all(np.isnan(knee)):
            return []
        k0, t0 = knee[0], tr[0]
        k_end, t_end = float(np.nanmin(knee)), float(np.nanmin(tr))
        k_range, t_range = k0 - k_end, t0 - t_end
        if not (k_range >= self.th.hips_first_min_knee_range_deg and t_range > 10.0):
            return []
        share = self.th.hips_first_knee_share
        done = (k0 - knee) / k_range
        idx = np.flatnonzero(done >= share)
        if idx.size == 0:
            return []
        j = int(idx[0])
        tr_j = float(tr[j])
        if j > 0 and math.isfinite(done[j - 1]) and math.isfinite(tr[j - 1]) and done[j] > done[j - 1]:
            w = (share - done[j - 1]) / (done[j] - done[j - 1])
            tr_j = float(tr[j - 1] + w * (tr[j] - tr[j - 1]))
        trunk_done = (t0 - tr_j) / t_range
        value = 100.0 * (share - trunk_done)
        metrics["hips_first_lag_pct"] = value
        limit = self.th.hips_first_lag_pct
        if not value > limit:
            return []
        t = frames[i_bot + j].timestamp_s
        return [FormWarning(WarningKind.HIPS_RISE_FIRST, t, value, limit, "%",
                            "Your hips rose before your chest: the knees straightened while your back "
                            "stayed bent over.", CUE_HIPS_FIRST)]


SPEC = ExerciseSpec(
    exercise=Exercise.DEADLIFT,
    name="deadlift",
    title="Deadlift (hip hinge)",
    load=Load.WEIGHT,
    harder="choose a slightly heavier weight",
    posture=Posture.STANDING,
    signal_words="hip bend (°)",
    counter=lambda th: th.deadlift_counter,
    analyzer=DeadliftAnalyzer,
    words={
        "trunk_inclination_deg": "Forward lean",
        "hip_flexion_deg": "Hip bend",
        "lean_back_deg": "Leaning back at the top",
    },
    columns=("hip_flexion_deg", "trunk_inclination_deg", "spinal_flexion_deg", "twist_deg"),
    synth=SynthTiming(tempo_s=2.5, splits=(0.38, 0.06, 0.38, 0.18)),
)
