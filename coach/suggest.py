"""Which exercise is this? A hint when the chosen one finds no rep or the movement looks like another.

The pose frames of a review do not depend on the exercise chosen, so they are replayed (without the
segmentation mask: counting does not need it) through the other analyzers; an exercise that counts complete
reps where the chosen one counted none, and does not itself look wrong, is suggested. Replaying costs a few
milliseconds a frame: no pose estimation runs again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from coach.exercises import REGISTRY, spec_of
from coach.report import Report
from coach.session import SessionAnalyzer
from coach.thresholds import Thresholds
from coach.types import STRENGTH_EXERCISES, Exercise, NoticeKind, PoseFrame

MAX_POSES = 9000
"""Pose frames kept for the replay (10 minutes at 15 analysed frames a second; ~2 KiB each without the mask)."""

_DOUBTS = frozenset({NoticeKind.NO_REPS, NoticeKind.WRONG_EXERCISE})


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Another exercise that fits the video better, and the complete reps it counts."""

    exercise: Exercise
    reps: int

    @property
    def name(self) -> str:
        """The exercise in plain words ("back extension")."""
        return spec_of(self.exercise).name


class PoseLog:
    """Mask-free copies of the first MAX_POSES pose frames of a review (pass `append` as `on_pose`)."""

    def __init__(self, limit: int = MAX_POSES) -> None:
        self.limit = limit
        self.frames: list[PoseFrame] = []

    def append(self, pose: PoseFrame) -> None:
        """Keep `pose` without its mask (until the limit)."""
        if len(self.frames) < self.limit:
            self.frames.append(replace(pose, mask=None) if pose.mask is not None else pose)


def in_doubt(report: Report) -> bool:
    """True when the chosen exercise counted no complete rep or the movement did not look like it."""
    return report.complete_reps == 0 or any(n.kind in _DOUBTS for n in report.session.notices)


def suggest_exercise(report: Report, poses: Iterable[PoseFrame],
                     thresholds: Thresholds | None = None) -> Suggestion | None:
    """The exercise (other than the report's) that counts the most complete reps on the same poses, when the
    report is `in_doubt`, that exercise counts more complete reps than the report, the body's posture fits it
    (standing for squats and deadlifts, not mostly standing for the floor exercises) and its own review does
    not say it looks wrong; else None."""
    if not in_doubt(report):
        return None
    frames = list(poses)
    best: Suggestion | None = None
    if report.exercise not in STRENGTH_EXERCISES:
        return None  # the functional tests are chosen on purpose; hints choose among the strength exercises
    for exercise in STRENGTH_EXERCISES:
        if exercise is report.exercise:
            continue
        session = SessionAnalyzer(exercise, thresholds, keep_series=False)
        for pose in frames:
            session.push(pose)
        result = session.finish()
        if not session.posture_fits or any(n.kind is NoticeKind.WRONG_EXERCISE for n in result.notices):
            continue
        reps = sum(1 for r in result.analysis.reps if r.complete)
        if reps > report.complete_reps and (best is None or reps > best.reps):
            best = Suggestion(exercise, reps)
    return best


def guess_exercise(name: str) -> Exercise | None:
    """An exercise named in a file name ("back-extension_02.mp4"), if any."""
    low = name.lower().replace("-", "_")
    return next((ex for ex, spec in REGISTRY.items() if any(w in low for w in spec.file_words)), None)
