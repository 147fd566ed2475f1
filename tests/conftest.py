"""Shared pytest fixtures: the shared real-clip folder, synthetic clips, and a fake pose estimator."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from coach.estimator import FULL_CAPABILITIES, EstimatorCapabilities, SimpleEstimator
from coach.types import PoseFrame

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO_ROOT.parent / "shared" / "videos"

# Tests that run the `coach` console script as a subprocess must get this interpreter's (the venv's) one, also when
# pytest runs as `.venv/bin/python -m pytest` without the venv activated (scripts/test.sh, CI).
_BIN = str(Path(sys.executable).parent)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _BIN:
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def shared_videos() -> Path:
    """Folder of real third-party clips (../shared/videos); skipped when absent (fails on CI)."""
    if not SHARED_VIDEOS.is_dir():
        message = f"shared videos not found at {SHARED_VIDEOS}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_VIDEOS


def pattern_frame(index: int, width: int = 64, height: int = 48) -> npt.NDArray[np.uint8]:
    """A deterministic RGB test frame whose mean grey level encodes `index` (steps of 8)."""
    image = np.full((height, width, 3), (index * 8) % 256, dtype=np.uint8)
    image[: height // 3, : width // 2] = (255, 0, 0)  # red block, top-left: shows orientation
    return image


@pytest.fixture
def make_clip(tmp_path: Path) -> Callable[..., Path]:
    """Factory writing a small H.264 mp4 in tmp_path with VideoWriter; returns its path.

    Call as make_clip(name="clip.mp4", frames=10, fps=10.0, width=64, height=48, timestamps=None).
    """
    from coach.video import VideoWriter

    def make(
        name: str = "clip.mp4",
        frames: int = 10,
        fps: float = 10.0,
        width: int = 64,
        height: int = 48,
        timestamps: Sequence[float] | None = None,
    ) -> Path:
        path = tmp_path / name
        times = list(timestamps) if timestamps is not None else [i / fps for i in range(frames)]
        with VideoWriter(path, fps=fps, width=width, height=height) as writer:
            for i, t in enumerate(times):
                writer.write(pattern_frame(i, width, height), timestamp_s=t)
        return path

    return make


class FakeEstimator(SimpleEstimator):
    """Test double for the pose estimator (`coach.estimator.PoseEstimator`): replays a list of PoseFrames in order.

    Each estimate() returns the next frame (re-stamped with the given timestamp unless
    restamp=False); when the list runs out it returns empty (no person) frames of the image's
    size. `calls` records the timestamps. `capabilities` are what it declares (default: mask and world
    landmarks, like the MediaPipe one); `cache_key` keys the eval cache.
    """

    def __init__(self, frames: Iterable[PoseFrame], restamp: bool = True,
                 capabilities: EstimatorCapabilities = FULL_CAPABILITIES, cache_key: str = "fake") -> None:
        self.frames = list(frames)
        self.restamp = restamp
        self.capabilities = capabilities
        self.cache_key = cache_key
        self.calls: list[float] = []
        self.closed = False

    def close(self) -> None:
        """Mark closed (mirrors MediaPipeEstimator.close)."""
        self.closed = True

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """The next recorded frame, at `timestamp_s` seconds and the image's size."""
        height, width = image_rgb.shape[:2]
        index = len(self.calls)
        self.calls.append(timestamp_s)
        if index >= len(self.frames):
            return PoseFrame.empty(timestamp_s, width, height)
        frame = self.frames[index]
        if not self.restamp:
            return frame
        return dataclasses.replace(frame, timestamp_s=timestamp_s)


@pytest.fixture
def fake_estimator() -> Callable[..., FakeEstimator]:
    """Factory: fake_estimator(frames) -> FakeEstimator replaying those PoseFrames."""
    return FakeEstimator
