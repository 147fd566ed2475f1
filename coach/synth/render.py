"""A pure-numpy ray-caster: pinhole camera, round-cone/ellipsoid intersection, z-buffer, shading.

Each primitive is intersected only with the rays inside its projected screen box. Shading is Lambert
key + fill light, a sky/ground hemisphere, a rim light and a little specular, in linear light with an
sRGB-like gamma. The static room (floor and wall) is rendered once per clip; soft contact shadows are
added per frame from the primitives near the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach.synth.body import PrimArrays
from coach.types import FloatArray

GAMMA = 2.2


@dataclass(frozen=True)
class Camera:
    """A pinhole camera: position and look-at target (m, world frame), horizontal FOV (deg), size (px), and
    roll about the viewing axis (deg, + = the camera turned clockwise as seen from behind it: the world's
    verticals then lean to the image-left at the top by roll_deg)."""

    position: FloatArray
    target: FloatArray
    hfov_deg: float
    width: int
    height: int
    roll_deg: float = 0.0

    @property
    def focal_px(self) -> float:
        """Focal length, px."""
        return (self.width / 2) / math.tan(math.radians(self.hfov_deg) / 2)

    def basis(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Unit (right, up, forward) vectors of the image in world coordinates."""
        fwd = np.asarray(self.target, float) - np.asarray(self.position, float)
        fwd = fwd / np.linalg.norm(fwd)
        right = np.cross(fwd, [0.0, 1.0, 0.0])
        right = right / np.linalg.norm(right)
        up = np.cross(right, fwd)
        if self.roll_deg:
            c, s = math.cos(math.radians(self.roll_deg)), math.sin(math.radians(self.roll_deg))
            right, up = c * right - s * up, s * right + c * up
        return right, up, fwd

    def to_camera(self, points: FloatArray) -> FloatArray:
        """World points (N, 3) → camera coordinates (right, up, depth), m."""
        right, up, fwd = self.basis()
        rel = np.atleast_2d(points) - np.asarray(self.position, float)
        return np.stack([rel @ right, rel @ up, rel @ fwd], axis=-1)

    def project(self, points: FloatArray) -> FloatArray:
        """World points (N, 3) → image points (N, 2), px (x right, y down; pixel centres at +0.5)."""
        c = self.to_camera(points)
        f = self.focal_px
        return np.stack([self.width / 2 + f * c[:, 0] / c[:, 2], self.height / 2 - f * c[:, 1] / c[:, 2]], axis=-1)

    def ray_dirs(self) -> FloatArray:
        """Unit ray directions through every pixel centre, (height, width, 3)."""
        right, up, fwd = self.basis()
        f = self.focal_px
        xs = (np.arange(self.width) + 0.5 - self.width / 2) / f
        ys = (np.arange(self.height) + 0.5 - self.height / 2) / f
        d = fwd[None, None, :] + xs[None, :, None] * right[None, None, :] - ys[:, None, None] * up[None, None, :]
        return d / np.linalg.norm(d, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Hits:
    """Z-buffer result: ray distance (m, inf = background), unit normal and material (−1 = none)."""

    depth: np.ndarray
    normal: np.ndarray
    mat: np.ndarray


def intersect_round_cone(
    ro: FloatArray, rd: FloatArray, length: float, ra: float, rb: float
) -> tuple[FloatArray, FloatArray]:
    """First hit of rays with a round-cone from (0,0,0) to (0,0,length) (after I. Quilez).

    Args:
        ro: Ray origin (3,), outside the primitive.
        rd: Unit ray directions (K, 3).
        length: Axis length; 0 gives a sphere of radius `ra`.
        ra: Radius at the origin end.
        rb: Radius at the far end.

    Returns:
        (t, n): distance along each ray (inf where missed) and the unit normal (K, 3).
    """
    oa = ro
    m3 = rd @ oa
    m5 = float(oa @ oa)
    t = np.full(len(rd), np.inf)
    if length <= 1e-9:
        h = m3 * m3 - m5 + ra * ra
        ok = h > 0
        t[ok] = -m3[ok] - np.sqrt(h[ok])
        t[t <= 0] = np.inf
        n = (oa[None, :] + np.where(np.isfinite(t), t, 0.0)[:, None] * rd) / ra
        return t, n
    ob = oa - np.array([0.0, 0.0, length])
    rr = ra - rb
    m0 = length * length
    m1 = length * oa[2]
    m2 = length * rd[:, 2]
    m6 = rd @ ob
    m7 = float(ob @ ob)
    d2 = m0 - rr * rr
    k2 = d2 - m2 * m2
    k1 = d2 * m3 - m1 * m2 + m2 * rr * ra
    k0 = d2 * m5 - m1 * m1 + m1 * rr * ra * 2.0 - m0 * ra * ra
    h = k1 * k1 - k0 * k2
    n = np.zeros((len(rd), 3))
    cand = h >= 0
    safe_k2 = np.where(np.abs(k2) < 1e-12, 1e-12, k2)
    tb = (-np.sqrt(np.where(cand, h, 0.0)) - k1) / safe_k2
    y = m1 - ra * rr + tb * m2
    body = cand & (y > 0) & (y < d2) & (tb > 0)
    t[body] = tb[body]
    if body.any():
        p = d2 * (oa[None, :] + tb[body, None] * rd[body]) - np.array([0.0, 0.0, length]) * y[body, None]
        n[body] = p / np.linalg.norm(p, axis=1, keepdims=True)
    caps = cand & ~body
    if caps.any():
        h1 = m3[caps] ** 2 - m5 + ra * ra
        h2 = m6[caps] ** 2 - m7 + rb * rb
        t1 = np.where(h1 > 0, -m3[caps] - np.sqrt(np.maximum(h1, 0.0)), np.inf)
        t2 = np.where(h2 > 0, -m6[caps] - np.sqrt(np.maximum(h2, 0.0)), np.inf)
        t1[t1 <= 0] = np.inf
        t2[t2 <= 0] = np.inf
        use2 = t2 < t1
        tc = np.where(use2, t2, t1)
        rdc = rd[caps]
        nc = np.where(use2[:, None], (ob[None, :] + tc[:, None] * rdc) / rb, (oa[None, :] + tc[:, None] * rdc) / ra)
        nc[~np.isfinite(tc)] = 0.0
        t[caps] = tc
        n[caps] = nc
    return t, n


def _screen_box(camera: Camera, centre: FloatArray, radius: float) -> tuple[float, float, float, float] | None:
    """Conservative pixel box (x0, y0, x1, y1) of a sphere; None if it is behind the camera."""
    c = camera.to_camera(centre[None, :])[0]
    if c[2] <= radius + 1e-3:
        return None
    f = camera.focal_px
    x = camera.width / 2 + f * c[0] / c[2]
    y = camera.height / 2 - f * c[1] / c[2]
    r = f * radius / math.sqrt(max(c[2] ** 2 - radius**2, 1e-9)) * 1.05 + 1.0
    return x - r, y - r, x + r, y + r


def raycast(camera: Camera, dirs: FloatArray, prims: PrimArrays) -> Hits:
    """Z-buffer every primitive into (depth, normal, material) images."""
    hgt, wid = camera.height, camera.width
    depth = np.full((hgt, wid), np.inf)
    normal = np.zeros((hgt, wid, 3))
    mat = np.full((hgt, wid), -1, dtype=np.int16)
    ro_world = np.asarray(camera.position, float)
    for i in range(len(prims)):
        a, b, ax, w = prims.a[i], prims.b[i], prims.ax[i], prims.w[i]
        sw, sd, sa = prims.scale[i]
        reach = max(prims.ra[i], prims.rb[i]) * max(sw, sd, sa)
        boxes = [bx for bx in (_screen_box(camera, a, reach), _screen_box(camera, b, reach)) if bx is not None]
        if not boxes:
            continue
        x0 = max(int(min(bx[0] for bx in boxes)), 0)
        y0 = max(int(min(bx[1] for bx in boxes)), 0)
        x1 = min(math.ceil(max(bx[2] for bx in boxes)), wid)
        y1 = min(math.ceil(max(bx[3] for bx in boxes)), hgt)
        if x1 <= x0 or y1 <= y0:
            continue
        d_axis = np.cross(ax, w)
        basis = np.stack([w / sw, d_axis / sd, ax / sa])  # world → scaled local
        ro = basis @ (ro_world - a)
        rd_world = dirs[y0:y1, x0:x1].reshape(-1, 3)
        rd = rd_world @ basis.T
        norm = np.linalg.norm(rd, axis=1)
        rd = rd / norm[:, None]
        length = float(np.dot(b - a, ax)) / sa
        t, n = intersect_round_cone(ro, rd, length, float(prims.ra[i]), float(prims.rb[i]))
        t = t / norm
        zb = depth[y0:y1, x0:x1].reshape(-1)
        closer = t < zb
        if not closer.any():
            continue
        nl = n[closer]
        nw = nl[:, 0:1] * (w / sw) + nl[:, 1:2] * (d_axis / sd) + nl[:, 2:3] * (ax / sa)
        nw /= np.linalg.norm(nw, axis=1, keepdims=True)
        zb[closer] = t[closer]
        depth[y0:y1, x0:x1] = zb.reshape(y1 - y0, x1 - x0)
        nb = normal[y0:y1, x0:x1].reshape(-1, 3)
        nb[closer] = nw
        normal[y0:y1, x0:x1] = nb.reshape(y1 - y0, x1 - x0, 3)
        mb = mat[y0:y1, x0:x1].reshape(-1)
        mb[closer] = prims.mat[i]
        mat[y0:y1, x0:x1] = mb.reshape(y1 - y0, x1 - x0)
    return Hits(depth, normal, mat)


@dataclass(frozen=True)
class Lighting:
    """Lights: unit directions toward each light (world) and intensities (linear RGB)."""

    key_dir: FloatArray
    key: FloatArray
    fill_dir: FloatArray
    fill: FloatArray
    sky: FloatArray
    ground: FloatArray
    rim: float


def shade_body(
    hits: Hits, dirs: FloatArray, albedo: FloatArray, shininess: FloatArray, light: Lighting
) -> tuple[np.ndarray, np.ndarray]:
    """Linear RGB of body pixels: returns (mask (H, W) bool, colours (M, 3))."""
    mask = hits.mat >= 0
    n = hits.normal[mask]
    v = -dirs[mask]
    m = hits.mat[mask]
    alb = albedo[m]
    key = np.clip(n @ light.key_dir, 0.0, None)[:, None] * light.key
    fill = np.clip(n @ light.fill_dir, 0.0, None)[:, None] * light.fill
    up = n[:, 1:2] * 0.5 + 0.5
    hemi = up * light.sky + (1 - up) * light.ground
    half = light.key_dir[None, :] + v
    half /= np.linalg.norm(half, axis=1, keepdims=True)
    spec = shininess[m][:, None] * np.clip(np.sum(n * half, axis=1), 0.0, None)[:, None] ** 24 * light.key
    facing = np.clip(np.sum(n * v, axis=1), 0.0, 1.0)
    rim = (light.rim * (1.0 - facing) ** 4)[:, None] * (light.sky + light.key) * 0.5
    colour = alb * (key + fill + hemi) + spec + rim * alb.mean(axis=1, keepdims=True) * 2.0
    return mask, colour


def to_srgb8(linear: np.ndarray) -> np.ndarray:
    """Linear RGB (0–1+) → 8-bit gamma-encoded RGB."""
    return (np.clip(linear, 0.0, 1.0) ** (1 / GAMMA) * 255.0 + 0.5).astype(np.uint8)


def to_linear(srgb8: tuple[int, int, int] | np.ndarray) -> np.ndarray:
    """8-bit gamma-encoded RGB → linear RGB, 0–1."""
    return (np.asarray(srgb8, dtype=float) / 255.0) ** GAMMA
