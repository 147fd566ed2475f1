"""Bird-dog: counted per side on limb lift; checks back rounding, limb height and hold (not twist, see below).

Side "left" = left arm + right leg reaching; side "right" = right arm + left leg. Each limb's lift is read as
the share of the way from its rest posture to horizontal, in degrees (0 = rest, 90 = horizontal):
the arm from hanging straight down (−90° elevation), the leg (hip→ankle) from its own lowest elevation so far
(the kneeling rest, about −45°). A side's signal is the larger of its two limbs (an occluded far limb then
still counts the rep, and a limb left down earns `limb_below_horizontal`); the counter reads the larger side,
so a left/right landmark swap does not break a rep.

Twist can be judged from the head end and the feet end (front and rear views; off until the real model reads
it, see FLOOR_TWIST_VIEWS): there the hip line and the shoulder line lie across the picture, and a hip rolling
open tilts its line against the floor (the image horizontal); each line's tilt is read against its own tilt at
rest before the reps (`twist_floor_tilt_deg`, `floor_line_tilt_deg`). From the side and at 45° it is not judged,
and the notices say so: no evidence tried
separates a 20° pelvis roll from a good reach on synthetic clips (`coach synth`). From the side the shoulder and
hip lines are edge-on and the hip landmarks follow the lifted leg (the hip line moved 0.15 torso lengths in good
reaches, as much as with the roll); image widths read 2–14° for 20° and 9–12° for 0°; the silhouette's top line
moved alike; 3-D world twist reads ≈ 20° on every rep. (From behind, the standing lifts' line-against-line measure,
`base.image_twist_deg`, read 11–15° on good reps and 14–20° on rolled ones; the tilt against the floor does not
mix the two lines.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from coach.counter import EventKind, RepEvent
from coach.exercises.base import (
    TWIST_SMOOTH_S,
    BaseAnalyzer,
    FrameResult,
    RollingMedian,
    nanmax,
    smoothed,
    sustained_peak,
)
from coach.exercises.spec import ExerciseSpec, Posture, SynthTiming
from coach.features import BodyFeatures
from coach.thresholds import CounterThresholds
from coach.types import Exercise, FormWarning, Notice, NoticeKind, Side, View, WarningKind

ARM_REST_DEG = -90.0
"""Arm elevation on all fours: hanging straight down, degrees."""
LEG_REST_DEFAULT_DEG = -45.0
"""Hip→ankle elevation kneeling on all fours before any is seen, degrees."""
LEG_REST_RANGE_DEG = (-75.0, -20.0)
"""The leg's rest elevation is kept inside this range, degrees (guards against glitches)."""
CUE_TWIST = ("Reach long through your fingertips and heel, keeping your hips level and square to the floor.")
HOLD_BAND_DEG = 15.0
"""Full extension = within this of the rep's peak lift (and at least the counter's depth), degrees."""


LIMB_VIEWS = (View.SIDE, View.OBLIQUE)
"""Views from which the arm and leg height at the hold is judged."""

LEVEL_LIFT_DEG = 90.0
"""A lift (`lift_share_deg`) that brings the limb level with the back, degrees of the 0–90 scale."""


def lift_share_deg(elevation_deg: float, rest_deg: float) -> float:
    """Lift from `rest_deg` towards horizontal as degrees of a 0–90 scale (90 = horizontal, > 90 above)."""
    if not (math.isfinite(elevation_deg) and rest_deg < 0.0):
        return math.nan
    return LEVEL_LIFT_DEG * (elevation_deg - rest_deg) / (0.0 - rest_deg)


FLOOR_TWIST_VIEWS: tuple[View, ...] = ()
"""Views along the body (head end, feet end) from which twist on all fours is judged: none yet. On stick-figure
clips (exact joints, `coach.synth.stick`) from the front and rear the floor tilt reads 16–22° on 20° rolls and
≤ 9° on good reaches. But MediaPipe on a rendered clip from the feet end (`coach synth --exercise bird_dog --reps 6
--fault twist:20 --fault-reps 2,5 --view rear`, poses cached) saw the 20° rolls as only 5–9° of hip-line tilt,
while good reaches read 20–31° and, with the hips' landmarks swapping or jumping, up to ±85° (reps 3, 4, 6): every
rep was warned (11–39°). Set (View.FRONT, View.REAR) to judge it once the landmarks hold from behind."""
REST_TILT_FRAMES = 90
"""The lines' rest tilt is the median of at most this many frames at rest before the first rep."""


