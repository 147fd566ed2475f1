"""Per-frame body features from a PoseFrame: joint angles (degrees), sizes (px), view, visibility, back bulge.

Pure: `extract(frame)` reads nothing but the frame. "Near side" values come from the body side facing the
camera; when it is unknown (e.g. front view) they are the mean of left and right (positions: midpoints).
Every angle is NaN when it cannot be measured; an undetected frame gives all NaN and detected=False.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach import geometry as g
from coach import view as view_mod
from coach.feet import EMPTY_LIMBS, Limbs, limbs_of
from coach.landmarks import Lm
from coach.silhouette import back_bulge
from coach.types import PoseFrame, Side, View

NAN = float("nan")
Point = tuple[float, float]
NAN_POINT: Point = (NAN, NAN)

VISIBLE = 0.5
"""A landmark at least this visible counts as seen."""

FRAME_MARGIN = 0.01
"""Landmarks must be this far inside the frame (fraction of the larger frame side) to count as in frame."""

ANTERIOR_MIN = 0.35
"""|nose offset from the mid-ear across the trunk| / head scale below this → front/back of the body unknown."""


@dataclass(frozen=True, slots=True)
class BodyFeatures:
    """Per-frame measurements; angles in degrees, lengths in px, NaN when not measurable.

    Attributes:
        timestamp_s: Frame time, s.
        detected: A person was found.
        people: Number of people the estimator found.
        brightness: Mean luma, 0–255.
        near_side: Body side facing the camera (None when unknown).
        view: Per-frame view estimate (see coach.view).
        body_height_px: Height of the bounding box of visible landmarks, px.
        bbox: (x0, y0, x1, y1) of visible landmarks, px.
        head_visible / upper_body_visible / lower_body_visible / feet_visible: Key landmarks (at least one of
            each left/right pair) visible ≥ 0.5 and inside the frame.
        knee_flexion_deg: Near-side knee flexion, 0 = straight (…_left/…_right per side).
        hip_flexion_deg: Near-side 180 − shoulder–hip–knee angle (…_left/…_right per side).
        trunk_from_vertical_deg: Hip→shoulder from the image vertical, 0 upright, 90 horizontal.
        trunk_elevation_deg: Signed elevation of hip→shoulder above the image horizontal (+ = shoulder higher).
        neck_flexion_deg: Angle from the trunk direction hip→shoulder to shoulder→ear, + = head forward/down.
        arm_elevation_left_deg / _right_deg: Shoulder→wrist elevation above horizontal.
        leg_elevation_left_deg / _right_deg: Hip→ankle elevation above horizontal.
        twist_world_deg: Shoulder line vs hip line about the trunk axis, world landmarks (geometry.twist_deg).
        shoulder_width_px / hip_width_px / torso_length_px: Image distances, px; torso = mid-hip→mid-shoulder.
        shoulder_hip_width_ratio: shoulder width / hip width.
        knee_valgus_left_deg / _right_deg: Frontal-plane knee deviation from the hip–ankle line,
            + = knee towards the midline (front/rear views only).
        hip_xy, shoulder_xy, knee_xy, ankle_xy, ear_xy, wrist_xy: Near-side image positions, px.
        back_bulge: Dorsal silhouette bulge / chord (coach.silhouette); NaN without a mask or off side views.
        facing: +1 facing (head/face towards) image-right, −1 image-left, 0 unknown.
        knees_visible: Hips and knees (at least one of each pair) visible and inside the frame, even when the
            feet are cut off or hidden behind plates.
        shoulder_line_px / hip_line_px: Left-minus-right shoulder (hip) landmark vector in the image, (dx, dy) px;
            its turning against the other line is the image twist evidence (coach.exercises.base.image_twist_deg).
        scene_cut: The video cut to another shot just before this frame (set by the session, coach.cuts): the
            analyzer learns its camera-dependent references again.
    """

    timestamp_s: float
    detected: bool
    people: int
    brightness: float
    near_side: Side | None
    view: View
    body_height_px: float
    bbox: tuple[float, float, float, float]
    head_visible: bool
    upper_body_visible: bool
    lower_body_visible: bool
    feet_visible: bool
    knee_flexion_deg: float
    knee_flexion_left_deg: float
    knee_flexion_right_deg: float
    hip_flexion_deg: float
    hip_flexion_left_deg: float
    hip_flexion_right_deg: float
    trunk_from_vertical_deg: float
    trunk_elevation_deg: float
    neck_flexion_deg: float
    arm_elevation_left_deg: float
    arm_elevation_right_deg: float
    leg_elevation_left_deg: float
    leg_elevation_right_deg: float
    twist_world_deg: float
    shoulder_width_px: float
    hip_width_px: float
    torso_length_px: float
    shoulder_hip_width_ratio: float
    knee_valgus_left_deg: float
    knee_valgus_right_deg: float
    hip_xy: Point
    shoulder_xy: Point
    knee_xy: Point
    ankle_xy: Point
    ear_xy: Point
    wrist_xy: Point
    back_bulge: float
    facing: int
    knees_visible: bool = False
    shoulder_line_px: Point = NAN_POINT
    hip_line_px: Point = NAN_POINT
    scene_cut: bool = False
    limbs: Limbs = EMPTY_LIMBS
    """Both feet and hands, px (coach.feet): the balance and functional exercises read each foot."""

    @classmethod
    def empty(cls, timestamp_s: float, people: int = 0, brightness: float = NAN) -> BodyFeatures:
        """Features of a frame with no person: all NaN, detected False."""
        return cls(
            timestamp_s=timestamp_s, detected=False, people=people, brightness=brightness, near_side=None,
            view=View.UNKNOWN, body_height_px=NAN, bbox=(NAN, NAN, NAN, NAN), head_visible=False,
            upper_body_visible=False, lower_body_visible=False, feet_visible=False, knee_flexion_deg=NAN,
            knee_flexion_left_deg=NAN, knee_flexion_right_deg=NAN, hip_flexion_deg=NAN,
            hip_flexion_left_deg=NAN, hip_flexion_right_deg=NAN, trunk_from_vertical_deg=NAN,
            trunk_elevation_deg=NAN, neck_flexion_deg=NAN, arm_elevation_left_deg=NAN,
            arm_elevation_right_deg=NAN, leg_elevation_left_deg=NAN, leg_elevation_right_deg=NAN,
            twist_world_deg=NAN, shoulder_width_px=NAN, hip_width_px=NAN, torso_length_px=NAN,
            shoulder_hip_width_ratio=NAN, knee_valgus_left_deg=NAN, knee_valgus_right_deg=NAN,
            hip_xy=NAN_POINT, shoulder_xy=NAN_POINT, knee_xy=NAN_POINT, ankle_xy=NAN_POINT,
            ear_xy=NAN_POINT, wrist_xy=NAN_POINT, back_bulge=NAN, facing=0,
        )


def _pt(p: np.ndarray) -> Point:
    return (float(p[0]), float(p[1]))


def _near(left: float, right: float, side: Side | None) -> float:
    """Near-side value, or the mean of the finite ones when the side is unknown."""
    if side is Side.LEFT:
        return left
    if side is Side.RIGHT:
        return right
    vals = [v for v in (left, right) if math.isfinite(v)]
    return sum(vals) / len(vals) if vals else NAN


def near_side_of(lm: np.ndarray, torso_px: float) -> Side | None:
    """Side facing the camera from image z (smaller = nearer) and visibility of shoulders, hips, knees."""
    score = 0.0
    scale = torso_px if torso_px > 1.0 else 1.0
    for left, right in ((Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER), (Lm.LEFT_HIP, Lm.RIGHT_HIP),
                        (Lm.LEFT_KNEE, Lm.RIGHT_KNEE)):
        dz = (lm[right, 2] - lm[left, 2]) / scale
        if math.isfinite(dz):
            score += float(dz)
        dv = lm[left, 3] - lm[right, 3]
        if math.isfinite(dv):
            score += 2.0 * float(dv)
    if score > 1e-6:
        return Side.LEFT
    if score < -1e-6:
        return Side.RIGHT
    return None


def _visible(rows: list[list[float]], pairs: tuple[tuple[Lm, Lm], ...], w: int, h: int) -> bool:
    """At least one landmark of every pair visible and inside the frame with a margin (`rows`: the landmarks
    as lists of x, y, z, visibility; plain floats compare much faster than numpy scalars)."""
    m = FRAME_MARGIN * max(w, h)
    for pair in pairs:
        if not any(
            rows[i][3] >= VISIBLE and m <= rows[i][0] <= w - m and m <= rows[i][1] <= h - m for i in pair
        ):
            return False
    return True


_HEAD = ((Lm.NOSE, Lm.NOSE), (Lm.LEFT_EAR, Lm.RIGHT_EAR))
_UPPER = ((Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER), (Lm.LEFT_HIP, Lm.RIGHT_HIP))
_LOWER = ((Lm.LEFT_HIP, Lm.RIGHT_HIP), (Lm.LEFT_KNEE, Lm.RIGHT_KNEE), (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE))
_KNEES = ((Lm.LEFT_HIP, Lm.RIGHT_HIP), (Lm.LEFT_KNEE, Lm.RIGHT_KNEE))
_FEET = ((Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE), (Lm.LEFT_HEEL, Lm.RIGHT_HEEL),
         (Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX))


def _valgus(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, other_hip: np.ndarray) -> float:
    """Frontal-plane projection angle at the knee, + when the knee lies on the midline side of hip–ankle."""
    fppa = g.flexion_deg(hip, knee, ankle)
    if not math.isfinite(fppa):
        return NAN
    s_knee = g.signed_point_line_distance(knee, hip, ankle)
    s_mid = g.signed_point_line_distance(other_hip, hip, ankle)
    if not (math.isfinite(s_knee) and math.isfinite(s_mid)) or s_mid == 0.0:
        return NAN
    return fppa if s_knee * s_mid > 0 else -fppa


def anterior_sign(lm: np.ndarray, hip: np.ndarray, shoulder: np.ndarray, torso_px: float) -> int:
    """Which side of the hip→shoulder chord the front of the body is on: +1 = the side of the chord's
    normal (−d_y, d_x), −1 the other, 0 unknown. From the nose's offset from the mid-ear (the nose is
    always anterior to the ears), with the shoulder→nose offset as a fallback when the ears are missing."""
    n = g.left_normal_2d(hip, shoulder)
    nose = lm[Lm.NOSE, :2]
    ear = g.midpoint(lm[Lm.LEFT_EAR, :2], lm[Lm.RIGHT_EAR, :2])
    ear_d = g.distance(lm[Lm.LEFT_EAR, :2], lm[Lm.RIGHT_EAR, :2])
    head = max(ear_d, 0.1 * torso_px) if math.isfinite(ear_d) else 0.1 * torso_px
    off = float(np.dot(nose - ear, n))
    if not math.isfinite(off):
        return 0
    if abs(off) < ANTERIOR_MIN * head:
        return 0
    return 1 if off > 0 else -1


def _landmark_box(lm: np.ndarray) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the visible landmarks, px; NaN when none is visible."""
    xy = lm[:, :2]
    vis = (lm[:, 3] >= VISIBLE) & np.isfinite(xy).all(axis=1)
    if not vis.any():
        return (NAN, NAN, NAN, NAN)
    x0, y0 = xy[vis].min(axis=0)
    x1, y1 = xy[vis].max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def _pick(left: np.ndarray, right: np.ndarray, near: Side | None) -> np.ndarray:
    """The near side's point, or the midpoint when no side is nearer."""
    if near is Side.LEFT:
        return left
    if near is Side.RIGHT:
        return right
    return (left + right) * 0.5


