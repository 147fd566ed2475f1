"""The exercise hint: the same poses replayed through the other analyzers when the chosen one finds no rep."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from coach.pipeline import RecordedPoses, review
from coach.suggest import PoseLog, in_doubt, suggest_exercise
from coach.types import Exercise
from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile, squat_pose


def test_a_hinge_reviewed_as_a_squat_suggests_the_deadlift(make_clip) -> None:
    poses = frames_of(rep_profile(3), duration(3), hinge_pose)
    clip = make_clip(frames=2)
    log = PoseLog()
    report = review(clip, "squat", recorded=RecordedPoses(poses), on_pose=log.append)
    assert report.complete_reps == 0 and in_doubt(report)
    assert len(log.frames) == len(poses)
    hint = suggest_exercise(report, log.frames)
    assert hint is not None
    assert hint.exercise is Exercise.DEADLIFT and hint.reps == 3 and hint.name == "deadlift"
    # The hint is right: reviewing as a deadlift counts those reps.
    assert review(clip, hint.exercise, recorded=RecordedPoses(poses)).complete_reps == 3


def test_no_hint_when_the_chosen_exercise_counts(make_clip) -> None:
    poses = frames_of(rep_profile(3), duration(3), squat_pose)
    report = review(make_clip(frames=2), "squat", recorded=RecordedPoses(poses))
    assert report.complete_reps == 3 and not in_doubt(report)
    assert suggest_exercise(report, poses) is None


def test_no_hint_when_nothing_else_counts_either(make_clip) -> None:
    still = frames_of(lambda t: 0.0, 6.0, squat_pose)  # standing still for 6 s
    report = review(make_clip(frames=2), "squat", recorded=RecordedPoses(still))
    assert report.complete_reps == 0
    assert suggest_exercise(report, still) is None


def test_pose_log_drops_masks_and_stops_at_its_limit() -> None:
    poses = frames_of(rep_profile(1), 1.0, squat_pose)
    masked = [replace(p, mask=np.ones((p.height, p.width), np.float32)) for p in poses]
    log = PoseLog(limit=10)
    for p in masked:
        log.append(p)
    assert len(log.frames) == 10
    assert all(p.mask is None for p in log.frames)
    assert [p.timestamp_s for p in log.frames] == [p.timestamp_s for p in masked[:10]]


def test_cli_says_which_exercise_fits(make_clip, fake_estimator, monkeypatch, capsys) -> None:
    import coach.pose
    from coach.cli import main

    poses = frames_of(rep_profile(2), duration(2), hinge_pose)[::2]  # 15 a second: the review analyses each
    clip = make_clip(frames=len(poses), fps=15.0)
    monkeypatch.setattr(coach.pose, "review_estimator", lambda with_mask=True, track_one=None: fake_estimator(poses))
    assert main(["review", str(clip), "-e", "squat", "-q"]) == 0
    out, err = capsys.readouterr()
    assert "0 complete reps" in out
    assert "this looks more like a deadlift (2 complete reps that way); try --exercise deadlift" in err
