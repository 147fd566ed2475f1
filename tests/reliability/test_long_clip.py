"""A 30-minute clip is streamed: peak memory does not grow with the length of the video.

Both clips are tiny (64×48 at 5 fps, a repeated frame, made at test time) and reviewed in a fresh
subprocess with a model-free estimator, so the comparison isolates decoding, features, analyzer,
session and report. (Memory with the real model: see docs/performance.md.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coach.video import VideoWriter

HERE = Path(__file__).resolve().parent

MAX_GROWTH_MB = 40.0
"""Allowed peak-RSS difference between a 30-minute and a 3-minute review, MiB."""

SCRIPT = """
import json, sys
from coach.bench import peak_rss_mb
sys.path.insert(0, {here!r})
import coach.pose
from reliability_helpers import ConstantEstimator
coach.pose.review_estimator = lambda with_mask=True: ConstantEstimator()
from coach.pipeline import review
report = review(sys.argv[1], "squat")
print(json.dumps({{"frames": report.session.frames_total,
                   "peak_rss_mb": peak_rss_mb()}}))
"""


def _long_clip(path: Path, minutes: float, fps: float = 5.0) -> Path:
    frame = np.zeros((48, 64, 3), np.uint8)
    frame[10:40, 28:36] = 200  # a bar, so the encoder has something to keep
    with VideoWriter(path, fps, 64, 48) as writer:
        for i in range(round(minutes * 60 * fps)):
            writer.write(frame, i / fps)
    return path


def _peak(path: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(here=str(HERE)), str(path)], capture_output=True,
                          text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_30_minute_clip_memory_is_flat(tmp_path):
    short = _peak(_long_clip(tmp_path / "3min.mp4", 3))
    long = _peak(_long_clip(tmp_path / "30min.mp4", 30))
    assert short["frames"] == 900 and long["frames"] == 9000
    assert long["peak_rss_mb"] - short["peak_rss_mb"] < MAX_GROWTH_MB, (short, long)
