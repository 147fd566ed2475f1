"""Back contour from the pose segmentation mask: how far the dorsal silhouette bulges (spine rounding).

MediaPipe has no spine landmarks, and the shoulder–hip line barely moves when the back rounds; the back
edge of the segmentation mask does. Along the hip→shoulder chord we march perpendicular towards the
back until the mask falls below 0.5, and measure how far that edge bows out beyond the straight line
joining its two end stations, as a fraction of the chord length (dimensionless).

Sign convention for ``back_direction``: +1 means the back lies on the side of the chord's normal
(−d_y, d_x) (d = unit hip→shoulder; image-right for an upright chord), −1 the opposite side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

NAN = float("nan")

N_STATIONS = 15
"""Stations along the chord."""

STATION_START = 0.15
STATION_END = 0.85
"""First and last station, as fractions of the chord from the hip."""

MIN_CHORD_PX = 20.0
"""Shorter hip→shoulder chords are not measured, px."""

MAX_REACH = 0.75
"""The march stops this far from the chord, as a fraction of the chord length."""

MASK_THRESHOLD = 0.5
"""Mask values below this are background."""

MIN_VALID_STATIONS = 9
"""Fewer stations with an edge than this → not measurable."""


_STATIONS = np.linspace(STATION_START, STATION_END, N_STATIONS)
_ROWS = np.arange(N_STATIONS)


@dataclass(frozen=True, slots=True)
class BackProfile:
    """The measured back edge.

    Attributes:
        chord_px: Hip→shoulder chord length, px.
        stations: (N,) station positions along the chord, fraction of chord from the hip.
        depth_px: (N,) distance from the chord to the back edge, px (NaN where no edge was found).
        points: (N, 2) back-edge points in image px (NaN rows where no edge was found).
        bulge: Max bow of the edge beyond the line joining its end stations, / chord (NaN if unmeasurable).
    """

    chord_px: float
    stations: FloatArray
    depth_px: FloatArray
    points: FloatArray
    bulge: float


def back_profile(
    mask: npt.NDArray[np.floating] | None,
    hip_xy: npt.ArrayLike,
    shoulder_xy: npt.ArrayLike,
    back_direction: int,
) -> BackProfile | None:
    """Measure the back edge; None when it cannot be measured at all (no mask, bad points, short chord)."""
    if mask is None or mask.ndim != 2 or back_direction not in (1, -1):
        return None
    h = np.asarray(hip_xy, dtype=np.float64)[:2]
    s = np.asarray(shoulder_xy, dtype=np.float64)[:2]
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(s))):
        return None
    height, width = mask.shape
    for p in (h, s):
        if not (0.0 <= p[0] <= width - 1 and 0.0 <= p[1] <= height - 1):
            return None
    d = s - h
    chord = math.hypot(float(d[0]), float(d[1]))
    if chord < MIN_CHORD_PX:
        return None
    u = d / chord
    n = np.array([-u[1], u[0]]) * float(back_direction)

    t = _STATIONS
    base = h[None, :] + (t * chord)[:, None] * u[None, :]  # (N, 2)
    reach = np.arange(0.0, MAX_REACH * chord, 1.0)  # px, 1-px steps
    pts = base[:, None, :] + reach[None, :, None] * n[None, None, :]  # (N, R, 2)
    xy = np.rint(pts).astype(np.intp)
    xi, yi = xy[..., 0], xy[..., 1]
    inside = (xi >= 0) & (xi < width) & (yi >= 0) & (yi < height)
    # Samples outside the image read as background; clipped indices keep the gather a single fancy index.
    vals = np.where(inside, mask[np.clip(yi, 0, height - 1), np.clip(xi, 0, width - 1)], 0).astype(np.float64)

    fg = vals >= MASK_THRESHOLD
    first_out = np.argmax(~fg, axis=1)  # index of first background sample (0 if none)
    rows = _ROWS
    # A station has an edge when it starts inside the body and a background sample follows.
    ok = fg[:, 0] & ~fg[rows, first_out]
    # Sub-pixel crossing from the soft mask values on both sides of the edge.
    k = np.maximum(first_out, 1)
    v_in = vals[rows, k - 1]
    v_out = vals[rows, k]
    denom = v_in - v_out
    frac = np.where(denom > 1e-6, (v_in - MASK_THRESHOLD) / np.where(denom > 1e-6, denom, 1.0), 0.5)
    depth = np.where(ok, (k - 1) + np.clip(frac, 0.0, 1.0), np.nan)
    points = base + depth[:, None] * n[None, :]

    bulge = NAN
    valid = np.flatnonzero(ok)
    if valid.size >= MIN_VALID_STATIONS:
        i0, i1 = valid[0], valid[-1]
        line = depth[i0] + (depth[i1] - depth[i0]) * (t - t[i0]) / (t[i1] - t[i0])
        bulge = float(np.max(depth[valid] - line[valid])) / chord
    return BackProfile(chord_px=chord, stations=t, depth_px=depth, points=points, bulge=bulge)


def back_bulge(
    mask: npt.NDArray[np.floating] | None,
    hip_xy: npt.ArrayLike,
    shoulder_xy: npt.ArrayLike,
    back_direction: int,
) -> float:
    """Bow of the dorsal silhouette beyond its end-station line, / hip→shoulder chord (NaN if unmeasurable).

    Neutral spine ≈ 0.05, markedly rounded ≈ 0.09 at the bottom of a deadlift (rendered bodies).
    """
    prof = back_profile(mask, hip_xy, shoulder_xy, back_direction)
    return NAN if prof is None else prof.bulge


def back_contour(
    mask: npt.NDArray[np.floating] | None,
    hip_xy: npt.ArrayLike,
    shoulder_xy: npt.ArrayLike,
    back_direction: int,
) -> FloatArray:
    """Back-edge points for drawing, (N, 2) image px, hip end first; (0, 2) when nothing was found."""
    prof = back_profile(mask, hip_xy, shoulder_xy, back_direction)
    if prof is None:
        return np.zeros((0, 2))
    return prof.points[np.all(np.isfinite(prof.points), axis=1)]