def floor_line_tilt_deg(line: tuple[float, float]) -> float:
    """Tilt of a left-minus-right landmark line against the image horizontal, degrees in (−90, 90] (a line has
    no direction: a left/right swap reads the same); NaN when unmeasurable."""
    dx, dy = line
    if not (math.isfinite(dx) and math.isfinite(dy)) or (dx == 0.0 and dy == 0.0):
        return math.nan
    a = math.degrees(math.atan2(dy, dx))
    return (a + 90.0) % 180.0 - 90.0


def _tilt_change(value: float, rest: float) -> float:
    """|value − rest| for two line tilts, degrees, the short way round (lines repeat every 180°)."""
    d = (value - rest + 90.0) % 180.0 - 90.0
    return abs(d)


class BirdDogAnalyzer(BaseAnalyzer):
    """Bird-dog on all fours, best filmed from the side at hip height."""

    exercise: ClassVar[Exercise] = Exercise.BIRD_DOG

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._rest_tilts: list[tuple[float, float]] = []
        self.on_scene_cut()  # the camera-dependent references start unknown
        self._side_counts: dict[Side, int] = {s: 0 for s in Side}
        self.limbs_unjudged = False
        """A rep's arm and leg height was not judged: the view runs along the body (`LIMB_VIEWS`)."""

    # --- signal -------------------------------------------------------------------------------
    def counter_thresholds(self) -> CounterThresholds:
        return SPEC.band(self.th)

    def on_scene_cut(self) -> None:
        """The legs' rest elevations and the lines' rest tilts are image angles of the old shot."""
        self._rest_tilts = []
        self._recent: dict[Side, RollingMedian] = {s: RollingMedian() for s in Side}
        self._leg_rest: dict[Side, float] = {s: math.inf for s in Side}

    def leg_rest_deg(self, leg: Side) -> float:
        """Rest (kneeling) hip→ankle elevation of one leg, degrees."""
        rest = self._leg_rest[leg]
        if not math.isfinite(rest):
            return LEG_REST_DEFAULT_DEG
        lo, hi = LEG_REST_RANGE_DEG
        return min(max(rest, lo), hi)

    def limb_lifts(self, f: BodyFeatures, side: Side) -> tuple[float, float]:
        """(arm, opposite leg) lift for a bird-dog side, degrees of the 0–90 rest-to-horizontal scale."""
        if side is Side.LEFT:
            arm, leg, leg_side = f.arm_elevation_left_deg, f.leg_elevation_right_deg, Side.RIGHT
        else:
            arm, leg, leg_side = f.arm_elevation_right_deg, f.leg_elevation_left_deg, Side.LEFT
        return lift_share_deg(arm, ARM_REST_DEG), lift_share_deg(leg, self.leg_rest_deg(leg_side))

    def side_signal(self, f: BodyFeatures, side: Side) -> float:
        """A side's lift: the larger of its arm and opposite leg, degrees (NaN when neither is seen)."""
        return nanmax(*self.limb_lifts(f, side))

    def signal(self, f: BodyFeatures) -> float:
        return nanmax(self.side_signal(f, Side.LEFT), self.side_signal(f, Side.RIGHT))

    def visible(self, f: BodyFeatures) -> bool:
        """Shoulders and hips must be seen (a far foot often leaves the frame)."""
        return f.detected and f.upper_body_visible

    def update(self, features: BodyFeatures) -> FrameResult:
        """Track each leg's rest elevation (lowest running median), then count."""
        f = features
        if self.visible(f):
            for leg, value in ((Side.LEFT, f.leg_elevation_left_deg), (Side.RIGHT, f.leg_elevation_right_deg)):
                if math.isfinite(value):
                    level = self._recent[leg].push(f.timestamp_s, value)
                    if not math.isnan(level):
                        self._leg_rest[leg] = min(self._leg_rest[leg], level)
        if self.visible(f) and not self.counter.in_rep and self.counter.count == 0 \
                and len(self._rest_tilts) < REST_TILT_FRAMES:
            hip, sh = floor_line_tilt_deg(f.hip_line_px), floor_line_tilt_deg(f.shoulder_line_px)
            if math.isfinite(hip) and math.isfinite(sh):
                self._rest_tilts.append((hip, sh))
        return super().update(f)

    def display_angles(self, f: BodyFeatures) -> dict[str, float]:
        return {"lift_left_deg": self.side_signal(f, Side.LEFT), "lift_right_deg": self.side_signal(f, Side.RIGHT)}

    def rep_side(self, frames: Sequence[BodyFeatures]) -> Side | None:
        """The side whose arm and leg together lifted more over the rep's lifted frames."""
        start = self.counter.thresholds.start_deg
        totals = {s: 0.0 for s in Side}
        for f in frames:
            if not self.visible(f) or not self.signal(f) >= start:
                continue
            for s in Side:
                totals[s] += sum(v for v in self.limb_lifts(f, s) if math.isfinite(v))
        if totals[Side.LEFT] == totals[Side.RIGHT]:
            return None
        return Side.LEFT if totals[Side.LEFT] > totals[Side.RIGHT] else Side.RIGHT

    # --- per-rep checks -----------------------------------------------------------------------
    def evaluate(self, frames: Sequence[BodyFeatures], event: RepEvent) -> tuple[dict[str, float], list[FormWarning]]:
        side = self.rep_side(frames)
        metrics: dict[str, float] = {}
        warnings: list[FormWarning] = []
        times = np.array([f.timestamp_s for f in frames])
        sig = smoothed(times, [self.signal(f) if self.visible(f) else math.nan for f in frames])
        held = self._hold_mask(sig)
        hold_s = self._hold_s(times, held)
        metrics["hold_s"] = hold_s
        metrics["peak_lift_deg"] = float(np.nanmax(sig)) if np.isfinite(sig).any() else math.nan
        if side is not None and event.kind is EventKind.COMPLETED:
            self._side_counts[side] += 1
            metrics["side_rep_number"] = float(self._side_counts[side])
            metrics["left_reps"] = float(self._side_counts[Side.LEFT])
            metrics["right_reps"] = float(self._side_counts[Side.RIGHT])
        hold_frames = [f for f, h in zip(frames, held, strict=True) if h] or list(frames)
        warnings += self._check_floor_twist(frames, metrics)
        warnings += self._check_back(frames, metrics)
        if side is not None:
            warnings += self._check_limbs(hold_frames, side, metrics)
        limit = self.th.movement.min_hold_s
        if hold_s < limit:
            t = float(times[held][0]) if held.any() else event.peak_time_s
            warnings.append(FormWarning(WarningKind.SHORT_HOLD, t, hold_s, limit, "s",
                                        f"You held the reach for {hold_s:.1f} s.",
                                        f"Pause at full reach for a slow count of {limit:.0f} before returning."))
        return metrics, warnings

    def _check_floor_twist(self, frames: Sequence[BodyFeatures], metrics: dict[str, float]) -> list[FormWarning]:
        """From the head or the feet end: warn when the hip line or the shoulder line tilts against the floor by
        more than `twist_floor_tilt_deg` beyond its rest tilt, held `twist_min_duration_s`. Other views: not
        judged (the shared check sets `twist_unjudged` for the notice)."""
        if self.view() not in FLOOR_TWIST_VIEWS or not self._rest_tilts:
            return self.check_twist(frames, metrics, CUE_TWIST, world_fallback=False, image_views=())
        hip0 = float(np.median([h for h, _ in self._rest_tilts]))
        sh0 = float(np.median([s for _, s in self._rest_tilts]))
        times = [f.timestamp_s for f in frames]
        tilt = []
        for f in frames:
            hip, sh = floor_line_tilt_deg(f.hip_line_px), floor_line_tilt_deg(f.shoulder_line_px)
            vals = [v for v in (_tilt_change(hip, hip0), _tilt_change(sh, sh0)) if math.isfinite(v)]
            tilt.append(max(vals) if vals and self.visible(f) else math.nan)
        sp = self.th.spine
        series = smoothed(times, tilt, TWIST_SMOOTH_S)
        with np.errstate(invalid="ignore"):
            series = np.where(series > sp.twist_max_plausible_deg, np.nan, series)
        value, t = sustained_peak(times, series, sp.twist_min_duration_s)
        if math.isnan(value):
            return []
        metrics["twist_deg"] = value
        limit = sp.twist_floor_tilt_deg
        if value <= limit:
            return []
        return [FormWarning(WarningKind.TWIST, t, value, limit, "deg",
                            f"Your hips or shoulders rolled about {value:.0f}° as you reached.", CUE_TWIST)]

    def _hold_mask(self, sig: np.ndarray) -> np.ndarray:
        """The longest contiguous stretch at full extension (within HOLD_BAND_DEG of the peak), as a mask."""
        filled = np.nan_to_num(sig, nan=-math.inf)
        top = float(filled.max()) if filled.size else -math.inf
        at_depth = filled >= max(self.counter.thresholds.depth_deg, top - HOLD_BAND_DEG)
        best = (0, 0)
        i = 0
        while i < at_depth.size:
            if at_depth[i]:
                j = i
                while j < at_depth.size and at_depth[j]:
                    j += 1
                if j - i > best[1] - best[0]:
                    best = (i, j)
                i = j
            else:
                i += 1
        mask = np.zeros(at_depth.size, dtype=bool)
        mask[best[0]:best[1]] = True
        return mask

    @staticmethod
    def _hold_s(times: np.ndarray, held: np.ndarray) -> float:
        if not held.any():
            return 0.0
        idx = np.flatnonzero(held)
        step = float(np.median(np.diff(times))) if times.size > 1 else 0.0
        return float(times[idx[-1]] - times[idx[0]]) + step

    def _check_back(self, frames: Sequence[BodyFeatures], metrics: dict[str, float]) -> list[FormWarning]:
        """Rounding (spinal flexion) beyond neutral, from the back silhouette.

        Sag (`back_sag`) is not judged: the silhouette bulge is one-sided (a concave back reads 0), and the
        landmarks do not see the lumbar curve; the notices say so.
        """
        return self.check_spinal_flexion(frames, metrics, "Keep your back flat like a table; draw your belly "
                                                          "button gently in.")

    def _check_limbs(self, hold: Sequence[BodyFeatures], side: Side, metrics: dict[str, float]) -> list[FormWarning]:
        """The working arm and leg should reach about horizontal at the hold (judged from the side or at 45° only:
        from the head or the feet end the limbs point along the view and their image angles mean nothing)."""
        if self.view() not in LIMB_VIEWS:
            self.limbs_unjudged = True
            return []
        if side is Side.LEFT:
            arm = [f.arm_elevation_left_deg for f in hold]
            leg = [f.leg_elevation_right_deg for f in hold]
        else:
            arm = [f.arm_elevation_right_deg for f in hold]
            leg = [f.leg_elevation_left_deg for f in hold]
        arm_el = float(np.nanmedian(arm)) if np.isfinite(arm).any() else math.nan
        leg_el = float(np.nanmedian(leg)) if np.isfinite(leg).any() else math.nan
        metrics["arm_elevation_deg"] = arm_el
        metrics["leg_elevation_deg"] = leg_el
        limit = self.th.movement.limb_below_horizontal_deg
        below = {name: -el for name, el in (("arm", arm_el), ("leg", leg_el)) if math.isfinite(el)}
        low = {k: v for k, v in below.items() if v > limit}
        if not low:
            return []
        name = max(low, key=lambda k: low[k])
        value = low[name]
        t = hold[len(hold) // 2].timestamp_s
        return [FormWarning(WarningKind.LIMB_BELOW_HORIZONTAL, t, value, limit, "deg",
                            f"Your {name} stayed about {value:.0f}° below level with your back.",
                            "Reach your arm forward and your leg back until both are level with your back.")]

    def notices(self, view: View) -> list[Notice]:
        out = super().notices(view)
        if self.twist_unjudged:
            out.append(Notice(NoticeKind.UNRELIABLE_MEASURE,
                              "Twist (hips or shoulders rolling) cannot be measured reliably on all fours yet, so it "
                              "was not checked: keep your hips level and square to the floor."))
        if self.limbs_unjudged:
            out.append(Notice(NoticeKind.VIEW_LIMITS,
                              "How high your arm and leg reach can only be seen from the side, so it was not "
                              "checked: film from the side to check it."))
        out.append(Notice(NoticeKind.UNRELIABLE_MEASURE,
                          "A sagging lower back cannot be measured yet (only rounding is checked): keep your back "
                          "flat."))
        return out


SPEC = ExerciseSpec(
    exercise=Exercise.BIRD_DOG,
    name="bird dog",
    title="Bird dog (on hands and knees)",
    harder="hold each reach for a slow count of five",
    posture=Posture.HANDS_AND_KNEES,
    signal_words="arm and leg lift, 90 = level with the back (°)",
    counter=lambda th: th.bird_dog_counter,
    analyzer=BirdDogAnalyzer,
    words={
        "lift_left_deg": "Left arm or right leg",
        "lift_right_deg": "Right arm or left leg",
        "peak_lift_deg": "Highest reach",
        "hold_s": "Time held",
        "arm_elevation_deg": "Arm height",
        "leg_elevation_deg": "Leg height",
    },
    level_at_deg={"arm_elevation_deg": 0.0, "leg_elevation_deg": 0.0,  # elevation above horizontal
                  "lift_left_deg": LEVEL_LIFT_DEG, "lift_right_deg": LEVEL_LIFT_DEG, "peak_lift_deg": LEVEL_LIFT_DEG},
    columns=("spinal_flexion_deg", "twist_deg", "arm_elevation_deg", "leg_elevation_deg"),
    synth=SynthTiming(tempo_s=5.0, splits=(0.24, 0.5, 0.2, 0.06)),  # a 2.5 s hold at full extension, as guided
)
