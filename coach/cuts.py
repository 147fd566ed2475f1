"""Camera cuts in edited videos: consecutive frames whose small luma thumbnails no longer correlate.

An edited clip may cut or zoom to another shot mid-set. The analyzers' camera-dependent references (the
standing hip height and torso length in pixels, the rest posture's image angles) then no longer hold, so the
session tells the analyzer to learn them again (`BaseAnalyzer.on_scene_cut`). A thumbnail is a THUMB_SIDE ×
THUMB_SIDE grid of block-mean luma; two frames of one shot correlate (a person moving covers a small part of
the grid, a change of exposure scales it), two shots do not.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

THUMB_SIDE = 16
"""A thumbnail is this many blocks on each side."""
SAMPLE_STRIDE_PX = 16
"""Pixels are sampled on this stride before block averaging (0.1 ms on 720p, whose blocks still average ~14)."""


def thumbnail(image_rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Block-mean luma (BT.601) of an RGB image on a THUMB_SIDE × THUMB_SIDE grid, 0–255."""
    sample = np.ascontiguousarray(image_rgb[::SAMPLE_STRIDE_PX, ::SAMPLE_STRIDE_PX, :3])
    if sample.size == 0:
        return np.zeros((THUMB_SIDE, THUMB_SIDE), dtype=np.uint8)
    luma = cv2.cvtColor(sample, cv2.COLOR_RGB2GRAY)
    return np.asarray(cv2.resize(luma, (THUMB_SIDE, THUMB_SIDE), interpolation=cv2.INTER_AREA), dtype=np.uint8)


def brightness(thumb: npt.NDArray[np.uint8]) -> float:
    """Mean luma of the frame a thumbnail was taken from, 0–255 (the mean of its block means, to ±0.5)."""
    return float(thumb.mean())


def decorrelation(a: npt.NDArray[np.uint8] | None, b: npt.NDArray[np.uint8] | None) -> float:
    """1 − Pearson correlation of two thumbnails, 0 (same shot) to 2 (inverted); NaN if either is missing.

    A flat thumbnail (a black or white frame) correlates with nothing: 1 against anything textured."""
    if a is None or b is None or a.shape != b.shape:
        return math.nan
    x = a.astype(np.float64).ravel()
    y = b.astype(np.float64).ravel()
    x -= x.mean()
    y -= y.mean()
    den = math.sqrt(float(x @ x) * float(y @ y))
    if den < 1e-9:
        return 0.0 if float(x @ x) < 1e-9 and float(y @ y) < 1e-9 else 1.0
    return 1.0 - float(x @ y) / den


class CutDetector:
    """Says whether each frame starts a new shot, from its thumbnail and the previous frame's.

    Args:
        min_decorrelation: A frame whose thumbnail decorrelates from the previous one by at least this
            (`decorrelation`, 0–2) is a cut.
    """

    def __init__(self, min_decorrelation: float) -> None:
        self.min_decorrelation = min_decorrelation
        self._last: npt.NDArray[np.uint8] | None = None

    def push(self, thumb: npt.NDArray[np.uint8] | None) -> bool:
        """Whether the frame with this thumbnail follows a cut (False for the first frame or a missing one)."""
        last, self._last = self._last, thumb if thumb is not None else self._last
        if last is None or thumb is None:
            return False
        return decorrelation(last, thumb) >= self.min_decorrelation
