"""Draw the skeleton, the angles that matter, the rep count and the latest warning on a frame.

Annotators only draw: they take an RGB image and return a new annotated RGB image.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from coach.exercises import FrameResult
from coach.features import BodyFeatures
from coach.labels import measure_words
from coach.landmarks import Lm
from coach.types import Exercise, FormWarning, PoseFrame

SKELETON: tuple[tuple[Lm, Lm], ...] = (
    (Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER), (Lm.LEFT_HIP, Lm.RIGHT_HIP),
    (Lm.LEFT_SHOULDER, Lm.LEFT_HIP), (Lm.RIGHT_SHOULDER, Lm.RIGHT_HIP),
    (Lm.LEFT_SHOULDER, Lm.LEFT_ELBOW), (Lm.LEFT_ELBOW, Lm.LEFT_WRIST),
    (Lm.RIGHT_SHOULDER, Lm.RIGHT_ELBOW), (Lm.RIGHT_ELBOW, Lm.RIGHT_WRIST),
    (Lm.LEFT_HIP, Lm.LEFT_KNEE), (Lm.LEFT_KNEE, Lm.LEFT_ANKLE),
    (Lm.RIGHT_HIP, Lm.RIGHT_KNEE), (Lm.RIGHT_KNEE, Lm.RIGHT_ANKLE),
    (Lm.LEFT_ANKLE, Lm.LEFT_FOOT_INDEX), (Lm.RIGHT_ANKLE, Lm.RIGHT_FOOT_INDEX),
    (Lm.LEFT_EAR, Lm.LEFT_SHOULDER), (Lm.RIGHT_EAR, Lm.RIGHT_SHOULDER),
)
LEFT_COLOR = (255, 170, 0)
RIGHT_COLOR = (0, 200, 255)
WARN_COLOR = (255, 60, 60)
TEXT_COLOR = (255, 255, 255)
PANEL_COLOR = (20, 20, 20)
WARNING_SHOW_S = 4.0
"""How long the latest warning stays on screen, seconds of video time."""


class Annotator:
    """Draws one frame at a time; remembers the latest warning for a few seconds."""

    def __init__(self, exercise: Exercise, target: str = "8-12") -> None:
        self.exercise = exercise
        self.target = target
        self._warning: FormWarning | None = None
        self._warning_until = -math.inf

    def draw(self, image_rgb: npt.NDArray[np.uint8], pose: PoseFrame, features: BodyFeatures,
             result: FrameResult) -> npt.NDArray[np.uint8]:
        """A new image with the overlay (the input is not modified)."""
        out = image_rgb.copy()
        h, w = out.shape[:2]
        scale = max(0.5, min(w, h) / 720.0)
        if pose.detected:
            self._skeleton(out, pose, scale)
        if result.rep is not None and result.rep.warnings:
            self._warning = result.rep.warnings[0]
            self._warning_until = result.timestamp_s + WARNING_SHOW_S
        lines = [f"Reps {result.count} of {self.target}"]
        for key, value in result.angles.items():
            if not math.isnan(value):
                lines.append(f"{measure_words(key)} {value:.0f} deg")
        self._panel(out, lines, (10, 10), scale, PANEL_COLOR)
        if self._warning is not None and result.timestamp_s <= self._warning_until:
            self._panel(out, [self._warning.message, self._warning.cue], (10, h - int(80 * scale)), scale,
                        (120, 20, 20))
        return out

    @staticmethod
    def _skeleton(img: npt.NDArray[np.uint8], pose: PoseFrame, scale: float) -> None:
        lm = pose.landmarks
        thick = max(2, int(3 * scale))
        for a, b in SKELETON:
            if min(lm[a, 3], lm[b, 3]) < 0.3:
                continue
            color = LEFT_COLOR if "LEFT" in a.name and "LEFT" in b.name else (
                RIGHT_COLOR if "RIGHT" in a.name and "RIGHT" in b.name else TEXT_COLOR)
            p1 = (int(lm[a, 0]), int(lm[a, 1]))
            p2 = (int(lm[b, 0]), int(lm[b, 1]))
            cv2.line(img, p1, p2, color, thick, cv2.LINE_AA)
        for i in range(11, 33):
            if lm[i, 3] >= 0.3:
                cv2.circle(img, (int(lm[i, 0]), int(lm[i, 1])), thick + 1, TEXT_COLOR, -1, cv2.LINE_AA)

    @staticmethod
    def _panel(img: npt.NDArray[np.uint8], lines: list[str], origin: tuple[int, int], scale: float,
               bg: tuple[int, int, int]) -> None:
        font, fs, th = cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale, max(1, int(2 * scale))
        sizes = [cv2.getTextSize(t, font, fs, th)[0] for t in lines]
        line_h = max(s[1] for s in sizes) + int(12 * scale)
        width = max(s[0] for s in sizes) + int(20 * scale)
        x, y = origin
        x1, y1 = min(img.shape[1] - 1, x + width), min(img.shape[0] - 1, y + line_h * len(lines) + int(8 * scale))
        roi = img[y:y1, x:x1]
        roi[:] = (roi * 0.35 + np.array(bg) * 0.65).astype(np.uint8)
        for i, t in enumerate(lines):
            cv2.putText(img, t, (x + int(10 * scale), y + line_h * (i + 1)), font, fs, TEXT_COLOR, th, cv2.LINE_AA)
