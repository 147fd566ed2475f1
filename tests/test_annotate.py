"""The annotated video's words (#16 item 8): every line fits a narrow portrait frame, and every warning of a rep
is drawn, not only the first."""

from __future__ import annotations

import cv2
import numpy as np

from coach.annotate import Annotator, wrap_text
from coach.counter import Phase
from coach.exercises.results import FrameResult
from coach.features import BodyFeatures
from coach.types import Exercise, FormWarning, PoseFrame, Rep, WarningKind

CUE = ("Your back rounded about 24° beyond your neutral. Hinge at the hips and keep your chest proud, as if "
       "showing the logo on your shirt.")
FONT = cv2.FONT_HERSHEY_SIMPLEX


def test_a_long_cue_wraps_within_a_360_px_frame_and_keeps_every_word() -> None:
    lines = wrap_text(CUE, 300, FONT, 0.8, 2)
    assert len(lines) > 2
    assert all(cv2.getTextSize(line, FONT, 0.8, 2)[0][0] <= 300 for line in lines)
    assert " ".join(lines).split() == CUE.split()  # broken at spaces only: no word lost or cut


def _warning(kind: WarningKind, message: str) -> FormWarning:
    return FormWarning(kind, 1.0, 30.0, 20.0, "deg", message, "Chest proud.")


def _shaded_rows(image: np.ndarray) -> int:
    """Rows of a white frame darkened by a panel in the lower half (the warning panel sits at the bottom)."""
    lower = image[image.shape[0] // 2:]
    return int(np.count_nonzero((lower < 200).any(axis=(1, 2))))


def _drawn(warnings: tuple[FormWarning, ...]) -> np.ndarray:
    white = np.full((640, 360, 3), 255, np.uint8)  # a portrait phone clip, 360 px wide
    rep = Rep(1, 0.0, 1.0, True, warnings=warnings)
    result = FrameResult(1.0, Phase.REST, 1, 0.0, {}, rep)
    return Annotator(Exercise.DEADLIFT).draw(white, PoseFrame.empty(1.0, 360, 640), BodyFeatures.empty(1.0), result)


def test_every_warning_of_a_rep_is_drawn_inside_the_frame() -> None:
    one = _drawn((_warning(WarningKind.SPINAL_FLEXION, CUE),))
    two = _drawn((_warning(WarningKind.SPINAL_FLEXION, CUE), _warning(WarningKind.TWIST, "Your shoulders turned.")))
    assert _shaded_rows(two) > _shaded_rows(one) > 0  # the second warning adds its lines
    assert (two[:, -3:] == 255).all()  # nothing drawn up to the right edge: the text wrapped inside the frame
