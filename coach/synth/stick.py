"""Stick-figure pose frames: the synthetic body's exact joints as a pose estimator would report them.

`stick_poses(spec)` poses the same body, motion, variant and camera as `coach synth` renders, but instead of
ray-casting an image it projects the truth joints and hands them to the coach as `PoseFrame`s, with seeded
landmark noise (a slow wander and per-frame jitter, in shares of the person's size), less certain far-side
points, and occasional frames with nobody found. Thousands of frames a second: it tests how counting and the
checks generalize across views, sizes, cameras, tempos and variants; what the pose model itself makes of a
body lying down is tested by rendering (`coach synth`) and by real clips, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.landmarks import NUM_LANDMARKS, Lm
from coach.synth.generate import Generator, SynthSpec
from coach.synth.truth import FrameTruth, Truth
from coach.types import PoseFrame


@dataclass(frozen=True, slots=True)
class StickNoise:
    """Landmark noise, as shares of the person's size in the image (the larger side of the joints' box)."""

    jitter_share: float = 0.004
    """Per-frame Gaussian jitter of every landmark (MediaPipe on a steady body: about 0.3–1 %)."""
    wander_share: float = 0.006
    """A slowly wandering offset per landmark (AR(1), about 1 s memory)."""
    far_factor: float = 2.0
    """Far-side landmarks (further from the camera than their pair by ≥ 10 cm) are this much noisier."""
    drop_share: float = 0.01
    """Share of frames in which nobody is found."""
    world_jitter_m: float = 0.02
    """Per-frame jitter of the world landmarks, m."""


_EXTRA = {  # landmarks the truth skeleton does not have, from those it has (weights)
    Lm.LEFT_EYE_INNER: {"nose": 0.7, "left_ear": 0.3}, Lm.LEFT_EYE: {"nose": 0.6, "left_ear": 0.4},
    Lm.LEFT_EYE_OUTER: {"nose": 0.5, "left_ear": 0.5}, Lm.RIGHT_EYE_INNER: {"nose": 0.7, "right_ear": 0.3},
    Lm.RIGHT_EYE: {"nose": 0.6, "right_ear": 0.4}, Lm.RIGHT_EYE_OUTER: {"nose": 0.5, "right_ear": 0.5},
    Lm.MOUTH_LEFT: {"nose": 0.8, "left_ear": 0.2}, Lm.MOUTH_RIGHT: {"nose": 0.8, "right_ear": 0.2},
    Lm.LEFT_PINKY: {"left_wrist": 1.0}, Lm.RIGHT_PINKY: {"right_wrist": 1.0},
    Lm.LEFT_INDEX: {"left_wrist": 1.0}, Lm.RIGHT_INDEX: {"right_wrist": 1.0},
    Lm.LEFT_THUMB: {"left_wrist": 1.0}, Lm.RIGHT_THUMB: {"right_wrist": 1.0},
}


def _points(named: dict[str, list[float]]) -> np.ndarray:
    """(33, k) array of the coach's landmarks from the truth's named joints."""
    k = len(next(iter(named.values())))
    out = np.zeros((NUM_LANDMARKS, k))
    for lm in Lm:
        if lm in _EXTRA:
            out[lm] = sum(w * np.asarray(named[n], float) for n, w in _EXTRA[lm].items())
        else:
            out[lm] = named[lm.name.lower()]
    return out


class StickPoser:
    """Pose frames of one spec, frame by frame (seeded: the same spec and noise give the same frames)."""

    def __init__(self, spec: SynthSpec, noise: StickNoise = StickNoise()) -> None:
        self.gen = Generator(spec)
        self.spec = spec
        self.noise = noise
        self._rng = np.random.default_rng([spec.seed, 808])
        self._wander = np.zeros((NUM_LANDMARKS, 2))
        self._size = 0.0

    def frame(self, index: int) -> tuple[PoseFrame, FrameTruth]:
        """The pose frame of frame `index` and its truth."""
        ft, _ = self.gen.truth_for(index)
        px = _points(ft.joints_px)
        world = _points(ft.joints_m)
        cam = self.gen.camera.to_camera(world)  # right, up, depth (m)
        if not self._size:
            self._size = float(max(np.ptp(px[:, 0]), np.ptp(px[:, 1]), 1.0))
        n, rng, size = self.noise, self._rng, self._size
        far = np.zeros(NUM_LANDMARKS, dtype=bool)
        for point in Lm:
            if point.name.startswith("LEFT_"):
                other = Lm[point.name.replace("LEFT_", "RIGHT_")]
                gap = cam[point, 2] - cam[other, 2]
                far[point], far[other] = gap > 0.1, gap < -0.1
        scale = np.where(far, n.far_factor, 1.0)[:, None]
        a = np.exp(-1.0 / max(self.spec.fps, 1.0))
        step = rng.normal(0.0, n.wander_share * size, (NUM_LANDMARKS, 2))
        self._wander = a * self._wander + np.sqrt(1 - a * a) * step
        xy = px + scale * (self._wander + rng.normal(0.0, n.jitter_share * size, (NUM_LANDMARKS, 2)))
        t = ft.time_s
        w, h = self.spec.width, self.spec.height
        if rng.random() < n.drop_share:
            return PoseFrame.empty(t, w, h, brightness=120.0), ft
        inside = (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)
        vis = np.where(far, 0.7, 0.95) * np.where(inside, 1.0, 0.3)
        face_ahead = cam[Lm.NOSE, 2] < 0.5 * (cam[Lm.LEFT_EAR, 2] + cam[Lm.RIGHT_EAR, 2])
        if not face_ahead:
            vis[[Lm.NOSE, Lm.LEFT_EYE, Lm.RIGHT_EYE, Lm.MOUTH_LEFT, Lm.MOUTH_RIGHT]] = 0.3
        lm = np.column_stack([xy, cam[:, 2] * 100.0, vis])
        mp_world = np.column_stack([cam[:, 0], -cam[:, 1], cam[:, 2]])  # MediaPipe: x right, y down, z away
        mp_world -= 0.5 * (mp_world[Lm.LEFT_HIP] + mp_world[Lm.RIGHT_HIP])
        mp_world += rng.normal(0.0, n.world_jitter_m, mp_world.shape)
        return PoseFrame(timestamp_s=t, width=w, height=h, detected=True, landmarks=lm, world=mp_world,
                         brightness=120.0), ft


def stick_poses(spec: SynthSpec, noise: StickNoise = StickNoise()) -> tuple[list[PoseFrame], Truth]:
    """Every pose frame of the clip `spec` describes, and its Truth (as `coach synth` would write it)."""
    poser = StickPoser(spec, noise)
    poses, truths = [], []
    for i in range(spec.n_frames()):
        pose, ft = poser.frame(i)
        poses.append(pose)
        truths.append(ft)
    return poses, poser.gen.truth(truths)
