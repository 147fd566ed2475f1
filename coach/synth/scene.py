"""The seeded scene: body shape, outfit and colours, room, lights, camera per view, and image degradations.

Everything random here is drawn from one seed, so the same seed gives the same clip. Distances are
metres, angles degrees, colours 8-bit sRGB (converted to linear light for shading).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from coach.exercises import spec_of
from coach.synth.body import Mat, Outfit, PrimArrays
from coach.synth.render import Camera, Lighting, to_linear
from coach.synth.skeleton import BodyDims
from coach.types import Exercise, FloatArray, View

SKIN = ((255, 219, 186), (241, 194, 156), (224, 172, 130), (198, 134, 94), (161, 102, 72), (120, 76, 54), (87, 56, 40))
HAIR = ((30, 22, 18), (60, 40, 25), (110, 80, 50), (170, 140, 90), (200, 200, 200), (90, 30, 20))
SHIRT = (
    (200, 40, 40),
    (40, 90, 180),
    (30, 130, 70),
    (240, 240, 240),
    (60, 60, 60),
    (230, 170, 40),
    (120, 50, 140),
    (20, 120, 140),
)
PANTS = ((30, 30, 35), (40, 50, 90), (80, 80, 85), (20, 60, 40), (110, 90, 70))
SHOES = ((240, 240, 240), (30, 30, 30), (200, 60, 50), (60, 90, 160))
SOCKS = ((245, 245, 245), (150, 150, 150), (25, 25, 25))
WALLS = ((225, 220, 210), (200, 215, 225), (235, 225, 200), (180, 190, 180), (210, 200, 190), (150, 170, 190))
WOOD = ((170, 120, 75), (190, 150, 100), (130, 90, 60), (150, 150, 150))
MATS = ((60, 90, 140), (90, 140, 90), (140, 60, 80), (70, 70, 75))

# Unit vectors from the person toward the camera, per view (the person faces +x; left is −z).
VIEW_DIRECTIONS: dict[View, tuple[float, float, float]] = {
    View.SIDE: (0.0, 0.0, -1.0),
    View.FRONT: (1.0, 0.0, 0.0),
    View.OBLIQUE: (math.sqrt(0.5), 0.0, -math.sqrt(0.5)),
    View.REAR: (-1.0, 0.0, 0.0),
}


@dataclass(frozen=True)
class Look:
    """Appearance drawn from the seed: outfit, material colours (sRGB) and image degradations."""

    outfit: Outfit
    colours: dict[Mat, tuple[int, int, int]]
    wall: tuple[int, int, int]
    floor: tuple[int, int, int]
    mat: tuple[int, int, int]
    wood: bool
    noise_sigma: float  # grey levels
    blur_sigma: float  # px (0 = none)
    jpeg_quality: int  # 0 = no JPEG round trip

    def albedo(self) -> FloatArray:
        """Linear albedo per material, (len(Mat), 3)."""
        return np.array([to_linear(self.colours[m]) for m in Mat])

    def shininess(self) -> FloatArray:
        """Specular strength per material."""
        spec = {Mat.SKIN: 0.12, Mat.EYE_WHITE: 0.5, Mat.IRIS: 0.6, Mat.LIP: 0.2, Mat.SHOE: 0.15, Mat.BAR: 0.8}
        return np.array([spec.get(m, 0.04) for m in Mat])


def _pick(rng: np.random.Generator, options: tuple) -> tuple:
    return options[int(rng.integers(len(options)))]


def draw_body(seed: int) -> BodyDims:
    """Body height 1.58–1.82 m and girth ±10 %, from the seed."""
    rng = np.random.default_rng([seed, 101])
    return BodyDims(height_m=round(float(rng.uniform(1.58, 1.82)), 3), bulk=round(float(rng.uniform(0.92, 1.1)), 3))


def draw_look(seed: int) -> Look:
    """Outfit, colours and degradations from the seed."""
    rng = np.random.default_rng([seed, 202])
    shirt = _pick(rng, SHIRT)
    pants = _pick(rng, PANTS)
    colours = {
        Mat.SKIN: _pick(rng, SKIN),
        Mat.SHIRT: shirt,
        Mat.PANTS: pants,
        Mat.HAIR: _pick(rng, HAIR),
        Mat.SHOE: _pick(rng, SHOES),
        Mat.SOCK: _pick(rng, SOCKS),
        Mat.EYE_WHITE: (235, 235, 230),
        Mat.IRIS: (50, 35, 25),
        Mat.LIP: (170, 90, 85),
        Mat.BAR: (170, 172, 178),
    }
    outfit = Outfit(
        long_sleeves=bool(rng.random() < 0.35),
        long_pants=bool(rng.random() < 0.5),
        long_hair=bool(rng.random() < 0.4),
    )
    blur = float(rng.uniform(0.0, 0.9))
    return Look(
        outfit=outfit,
        colours=colours,
        wall=_pick(rng, WALLS),
        floor=_pick(rng, WOOD),
        mat=_pick(rng, MATS),
        wood=bool(rng.random() < 0.7),
        noise_sigma=round(float(rng.uniform(0.0, 3.0)), 2),
        blur_sigma=round(blur, 2) if blur > 0.4 else 0.0,
        jpeg_quality=int(rng.integers(70, 96)) if rng.random() < 0.5 else 0,
    )


def draw_lighting(seed: int, view_dir: FloatArray) -> Lighting:
    """Key light above and to one side of the camera, opposite fill, sky/ground ambient, rim."""
    rng = np.random.default_rng([seed, 303])
    base = math.atan2(view_dir[2], view_dir[0])
    az = base + math.radians(rng.uniform(-60, 60))
    el = math.radians(rng.uniform(35, 65))
    key_dir = np.array([math.cos(el) * math.cos(az), math.sin(el), math.cos(el) * math.sin(az)])
    faz = az + math.pi * rng.uniform(0.6, 1.1)
    fill_dir = np.array([math.cos(faz) * 0.8, 0.45, math.sin(faz) * 0.8])
    fill_dir /= np.linalg.norm(fill_dir)
    warm = np.array([1.0, 0.96, 0.9]) * rng.uniform(1.1, 1.4)
    return Lighting(
        key_dir=key_dir,
        key=warm,
        fill_dir=fill_dir,
        fill=np.array([0.85, 0.9, 1.0]) * rng.uniform(0.25, 0.4),
        sky=np.array([0.42, 0.44, 0.48]),
        ground=np.array([0.2, 0.18, 0.16]),
        rim=float(rng.uniform(0.2, 0.5)),
    )


@dataclass(frozen=True, slots=True)
class CameraRig:
    """Where a home camera sits: height above the floor (m; None = the view's default), pitch (deg, + = looking
    down, − = looking up; None = aimed at the person) and roll about the viewing axis (deg, see `Camera`)."""

    height_m: float | None = None
    pitch_deg: float | None = None
    roll_deg: float = 0.0
    distance_m: float | None = None
    """Horizontal distance from the person's centre, m (None = the view's default, seeded ±0.1 m)."""

    def validate(self) -> None:
        """Raise ValueError (one line) for a rig no home camera has."""
        if self.height_m is not None and not (0.05 <= self.height_m <= 3.0 and math.isfinite(self.height_m)):
            raise ValueError(f"camera height must be 0.05–3 m, got {self.height_m}")
        if self.pitch_deg is not None and not (-40.0 <= self.pitch_deg <= 45.0 and math.isfinite(self.pitch_deg)):
            raise ValueError(f"camera pitch must be −40…45° (+ = looking down), got {self.pitch_deg}")
        if not (-30.0 <= self.roll_deg <= 30.0 and math.isfinite(self.roll_deg)):
            raise ValueError(f"camera roll must be −30…30°, got {self.roll_deg}")
        if self.distance_m is not None and not (1.0 <= self.distance_m <= 12.0 and math.isfinite(self.distance_m)):
            raise ValueError(f"camera distance must be 1–12 m, got {self.distance_m}")


CAMERA_RIGS: dict[str, CameraRig] = {
    "default": CameraRig(),
    "floor": CameraRig(height_m=0.15, pitch_deg=-15.0),
    "table": CameraRig(height_m=0.75, pitch_deg=0.0),
    "shelf": CameraRig(height_m=2.0, pitch_deg=25.0),
    "rolled": CameraRig(roll_deg=10.0),
}
"""Named home cameras: a phone on the floor looking up 15°, a laptop on a table looking level, a camera on a
shelf looking down 25°, the default camera rolled 10° (`coach synth --camera`; `--camera-roll` sets roll)."""


def camera_for(exercise: Exercise, view: View, width: int, height: int, seed: int,
               rig: CameraRig = CameraRig()) -> Camera:
    """The camera for an exercise and view, 60° HFOV.

    Standing exercises: ~2.7 m away at 1.0 m height. Floor exercises from the side or 45°: ~2.4 m away at
    0.6 m (bird-dog) or 0.95 m (back extension); from the front or rear ~2.3 m away at 1.25 m.
    Seeded jitter: ±0.1 m distance, ±0.05 m height, ±3° azimuth. A `rig` sets the height (m, no jitter), the
    pitch (deg, + down; the look-at point moves up or down the person's vertical) and the roll (deg).
    """
    rng = np.random.default_rng([seed, 404])
    floor = not spec_of(exercise).posture.upright
    if floor and view in (View.FRONT, View.REAR):
        # Looking along a lying body: go higher so the body is not foreshortened to a sliver.
        dist, cam_h = 2.3, 1.25
    elif exercise is Exercise.BACK_EXTENSION:
        # A body lying flat seen from 0.6 m is a thin strip that MediaPipe misses in some looks.
        dist, cam_h = 2.4, 0.95
    elif floor:
        dist, cam_h = 2.4, 0.6
    else:
        dist, cam_h = 2.7, 1.0
    dist += rng.uniform(-0.1, 0.1)
    cam_h += rng.uniform(-0.05, 0.05)
    if rig.distance_m is not None:
        dist = rig.distance_m
    target = np.array([-0.1, 0.25, 0.0]) if floor else np.array([-0.08, 0.88, 0.0])
    d = np.array(VIEW_DIRECTIONS[view])
    az = math.radians(rng.uniform(-3, 3))
    c, s = math.cos(az), math.sin(az)
    d = np.array([c * d[0] - s * d[2], 0.0, s * d[0] + c * d[2]])
    position = target + d * dist
    position[1] = cam_h if rig.height_m is None else rig.height_m
    if rig.pitch_deg is not None:
        target = target.copy()
        target[1] = position[1] - math.tan(math.radians(rig.pitch_deg)) * float(np.hypot(*(target - position)[[0, 2]]))
    return Camera(position=position, target=target, hfov_deg=60.0, width=width, height=height,
                  roll_deg=rig.roll_deg)


def room(
    camera: Camera, dirs: FloatArray, look: Look, light: Lighting, exercise: Exercise, seed: int
) -> tuple[FloatArray, FloatArray]:
    """Linear RGB image of the empty room, and the floor hit points (H, W, 3; NaN off the floor)."""
    pos = np.asarray(camera.position, float)
    horiz = np.asarray(camera.target, float) - pos
    horiz[1] = 0.0
    horiz /= np.linalg.norm(horiz)
    # Wall: a vertical plane facing the camera, 1.6 m behind the person's centre.
    wall_point = np.asarray(camera.target, float) + horiz * 1.6
    denom = dirs @ horiz
    t_wall = np.where(denom > 1e-6, ((wall_point - pos) @ horiz) / np.where(denom > 1e-6, denom, 1.0), np.inf)
    t_floor = np.where(dirs[..., 1] < -1e-6, -pos[1] / np.where(dirs[..., 1] < -1e-6, dirs[..., 1], -1.0), np.inf)
    on_floor = t_floor < t_wall
    img = np.zeros(dirs.shape)
    # Floor.
    p = pos + dirs * np.where(on_floor, t_floor, 0.0)[..., None]
    floor_col = np.broadcast_to(to_linear(look.floor), dirs.shape).copy()
    if look.wood:
        plank = np.floor(p[..., 2] / 0.14)
        tint = 1.0 + 0.12 * np.sin(plank * 12.9898 + seed) * np.cos(plank * 4.1414)
        grain = 1.0 + 0.04 * np.sin(p[..., 0] * 9.0 + plank * 1.7) * np.sin(p[..., 0] * 31.0 + plank)
        seam = np.abs(p[..., 2] / 0.14 - np.round(p[..., 2] / 0.14)) < 0.03
        floor_col *= (tint * grain * np.where(seam, 0.7, 1.0))[..., None]
    if not spec_of(exercise).posture.upright:
        on_mat = (np.abs(p[..., 0] + 0.12) < 1.05) & (np.abs(p[..., 2]) < 0.4)
        floor_col[on_mat] = to_linear(look.mat)
    up = np.array([0.0, 1.0, 0.0])
    floor_light = (
        max(float(light.key_dir @ up), 0.0) * light.key + max(float(light.fill_dir @ up), 0.0) * light.fill + light.sky
    )
    dist = np.linalg.norm(p - np.asarray(camera.target) * np.array([1.0, 0.0, 1.0]), axis=-1)
    falloff = (0.75 + 0.25 * np.exp(-(dist**2) / 8.0))[..., None]
    img[on_floor] = (floor_col * floor_light * falloff * 0.8)[on_floor]
    # Wall with a skirting board.
    pw = pos + dirs * np.where(on_floor, 0.0, t_wall)[..., None]
    wall_col = np.broadcast_to(to_linear(look.wall), dirs.shape).copy()
    wall_col[pw[..., 1] < 0.09] = to_linear((235, 235, 230))
    wn = -horiz
    wall_light = (
        max(float(light.key_dir @ wn), 0.0) * light.key
        + max(float(light.fill_dir @ wn), 0.0) * light.fill
        + 0.5 * (light.sky + light.ground)
    )
    shade = (0.85 + 0.15 * np.clip(pw[..., 1] / 2.5, 0, 1))[..., None]
    img[~on_floor] = (wall_col * wall_light * shade * 0.75)[~on_floor]
    points = np.where(on_floor[..., None], p, np.nan)
    return img, points


def contact_shadows(
    camera: Camera, floor_points: FloatArray, prims: PrimArrays
) -> tuple[slice, slice, FloatArray] | None:
    """Soft ambient-occlusion factor (0–1, 1 = unshadowed) for floor pixels near low primitives.

    Returns the (rows, cols) window and the factor inside it, or None if nothing is near the floor.
    """
    spheres: list[tuple[FloatArray, float]] = []
    for i in range(len(prims)):
        r_side = max(prims.ra[i], prims.rb[i]) * float(np.mean(prims.scale[i, :2]))
        for c, r in (
            (prims.a[i], prims.ra[i]),
            ((prims.a[i] + prims.b[i]) / 2, (prims.ra[i] + prims.rb[i]) / 2),
            (prims.b[i], prims.rb[i]),
        ):
            rr = r * float(np.mean(prims.scale[i, :2]))
            if c[1] - rr < 0.45 and rr > 0.01:
                spheres.append((c, min(rr, r_side)))
    if not spheres:
        return None
    centres = np.array([c for c, _ in spheres])
    radii = np.array([r for _, r in spheres])
    reach = 0.25 + 0.6 * np.clip(centres[:, 1], 0, None)
    lo = centres - reach[:, None]
    hi = centres + reach[:, None]
    corners = []
    for x in (lo[:, 0].min(), hi[:, 0].max()):
        for z in (lo[:, 2].min(), hi[:, 2].max()):
            corners.append((x, 0.0, z))
    cam_c = camera.to_camera(np.array(corners))
    if (cam_c[:, 2] <= 0.05).any():
        rows, cols = slice(0, camera.height), slice(0, camera.width)
    else:
        px = camera.project(np.array(corners))
        x0 = max(int(px[:, 0].min()) - 2, 0)
        x1 = min(int(px[:, 0].max()) + 3, camera.width)
        y0 = max(int(px[:, 1].min()) - 2, 0)
        y1 = min(int(px[:, 1].max()) + 3, camera.height)
        if x1 <= x0 or y1 <= y0:
            return None
        rows, cols = slice(y0, y1), slice(x0, x1)
    # Ambient occlusion is smooth: evaluate it on a 4× coarser grid and upsample.
    step = 4
    pts = floor_points[rows, cols][::step, ::step]
    valid = ~np.isnan(pts[..., 0])
    if not valid.any():
        return None
    q = pts[valid]
    acc = np.zeros(len(q))
    for c, r in zip(centres, radii, strict=True):
        d = q - c
        dist2 = np.einsum("ij,ij->i", d, d)
        hgt = max(float(c[1]), r * 0.5)
        acc += (r * r) * hgt / np.maximum(dist2, r * r) ** 1.5
    ch, cw = int(pts.shape[0]), int(pts.shape[1])
    coarse = np.zeros((ch, cw), dtype=np.float32)
    coarse[valid] = np.clip(acc * 0.55, 0.0, 0.85)
    h = rows.stop - rows.start
    w = cols.stop - cols.start
    fine = np.asarray(cv2.resize(coarse, (cw * step, ch * step),
                                 interpolation=cv2.INTER_LINEAR), dtype=np.float64)[:h, :w]
    occ: FloatArray = np.where(np.isnan(floor_points[rows, cols][..., 0]), 0.0, fine)
    return rows, cols, 1.0 - occ


def degrade(image: np.ndarray, look: Look, seed: int, index: int) -> np.ndarray:
    """Blur, sensor noise and JPEG round trip of an 8-bit RGB frame (seeded per frame)."""
    out = image
    if look.blur_sigma > 0:
        out = cv2.GaussianBlur(out, (0, 0), look.blur_sigma)
    if look.noise_sigma > 0:
        rng = np.random.default_rng([seed, 606, index])
        noise = rng.normal(0.0, look.noise_sigma, size=out.shape)
        out = np.clip(out.astype(np.float64) + noise, 0, 255).astype(np.uint8)
    if look.jpeg_quality > 0:
        ok, buf = cv2.imencode(
            ".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, look.jpeg_quality]
        )
        decoded = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else None
        if decoded is not None:
            out = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
    return out
