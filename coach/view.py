"""Which way the camera sees the person: side, front, rear or oblique.

Per frame, from image landmarks: the shoulder (and hip) width relative to the torso length (mid-hip to
mid-shoulder, so horizontal bodies work too) says side vs front/rear. Front vs rear comes from the
handedness of the skeleton on screen (the person's left shoulder appears on their trunk's image-right
when they face the camera); on real clips MediaPipe labels left/right correctly from behind but still
reports a "visible" face there, so the face is only the fallback when the handedness is unclear.
"""

from __future__ import annotations

import math

import numpy as np

from coach.landmarks import Lm
from coach.types import View

SIDE_MAX_RATIO = 0.30
"""Width ratio (see `width_ratio`) at or below which a frame is a side view."""

FRONT_MIN_RATIO = 0.50
"""Width ratio at or above which a frame is a front or rear view."""

HIP_WEIGHT = 0.5
"""Weight of the hip width in the width ratio (hips are narrower and noisier than shoulders)."""

CHIRALITY_MIN = 0.3
"""|chirality| at or above this decides front (negative) vs rear (positive); below it the face decides."""

FACE_VISIBILITY = 0.5
"""Nose and an eye at least this visible → the face is visible."""



def width_ratio(shoulder_width_px: float, hip_width_px: float, torso_length_px: float) -> float:
    """(shoulder width + HIP_WEIGHT × hip width) / ((1 + HIP_WEIGHT) × torso length), dimensionless.

    About 0.1 side-on, 0.6–0.8 square to the camera. NaN when the torso length is not measurable.
    """
    if not (torso_length_px > 1.0):
        return float("nan")
    if math.isfinite(hip_width_px):
        return (shoulder_width_px + HIP_WEIGHT * hip_width_px) / ((1.0 + HIP_WEIGHT) * torso_length_px)
    return shoulder_width_px / torso_length_px


def chirality(landmarks: np.ndarray) -> float:
    """Handedness of the skeleton on screen, −1..1: sine of the angle from the trunk direction
    (mid-hip→mid-shoulder) to the left→right shoulder line, image coords. About −1 when the person
    faces the camera, +1 from behind, near 0 side-on; NaN when unmeasurable. Works for any body tilt."""
    lm = landmarks
    up = (lm[Lm.LEFT_SHOULDER, :2] + lm[Lm.RIGHT_SHOULDER, :2] - lm[Lm.LEFT_HIP, :2] - lm[Lm.RIGHT_HIP, :2]) * 0.5
    lr = lm[Lm.RIGHT_SHOULDER, :2] - lm[Lm.LEFT_SHOULDER, :2]
    den = float(np.hypot(*up) * np.hypot(*lr))
    if not den > 1e-9:
        return float("nan")
    return float(up[0] * lr[1] - up[1] * lr[0]) / den


def classify_cues(ratio: float, face_front: bool, chirality_value: float = float("nan")) -> View:
    """View from the width ratio, the skeleton's handedness (see `chirality`) and, when that is
    unclear, whether the face is towards the camera."""
    if not math.isfinite(ratio):
        return View.UNKNOWN
    if ratio <= SIDE_MAX_RATIO:
        return View.SIDE
    if ratio < FRONT_MIN_RATIO:
        return View.OBLIQUE
    if math.isfinite(chirality_value) and abs(chirality_value) >= CHIRALITY_MIN:
        return View.FRONT if chirality_value < 0 else View.REAR
    return View.FRONT if face_front else View.REAR


def face_towards_camera(landmarks: np.ndarray) -> bool:
    """True when the face is visible: nose and an eye visible, and the nose between the shoulders'
    extent along the shoulder line (landmarks: (33, 4) image px + visibility)."""
    lm = landmarks
    vis_nose = lm[Lm.NOSE, 3]
    vis_eye = max(lm[Lm.LEFT_EYE, 3], lm[Lm.RIGHT_EYE, 3])
    if not (vis_nose >= FACE_VISIBILITY and vis_eye >= FACE_VISIBILITY):
        return False
    ls, rs = lm[Lm.LEFT_SHOULDER, :2], lm[Lm.RIGHT_SHOULDER, :2]
    d = rs - ls
    dd = float(np.dot(d, d))
    if not dd > 1.0:
        return False
    t = float(np.dot(lm[Lm.NOSE, :2] - ls, d)) / dd
    return -0.1 <= t <= 1.1


