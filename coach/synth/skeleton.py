"""Articulated skeleton and forward kinematics for the synthetic person.

World frame: metres, x = the person's forward direction at rest, y = up, z = the person's right
(right-handed), floor at y = 0. Every segment has a local frame that equals the world frame when the
person stands in the rest pose, so a pose is simply one world rotation per segment plus the position
of the pelvis origin (the midpoint of the hip joint centres).

Rotation helpers take degrees. `pitch(a)` tilts the +y axis toward +x (a forward lean of an upward
segment; for a downward segment such as a thigh, a negative pitch swings its lower end forward).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from coach.types import FloatArray

Mat3 = FloatArray


def pitch(deg: float) -> Mat3:
    """Rotation about the lateral (z) axis that tilts +y toward +x by `deg` degrees."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


def yaw(deg: float) -> Mat3:
    """Rotation about the vertical/axial (y) axis; positive turns +z (right) toward +x (forward)."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def roll(deg: float) -> Mat3:
    """Rotation about the forward (x) axis; positive tilts +y toward +z (right)."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


class Seg(StrEnum):
    """Body segments, each with its own local frame."""

    PELVIS = "pelvis"
    LUMBAR = "lumbar"
    THORAX_LOW = "thorax_low"
    THORAX_UP = "thorax_up"
    NECK = "neck"
    HEAD = "head"
    UPPER_ARM_L = "upper_arm_l"
    FOREARM_L = "forearm_l"
    HAND_L = "hand_l"
    UPPER_ARM_R = "upper_arm_r"
    FOREARM_R = "forearm_r"
    HAND_R = "hand_r"
    THIGH_L = "thigh_l"
    SHANK_L = "shank_l"
    FOOT_L = "foot_l"
    THIGH_R = "thigh_r"
    SHANK_R = "shank_r"
    FOOT_R = "foot_r"


SPINE: tuple[Seg, Seg, Seg] = (Seg.LUMBAR, Seg.THORAX_LOW, Seg.THORAX_UP)

# Rest curvature of the spine: each segment's pitch relative to its parent, degrees
# (lumbar lordosis leans back, the thorax curves forward). Spine flexion is measured from here.
SPINE_REST_DEG: tuple[float, float, float] = (-6.0, 6.0, 8.0)


@dataclass(frozen=True, slots=True)
class BodyDims:
    """Body proportions; lengths in metres (defaults follow standard anthropometric ratios)."""

    height_m: float = 1.70
    thigh: float = 0.245
    shank: float = 0.246
    upper_arm: float = 0.186
    forearm: float = 0.146
    hand: float = 0.108
    lumbar: float = 0.105
    thorax_low: float = 0.09
    thorax_up: float = 0.085
    neck: float = 0.035
    hip_half_width: float = 0.052
    shoulder_half_width: float = 0.106
    bulk: float = 1.0  # girth multiplier for the body surface

    def m(self, ratio: float) -> float:
        """A length given as a fraction of body height, in metres."""
        return ratio * self.height_m

    def offsets(self) -> dict[Seg, tuple[Seg | None, FloatArray]]:
        """Each segment's parent and the position of its origin in the parent's frame, m."""
        h = self.height_m

        def v(x: float, y: float, z: float) -> FloatArray:
            return np.array([x, y, z]) * h

        return {
            Seg.PELVIS: (None, v(0, 0, 0)),
            Seg.LUMBAR: (Seg.PELVIS, v(-0.02, 0.04, 0)),
            Seg.THORAX_LOW: (Seg.LUMBAR, v(0, self.lumbar, 0)),
            Seg.THORAX_UP: (Seg.THORAX_LOW, v(0, self.thorax_low, 0)),
            Seg.NECK: (Seg.THORAX_UP, v(0, self.thorax_up, 0)),
            Seg.HEAD: (Seg.NECK, v(0.005, self.neck, 0)),
            Seg.UPPER_ARM_L: (Seg.THORAX_UP, v(0.012, self.thorax_up - 0.03, -self.shoulder_half_width)),
            Seg.FOREARM_L: (Seg.UPPER_ARM_L, v(0, -self.upper_arm, 0)),
            Seg.HAND_L: (Seg.FOREARM_L, v(0, -self.forearm, 0)),
            Seg.UPPER_ARM_R: (Seg.THORAX_UP, v(0.012, self.thorax_up - 0.03, self.shoulder_half_width)),
            Seg.FOREARM_R: (Seg.UPPER_ARM_R, v(0, -self.upper_arm, 0)),
            Seg.HAND_R: (Seg.FOREARM_R, v(0, -self.forearm, 0)),
            Seg.THIGH_L: (Seg.PELVIS, v(0, 0, -self.hip_half_width)),
            Seg.SHANK_L: (Seg.THIGH_L, v(0, -self.thigh, 0)),
            Seg.FOOT_L: (Seg.SHANK_L, v(0, -self.shank, 0)),
            Seg.THIGH_R: (Seg.PELVIS, v(0, 0, self.hip_half_width)),
            Seg.SHANK_R: (Seg.THIGH_R, v(0, -self.thigh, 0)),
            Seg.FOOT_R: (Seg.SHANK_R, v(0, -self.shank, 0)),
        }


