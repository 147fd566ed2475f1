"""The review pipeline: one code path for decoded video and replayed (recorded) poses; real clips end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach.pipeline import RecordedPoses, review
from coach.types import NoticeKind
from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile, squat_pose


def test_recorded_poses_give_the_same_report_as_estimating(make_clip, fake_estimator) -> None:
    poses = frames_of(rep_profile(3), duration(3), squat_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    live = review(clip, "squat", estimator_factory=lambda: fake_estimator(poses))
    replayed = review(clip, "squat", recorded=RecordedPoses(poses))
    assert live.complete_reps == replayed.complete_reps == 3
    assert [(r.start_s, r.end_s, r.warnings) for r in live.reps] == \
        [(r.start_s, r.end_s, r.warnings) for r in replayed.reps]
    assert live.to_dict()["sets"] == replayed.to_dict()["sets"]


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
    assert done.stdout.startswith("squat: 2 complete reps")
