"""Helpers for the bad-input tests (tests/reliability): run the CLI in-process, write clips, fake poses."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from coach.estimator import SimpleEstimator
from coach.landmarks import NUM_LANDMARKS, Lm
from coach.types import PoseFrame

BASE_CLIP = ("squat", "calimiro_squat_17.mp4")
"""A short, well-lit real squat clip (1280×720, 4.4 s, 25 fps) that the notice tests transform."""


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run `coach argv…` in-process; returns (exit code, stdout, stderr)."""
    from coach.cli import main

    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(rc: int, err: str, expected_rc: int = 2) -> str:
    """The CLI failed cleanly: the exit code, one `coach: …` line on stderr, no traceback."""
    assert rc == expected_rc, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("coach: "), err
    assert "Traceback" not in err
    return lines[0]


def notices(json_path: Path) -> dict[str, str]:
    """The report's notices as {kind: message}."""
    data = json.loads(json_path.read_text())
    return {n["kind"]: n["message"] for n in data["notices"]}


def write_clip(path: Path, frames: Iterable[npt.NDArray[np.uint8]], fps: float) -> Path:
    """Write RGB frames (all the same size) to an H.264 mp4."""
    from coach.video import VideoWriter

    writer = None
    try:
        for i, image in enumerate(frames):
            if writer is None:
                h, w = image.shape[:2]
                writer = VideoWriter(path, fps, w, h)
            writer.write(image, i / fps)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    assert writer is not None, "no frames"
    writer.close()
    return path


def standing_pose(timestamp_s: float, width: int = 640, height: int = 480) -> PoseFrame:
    """A hand-built upright person seen from the side (about 360 px tall), all landmarks visible."""
    lm = np.zeros((NUM_LANDMARKS, 4))
    lm[:, 3] = 0.99
    x = width / 2
    points = {Lm.NOSE: (x + 10, 70), Lm.LEFT_SHOULDER: (x, 120), Lm.LEFT_HIP: (x, 250), Lm.LEFT_KNEE: (x + 5, 340),
              Lm.LEFT_ANKLE: (x, 430), Lm.LEFT_WRIST: (x + 5, 250), Lm.LEFT_ELBOW: (x + 5, 185),
              Lm.LEFT_EAR: (x, 70), Lm.LEFT_HEEL: (x - 10, 440), Lm.LEFT_FOOT_INDEX: (x + 25, 440)}
    for i in range(NUM_LANDMARKS):
        lm[i, :2] = points.get(Lm(i), (x, 70))
    for left, right in ((Lm.LEFT_SHOULDER, Lm.RIGHT_SHOULDER), (Lm.LEFT_HIP, Lm.RIGHT_HIP),
                        (Lm.LEFT_KNEE, Lm.RIGHT_KNEE), (Lm.LEFT_ANKLE, Lm.RIGHT_ANKLE),
                        (Lm.LEFT_WRIST, Lm.RIGHT_WRIST), (Lm.LEFT_ELBOW, Lm.RIGHT_ELBOW), (Lm.LEFT_EAR, Lm.RIGHT_EAR),
                        (Lm.LEFT_HEEL, Lm.RIGHT_HEEL), (Lm.LEFT_FOOT_INDEX, Lm.RIGHT_FOOT_INDEX)):
        lm[right, :2] = lm[left, :2] + (3.0, 0.0)
        lm[right, 3] = 0.6
    world = np.zeros((NUM_LANDMARKS, 3))
    world[:, :2] = (lm[:, :2] - lm[Lm.LEFT_HIP, :2]) / 400.0
    return PoseFrame(timestamp_s, width, height, True, lm, world, None, 1, 120.0)


class ConstantEstimator(SimpleEstimator):
    """Fake estimator: the same standing person in every frame (scaled to the image), no model."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []
        self.calls: list[float] = []

    def __enter__(self) -> ConstantEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def close(self) -> None:
        """Nothing to release."""

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """The standing person, at `timestamp_s` s."""
        h, w = image_rgb.shape[:2]
        if len(self.sizes) < 5:
            self.sizes.append((w, h))
        self.calls.append(timestamp_s)
        return standing_pose(timestamp_s, max(w, 640), max(h, 480))