@dataclass(frozen=True)
class Pose:
    """A body configuration: pelvis origin position (m) and one world rotation per segment."""

    root: FloatArray
    rotations: dict[Seg, Mat3] = field(default_factory=dict)


@dataclass(frozen=True)
class Frames:
    """Result of forward kinematics: world origin (m) and rotation of every segment."""

    origins: dict[Seg, FloatArray]
    rotations: dict[Seg, Mat3]

    def point(self, seg: Seg, local: FloatArray) -> FloatArray:
        """World position of a point given in a segment's local frame, m."""
        return self.origins[seg] + self.rotations[seg] @ local

    def translated(self, delta: FloatArray) -> Frames:
        """The same frames moved by `delta` metres."""
        return Frames({k: o + delta for k, o in self.origins.items()}, self.rotations)


def forward_kinematics(dims: BodyDims, pose: Pose) -> Frames:
    """World origin and rotation of every segment (segments missing from the pose keep the identity)."""
    offsets = dims.offsets()
    origins: dict[Seg, FloatArray] = {}
    rotations: dict[Seg, Mat3] = {}
    for seg in Seg:  # parents are listed before their children
        parent, offset = offsets[seg]
        rot = pose.rotations.get(seg, np.eye(3))
        rotations[seg] = rot
        if parent is None:
            origins[seg] = np.asarray(pose.root, dtype=float) + offset
        else:
            origins[seg] = origins[parent] + rotations[parent] @ offset
    return Frames(origins, rotations)


# Named joints for the ground truth: (segment, point in that segment's frame as fractions of height).
# Names follow MediaPipe's landmark names (coach.landmarks.Lm) in lower case.
_JOINTS: dict[str, tuple[Seg, tuple[float, float, float]]] = {
    "nose": (Seg.HEAD, (0.062, 0.05, 0.0)),
    "left_ear": (Seg.HEAD, (0.0, 0.055, -0.046)),
    "right_ear": (Seg.HEAD, (0.0, 0.055, 0.046)),
    "left_shoulder": (Seg.UPPER_ARM_L, (0, 0, 0)),
    "right_shoulder": (Seg.UPPER_ARM_R, (0, 0, 0)),
    "left_elbow": (Seg.FOREARM_L, (0, 0, 0)),
    "right_elbow": (Seg.FOREARM_R, (0, 0, 0)),
    "left_wrist": (Seg.HAND_L, (0, 0, 0)),
    "right_wrist": (Seg.HAND_R, (0, 0, 0)),
    "left_hip": (Seg.THIGH_L, (0, 0, 0)),
    "right_hip": (Seg.THIGH_R, (0, 0, 0)),
    "left_knee": (Seg.SHANK_L, (0, 0, 0)),
    "right_knee": (Seg.SHANK_R, (0, 0, 0)),
    "left_ankle": (Seg.FOOT_L, (0, 0, 0)),
    "right_ankle": (Seg.FOOT_R, (0, 0, 0)),
    "left_heel": (Seg.FOOT_L, (-0.03, -0.03, 0.0)),
    "right_heel": (Seg.FOOT_R, (-0.03, -0.03, 0.0)),
    "left_foot_index": (Seg.FOOT_L, (0.115, -0.03, 0.0)),
    "right_foot_index": (Seg.FOOT_R, (0.115, -0.03, 0.0)),
}

JOINT_NAMES: tuple[str, ...] = tuple(_JOINTS)


def joints(dims: BodyDims, frames: Frames) -> dict[str, FloatArray]:
    """World positions (m) of the named truth joints (MediaPipe landmark names, lower case)."""
    return {name: frames.point(seg, np.asarray(local) * dims.height_m) for name, (seg, local) in _JOINTS.items()}
