"""Does the video look like the chosen exercise? (the `wrong_exercise` notice)

Two general checks, over running histograms (memory does not grow with the video's length):

* posture (`ExerciseSpec.posture`): squats and deadlifts start and end standing; a bird-dog is done on hands
  and knees and a back extension lying or leaning on a bench. A body that is horizontal nearly all the time for a
  squat, or standing nearly all the time for a bird-dog, is the wrong exercise.
* motion: the exercise's depth signal barely changes while other body angles swing widely —
  the person is clearly doing something, but not this.

Both are deliberately conservative: they only speak when most of the clip disagrees.
"""

from __future__ import annotations

import math

import numpy as np

from coach.exercises import spec_of
from coach.features import BodyFeatures
from coach.types import Exercise, Notice, NoticeKind

MIN_FRAMES = 15
"""Frames with a person needed before either check speaks."""

STANDING_TRUNK_MAX_DEG = 35.0
"""Trunk within this of vertical, and legs near vertical below the hips → standing."""

STANDING_LEG_MAX_ELEVATION_DEG = -60.0
"""Hip→ankle elevation at or below this (ankle well below the hip) → legs vertical."""

HORIZONTAL_TRUNK_DEG = (55.0, 125.0)
"""Trunk from vertical within this range → horizontal body."""

MOSTLY = 0.6
"""Share of frames that makes a posture "most of the video"."""

RARELY = 0.15
"""Share of frames below which a posture is "hardly ever"."""

MOVING_RANGE_DEG = 45.0
"""Another body angle's p5–p95 range above this → the body is clearly moving."""

STILL_SIGNAL_SHARE = 0.5
"""Signal p5–p95 range below this share of the counter's rep band (depth − return) → the signal stays put."""

_MOTION_FIELDS = ("knee_flexion_deg", "hip_flexion_deg", "trunk_from_vertical_deg", "arm_elevation_left_deg",
                  "arm_elevation_right_deg", "leg_elevation_left_deg", "leg_elevation_right_deg")


class _Hist:
    """A 1°-bin histogram over −180..180° (NaN ignored), for percentiles without storing samples."""

    __slots__ = ("counts", "n")

    def __init__(self) -> None:
        self.counts = np.zeros(361, dtype=np.int64)
        self.n = 0

    def add(self, value: float) -> None:
        if math.isfinite(value):
            self.counts[min(360, max(0, round(value) + 180))] += 1
            self.n += 1

    def percentile(self, q: float) -> float:
        """The q-th percentile (0–100), degrees (NaN when empty)."""
        if self.n == 0:
            return math.nan
        rank = q / 100.0 * (self.n - 1)
        return float(np.searchsorted(np.cumsum(self.counts), rank, side="right")) - 180.0

    def spread(self) -> float:
        """p95 − p5, degrees."""
        return self.percentile(95) - self.percentile(5)


class PlausibilityCheck:
    """Feed it every frame's features and depth signal; `notice()` says if the exercise looks wrong.

    Args:
        exercise: The exercise the user chose.
        band_deg: The counter's rep band for the depth signal (depth − return), degrees.
    """

    def __init__(self, exercise: Exercise | str, band_deg: float = math.nan) -> None:
        self.exercise = Exercise(exercise)
        self.spec = spec_of(self.exercise)
        self.band_deg = band_deg
        self.frames = 0
        self.standing = 0
        self.horizontal = 0
        self._signal = _Hist()
        self._motion = {name: _Hist() for name in _MOTION_FIELDS}

    def push(self, f: BodyFeatures, signal_deg: float) -> None:
        """Record one frame (frames without a person are ignored)."""
        if not f.detected:
            return
        self.frames += 1
        trunk = f.trunk_from_vertical_deg
        legs = [v for v in (f.leg_elevation_left_deg, f.leg_elevation_right_deg) if math.isfinite(v)]
        if math.isfinite(trunk):
            legs_vertical = bool(legs) and float(np.mean(legs)) <= STANDING_LEG_MAX_ELEVATION_DEG
            if trunk <= STANDING_TRUNK_MAX_DEG and legs_vertical:
                self.standing += 1
            if HORIZONTAL_TRUNK_DEG[0] <= trunk <= HORIZONTAL_TRUNK_DEG[1]:
                self.horizontal += 1
        self._signal.add(signal_deg)
        for name, hist in self._motion.items():
            hist.add(getattr(f, name))

    def posture_fits(self) -> bool:
        """A stricter, positive check for choosing between exercises: an upright exercise is seen standing in at
        least RARELY of the frames (between reps if not during them); a floor exercise is not seen standing in
        MOSTLY of them. True until MIN_FRAMES frames with a person are seen."""
        if self.frames < MIN_FRAMES:
            return True
        standing = self.standing / self.frames
        if self.spec.posture.upright:
            return standing >= RARELY
        return standing < MOSTLY

    def reason(self, complete_reps: int) -> str | None:
        """Why the video does not look like the exercise, or None when it plausibly does."""
        if self.frames < MIN_FRAMES:
            return None
        name = self.spec.name
        standing, horizontal = self.standing / self.frames, self.horizontal / self.frames
        if self.spec.posture.upright and standing < RARELY and horizontal >= MOSTLY:
            return (f"The body is horizontal for most of the video, but a {name} is done standing: "
                    f"this does not look like a {name}.")
        if not self.spec.posture.upright and standing >= MOSTLY:
            return (f"You are standing for most of the video, but a {name} is done {self.spec.posture.where}: "
                    f"this does not look like a {name}.")
        if complete_reps == 0 and self._signal.n >= MIN_FRAMES and math.isfinite(self.band_deg):
            moving = max((h.spread() for h in self._motion.values() if h.n >= MIN_FRAMES), default=0.0)
            if self._signal.spread() < STILL_SIGNAL_SHARE * self.band_deg and moving > MOVING_RANGE_DEG:
                return (f"You are moving, but not the way a {name} moves: this does not look like a {name}.")
        return None

    def notice(self, complete_reps: int) -> Notice | None:
        """A `wrong_exercise` notice, or None."""
        why = self.reason(complete_reps)
        if why is None:
            return None
        return Notice(NoticeKind.WRONG_EXERCISE, f"{why} Check the exercise you chose.")
