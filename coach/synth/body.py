"""The body surface: shaded primitives (round-cones and ellipsoids) attached to skeleton segments.

A primitive is a round-cone from `a` to `b` with end radii `ra`, `rb` (a sphere when a == b), in a
space scaled by `sw` along a width axis `w`, by `sd` along the depth axis (axis × w) and by `sa` along
the axis itself, so a torso piece is an elliptical round-cone and a head is an ellipsoid. Positions
are given in the segment's local frame as fractions of body height and placed in metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from coach.synth.skeleton import BodyDims, Frames, Seg
from coach.types import FloatArray


class Mat(IntEnum):
    """Surface materials (their colours come from the scene's palette)."""

    SKIN = 0
    SHIRT = 1
    PANTS = 2
    HAIR = 3
    SHOE = 4
    SOCK = 5
    EYE_WHITE = 6
    IRIS = 7
    LIP = 8
    BAR = 9


@dataclass(frozen=True, slots=True)
class Outfit:
    """Clothing and hair choices."""

    long_sleeves: bool = False
    long_pants: bool = False
    long_hair: bool = False
    face: bool = True


@dataclass(frozen=True, slots=True)
class Prim:
    """One primitive in a segment's frame (positions and radii in fractions of body height)."""

    seg: Seg | None
    a: tuple[float, float, float]
    b: tuple[float, float, float]
    ra: float
    rb: float
    mat: Mat
    w: tuple[float, float, float] = (0.0, 0.0, 1.0)
    sw: float = 1.0
    sd: float = 1.0
    sa: float = 1.0


@dataclass(frozen=True)
class PrimArrays:
    """Primitives placed in the world for one frame (metres), as parallel arrays of length N."""

    a: FloatArray
    b: FloatArray
    ra: FloatArray
    rb: FloatArray
    ax: FloatArray  # (N, 3) unit axis (for a sphere: the segment's local y)
    w: FloatArray  # (N, 3) unit width axis, perpendicular to ax
    scale: FloatArray  # (N, 3): sw, sd, sa
    mat: np.ndarray

    def __len__(self) -> int:
        return len(self.mat)

    def translated(self, delta: FloatArray) -> PrimArrays:
        """The same primitives moved by `delta` metres."""
        return PrimArrays(self.a + delta, self.b + delta, self.ra, self.rb, self.ax, self.w, self.scale, self.mat)

    def concat(self, other: PrimArrays) -> PrimArrays:
        """Both sets of primitives together."""
        return PrimArrays(*(np.concatenate([x, y]) for x, y in zip(self._fields(), other._fields(), strict=True)))

    def _fields(self) -> tuple[np.ndarray, ...]:
        return (self.a, self.b, self.ra, self.rb, self.ax, self.w, self.scale, self.mat)

    def lowest_y(self) -> float:
        """Height of the lowest surface point, m."""
        ax, w = self.ax, self.w
        d = np.cross(ax, w)
        ext = np.sqrt(
            (w[:, 1] * self.scale[:, 0]) ** 2 + (d[:, 1] * self.scale[:, 1]) ** 2 + (ax[:, 1] * self.scale[:, 2]) ** 2
        )
        low = np.minimum(self.a[:, 1] - self.ra * ext, self.b[:, 1] - self.rb * ext)
        return float(low.min())


def _mirror(p: Prim) -> Prim:
    """The right-side copy of a left-side primitive (z negated, segment swapped)."""
    swap = {
        Seg.UPPER_ARM_L: Seg.UPPER_ARM_R,
        Seg.FOREARM_L: Seg.FOREARM_R,
        Seg.HAND_L: Seg.HAND_R,
        Seg.THIGH_L: Seg.THIGH_R,
        Seg.SHANK_L: Seg.SHANK_R,
        Seg.FOOT_L: Seg.FOOT_R,
    }
    seg = swap.get(p.seg, p.seg) if p.seg is not None else None

    def flip(v: tuple[float, float, float]) -> tuple[float, float, float]:
        return (v[0], v[1], -v[2])

    return Prim(seg, flip(p.a), flip(p.b), p.ra, p.rb, p.mat, flip(p.w), p.sw, p.sd, p.sa)


def _limbs(outfit: Outfit) -> list[Prim]:
    """Left arm and leg (mirrored for the right)."""
    arm = Mat.SHIRT if outfit.long_sleeves else Mat.SKIN
    leg = Mat.PANTS if outfit.long_pants else Mat.SKIN
    x = (1.0, 0.0, 0.0)
    out = [
        Prim(Seg.UPPER_ARM_L, (0, 0, 0), (0, -0.186, 0), 0.027, 0.021, arm),
        Prim(Seg.FOREARM_L, (0, 0, 0), (0, -0.146, 0), 0.021, 0.016, arm),
        Prim(Seg.HAND_L, (0, -0.008, 0), (0, -0.055, 0), 0.025, 0.024, Mat.SKIN, w=x, sd=0.42, sa=0.6),
        Prim(Seg.HAND_L, (0, -0.055, 0), (0, -0.095, 0), 0.022, 0.016, Mat.SKIN, w=x, sd=0.45, sa=0.8),
        Prim(Seg.HAND_L, (0.016, -0.018, 0), (0.028, -0.058, 0), 0.009, 0.007, Mat.SKIN),
        Prim(Seg.THIGH_L, (0, 0, 0), (0, -0.245, 0), 0.055, 0.035, leg),
        Prim(Seg.SHANK_L, (0, 0, 0), (0, -0.24, 0), 0.034, 0.021, leg),
        Prim(Seg.SHANK_L, (-0.008, -0.04, 0), (-0.004, -0.13, 0), 0.036, 0.027, leg),
        Prim(Seg.FOOT_L, (-0.026, -0.022, 0), (0.094, -0.026, 0), 0.027, 0.022, Mat.SHOE, sd=0.75),
    ]
    if not outfit.long_sleeves:
        out.append(Prim(Seg.UPPER_ARM_L, (0, 0.005, 0), (0, -0.08, 0), 0.031, 0.027, Mat.SHIRT))
    if not outfit.long_pants:
        out.append(Prim(Seg.THIGH_L, (0, 0.01, 0), (0, -0.12, 0), 0.059, 0.049, Mat.PANTS))
        out.append(Prim(Seg.SHANK_L, (0, -0.2, 0), (0, -0.242, 0), 0.023, 0.023, Mat.SOCK))
    return out


def _trunk() -> list[Prim]:
    sh = Mat.SHIRT
    return [
        Prim(Seg.PELVIS, (-0.012, -0.015, 0), (-0.018, 0.045, 0), 0.1, 0.092, Mat.PANTS, sd=0.62, sa=0.45),
        Prim(Seg.LUMBAR, (0.022, 0.0, 0), (0.024, 0.105, 0), 0.088, 0.09, sh, sd=0.66, sa=0.4),
        Prim(Seg.THORAX_LOW, (0.026, 0.0, 0), (0.026, 0.09, 0), 0.092, 0.1, sh, sd=0.66, sa=0.4),
        Prim(Seg.THORAX_UP, (0.026, 0.0, 0), (0.016, 0.062, 0), 0.1, 0.094, sh, sd=0.66, sa=0.45),
        Prim(Seg.THORAX_UP, (0.0, 0.08, 0), (0.008, 0.058, -0.092), 0.034, 0.033, sh),
        Prim(Seg.THORAX_UP, (0.0, 0.08, 0), (0.008, 0.058, 0.092), 0.034, 0.033, sh),
        Prim(Seg.NECK, (0, -0.01, 0), (0.005, 0.04, 0), 0.032, 0.029, Mat.SKIN),
    ]


_HEAD_C = (0.012, 0.055, 0.0)
_HEAD_R = (0.058, 0.068, 0.048)  # depth (x), height (y), width (z) semi-axes


def _head(outfit: Outfit) -> list[Prim]:
    cx, cy, _ = _HEAD_C
    rx, ry, rz = _HEAD_R

    def ell(c: tuple[float, float, float], r: tuple[float, float, float], mat: Mat) -> Prim:
        # A sphere of radius 1 scaled by (z, x, y) semi-axes: w = z, d = y × z = x, axis = y.
        return Prim(Seg.HEAD, c, c, 1.0, 1.0, mat, (0, 0, 1), r[2], r[0], r[1])

    out = [
        ell(_HEAD_C, _HEAD_R, Mat.SKIN),
        ell((cx - 0.009, cy + 0.009, 0), (rx * 1.03, ry * 1.02, rz * 1.07), Mat.HAIR),
        ell((cx - 0.004, cy + 0.0, -rz), (0.012, 0.016, 0.006), Mat.SKIN),
        ell((cx - 0.004, cy + 0.0, rz), (0.012, 0.016, 0.006), Mat.SKIN),
    ]
    if outfit.long_hair:
        out.append(ell((cx - 0.035, cy - 0.035, 0), (0.035, 0.06, rz * 1.02), Mat.HAIR))
    if outfit.face:
        for z in (-0.019, 0.019):
            out += [
                ell((cx + 0.05, cy + 0.011, z), (0.0075, 0.0075, 0.0075), Mat.EYE_WHITE),
                ell((cx + 0.0555, cy + 0.011, z), (0.0045, 0.0045, 0.0045), Mat.IRIS),
                Prim(
                    Seg.HEAD,
                    (cx + 0.052, cy + 0.023, z * 0.5),
                    (cx + 0.048, cy + 0.024, z * 1.55),
                    0.003,
                    0.0028,
                    Mat.HAIR,
                ),
            ]
        out += [
            Prim(Seg.HEAD, (cx + 0.054, cy + 0.004, 0), (cx + 0.066, cy - 0.011, 0), 0.007, 0.009, Mat.SKIN),
            ell((cx + 0.054, cy - 0.024, 0), (0.005, 0.005, 0.014), Mat.LIP),
        ]
    return out


def body_prims(outfit: Outfit) -> tuple[Prim, ...]:
    """All primitives of the body for an outfit (fractions of body height)."""
    limbs = _limbs(outfit)
    return tuple(_trunk() + _head(outfit) + limbs + [_mirror(p) for p in limbs])


def place(prims: tuple[Prim, ...], dims: BodyDims, frames: Frames) -> PrimArrays:
    """The primitives in world coordinates for one posed frame, metres."""
    h = dims.height_m
    n = len(prims)
    a = np.empty((n, 3))
    b = np.empty((n, 3))
    ax = np.empty((n, 3))
    w = np.empty((n, 3))
    ra = np.empty(n)
    rb = np.empty(n)
    scale = np.empty((n, 3))
    mat = np.empty(n, dtype=np.int16)
    for i, p in enumerate(prims):
        assert p.seg is not None
        rot = frames.rotations[p.seg]
        o = frames.origins[p.seg]
        a[i] = o + rot @ (np.array(p.a) * h)
        b[i] = o + rot @ (np.array(p.b) * h)
        is_sphere = p.a == p.b
        axis = rot[:, 1] if is_sphere else (b[i] - a[i]) / np.linalg.norm(b[i] - a[i])
        wi = rot @ np.array(p.w)
        wi = wi - axis * np.dot(wi, axis)
        ax[i] = axis
        w[i] = wi / np.linalg.norm(wi)
        if is_sphere:
            ra[i] = rb[i] = 1.0
            scale[i] = (p.sw * h, p.sd * h, p.sa * h)
        else:
            ra[i] = p.ra * h * dims.bulk
            rb[i] = p.rb * h * dims.bulk
            scale[i] = (p.sw, p.sd, p.sa)
        mat[i] = p.mat
    return PrimArrays(a, b, ra, rb, ax, w, scale, mat)


def barbell(frames: Frames, dims: BodyDims) -> PrimArrays:
    """A light bar held in both hands (a 1.3 m, 25 mm bar with short collars), metres."""
    grip = np.array([0.0, -0.045, 0.0]) * dims.height_m
    left = frames.point(Seg.HAND_L, grip)
    right = frames.point(Seg.HAND_R, grip)
    centre = (left + right) / 2
    z = np.array([0.0, 0.0, 1.0])
    ends = [(-0.65, 0.65, 0.0125), (-0.62, -0.45, 0.024), (0.45, 0.62, 0.024)]
    n = len(ends)
    return PrimArrays(
        a=np.array([centre + z * e0 for e0, _, _ in ends]),
        b=np.array([centre + z * e1 for _, e1, _ in ends]),
        ra=np.array([r for *_, r in ends]),
        rb=np.array([r for *_, r in ends]),
        ax=np.tile(z, (n, 1)),
        w=np.tile([1.0, 0.0, 0.0], (n, 1)),
        scale=np.ones((n, 3)),
        mat=np.full(n, Mat.BAR, dtype=np.int16),
    )
