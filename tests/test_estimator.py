"""The pose estimator's declared capabilities: a needed one that is missing becomes a notice in the report."""

from __future__ import annotations

from coach.estimator import (
    FULL_CAPABILITIES,
    EstimatorCapabilities,
    PoseEstimator,
    ReadyPose,
    SimpleEstimator,
)
from coach.pipeline import review
from coach.types import NoticeKind
from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile

NO_MASK = EstimatorCapabilities(segmentation_mask=False, world_landmarks=True)


def _not_judged(report) -> list[str]:
    return [n.message for n in report.session.notices if n.kind is NoticeKind.MISSING_CAPABILITY]


def test_an_estimator_without_the_mask_gets_a_notice_that_rounding_was_not_judged(make_clip, fake_estimator) -> None:
    poses = frames_of(rep_profile(2), duration(2), hinge_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    with_mask = review(clip, "deadlift", estimator_factory=lambda: fake_estimator(poses), analysis_max_fps=0)
    without = review(clip, "deadlift", estimator_factory=lambda: fake_estimator(poses, capabilities=NO_MASK),
                     analysis_max_fps=0)
    assert _not_judged(with_mask) == []
    (message,) = _not_judged(without)
    assert message.startswith("Back rounding could not be judged") and "outline of the body" in message
    assert "_" not in message and "None" not in message  # plain words, no variable names
    assert without.complete_reps == with_mask.complete_reps == 2  # counting goes on
    assert without.to_dict()["notices"][0]["kind"] == "missing_capability"


def test_back_extension_does_not_need_the_mask(make_clip, fake_estimator) -> None:
    poses = frames_of(rep_profile(1), duration(1), hinge_pose)
    clip = make_clip(frames=len(poses), fps=30.0)
    report = review(clip, "back_extension", estimator_factory=lambda: fake_estimator(poses, capabilities=NO_MASK),
                    analysis_max_fps=0)
    assert _not_judged(report) == []  # it does not check rounding, so nothing was lost


def test_the_mediapipe_estimator_declares_its_mask_option() -> None:
    from coach.pose import MediaPipeEstimator

    caps = MediaPipeEstimator.capabilities
    assert isinstance(caps, property)  # read from `with_mask`, not a constant
    fake = type("Opts", (), {"with_mask": False})()
    assert caps.fget(fake) == NO_MASK
    fake.with_mask = True
    assert caps.fget(fake) == FULL_CAPABILITIES


def test_simple_estimators_satisfy_the_protocol(fake_estimator) -> None:
    est = fake_estimator([])
    assert isinstance(est, PoseEstimator) and isinstance(est, SimpleEstimator)
    assert est.workers == 1
    import numpy as np

    pending = est.submit(np.zeros((4, 6, 3), np.uint8), 0.5)
    assert isinstance(pending, ReadyPose) and pending.result().timestamp_s == 0.5 and est.calls == [0.5]
