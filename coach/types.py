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
    CHAIR_STAND = "chair_stand"
    SIT_TO_STAND = "sit_to_stand"
    HEEL_DROP = "heel_drop"
    SINGLE_LEG_STAND = "single_leg_stand"
    BALANCE_TEST = "balance_test"


STRENGTH_EXERCISES: tuple[Exercise, ...] = (Exercise.SQUAT, Exercise.DEADLIFT, Exercise.BACK_EXTENSION,
                                            Exercise.BIRD_DOG)
"""The spine-safe strength exercises (the exercise hint and the accuracy matrix choose among these)."""
HOLD_EXERCISES: tuple[Exercise, ...] = (Exercise.SINGLE_LEG_STAND, Exercise.BALANCE_TEST)
"""Exercises timed as holds (report `holds`), not counted as reps."""


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
    ARM_PUSH = "arm_push"
    BENT_KNEES = "bent_knees"
    TRUNK_DROP = "trunk_drop"
    AFTER_TIME_LIMIT = "after_time_limit"


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
    SAFETY = "safety"
    UNSTEADY = "unsteady"


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


class Stance(StrEnum):
    """Foot positions of the 4-stage balance test (CDC STEADI) and of a single-leg stand."""

    SIDE_BY_SIDE = "side_by_side"
    SEMI_TANDEM = "semi_tandem"
    TANDEM = "tandem"
    SINGLE_LEG = "single_leg"


class HoldEnd(StrEnum):
    """Why a timed hold ended."""

    FOOT_DOWN = "foot_down"
    SUPPORT = "support"
    STEPPED = "stepped"
    TARGET_REACHED = "target_reached"
    VIDEO_END = "video_end"


@dataclass(frozen=True, slots=True)
class Hold:
    """One timed hold: its stance, standing leg (single-leg stances), span (s) and why it ended.

    `metrics` holds sway measures in cm (scaled from the person's height) and their trend, cm/s."""

    index: int
    stance: Stance
    leg: Side | None
    start_s: float
    end_s: float
    ended_by: HoldEnd
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        """How long the hold lasted, s."""
        return self.end_s - self.start_s


class Verdict(StrEnum):
    """How a functional test's score compares with its norm."""

    BELOW_AVERAGE = "below_average"
    AVERAGE_OR_BETTER = "average_or_better"
    HIGHER_FALL_RISK = "higher_fall_risk"
    NO_ADDED_RISK = "no_added_risk"
    TARGET_REACHED = "target_reached"
    BELOW_TARGET = "below_target"
    NOT_RATED = "not_rated"
    """No norm applies (age or sex not given, or the test was not finished)."""


@dataclass(frozen=True, slots=True)
class FunctionalTest:
    """A functional test's result: its score in `unit`, the norm it was compared with (JSON-ready, None when
    none applies) and the verdict."""

    name: str
    score: float
    unit: str
    norm: dict[str, float | int | str] | None
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class FunctionalSetup:
    """What the functional tests need to know: the person (age in years and sex for the chair-stand norms, height
    in cm for sway in cm), when "Go" was said (s of video time; None: the first rise) and a hold's target (s;
    None: the exercise's own)."""

    age: int | None = None
    sex: str | None = None
    height_cm: float | None = None
    go_s: float | None = None
    target_s: float | None = None


class SetVerdict(StrEnum):
    """How a set compares with its rep target."""

    BELOW = "below_target"
    IN_RANGE = "in_range"
    ABOVE = "above_target"
