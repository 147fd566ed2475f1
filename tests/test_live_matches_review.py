"""The same clip reviewed and fed to the live coach gives the same warnings on the same reps (issue #15).

The review estimates pose on at most 15 frames a second; the live coach sees all 30. A stand-in estimator
returns, for each frame it is given, the scripted pose of that moment (stick-figure deadlifts seen side-on
through a camera rolled 10°: a twist on rep 1, a lean back at the top of rep 2, rep 3 clean).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from coach.estimator import SimpleEstimator
from coach.live import LiveCoach
from coach.pipeline import review
from coach.types import Exercise, PoseFrame
from coach.video import VideoReader
from tests.analyzers.sequences import kinds
from tests.analyzers.test_camera_checks import deadlift_frames, lean_back_after, twist_on


class PoseAtTime(SimpleEstimator):
    """Returns the scripted pose nearest in time to each frame asked about (s), re-stamped."""

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses = poses
        self.times = np.array([p.timestamp_s for p in poses])

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        i = int(np.argmin(np.abs(self.times - timestamp_s)))
        return dataclasses.replace(self.poses[i], timestamp_s=timestamp_s)


def test_review_and_live_flag_the_same_reps(make_clip) -> None:
    poses = deadlift_frames(10.0, fault=lambda t, p: twist_on((0,), 35.0)(t, lean_back_after((1,), 22.0)(t, p)))
    clip = make_clip(frames=len(poses), fps=30.0)

    reviewed = review(clip, Exercise.DEADLIFT, estimator_factory=lambda: PoseAtTime(poses))
    reviewed_reps = [r for r in reviewed.reps if r.complete]

    live = LiveCoach(Exercise.DEADLIFT, estimator_factory=lambda: PoseAtTime(poses))
    with VideoReader(clip) as frames:
        for frame in frames:
            live.process_image(frame.image, frame.timestamp_s)
    live_reps = live.reps()
    live.close()

    assert [kinds(r) for r in reviewed_reps] == [{"twist"}, {"lumbar_hyperextension"}, set()]
    assert [kinds(r) for r in live_reps] == [kinds(r) for r in reviewed_reps]
    for a, b in zip(live_reps, reviewed_reps, strict=True):  # the same reps, not just the same count
        assert abs(a.start_s - b.start_s) < 0.2 and abs(a.end_s - b.end_s) < 0.2
    # The live page shows the lean-back found after rep 2 was counted (the latest warned rep is rep 2).
    assert live.snapshot().warning_rep == live_reps[1].index
