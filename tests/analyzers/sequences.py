"""Hand-built pose sequences for analyzer tests: a stick figure posed by joint angles, run through `extract`."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence

import numpy as np

from coach.exercises import analyzer_for
from coach.exercises.base import AnalysisResult
from coach.features import BodyFeatures, extract
from coach.landmarks import NUM_LANDMARKS, Lm
from coach.types import PoseFrame

W, H = 1280, 720
FPS = 30.0
THIGH_PX, SHANK_PX, TORSO_PX = 170.0, 160.0, 200.0
PAIRS = [
    (Lm.LEFT_EYE, Lm.RIGHT_EYE), (Lm.LEFT_EAR, Lm.RIGHT_EAR), (Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER),
    (Lm.LEFT_ELBOW, Lm.RIGHT_ELBOW), (Lm.LEFT_WRIST, Lm.RIGHT_WRIST), (Lm.LEFT_HIP, Lm.RIGHT_HIP),
    (Lm.LEFT_KNEE, Lm.RIGHT_KNEE), (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE), (Lm.LEFT_HEEL, Lm.RIGHT_HEEL),
    (Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX),
]


@dataclasses.dataclass(frozen=True)
class Pose:
    """Sagittal pose, degrees: shank forward of vertical, thigh behind vertical, trunk forward lean
    (negative = leaning back), plus the world twist of the shoulders against the hips."""

    shank: float = 0.0
    thigh: float = 0.0
    trunk: float = 0.0
    twist: float = 0.0


def _dir(deg_from_up: float) -> np.ndarray:
    a = math.radians(deg_from_up)
    return np.array([math.sin(a), -math.cos(a)])


def side_frame(t: float, p: Pose, *, visibility: float = 0.99, swap: bool = False) -> PoseFrame:
    """The person seen from their right, facing image-right, feet on the floor at y = 650 px."""
    ankle = np.array([600.0, 650.0])
    knee = ankle + SHANK_PX * _dir(p.shank)
    hip = knee + THIGH_PX * _dir(-p.thigh)
    sh = hip + TORSO_PX * _dir(p.trunk)
    ear = sh + 55 * _dir(p.trunk + 10)
    wrist = sh + 150 * _dir(180.0)
    pts = {Lm.RIGHT_SHOULDER: sh, Lm.RIGHT_HIP: hip, Lm.RIGHT_KNEE: knee, Lm.RIGHT_ANKLE: ankle,
           Lm.RIGHT_EAR: ear, Lm.RIGHT_WRIST: wrist, Lm.RIGHT_ELBOW: (sh + wrist) / 2,
           Lm.RIGHT_EYE: ear + _dir(p.trunk + 80) * 20, Lm.RIGHT_HEEL: ankle + np.array((-10.0, 12.0)),
           Lm.RIGHT_FOOT_INDEX: ankle + np.array((35.0, 15.0))}
    lm = np.zeros((NUM_LANDMARKS, 4))
    for left, right in PAIRS:
        near, far = (left, right) if swap else (right, left)
        lm[near, :2] = pts[right]
        lm[far, :2] = pts[right] + (6.0, 0.0)
        lm[near, 2:] = (-40.0, visibility)
        lm[far, 2:] = (40.0, 0.4 * visibility)
    lm[Lm.NOSE] = (*(ear + 30 * _dir(p.trunk + 95)), -40.0, visibility)
    return PoseFrame(timestamp_s=t, width=W, height=H, detected=True, landmarks=lm, world=_world(p.twist),
                     brightness=120.0)


def front_frame(t: float, p: Pose) -> PoseFrame:
    """The person facing the camera: sagittal angles only shorten the segments' vertical extents."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    y_ankle = 650.0
    y_knee = y_ankle - SHANK_PX * math.cos(math.radians(p.shank))
    y_hip = y_knee - THIGH_PX * math.cos(math.radians(p.thigh))
    y_sh = y_hip - TORSO_PX * math.cos(math.radians(p.trunk))
    cx = 640.0
    # The person's right appears on image-left when facing the camera.
    for lm_l, lm_r, y, half in ((Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER, y_sh, 75.0), (Lm.LEFT_HIP, Lm.RIGHT_HIP,
                                y_hip, 50.0), (Lm.LEFT_KNEE, Lm.RIGHT_KNEE, y_knee, 50.0),
                               (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE, y_ankle, 50.0),
                               (Lm.LEFT_HEEL, Lm.RIGHT_HEEL, y_ankle + 10, 50.0),
                               (Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX, y_ankle + 15, 55.0),
                               (Lm.LEFT_WRIST, Lm.RIGHT_WRIST, y_hip + 20, 80.0),
                               (Lm.LEFT_ELBOW, Lm.RIGHT_ELBOW, (y_sh + y_hip) / 2, 85.0),
                               (Lm.LEFT_EAR, Lm.RIGHT_EAR, y_sh - 60, 25.0),
                               (Lm.LEFT_EYE, Lm.RIGHT_EYE, y_sh - 65, 15.0)):
        lm[lm_l] = (cx + half, y, 0.0, 0.99)
        lm[lm_r] = (cx - half, y, 0.0, 0.99)
    lm[Lm.NOSE] = (cx, y_sh - 55, -30.0, 0.99)
    return PoseFrame(timestamp_s=t, width=W, height=H, detected=True, landmarks=lm, world=_world(p.twist),
                     brightness=120.0)