def _facing(t_lo: np.ndarray, t_hi: np.ndarray, ant: int) -> int:
    """+1 facing image-right, −1 image-left, 0 unknown: from the trunk line and its anterior side."""
    u = g.unit(t_hi - t_lo)
    hx = float(u[0] + ant * -u[1])
    if math.isfinite(hx) and abs(hx) > 0.5:
        return 1 if hx > 0 else -1
    return 0


def extract(frame: PoseFrame, *, with_silhouette: bool = True) -> BodyFeatures:
    """Measure one frame (pure). `with_silhouette=False` skips the mask-based back bulge."""
    if not frame.detected:
        return BodyFeatures.empty(frame.timestamp_s, frame.people, frame.brightness)
    lm = frame.landmarks
    xy = lm[:, :2]
    w, h = frame.width, frame.height
    ls, rs = xy[Lm.LEFT_SHOULDER], xy[Lm.RIGHT_SHOULDER]
    lh, rh = xy[Lm.LEFT_HIP], xy[Lm.RIGHT_HIP]
    lk, rk = xy[Lm.LEFT_KNEE], xy[Lm.RIGHT_KNEE]
    la, ra = xy[Lm.LEFT_ANKLE], xy[Lm.RIGHT_ANKLE]
    lw, rw = xy[Lm.LEFT_WRIST], xy[Lm.RIGHT_WRIST]
    le, re = xy[Lm.LEFT_EAR], xy[Lm.RIGHT_EAR]
    mid_sh, mid_hip = (ls + rs) * 0.5, (lh + rh) * 0.5
    shoulder_w, hip_w = g.distance(ls, rs), g.distance(lh, rh)
    torso = g.distance(mid_hip, mid_sh)
    near = near_side_of(lm, torso)
    ratio = view_mod.width_ratio(shoulder_w, hip_w, torso)
    view = view_mod.classify_cues(ratio, view_mod.face_towards_camera(lm), view_mod.chirality(lm))
    bbox = _landmark_box(lm)
    knee_l, knee_r = g.flexion_deg(lh, lk, la), g.flexion_deg(rh, rk, ra)
    hip_l, hip_r = g.flexion_deg(ls, lh, lk), g.flexion_deg(rs, rh, rk)
    hip_p, sh_p, ear_p = _pick(lh, rh, near), _pick(ls, rs, near), _pick(le, re, near)
    side_like = view in (View.SIDE, View.OBLIQUE) and near is not None
    t_lo, t_hi = (hip_p, sh_p) if side_like else (mid_hip, mid_sh)
    ant = anterior_sign(lm, t_lo, t_hi, torso)
    neck = ant * g.signed_angle_2d_deg(t_hi - t_lo, ear_p - t_hi) if ant != 0 else NAN
    bulge = NAN
    if with_silhouette and frame.mask is not None and side_like and ant != 0:
        bulge = back_bulge(frame.mask, hip_p, sh_p, -ant)
    wl = frame.world
    rows = lm.tolist()
    return BodyFeatures(
        timestamp_s=frame.timestamp_s,
        detected=True,
        people=frame.people,
        brightness=frame.brightness,
        near_side=near,
        view=view,
        body_height_px=bbox[3] - bbox[1],
        bbox=bbox,
        head_visible=_visible(rows, _HEAD, w, h),
        upper_body_visible=_visible(rows, _UPPER, w, h),
        lower_body_visible=_visible(rows, _LOWER, w, h),
        feet_visible=_visible(rows, _FEET, w, h),
        knee_flexion_deg=_near(knee_l, knee_r, near),
        knee_flexion_left_deg=knee_l,
        knee_flexion_right_deg=knee_r,
        hip_flexion_deg=_near(hip_l, hip_r, near),
        hip_flexion_left_deg=hip_l,
        hip_flexion_right_deg=hip_r,
        trunk_from_vertical_deg=g.angle_from_vertical_deg(t_lo, t_hi),
        trunk_elevation_deg=g.elevation_deg(t_lo, t_hi),
        neck_flexion_deg=neck,
        arm_elevation_left_deg=g.elevation_deg(ls, lw),
        arm_elevation_right_deg=g.elevation_deg(rs, rw),
        leg_elevation_left_deg=g.elevation_deg(lh, la),
        leg_elevation_right_deg=g.elevation_deg(rh, ra),
        twist_world_deg=g.twist_deg(wl[Lm.LEFT_SHOULDER], wl[Lm.RIGHT_SHOULDER], wl[Lm.LEFT_HIP], wl[Lm.RIGHT_HIP]),
        shoulder_width_px=shoulder_w,
        hip_width_px=hip_w,
        torso_length_px=torso,
        shoulder_hip_width_ratio=shoulder_w / hip_w if hip_w > 0 else NAN,
        knee_valgus_left_deg=_valgus(lh, lk, la, rh),
        knee_valgus_right_deg=_valgus(rh, rk, ra, lh),
        hip_xy=_pt(hip_p),
        shoulder_xy=_pt(sh_p),
        knee_xy=_pt(_pick(lk, rk, near)),
        ankle_xy=_pt(_pick(la, ra, near)),
        ear_xy=_pt(ear_p),
        wrist_xy=_pt(_pick(lw, rw, near)),
        back_bulge=bulge,
        facing=_facing(t_lo, t_hi, ant),
        knees_visible=_visible(rows, _KNEES, w, h),
        shoulder_line_px=_pt(ls - rs),
        hip_line_px=_pt(lh - rh),
        limbs=limbs_of(frame),
    )
