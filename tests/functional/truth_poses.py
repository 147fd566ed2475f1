"""Pose frames straight from a synthetic clip's exact truth (no rendering, no pose model): the analyzers'
logic is tested on exact kinematics; the slow tests run the real model on the rendered clip."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from coach.landmarks import NUM_LANDMARKS, Lm
from coach.synth import Generator, SynthSpec
from coach.synth.truth import FrameTruth
from coach.types import PoseFrame

_NAMES = {lm.name.lower(): lm for lm in Lm}


def pose_of(ft: FrameTruth, width: int, height: int) -> PoseFrame:
    """The truth joints as a detected pose frame (visibility 0.99 for every known joint; eyes at the nose)."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    world = np.zeros((NUM_LANDMARKS, 3))
    nose = ft.joints_px["nose"]
    lm[:, :2] = nose
    lm[:, 3] = 0.99
    for name, xy in ft.joints_px.items():
        i = _NAMES[name]
        lm[i, :2] = xy
        x, y, z = ft.joints_m[name]
        world[i] = (z, -y, x)
    return PoseFrame(ft.time_s, width, height, True, lm, world, brightness=120.0)


def truth_poses(spec: SynthSpec) -> Iterator[PoseFrame]:
    """Every frame of a spec as exact-truth pose frames."""
    gen = Generator(spec)
    for i in range(spec.n_frames()):
        ft, _ = gen.truth_for(i)
        yield pose_of(ft, spec.width, spec.height)