def _world(twist_deg: float) -> np.ndarray:
    world = np.zeros((NUM_LANDMARKS, 3))
    a = math.radians(twist_deg)
    half = 0.18
    world[Lm.LEFT_SHOULDER] = (half * math.cos(a), -0.5, half * math.sin(a))
    world[Lm.RIGHT_SHOULDER] = (-half * math.cos(a), -0.5, -half * math.sin(a))
    world[Lm.LEFT_HIP] = (0.1, 0.0, 0.0)
    world[Lm.RIGHT_HIP] = (-0.1, 0.0, 0.0)
    return world


def squat_pose(depth: float) -> Pose:
    """Squat at a share 0–1 of a 110° knee bend (shank and thigh share it), trunk leaning with it."""
    knee = 110.0 * depth
    return Pose(shank=0.45 * knee, thigh=0.55 * knee, trunk=0.35 * knee)


def hinge_pose(depth: float, knee_share: float = 0.2) -> Pose:
    """Hip hinge at a share 0–1 of an 80° trunk lean; knees bend by knee_share of the trunk lean."""
    trunk = 80.0 * depth
    knee = knee_share * trunk
    return Pose(shank=0.5 * knee, thigh=0.5 * knee, trunk=trunk)


Profile = Callable[[float], float]


def rep_profile(n_reps: int, rest_s: float = 1.5, rep_s: float = 3.0, start_deep: bool = False,
                skip_s: float = 0.0) -> Profile:
    """Depth 0–1 over time: rest, then `n_reps` smooth down-up reps (cosine), each followed by rest.

    With `start_deep`, the clip begins at the bottom of the first rep (a conventional pull from the floor);
    with `skip_s`, that many seconds into the profile.
    """
    period = rep_s + rest_s
    offset = rest_s + rep_s / 2 if start_deep else skip_s

    def depth(t: float) -> float:
        t += offset
        k, u = divmod(t - rest_s, period)
        if t < rest_s or k >= n_reps or u > rep_s:
            return 0.0
        return 0.5 - 0.5 * math.cos(2 * math.pi * u / rep_s)

    return depth


def duration(n_reps: int, rest_s: float = 1.5, rep_s: float = 3.0) -> float:
    """Seconds covered by `rep_profile(n_reps, ...)`."""
    return rest_s + n_reps * (rep_s + rest_s)


def frames_of(profile: Profile, seconds: float, pose_of: Callable[[float], Pose],
              make: Callable[..., PoseFrame] = side_frame, **kwargs: object) -> list[PoseFrame]:
    """Pose frames at FPS for `seconds` of a depth profile."""
    n = int(seconds * FPS)
    return [make(i / FPS, pose_of(profile(i / FPS)), **kwargs) for i in range(n)]


def run(exercise: str, features: Sequence[BodyFeatures]) -> AnalysisResult:
    """Feed features to a fresh analyzer and finish."""
    analyzer = analyzer_for(exercise)
    for f in features:
        analyzer.update(f)
    return analyzer.finish()


def feats(frames: Sequence[PoseFrame]) -> list[BodyFeatures]:
    """Features of each frame."""
    return [extract(f) for f in frames]


def with_bulge(features: Sequence[BodyFeatures], bulge_of: Callable[[BodyFeatures], float]) -> list[BodyFeatures]:
    """The same features with a back bulge set per frame (the silhouette is tested on its own)."""
    return [dataclasses.replace(f, back_bulge=bulge_of(f)) for f in features]


def kinds(rep: object) -> set[str]:
    """The warning kinds a rep carries, as strings."""
    return {w.kind.value for w in rep.warnings}  # type: ignore[attr-defined]
