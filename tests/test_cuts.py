"""Camera-cut detection on hand-made images and thumbnails with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coach.cuts import SAMPLE_STRIDE_PX, THUMB_SIDE, CutDetector, brightness, decorrelation, thumbnail
from coach.thresholds import Thresholds

CUT = Thresholds().scene_cut_decorrelation


def scene(seed: int, h: int = 720, w: int = 1280) -> np.ndarray:
    """A textured RGB 'room': smooth random blobs, different for each seed."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(9, 16, 3)).astype(np.float32)
    return np.kron(coarse, np.ones((h // 9 + 1, w // 16 + 1, 1), np.float32))[:h, :w].astype(np.uint8)


def test_thumbnail_is_the_block_mean_luma() -> None:
    img = np.zeros((160, 320, 3), np.uint8)
    img[:, 160:] = (255, 0, 0)  # right half pure red: luma 0.299 × 255 = 76.2
    th = thumbnail(img)
    assert th.shape == (THUMB_SIDE, THUMB_SIDE) and th.dtype == np.uint8
    assert (th[:, : THUMB_SIDE // 2] == 0).all()
    assert np.abs(th[:, THUMB_SIDE // 2 :].astype(int) - 76).max() <= 1


def test_brightness_is_the_mean_luma() -> None:
    assert brightness(thumbnail(np.zeros((40, 40, 3), np.uint8))) == 0.0
    assert brightness(thumbnail(np.full((40, 40, 3), 200, np.uint8))) == pytest.approx(200.0)
    red = np.zeros((45, 70, 3), np.uint8)
    red[..., 0] = 255
    assert brightness(thumbnail(red)) == pytest.approx(0.299 * 255, abs=0.5)
    half = np.zeros((720, 1280, 3), np.uint8)
    half[:, :500] = 255  # not a whole number of blocks: the strided sample's share of white columns counts
    white = len(range(0, 500, SAMPLE_STRIDE_PX)) / len(range(0, 1280, SAMPLE_STRIDE_PX))
    assert brightness(thumbnail(half)) == pytest.approx(255 * white, abs=0.5)


def test_decorrelation_by_hand() -> None:
    a = np.arange(256, dtype=np.uint8).reshape(16, 16)
    assert decorrelation(a, a) == pytest.approx(0.0)
    assert decorrelation(a, 255 - a) == pytest.approx(2.0)  # inverted
    assert decorrelation(a, (a // 2 + 40).astype(np.uint8)) == pytest.approx(0.0, abs=1e-3)  # exposure change
    flat = np.full((16, 16), 30, np.uint8)
    assert decorrelation(flat, a) == 1.0 and decorrelation(flat, flat) == 0.0
    assert math.isnan(decorrelation(a, np.zeros((8, 8), np.uint8)))


def test_cut_between_two_shots_but_not_within_one() -> None:
    room, other = scene(1), scene(2)
    moved = room.copy()
    moved[200:600, 500:700] = 40  # a person-sized dark figure steps into the shot
    brighter = np.clip(room.astype(int) + 35, 0, 255).astype(np.uint8)  # the camera's exposure changes
    det = CutDetector(CUT)
    assert [det.push(thumbnail(x)) for x in (room, moved, brighter, room, other, other)] == [
        False, False, False, False, True, False]


def test_missing_thumbnails_never_cut_and_keep_the_last_one() -> None:
    det = CutDetector(CUT)
    assert det.push(None) is False
    assert det.push(thumbnail(scene(1))) is False
    assert det.push(None) is False
    assert det.push(thumbnail(scene(2))) is True  # compared with the last thumbnail seen


def test_a_tiny_image_still_gives_a_thumbnail() -> None:
    assert thumbnail(scene(3, 5, 7)).shape == (THUMB_SIDE, THUMB_SIDE)


def test_the_session_marks_the_frame_after_a_cut_and_the_analyzer_relearns() -> None:
    from coach.session import SessionAnalyzer
    from coach.types import PoseFrame

    session = SessionAnalyzer("squat")
    resets: list[int] = []
    session.analyzer.on_scene_cut = lambda: resets.append(len(resets))  # type: ignore[method-assign]
    shots = [scene(1)] * 3 + [scene(2)] * 3
    marked = []
    for i, img in enumerate(shots):
        features, _ = session.push(PoseFrame.empty(i / 15, 1280, 720, thumbnail=thumbnail(img)))
        marked.append(features.scene_cut)
    assert marked == [False, False, False, True, False, False]
    assert len(resets) == 1


def test_a_review_with_cuts_says_where_they_are() -> None:
    import dataclasses

    from coach.session import SessionAnalyzer
    from coach.types import NoticeKind
    from tests.analyzers.sequences import side_frame, squat_pose

    def notices(shots: list[np.ndarray]) -> list[str]:
        session = SessionAnalyzer("squat")
        for i, img in enumerate(shots):
            pose = dataclasses.replace(side_frame(i / 10, squat_pose(0.0)), thumbnail=thumbnail(img))
            session.push(pose)
        return [n.message for n in session.finish().notices if n.kind is NoticeKind.SCENE_CUTS]

    cuts = notices([scene(1)] * 20 + [scene(2)] * 20)
    assert len(cuts) == 1 and "at 2.0 s" in cuts[0]
    assert notices([scene(1)] * 40) == []
