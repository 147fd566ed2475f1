"""Exact ground-truth angle definitions on the synthetic skeleton (all in degrees).

- knee flexion: 180 − the interior hip–knee–ankle angle (0 = straight leg).
- hip angle: interior shoulder–hip–knee angle (180 = straight body line).
- trunk from vertical: angle between mid-hip→mid-shoulder and world up.
- spine flexion: pitch of the upper thorax's long axis in the pelvis's sagittal plane, minus the
  same at the rest curvature; positive = rounding forward, negative = extension.
- trunk twist: signed angle from the hip line (left→right hip) to the shoulder line, both projected
  on the plane normal to the trunk axis (mid-hip→mid-shoulder); positive = shoulders turned toward
  the person's left relative to the hips.

2-D variants use projected image points (x right, y down, px) and the image vertical.
"""

from __future__ import annotations

import numpy as np

from coach.synth.skeleton import SPINE_REST_DEG, Frames, Mat3, Seg
from coach.types import FloatArray

REST_SPINE_PITCH_DEG = float(sum(SPINE_REST_DEG))


def interior_angle(a: FloatArray, b: FloatArray, c: FloatArray) -> float:
    """Angle ABC at vertex b between b→a and b→c, degrees (works in 2-D and 3-D)."""
    u = np.asarray(a, float) - np.asarray(b, float)
    v = np.asarray(c, float) - np.asarray(b, float)
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu == 0 or nv == 0:
        return float("nan")
    cos = float(np.clip(np.dot(u, v) / (nu * nv), -1.0, 1.0))
    return float(np.degrees(np.arccos(cos)))


def knee_flexion(hip: FloatArray, knee: FloatArray, ankle: FloatArray) -> float:
    """Knee flexion, degrees: 0 = straight, 90 = shank perpendicular to thigh."""
    return 180.0 - interior_angle(hip, knee, ankle)


def hip_angle(shoulder: FloatArray, hip: FloatArray, knee: FloatArray) -> float:
    """Interior shoulder–hip–knee angle, degrees (180 = straight)."""
    return interior_angle(shoulder, hip, knee)


def trunk_from_vertical(mid_hip: FloatArray, mid_shoulder: FloatArray) -> float:
    """Angle of mid-hip→mid-shoulder from world up (3-D, y up), degrees."""
    return interior_angle(np.asarray(mid_hip) + np.array([0.0, 1.0, 0.0]), mid_hip, mid_shoulder)


def trunk_from_vertical_2d(mid_hip_px: FloatArray, mid_shoulder_px: FloatArray) -> float:
    """Angle of the image line mid-hip→mid-shoulder from the image's up direction, degrees."""
    return interior_angle(np.asarray(mid_hip_px) + np.array([0.0, -1.0]), mid_hip_px, mid_shoulder_px)


def spine_pitch(pelvis: Mat3, thorax_up: Mat3) -> float:
    """Sagittal pitch of the upper thorax axis in the pelvis frame, degrees (forward positive)."""
    u = pelvis.T @ thorax_up[:, 1]
    return float(np.degrees(np.arctan2(u[0], u[1])))


def spine_flexion(frames: Frames) -> float:
    """Spine flexion relative to the rest curvature, degrees (positive = rounding forward)."""
    return spine_pitch(frames.rotations[Seg.PELVIS], frames.rotations[Seg.THORAX_UP]) - REST_SPINE_PITCH_DEG


def trunk_twist(l_shoulder: FloatArray, r_shoulder: FloatArray, l_hip: FloatArray, r_hip: FloatArray) -> float:
    """Shoulder line vs hip line about the trunk axis, degrees (positive = shoulders turned left)."""
    axis = (l_shoulder + r_shoulder) / 2 - (l_hip + r_hip) / 2
    axis = axis / np.linalg.norm(axis)
    s = r_shoulder - l_shoulder
    h = r_hip - l_hip
    s = s - axis * np.dot(s, axis)
    h = h - axis * np.dot(h, axis)
    # Right-hand rotation about the upward trunk axis turns the right shoulder forward (to the left).
    sin = float(np.dot(np.cross(h, s), axis))
    cos = float(np.dot(h, s))
    return float(np.degrees(np.arctan2(sin, cos)))
