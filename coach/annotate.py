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
from coach.labels import measure_text, measure_words
from coach.landmarks import Lm
from coach.types import HOLD_EXERCISES, Exercise, FormWarning, PoseFrame

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
        self._warnings: tuple[FormWarning, ...] = ()
        self._warning_until = -math.inf

    def draw(self, image_rgb: npt.NDArray[np.uint8], pose: PoseFrame, features: BodyFeatures,
             result: FrameResult) -> npt.NDArray[np.uint8]:
        """A new image with the overlay (the input is not modified)."""
        out = image_rgb.copy()
        h, w = out.shape[:2]
        scale = max(0.5, min(w, h) / 720.0)
        if pose.detected:
            self._skeleton(out, pose, scale)
        if result.rep is not None and result.rep.complete:  # a new rep: its warnings, or none (a good rep clears)
            self._warnings = result.rep.warnings
            self._warning_until = result.timestamp_s + WARNING_SHOW_S
        self._panel(out, self.panel_lines(result), (10, 10), scale, PANEL_COLOR)
        if self._warnings and result.timestamp_s <= self._warning_until:
            texts = [f"{x.message} {x.cue}" for x in self._warnings]
            self._panel(out, texts, (10, None), scale, (120, 20, 20))
        return out

    def panel_lines(self, result: FrameResult) -> list[str]:
        """The top-left panel: the count toward the set (the holds timed, for a balance exercise), then each
        angle in words."""
        holds = self.exercise in HOLD_EXERCISES  # timed, not counted toward a set
        lines = [f"Holds timed: {result.count}" if holds else f"Reps {result.count} of {self.target}"]
        for key, value in result.angles.items():
            if not math.isnan(value):
                lines.append(f"{measure_words(key)}: {measure_text(key, value).replace('°', ' deg')}")
        return lines

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
    def _panel(img: npt.NDArray[np.uint8], texts: list[str], origin: tuple[int, int | None], scale: float,
               bg: tuple[int, int, int]) -> None:
        """Text lines on a shaded box, each wrapped to the frame's width; `origin` (x, None) puts the box at the
        bottom of the frame."""
        font, fs, th = cv2.FONT_HERSHEY_SIMPLEX, 0.8 * scale, max(1, int(2 * scale))
        pad = int(10 * scale)
        x, y_top = origin
        lines = [line for t in texts for line in wrap_text(t, img.shape[1] - x - 2 * pad - 10, font, fs, th)]
        sizes = [cv2.getTextSize(t, font, fs, th)[0] for t in lines]
        line_h = max(s[1] for s in sizes) + int(12 * scale)
        width = max(s[0] for s in sizes) + 2 * pad
        height = line_h * len(lines) + int(8 * scale)
        y = y_top if y_top is not None else max(0, img.shape[0] - height - 10)
        x1, y1 = min(img.shape[1] - 1, x + width), min(img.shape[0] - 1, y + height)
        roi = img[y:y1, x:x1]
        roi[:] = (roi * 0.35 + np.array(bg) * 0.65).astype(np.uint8)
        for i, t in enumerate(lines):
            cv2.putText(img, t, (x + pad, y + line_h * (i + 1)), font, fs, TEXT_COLOR, th, cv2.LINE_AA)


def wrap_text(text: str, max_px: int, font: int, scale: float, thickness: int) -> list[str]:
    """`text` broken at spaces into lines no wider than `max_px` pixels (a single over-long word is cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and cv2.getTextSize(trial, font, scale, thickness)[0][0] > max_px:
            lines.append(current)
            current = word
        else:
            current = trial
        while cv2.getTextSize(current, font, scale, thickness)[0][0] > max_px and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and cv2.getTextSize(current[:cut], font, scale, thickness)[0][0] > max_px:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines or [""]
