"""The machinery every exercise shares beyond the rep loop: smoothing, the hip-drop knee estimate, the spine
checks (`BaseAnalyzer`: rounding, twist, tempo) on top of the rep engine (`coach.exercises.rep_engine`).

An analyzer is fed one `BodyFeatures` per frame, in time order, and returns a `FrameResult`
(phase, count, the angles that matter, and the rep completed on this frame, if any). `finish()`
closes the analysis: reps (with warnings), the camera view and notices. Exercises differ only in
their depth signal, their visibility needs and their per-rep checks.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from coach.counter import RepEvent
from coach.exercises.rep_engine import RepEngine
from coach.exercises.results import AnalysisResult, Analyzer, FrameResult
from coach.features import BodyFeatures
from coach.geometry import vertical_inclination_deg
from coach.types import FormWarning, Notice, NoticeKind, View, WarningKind

SMOOTH_S = 0.17
"""Running-median window for per-frame measures, seconds (5 frames at 30 fps, 3 at 15 fps)."""
TWIST_SMOOTH_S = 0.35
"""Running-median window for the twist measures (noisier than the others), seconds."""
REST_MEDIAN_S = 0.15
"""Span of the running medians that feed rest references (lowest level held), seconds."""


def smoothed(times: npt.ArrayLike, values: npt.ArrayLike, window_s: float = SMOOTH_S) -> np.ndarray:
    """Running median (NaN-aware) over the values within ±window_s/2 of each time (seconds); NaN where
    nothing is known. Windows in seconds keep the smoothing the same whatever the frame rate."""
    arr = np.asarray(values, dtype=float)
    t = np.asarray(times, dtype=float)
    if arr.size == 0:
        return arr
    half = window_s / 2.0 + 1e-6
    lo = np.searchsorted(t, t - half, side="left")
    hi = np.searchsorted(t, t + half, side="right")
    out = np.full(arr.size, np.nan)
    for i in range(arr.size):
        w = arr[lo[i] : hi[i]]
        w = w[~np.isnan(w)]
        if w.size:
            out[i] = float(np.median(w))
    return out


class RollingMedian:
    """Median of the values pushed within the last `span_s` seconds, and never of fewer than the last
    `min_count` (sparse frames); NaN until `min_count` have been pushed."""

    def __init__(self, span_s: float = REST_MEDIAN_S, min_count: int = 3) -> None:
        self.span_s = span_s
        self.min_count = min_count
        self._items: deque[tuple[float, float]] = deque()

    def push(self, time_s: float, value: float) -> float:
        """Add a value at `time_s` (seconds) and return the current median (NaN while too few)."""
        self._items.append((time_s, value))
        while len(self._items) > self.min_count and time_s - self._items[0][0] > self.span_s + 1e-6:
            self._items.popleft()
        if len(self._items) < self.min_count:
            return math.nan
        return float(np.median([v for _, v in self._items]))


def nanmax(*values: float) -> float:
    """The largest finite value, or NaN when none is finite."""
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) if finite else math.nan


def peak(times: Sequence[float], values: np.ndarray) -> tuple[float, float]:
    """(largest value, its time); (NaN, NaN) when all are NaN."""
    if values.size == 0 or np.all(np.isnan(values)):
        return math.nan, math.nan
    i = int(np.nanargmax(values))
    return float(values[i]), float(times[i])


IMAGE_TWIST_VIEWS = (View.FRONT, View.REAR)
"""Views in which the shoulder and hip lines lie across the image, so their turning can be read from it."""
TWIST_REST_BAND_DEG = 10.0
"""A rep's rest frames for the image twist: depth signal within this of the rep's lowest, degrees."""


def image_twist_deg(shoulder: Sequence[float], hip: Sequence[float], shoulder0: Sequence[float],
                    hip0: Sequence[float]) -> float:
    """Rotation of the shoulder line against the hip line since a reference, degrees, from image vectors.

    Each line is its left-minus-right landmark vector, px; each is scaled by its reference length, and the
    twist is the angle whose chord equals the change of (shoulder − hip) direction: 2·asin(|Δ|/2). Only the
    in-plane part of a rotation shows, so this is a lower bound; turning the whole body together reads 0, and a
    left/right landmark swap reads 0 (lines are undirected, so turns beyond 90° are not told apart).
    """
    s, h, s0, h0 = (np.asarray(v, dtype=float) for v in (shoulder, hip, shoulder0, hip0))
    ns, nh = float(np.hypot(*s0)), float(np.hypot(*h0))
    if not (ns > 0.0 and nh > 0.0) or not (np.isfinite(s).all() and np.isfinite(h).all()):
        return math.nan
    s = -s if float(np.dot(s, s0)) < 0.0 else s  # a line has no direction: left/right landmark swaps read 0
    h = -h if float(np.dot(h, h0)) < 0.0 else h
    d = float(np.hypot(*((s - s0) / ns - (h - h0) / nh)))
    return 2.0 * math.degrees(math.asin(min(1.0, d / 2.0)))


def sustained_peak(times: Sequence[float], values: np.ndarray, min_s: float) -> tuple[float, float]:
    """(largest level the series holds for at least `min_s` seconds, its time); NaN frames break a hold.

    A one- or two-frame spike (a hand passing the back, a mask glitch) does not count; a run cut
    short by the end of the series still counts.
    """
    n = values.size
    best, best_t = math.nan, math.nan
    for i in range(n):
        if math.isnan(values[i]):
            continue
        low = values[i]
        j = i
        while j + 1 < n and not math.isnan(values[j + 1]) and times[j + 1] - times[i] <= min_s:
            j += 1
            low = min(low, values[j])
        if j + 1 < n and math.isnan(values[j + 1]) and times[j] - times[i] < min_s:
            continue  # broken by an unjudged frame before the hold time
        if math.isnan(best) or low > best:
            best, best_t = float(low), float(times[i])
    return best, best_t


TEMPO_BAND = (0.2, 0.8)
"""A rep's way to depth and back are each timed between these shares of its range (rest level → deepest), where
the signal is sure to be moving: a hold at depth, the slow ends of a move and the part of the way back after
the rep has closed do not count (see `phase_durations_s`)."""


def _crossing_s(times: np.ndarray, values: np.ndarray, a: int, b: int, level: float) -> float:
    """Time between frames a and b (seconds) where the signal passes `level`, linearly interpolated."""
    va, vb = float(values[a]), float(values[b])
    share = 0.0 if vb == va else min(1.0, max(0.0, (level - va) / (vb - va)))
    return float(times[a] + share * (times[b] - times[a]))


def phase_durations_s(times: npt.ArrayLike, values: npt.ArrayLike, floor_deg: float) -> tuple[float, float]:
    """(way to depth, way back) of one rep's depth signal, seconds, each as a smooth (half-cosine) move's length.

    Each way is timed between two levels of the rep's range, rest → deepest: TEMPO_BAND's high share and the
    higher of its low share and `floor_deg` (degrees; a level the way back is sure to pass before the rep
    closes), and scaled to the whole way as a half-cosine move, x = (1 − cos(π t / T)) / 2, would take it. NaN
    for a way not seen between the levels.
    """
    t = np.asarray(times, dtype=float)
    v = np.asarray(values, dtype=float)
    seen = np.flatnonzero(np.isfinite(v))
    if seen.size < 3:
        return math.nan, math.nan
    t, v = t[seen], v[seen]
    i = int(np.argmax(v))
    rest = float(v[: i + 1].min())
    span = float(v[i]) - rest
    lo_share, hi_share = TEMPO_BAND
    lo_share = max(lo_share, (floor_deg - rest) / span) if span > 0 else math.nan
    if not lo_share < hi_share:
        return math.nan, math.nan
    lo, hi = rest + lo_share * span, rest + hi_share * span
    scale = math.pi / (math.acos(1.0 - 2.0 * hi_share) - math.acos(1.0 - 2.0 * lo_share))
    down = up = math.nan
    below = np.flatnonzero(v[:i] <= lo)
    if below.size:
        j = int(below[-1])
        k = j + 1 + int(np.argmax(v[j + 1 : i + 1] >= hi))
        down = scale * (_crossing_s(t, v, k - 1, k, hi) - _crossing_s(t, v, j, j + 1, lo))
    after = np.flatnonzero(v[i + 1 :] <= lo)
    if after.size:
        m = i + 1 + int(after[0])
        k = i + int(np.flatnonzero(v[i:m] >= hi)[-1])
        up = scale * (_crossing_s(t, v, m - 1, m, lo) - _crossing_s(t, v, k, k + 1, hi))
    return down, up


STANDING_KNEE_DEG = 20.0
"""Frames whose image knee angle is below this count as standing for the standing hip height, degrees."""
MIN_STANDING_FRAMES = 3
"""Standing frames needed before their median is trusted as the standing hip height."""
HEIGHT_HISTORY = 900
"""Hip heights kept for the standing estimate, frames."""


class HipDrop:
    """Knee bend estimated from how far the hips drop towards the ankles, degrees, from any camera azimuth.

    With thigh and shank sharing the bend, hip height = standing height × cos(flexion / 2); a level
    camera never foreshortens a vertical extent. The standing height is the median over frames whose
    image knee angle says standing (< STANDING_KNEE_DEG; even a front view reads near-straight knees
    correctly), else the 90th percentile of all hip heights seen.
    """

    def __init__(self) -> None:
        self._standing: list[float] = []
        self._other: list[float] = []
        self._last_s = -math.inf
        self.frames_learned = 0
        """How many frames' hip heights were learned (each frame at most once)."""

    def observe(self, f: BodyFeatures) -> None:
        """Learn a frame's hip height above the ankle (pixels); a frame at or before the last one learned
        (seconds) is ignored, so each frame is learned once however often it is asked about."""
        if f.timestamp_s <= self._last_s:
            return
        self._last_s = f.timestamp_s
        h = f.ankle_xy[1] - f.hip_xy[1]
        if not (f.detected and math.isfinite(h) and h > 0):
            return
        store = self._standing if f.knee_flexion_deg < STANDING_KNEE_DEG else self._other
        store.append(h)
        self.frames_learned += 1
        if len(store) > HEIGHT_HISTORY:
            del store[: HEIGHT_HISTORY // 2]

    def value(self, f: BodyFeatures) -> float:
        """The knee bend the frame's hip height implies against the standing height learned so far, degrees;
        NaN when nothing is learned or the frame has no hip height."""
        h = f.ankle_xy[1] - f.hip_xy[1]
        if not (f.detected and math.isfinite(h) and h > 0) or not (self._standing or self._other):
            return math.nan
        if len(self._standing) >= MIN_STANDING_FRAMES:
            standing = float(np.median(self._standing))
        else:
            standing = float(np.percentile(self._other + self._standing, 90.0))
        return 2.0 * math.degrees(math.acos(max(-1.0, min(1.0, h / standing))))

    def __call__(self, f: BodyFeatures) -> float:
        """Learn the frame (once) and return its knee bend, degrees."""
        self.observe(f)
        return self.value(f)


TORSO_HISTORY = 600
"""Torso lengths kept for the standing estimate, frames."""


class StandingTorso:
    """The person's standing torso length (90th percentile of the hip→shoulder lengths seen, px) and the trunk
    lean it implies from any camera azimuth: a level camera never foreshortens the torso's vertical extent."""

    def __init__(self) -> None:
        self._px: list[float] = []
        self._last_s = -math.inf
        self.frames_learned = 0
        """How many frames' torso lengths were learned (each frame at most once)."""

    @property
    def known(self) -> bool:
        """At least one torso length was learned."""
        return bool(self._px)

    def observe(self, f: BodyFeatures) -> None:
        """Learn the frame's torso length, px; a frame at or before the last one learned (seconds) is ignored,
        so the warm-up replay and repeated queries do not learn a frame twice."""
        if f.timestamp_s <= self._last_s:
            return
        self._last_s = f.timestamp_s
        length = f.torso_length_px
        if f.detected and math.isfinite(length) and length > 0:
            self._px.append(length)
            self.frames_learned += 1
            if len(self._px) > TORSO_HISTORY:
                del self._px[: TORSO_HISTORY // 2]

    def lean_deg(self, f: BodyFeatures) -> float:
        """Trunk tilt from the vertical, degrees: the larger of the image angle (which reads short off the side)
        and the vertical extent of hip→shoulder over the standing length; the image angle while nothing is
        learned."""
        if not f.detected:
            return math.nan
        if not self._px:
            return f.trunk_from_vertical_deg
        standing = float(np.percentile(self._px, 90))
        dy = f.hip_xy[1] - f.shoulder_xy[1]
        return float(np.nanmax([vertical_inclination_deg(dy, standing), f.trunk_from_vertical_deg, -1.0]))


TRUNK_SPEED_WINDOW_S = 0.3
"""The trunk's angular speed is its change over this span, seconds: longer than the smoothing (SMOOTH_S), so a
landmark jump that the running median keeps reads at most jump / span, and the same at 15 or 30 frames a second."""


def angular_speed_deg_s(times: npt.ArrayLike, angles: npt.ArrayLike,
                        window_s: float = TRUNK_SPEED_WINDOW_S) -> np.ndarray:
    """|angle(t + w/2) − angle(t − w/2)| / w at each frame time t, degrees per second, linearly interpolated
    between the finite frames; NaN where the span reaches outside them."""
    t = np.asarray(times, dtype=float)
    a = np.asarray(angles, dtype=float)
    out = np.full(t.size, np.nan)
    ok = np.isfinite(a)
    if ok.sum() < 2:
        return out
    tk, ak = t[ok], a[ok]
    lo, hi = t - window_s / 2.0, t + window_s / 2.0
    inside = (lo >= tk[0] - 1e-9) & (hi <= tk[-1] + 1e-9)
    out[inside] = np.abs(np.interp(hi[inside], tk, ak) - np.interp(lo[inside], tk, ak)) / window_s
    return out


class BaseAnalyzer(RepEngine):
    """The rep engine plus the spine checks every exercise shares (rounding, twist, tempo)."""

    uses_back_bulge: ClassVar[bool] = True
    """The spine-flexion check (`check_spinal_flexion`) reads the silhouette's back bulge."""
    twist_unjudged: bool = False
    """Set by `check_twist` when a rep's twist could not be judged from this view (for the notices)."""
    twist_implausible_reps: int = 0
    """Reps whose twist readings were mostly beyond `twist_max_plausible_deg` (measurement failures), so
    twist was not judged on them (for the notices)."""

    def notices(self, view: View) -> list[Notice]:
        """The engine's notices, plus reps whose twist could not be measured reliably."""
        out = super().notices(view)
        if self.twist_implausible_reps:
            n = self.twist_implausible_reps
            out.append(Notice(NoticeKind.UNRELIABLE_MEASURE,
                              f"On {n} {'rep' if n == 1 else 'reps'} the turn of the shoulders could not be measured "
                              "reliably from this camera, so twisting was not judged there."))
        return out

    # --- shared per-rep checks ----------------------------------------------------------------
    def spine_flexion_series(self, frames: Sequence[BodyFeatures]) -> np.ndarray:
        """Estimated spinal flexion beyond neutral per frame, degrees; NaN where it is not judged.

        From the silhouette's back bulge (median-smoothed), only on frames seen from the side or at an
        oblique angle with the trunk inclined at least `flexion_min_trunk_deg` (standing frames mostly show
        arms, hands or a bar behind the back, not the spine). The person's standing neutral is the
        baseline, never below the typical neutral bulge (a neutral back bulges a little more when bent over) and
        never above `max_neutral_bulge` (arms or a bar in the standing silhouette).
        """
        sp = self.th.spine
        base = self.neutral.back_bulge
        base = sp.default_neutral_bulge if math.isnan(base) else min(max(base, sp.default_neutral_bulge),
                                                                     sp.max_neutral_bulge)
        raw = np.array([f.back_bulge for f in frames], dtype=float)
        with np.errstate(invalid="ignore"):
            raw[raw > sp.max_plausible_bulge] = np.nan  # the mask took in arms, a bar, a rack or a bench
        bulge = smoothed([f.timestamp_s for f in frames], raw)
        trunk = np.array([f.trunk_from_vertical_deg for f in frames], dtype=float)
        side = np.array([f.view in (View.SIDE, View.OBLIQUE) and f.upper_body_visible for f in frames])
        with np.errstate(invalid="ignore"):
            judged = side & (trunk >= sp.flexion_min_trunk_deg)
        return np.where(judged, (bulge - base) * sp.bulge_to_flexion_deg, np.nan)

    def twist_series(self, frames: Sequence[BodyFeatures]) -> np.ndarray:
        """Trunk twist beyond neutral per frame, degrees (world landmarks, median-smoothed)."""
        raw = smoothed([f.timestamp_s for f in frames], [f.twist_world_deg for f in frames], TWIST_SMOOTH_S)
        return np.abs(raw - self.neutral.twist_world_deg)

    def image_twist_series(self, frames: Sequence[BodyFeatures]) -> np.ndarray:
        """Shoulder line turned against the hip line since the rep's rest frames, per frame, degrees.

        From image vectors only (`image_twist_deg`, median-smoothed): the in-plane part of the rotation, so a
        lower bound on the true twist. Rest = visible frames within `TWIST_REST_BAND_DEG` of the rep's lowest
        depth signal (else the rep's first visible frames). NaN where a line is not seen.
        """
        seen = [f for f in frames if self.visible(f) and f.upper_body_visible]
        sig = np.array([self.signal_of(f) for f in seen], dtype=float)
        rest = [f for f in seen if f.timestamp_s - seen[0].timestamp_s <= SMOOTH_S] if seen else []
        if np.isfinite(sig).any():
            rest = [f for f, v in zip(seen, sig, strict=True) if v <= np.nanmin(sig) + TWIST_REST_BAND_DEG]
        if not rest:
            return np.full(len(frames), np.nan)
        s0 = np.nanmedian(np.array([f.shoulder_line_px for f in rest], dtype=float), axis=0)
        h0 = np.nanmedian(np.array([f.hip_line_px for f in rest], dtype=float), axis=0)
        raw = [image_twist_deg(f.shoulder_line_px, f.hip_line_px, s0, h0) if f.upper_body_visible else math.nan
               for f in frames]
        return smoothed([f.timestamp_s for f in frames], raw, TWIST_SMOOTH_S)

    def check_spinal_flexion(self, frames: Sequence[BodyFeatures], metrics: dict[str, float],
                             cue: str) -> list[FormWarning]:
        """Warn when the back rounds beyond neutral by more than the threshold."""
        if self.view() in (View.FRONT, View.REAR):
            return []
        value, t = sustained_peak([f.timestamp_s for f in frames], self.spine_flexion_series(frames),
                                  self.th.spine.flexion_min_duration_s)
        if math.isnan(value):
            return []
        metrics["spinal_flexion_deg"] = value
        limit = self.th.spine.spinal_flexion_deg
        if value <= limit:
            return []
        return [FormWarning(WarningKind.SPINAL_FLEXION, t, value, limit, "deg",
                            f"Your back rounded about {value:.0f}° beyond your neutral.", cue)]

    def check_twist(self, frames: Sequence[BodyFeatures], metrics: dict[str, float], cue: str,
                    limit: float | None = None, *, world_fallback: bool = True,
                    image_views: tuple[View, ...] = IMAGE_TWIST_VIEWS) -> list[FormWarning]:
        """Warn when the shoulders turn against the hips beyond the threshold.

        The turn must hold `twist_min_duration_s`; frames beyond `twist_max_plausible_deg` are dropped as
        measurement failures, and a rep left with under `min_judged_share` of its frames is not judged
        (`twist_implausible_reps`). Filmed from one of `image_views` (default front/back): image evidence
        (`image_twist_series`, limit `twist_image_deg`). Other views show the shoulder and hip lines nearly
        edge-on, where their landmarks follow the limbs: with `world_fallback` the 3-D world twist is used with
        a noise margin (`twist_deg` + `world_twist_margin_deg`, or `limit`), else twist is not judged
        (`twist_unjudged` is set for the notices).
        """
        sp = self.th.spine
        if self.view() in image_views:
            series, limit = self.image_twist_series(frames), sp.twist_image_deg
        elif world_fallback:
            series = self.twist_series(frames)
            limit = sp.twist_deg + sp.world_twist_margin_deg if limit is None else limit
        else:
            self.twist_unjudged = True
            return []
        # A turn no trunk can make is a measurement failure: drop it; with too few frames left, not judged.
        measured = int(np.isfinite(series).sum())
        with np.errstate(invalid="ignore"):
            series = np.where(np.abs(series) > sp.twist_max_plausible_deg, np.nan, series)
        if measured and np.isfinite(series).sum() < sp.min_judged_share * measured:
            self.twist_implausible_reps += 1
            return []
        value, t = sustained_peak([f.timestamp_s for f in frames], series, sp.twist_min_duration_s)
        if math.isnan(value):
            return []
        metrics["twist_deg"] = value
        if value <= limit:
            return []
        return [FormWarning(WarningKind.TWIST, t, value, limit, "deg",
                            f"Your shoulders turned about {value:.0f}° against your hips.", cue)]

    def phase_times(self, frames: Sequence[BodyFeatures], ev: RepEvent, metrics: dict[str, float]) -> float:
        """Time the way to depth and back (`down_s`, `up_s` into `metrics`), seconds; the quicker, NaN if neither.

        Each way takes the longer of two timings: from the rep's start (or to its end) to the deepest frame,
        which a hold at depth shifts and which stops at the counter's thresholds (the way back of a 20° lift
        reads short); and the mid-range time scaled to a whole smooth move (`phase_durations_s` on the
        median-smoothed depth signal), which a landmark jump makes near zero. A rep the recording opened inside
        has no way down to judge, one it stopped at depth (`lift_ends_at_depth`) no way back."""
        if not ev.seen_from_start or math.isnan(ev.peak_time_s):
            return math.nan
        times = [f.timestamp_s for f in frames]
        depth = smoothed(times, [self.signal_of(f) if self.visible(f) else math.nan for f in frames])
        down, up = phase_durations_s(times, depth, self.counter.thresholds.return_deg)
        down = nanmax(down, ev.peak_time_s - ev.start_s)
        up = nanmax(up, ev.end_s - ev.peak_time_s) if ev.end_s > ev.peak_time_s else math.nan
        judged = {k: v for k, v in (("down_s", down), ("up_s", up)) if not math.isnan(v)}
        metrics.update(judged)
        return min(judged.values()) if judged else math.nan

    def check_tempo(self, frames: Sequence[BodyFeatures], ev: RepEvent, metrics: dict[str, float],
                    cue: str) -> list[FormWarning]:
        """Warn when the way to depth or back was quicker than `rapid_phase_s` (`phase_times`), seconds: for
        exercises whose depth signal is the back's own movement (back extension)."""
        quickest = self.phase_times(frames, ev, metrics)
        limit = self.th.movement.rapid_phase_s
        if math.isnan(quickest) or quickest >= limit:
            return []
        return [FormWarning(WarningKind.RAPID_MOVEMENT, ev.peak_time_s, quickest, limit, "s",
                            f"That rep moved fast ({quickest:.1f} s for one direction).", cue)]

    def check_trunk_speed(self, frames: Sequence[BodyFeatures], lean_deg: Sequence[float], metrics: dict[str, float],
                          cue: str) -> list[FormWarning]:
        """Warn when the trunk tipped forwards or back faster than `rapid_trunk_deg_per_s`: the angular speed
        (`angular_speed_deg_s`) of the rep's per-frame trunk lean from the vertical, degrees, median-smoothed;
        frames leaning beyond `trunk_lean_max_plausible_deg` are landmark failures and are dropped first.

        Rapid movement matters for fragile vertebrae as a quick bend or jerk of the spine: a brisk squat with a
        steady trunk is not rapid, a hinge snapped down or jerked up is, whatever the size of the person or their
        distance from the camera."""
        times = [f.timestamp_s for f in frames]
        raw = np.asarray(lean_deg, dtype=float)
        mv = self.th.movement
        with np.errstate(invalid="ignore"):
            raw = np.where(np.abs(raw) > mv.trunk_lean_max_plausible_deg, np.nan, raw)
        value, t = peak(times, angular_speed_deg_s(times, smoothed(times, raw)))
        if math.isnan(value):
            return []
        metrics["trunk_speed_deg_per_s"] = value
        if value <= mv.rapid_trunk_deg_per_s:
            return []
        return [FormWarning(WarningKind.RAPID_MOVEMENT, t, value, mv.rapid_trunk_deg_per_s, "deg/s",
                            f"Your upper body tipped fast (about {value:.0f}° a second).", cue)]


__all__ = ["AnalysisResult", "Analyzer", "BaseAnalyzer", "FrameResult"]  # the first three live in results
