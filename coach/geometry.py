"""Pure geometry on numpy points (2-D image px or 3-D metres); every angle is in degrees.

Conventions: image coordinates have x to the right and y *down*. NaN in gives NaN out, and a
zero-length vector gives NaN; nothing here raises for NaN input.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
PointLike = FloatArray | Sequence[float]

NAN = float("nan")
_EPS = 1e-9


def _cross3(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cross product of two 3-D vectors (np.cross costs ~10 µs a call on 3 elements)."""
    a0, a1, a2 = float(a[0]), float(a[1]), float(a[2])
    b0, b1, b2 = float(b[0]), float(b[1]), float(b[2])
    return np.array([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0])


def as_point(p: PointLike) -> FloatArray:
    """A point or vector as a float64 array (a copy is not guaranteed)."""
    return np.asarray(p, dtype=np.float64)


def midpoint(a: PointLike, b: PointLike) -> FloatArray:
    """Midpoint of a and b (same units)."""
    return (as_point(a) + as_point(b)) * 0.5


def distance(a: PointLike, b: PointLike) -> float:
    """Euclidean distance between a and b (same units); NaN if either has NaN."""
    d = as_point(b) - as_point(a)
    return math.sqrt(float(np.dot(d, d)))


def norm(v: PointLike) -> float:
    """Euclidean length of v."""
    w = as_point(v)
    return math.sqrt(float(np.dot(w, w)))


def unit(v: PointLike) -> FloatArray:
    """v scaled to unit length; all-NaN when v is zero-length or has NaN."""
    w = as_point(v)
    n = norm(w)
    if not n > _EPS:  # also catches NaN
        return np.full(w.shape, np.nan)
    return w / n


def angle_between_deg(u: PointLike, v: PointLike) -> float:
    """Unsigned angle between vectors u and v, 0–180°; NaN for a zero-length vector."""
    a, b = as_point(u), as_point(v)
    if a.shape[-1] == 2 and b.shape[-1] == 2:  # plain floats: numpy costs µs a call on two elements
        return _angle_2d_deg(float(a[0]), float(a[1]), float(b[0]), float(b[1]), signed=False)
    nu, nv = norm(a), norm(b)
    if not (nu > _EPS and nv > _EPS):
        return NAN
    cross = norm(_cross3(a, b))
    return math.degrees(math.atan2(abs(cross), float(np.dot(a, b))))


def _angle_2d_deg(ax: float, ay: float, bx: float, by: float, *, signed: bool) -> float:
    """Angle from 2-D vector a to b, degrees: signed −180..180 (see `signed_angle_2d_deg`) or unsigned 0–180;
    NaN for a zero-length or NaN vector."""
    if not (math.sqrt(ax * ax + ay * ay) > _EPS and math.sqrt(bx * bx + by * by) > _EPS):
        return NAN
    cross = ax * by - ay * bx
    return math.degrees(math.atan2(cross if signed else abs(cross), ax * bx + ay * by))


def joint_angle_deg(a: PointLike, b: PointLike, c: PointLike) -> float:
    """Interior angle a–b–c at vertex b, 0–180° (180 = straight)."""
    pa, pb, pc = as_point(a), as_point(b), as_point(c)
    if pa.shape[-1] == 2 and pb.shape[-1] == 2 and pc.shape[-1] == 2:
        bx, by = float(pb[0]), float(pb[1])
        return _angle_2d_deg(float(pa[0]) - bx, float(pa[1]) - by, float(pc[0]) - bx, float(pc[1]) - by,
                             signed=False)
    return angle_between_deg(pa - pb, pc - pb)


def flexion_deg(a: PointLike, b: PointLike, c: PointLike) -> float:
    """Flexion at b: 180° − interior angle a–b–c (0 = straight, 90 = right angle)."""
    return 180.0 - joint_angle_deg(a, b, c)


def signed_angle_2d_deg(u: PointLike, v: PointLike) -> float:
    """Signed angle from 2-D vector u to v, −180..180°.

    Positive means v is rotated from u towards u's normal (−u_y, u_x): counter-clockwise in a y-up
    frame, which is clockwise on screen in image coordinates (y down).
    """
    a, b = as_point(u), as_point(v)
    return _angle_2d_deg(float(a[0]), float(a[1]), float(b[0]), float(b[1]), signed=True)


def angle_from_vertical_deg(lower: PointLike, upper: PointLike) -> float:
    """Angle of lower→upper from the image's upward vertical, 0–180° (image coords, y down).

    0 = upper straight above lower, 90 = horizontal, 180 = upper straight below lower.
    """
    d = as_point(upper)[:2] - as_point(lower)[:2]
    dx, dy = float(d[0]), float(d[1])
    if not math.hypot(dx, dy) > _EPS:
        return NAN
    return math.degrees(math.atan2(abs(dx), -dy))


