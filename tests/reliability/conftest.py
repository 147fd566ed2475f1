"""Fixtures for the bad-input tests: real frames to transform at test time, a model-free estimator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from reliability_helpers import BASE_CLIP, ConstantEstimator


@pytest.fixture
def real_frames(shared_videos: Path) -> Callable[..., Iterator[npt.NDArray[np.uint8]]]:
    """Factory: real_frames(seconds=3.0, max_side=640) yields upright RGB frames of BASE_CLIP."""
    from coach.video import VideoReader

    def frames(seconds: float = 3.0, max_side: int = 640) -> Iterator[npt.NDArray[np.uint8]]:
        with VideoReader(shared_videos.joinpath(*BASE_CLIP), max_side_px=max_side) as reader:
            for vf in reader:
                if vf.timestamp_s >= seconds:
                    break
                yield vf.image

    return frames


@pytest.fixture
def constant_estimator(monkeypatch: pytest.MonkeyPatch) -> ConstantEstimator:
    """Replace the review's pose model with a ConstantEstimator (returned, to inspect its calls)."""
    import coach.pose

    est = ConstantEstimator()
    monkeypatch.setattr(coach.pose, "review_estimator", lambda with_mask=True, track_one=None: est)
    return est
