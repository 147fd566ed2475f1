"""The review pipeline: one code path for decoded video and replayed (recorded) poses; real clips end to end."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from coach import pipeline
from coach.cuts import THUMB_SIDE
from coach.estimator import SimpleEstimator
from coach.pipeline import RecordedPoses, review
from coach.types import NoticeKind, PoseFrame
from coach.video import VideoReader
from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile, squat_pose


def test_recorded_poses_give_the_same_report_as_estimating(make_clip, fake_estimator) -> None:
    poses = frames_of(rep_profile(3), duration(3), squat_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    live = review(clip, "squat", estimator_factory=lambda: fake_estimator(poses), analysis_max_fps=0)
    replayed = review(clip, "squat", recorded=RecordedPoses(poses))
    assert live.complete_reps == replayed.complete_reps == 3
    assert [(r.start_s, r.end_s, r.warnings) for r in live.reps] == \
        [(r.start_s, r.end_s, r.warnings) for r in replayed.reps]
    assert live.to_dict()["sets"] == replayed.to_dict()["sets"]


class ByTimeEstimator(SimpleEstimator):
    """Fake estimator returning the recorded pose nearest in time to each frame it is given."""

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses, self.calls = poses, []

    def __enter__(self) -> ByTimeEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def estimate(self, image: object, timestamp_s: float) -> PoseFrame:
        self.calls.append(timestamp_s)
        return min(self.poses, key=lambda p: abs(p.timestamp_s - timestamp_s))


def test_analysis_rate_cap_estimates_by_timestamp_and_still_counts(make_clip, tmp_path: Path) -> None:
    poses = frames_of(rep_profile(3), duration(3), squat_pose)  # 30 fps
    clip = make_clip(frames=len(poses), fps=30.0)
    est = ByTimeEstimator(poses)
    out = tmp_path / "annotated.mp4"
    report = review(clip, "squat", estimator_factory=lambda: est, analysis_max_fps=15.0, annotated=out)
    gaps = [b - a for a, b in zip(est.calls, est.calls[1:], strict=False)]
    assert min(gaps) >= 1 / 15 - 1e-3 and len(est.calls) == pytest.approx(len(poses) / 2, abs=1)
    assert report.complete_reps == 3
    assert report.session.frames_total == len(est.calls)  # only analysed frames reach the session
    with VideoReader(out) as reader:  # the annotated copy keeps every frame (skipped ones reuse the pose)
        assert sum(1 for _ in reader) == len(poses)


def test_analysis_rate_cap_skips_by_time_not_by_frame_count(make_clip) -> None:
    times = [0.0, 0.04, 0.08, 0.2, 0.25, 0.5, 0.52, 0.9, 1.0, 1.6]  # variable frame rate
    clip = make_clip(timestamps=times)
    est = ByTimeEstimator([PoseFrame.empty(t, 64, 48) for t in times])
    review(clip, "squat", estimator_factory=lambda: est, analysis_max_fps=15.0)
    assert est.calls == pytest.approx([0.0, 0.08, 0.2, 0.5, 0.9, 1.0, 1.6], abs=2e-3)
    est = ByTimeEstimator([PoseFrame.empty(t, 64, 48) for t in times])
    review(clip, "squat", estimator_factory=lambda: est, analysis_max_fps=0)
    assert len(est.calls) == len(times)


def test_the_module_cap_is_the_default(make_clip, monkeypatch) -> None:
    clip = make_clip(frames=30, fps=30.0)
    monkeypatch.setattr(pipeline, "ANALYSIS_MAX_FPS", 10.0)
    est = ByTimeEstimator([PoseFrame.empty(0.0, 64, 48)])
    review(clip, "squat", estimator_factory=lambda: est)
    assert len(est.calls) == 10


class AheadEstimator(ByTimeEstimator):
    """Fake estimator with `submit`: frames run on `workers` threads and finish in a scrambled order (every
    third one is slow), as with `coach.pose.MediaPipeEstimator`'s several landmarkers."""

    workers = 3

    def __init__(self, poses: list[PoseFrame]) -> None:
        super().__init__(poses)
        self.pool = ThreadPoolExecutor(self.workers)
        self.in_flight = 0
        self.most_in_flight = 0
        self.thumbs: list[np.ndarray | None] = []

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown()

    def _slow_estimate(self, image: object, timestamp_s: float, delay_s: float) -> PoseFrame:
        time.sleep(delay_s)
        return self.estimate(image, timestamp_s)

    def submit(self, image: object, timestamp_s: float, thumb: np.ndarray | None = None) -> AheadEstimator.Pending:
        self.thumbs.append(thumb)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        delay_s = 0.005 if self.in_flight % 3 == 1 else 0.0
        return self.Pending(self, self.pool.submit(self._slow_estimate, image, timestamp_s, delay_s))

    class Pending:
        def __init__(self, owner: AheadEstimator, future: Future[PoseFrame]) -> None:
            self.owner, self.future = owner, future

        def result(self) -> PoseFrame:
            self.owner.in_flight -= 1
            return self.future.result()


def test_frames_estimated_ahead_are_analysed_in_order(make_clip, tmp_path: Path) -> None:
    poses = frames_of(rep_profile(3), duration(3), squat_pose)  # 30 fps
    clip = make_clip(frames=len(poses), fps=30.0)
    sequential = review(clip, "squat", estimator_factory=lambda: ByTimeEstimator(poses), analysis_max_fps=15.0)
    est = AheadEstimator(poses)
    seen: list[float] = []
    out = tmp_path / "annotated.mp4"
    report = review(clip, "squat", estimator_factory=lambda: est, analysis_max_fps=15.0, annotated=out,
                    on_pose=lambda p: seen.append(p.timestamp_s))
    assert seen == sorted(seen) and len(seen) == len(est.calls)
    assert 1 < est.most_in_flight <= est.workers + 1
    # The reader took each frame's thumbnail on its own thread and handed it on with the frame.
    assert est.thumbs and all(t is not None and t.shape == (THUMB_SIDE, THUMB_SIDE) for t in est.thumbs)
    assert report.complete_reps == sequential.complete_reps == 3
    assert [(r.start_s, r.end_s) for r in report.reps] == [(r.start_s, r.end_s) for r in sequential.reps]
    with VideoReader(out) as reader:  # every frame drawn, in order
        times = [f.timestamp_s for f in reader]
    assert len(times) == len(poses) and times == sorted(times)


def test_recorded_truncation_becomes_a_notice(make_clip) -> None:
    poses = frames_of(rep_profile(1), duration(1), hinge_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    report = review(clip, "deadlift", recorded=RecordedPoses(poses, truncated=True, error_message="bad packet"))
    assert report.truncated and report.complete_reps == 1
    note = next(n for n in report.session.notices if n.kind is NoticeKind.TRUNCATED)
    assert "bad packet" in note.message


def test_recorded_poses_cannot_make_an_annotated_copy(make_clip, tmp_path: Path) -> None:
    poses = frames_of(rep_profile(1), duration(1), squat_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    with pytest.raises(ValueError, match="annotated"):
        review(clip, "squat", recorded=RecordedPoses(poses), annotated=tmp_path / "out.mp4")


@pytest.mark.slow
def test_cli_review_counts_two_reps_on_the_side_squat(shared_videos: Path) -> None:
    clip = shared_videos / "squat" / "rohanx01_squat.mp4"
    done = subprocess.run([sys.executable, "-m", "coach.cli", "review", str(clip), "--exercise", "squat", "-q"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("Squat: 2 complete reps")  # the registry's title
