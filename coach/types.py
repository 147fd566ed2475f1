"""Core data types shared by every stage: enums and frozen dataclasses.

Coordinates: image landmarks are in pixels of the upright frame (x right, y down);
world landmarks are in metres, centred on the hips (MediaPipe convention, y down).
Angles are degrees, times are seconds from the video's timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from coach.landmarks import NUM_LANDMARKS, Lm

FloatArray = npt.NDArray[np.float64]


class Exercise(StrEnum):
    """The exercises the coach analyzes."""

    SQUAT = "squat"
    DEADLIFT = "deadlift"
    BACK_EXTENSION = "back_extension"
    BIRD_DOG = "bird_dog"


class View(StrEnum):
    """Camera view of the person."""

    SIDE = "side"
    FRONT = "front"
    OBLIQUE = "oblique"
    REAR = "rear"
    UNKNOWN = "unknown"


class Side(StrEnum):
    """Body side (the person's own left or right)."""

    LEFT = "left"
    RIGHT = "right"


class WarningKind(StrEnum):
    """Kinds of per-rep form warnings (snake_case in reports)."""

    SPINAL_FLEXION = "spinal_flexion"
    TWIST = "twist"
    LUMBAR_HYPEREXTENSION = "lumbar_hyperextension"
    HIPS_RISE_FIRST = "hips_rise_first"
    SHALLOW_DEPTH = "shallow_depth"
    KNEE_VALGUS = "knee_valgus"
    RAPID_MOVEMENT = "rapid_movement"
    NECK_EXTENSION = "neck_extension"
    LIMB_BELOW_HORIZONTAL = "limb_below_horizontal"
    SHORT_HOLD = "short_hold"


class NoticeKind(StrEnum):
    """Kinds of whole-video notices (what the coach could not judge, and why)."""

    NO_PERSON = "no_person"
    SEVERAL_PEOPLE = "several_people"
    PARTIAL_BODY = "partial_body"
    PERSON_TOO_SMALL = "person_too_small"
    TOO_DARK = "too_dark"
    VIEW_LIMITS = "view_limits"
    TRUNCATED = "truncated"
    DAMAGED = "damaged"
    WRONG_EXERCISE = "wrong_exercise"
    CALIBRATION = "calibration"
    UNRELIABLE_MEASURE = "unreliable_measure"
    NO_REPS = "no_reps"
    SCENE_CUTS = "scene_cuts"
    MISSING_CAPABILITY = "missing_capability"


@dataclass(frozen=True, slots=True)
class PoseFrame:
    """What the pose estimator saw in one video frame.

    Attributes:
        timestamp_s: Presentation time of the frame, seconds from the start of the video.
        width: Upright frame width, px.
        height: Upright frame height, px.
        detected: False for an explicit "no person" frame (arrays are then NaN).
        landmarks: (33, 4) image landmarks: x px, y px, z (px-scaled depth), visibility 0–1.
        world: (33, 3) world landmarks, metres, hip-centred.
        mask: Optional (height, width) float32 segmentation mask, 0–1.
        people: Number of people the estimator found (the most prominent one is coached).
        brightness: Mean luma of the frame, 0–255.
        thumbnail: Optional (16, 16) uint8 block-mean luma of the frame, 0–255 (camera cuts, coach.cuts).
    """

    timestamp_s: float
    width: int
    height: int
    detected: bool
    landmarks: FloatArray
    world: FloatArray
    mask: npt.NDArray[np.float32] | None = None
    people: int = 1
    brightness: float = float("nan")
    thumbnail: npt.NDArray[np.uint8] | None = None

    @classmethod
    def empty(cls, timestamp_s: float, width: int, height: int, brightness: float = float("nan"),
              thumbnail: npt.NDArray[np.uint8] | None = None) -> PoseFrame:
        """A frame in which no person was found."""
        return cls(
            timestamp_s=timestamp_s,
            width=width,
            height=height,
            detected=False,
            landmarks=np.full((NUM_LANDMARKS, 4), np.nan),
            world=np.full((NUM_LANDMARKS, 3), np.nan),
            mask=None,
            people=0,
            brightness=brightness,
            thumbnail=thumbnail,
        )

    def xy(self, lm: Lm) -> FloatArray:
        """Image position of a landmark, px."""
        return self.landmarks[lm, :2]

    def visibility(self, lm: Lm) -> float:
        """Visibility of a landmark, 0–1 (0 when no person)."""
        v = float(self.landmarks[lm, 3])
        return 0.0 if np.isnan(v) else v


@dataclass(frozen=True, slots=True)
class FormWarning:
    """One form warning, tied to a rep.

    `value` and `threshold` are in `unit` (usually "deg"); `time_s` is when it was worst.
    """

    kind: WarningKind
    time_s: float
    value: float
    threshold: float
    unit: str
    message: str
    cue: str


@dataclass(frozen=True, slots=True)
class Rep:
    """One repetition: its span, side, key metrics (degrees, seconds) and warnings."""

    index: int
    start_s: float
    end_s: float
    complete: bool
    side: Side | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    warnings: tuple[FormWarning, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """A whole-video message: what could not be judged, and why."""

    kind: NoticeKind
    message: str