def elevation_deg(origin: PointLike, tip: PointLike) -> float:
    """Signed elevation of origin→tip above the image horizontal, −90..90° (+ = tip higher on screen)."""
    d = as_point(tip)[:2] - as_point(origin)[:2]
    dx, dy = float(d[0]), float(d[1])
    if not math.hypot(dx, dy) > _EPS:
        return NAN
    return math.degrees(math.atan2(-dy, abs(dx)))


def left_normal_2d(a: PointLike, b: PointLike) -> FloatArray:
    """Unit normal (−d_y, d_x) of the 2-D direction a→b; image-right when a→b points up on screen."""
    return np.array(_left_normal(as_point(a), as_point(b)))


def _left_normal(a: FloatArray, b: FloatArray) -> tuple[float, float]:
    """`left_normal_2d` as two floats (NaN, NaN for a zero-length or NaN direction)."""
    dx, dy = float(b[0]) - float(a[0]), float(b[1]) - float(a[1])
    n = math.sqrt(dx * dx + dy * dy)
    if not n > _EPS:
        return NAN, NAN
    return -dy / n, dx / n


def signed_point_line_distance(p: PointLike, a: PointLike, b: PointLike) -> float:
    """Signed 2-D distance of p from the line a→b, + on the side of `left_normal_2d(a, b)` (px)."""
    pa, pp = as_point(a), as_point(p)
    nx, ny = _left_normal(pa, as_point(b))
    return (float(pp[0]) - float(pa[0])) * nx + (float(pp[1]) - float(pa[1])) * ny


def point_line_distance(p: PointLike, a: PointLike, b: PointLike) -> float:
    """Unsigned distance of p from the infinite line through a and b (2-D or 3-D, same units)."""
    pa, pb, pp = as_point(a), as_point(b), as_point(p)
    d = pb - pa
    ld = norm(d)
    if not ld > _EPS:
        return NAN
    w = pp - pa
    if d.shape[-1] == 2:
        return abs(float(d[0] * w[1] - d[1] * w[0])) / ld
    return norm(_cross3(d, w)) / ld


def project_on_plane(v: PointLike, normal: PointLike) -> FloatArray:
    """Component of 3-D vector v perpendicular to `normal` (NaN if normal is zero-length)."""
    n = unit(normal)
    w = as_point(v)
    return w - float(np.dot(w, n)) * n


def signed_angle_about_axis_deg(u: PointLike, v: PointLike, axis: PointLike) -> float:
    """Signed angle from u to v about `axis` (right-hand rule), −180..180°, after projecting both
    onto the plane perpendicular to the axis (3-D)."""
    # Plain floats: numpy costs µs a call on three elements, and this runs on every frame.
    ax, ay, az = (float(c) for c in as_point(axis))
    la = math.sqrt(ax * ax + ay * ay + az * az)
    if not la > _EPS:  # also catches NaN
        return NAN
    nx, ny, nz = ax / la, ay / la, az / la
    ux, uy, uz = (float(c) for c in as_point(u))
    vx, vy, vz = (float(c) for c in as_point(v))
    du, dv = ux * nx + uy * ny + uz * nz, vx * nx + vy * ny + vz * nz
    ux, uy, uz = ux - du * nx, uy - du * ny, uz - du * nz  # projected onto the plane ⊥ axis
    vx, vy, vz = vx - dv * nx, vy - dv * ny, vz - dv * nz
    if not (math.sqrt(ux * ux + uy * uy + uz * uz) > _EPS and math.sqrt(vx * vx + vy * vy + vz * vz) > _EPS):
        return NAN
    s = nx * (uy * vz - uz * vy) + ny * (uz * vx - ux * vz) + nz * (ux * vy - uy * vx)
    c = ux * vx + uy * vy + uz * vz
    return math.degrees(math.atan2(s, c))


def twist_deg(l_sh: PointLike, r_sh: PointLike, l_hip: PointLike, r_hip: PointLike) -> float:
    """Axial twist of the shoulder line against the hip line, −180..180° (3-D points).

    Both lines (left→right) are projected onto the plane perpendicular to the trunk axis
    mid-hip→mid-shoulder; the result is the signed rotation from the hip line to the shoulder line
    about that axis (right-hand rule). 0 = square shoulders over hips.
    """
    axis = midpoint(l_sh, r_sh) - midpoint(l_hip, r_hip)
    return signed_angle_about_axis_deg(
        as_point(r_hip) - as_point(l_hip), as_point(r_sh) - as_point(l_sh), axis
    )


def wrap_deg(a: float) -> float:
    """Angle wrapped to −180..180° (NaN stays NaN)."""
    return (a + 180.0) % 360.0 - 180.0 if math.isfinite(a) else NAN


def vertical_inclination_deg(vertical_extent: float, true_length: float) -> float:
    """Tilt of a segment from the vertical, degrees, from its vertical extent and its true length (same units).

    A level camera never foreshortens a segment's vertical extent, so this reads the same from any camera
    azimuth. Extent ≥ length gives 0; a non-positive length gives NaN.
    """
    if not (true_length > 0.0) or math.isnan(vertical_extent):
        return math.nan
    return math.degrees(math.acos(max(-1.0, min(1.0, vertical_extent / true_length))))
