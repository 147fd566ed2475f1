"""The pose estimator's contract: what the review and the live coach call, and what an estimator can see.

`coach.pose.MediaPipeEstimator` implements it with MediaPipe; test doubles implement it too. An estimator
declares its `capabilities` (segmentation mask, world landmarks), so that an analyzer needing one the estimator
lacks can say so in the report (`missing_capability_notices`) instead of silently not judging.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from coach.types import Notice, NoticeKind, PoseFrame


class Capability(StrEnum):
    """What an estimator may return besides image landmarks."""

    SEGMENTATION_MASK = "segmentation_mask"
    WORLD_LANDMARKS = "world_landmarks"


@dataclass(frozen=True, slots=True)
class EstimatorCapabilities:
    """What a pose estimator returns besides image landmarks.

    Attributes:
        segmentation_mask: A person mask per frame (`PoseFrame.mask`): the back silhouette reads rounding from it.
        world_landmarks: Metric, hip-centred landmarks (`PoseFrame.world`).
    """

    segmentation_mask: bool = True
    world_landmarks: bool = True

    def has(self, capability: Capability) -> bool:
        """Whether the estimator returns `capability`."""
        if capability is Capability.SEGMENTATION_MASK:
            return self.segmentation_mask
        return self.world_landmarks


FULL_CAPABILITIES = EstimatorCapabilities()
"""A MediaPipe Pose Landmarker with its mask on."""

MISSING_CAPABILITY_MESSAGES: dict[Capability, str] = {
    Capability.SEGMENTATION_MASK: (
        "Back rounding could not be judged: the pose model used for this video gives no outline of the body, "
        "and the coach reads the curve of your back from that outline. Reps were counted and the other checks "
        "were made."
    ),
    Capability.WORLD_LANDMARKS: (
        "Some checks could not be judged: the pose model used for this video gives no body measurements in depth."
    ),
}
"""What the report says when an analyzer needs a capability the estimator lacks (plain words)."""


def missing_capability_notices(needed: Iterable[Capability], have: EstimatorCapabilities) -> tuple[Notice, ...]:
    """One notice per needed capability the estimator lacks, in the order given."""
    return tuple(Notice(NoticeKind.MISSING_CAPABILITY, MISSING_CAPABILITY_MESSAGES[c])
                 for c in needed if not have.has(c))


class PendingPose(Protocol):
    """A frame handed to `PoseEstimator.submit`; `result()` gives its PoseFrame (take them in submission order)."""

    def result(self) -> PoseFrame:
        """The pose frame (waits for it; re-raises the estimator's error)."""
        ...


@dataclass(frozen=True, slots=True)
class ReadyPose:
    """A pose estimated at once (`PoseEstimator.submit` of an estimator without look-ahead)."""

    pose: PoseFrame

    def result(self) -> PoseFrame:
        """The pose frame."""
        return self.pose


@runtime_checkable
class PoseEstimator(Protocol):
    """Turns RGB frames into `PoseFrame`s; a context manager that releases the model on exit.

    Attributes:
        capabilities: What it returns besides image landmarks.
        workers: Frames `submit` may have in flight at once (1: `submit` computes at once).
    """

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """What it returns besides image landmarks."""
        ...

    @property
    def workers(self) -> int:
        """Frames `submit` may have in flight at once."""
        ...

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """The pose in one RGB uint8 (H, W, 3) frame taken at `timestamp_s` s."""
        ...

    def submit(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float,
               thumb: npt.NDArray[np.uint8] | None = None) -> PendingPose:
        """Start estimating one frame (`thumb`: its luma thumbnail, if already taken); take results in order."""
        ...

    def close(self) -> None:
        """Release the model (idempotent)."""
        ...

    def __enter__(self) -> PoseEstimator: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...


class SimpleEstimator:
    """Base for estimators that compute each frame at once (test doubles, other models): `submit` is
    `estimate`, one frame in flight, nothing to release. Subclasses implement `estimate` and may override
    `capabilities` (default: mask and world landmarks)."""

    capabilities: EstimatorCapabilities = FULL_CAPABILITIES
    workers: int = 1

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """The pose in one frame (subclasses)."""
        raise NotImplementedError

    def submit(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float,
               thumb: npt.NDArray[np.uint8] | None = None) -> PendingPose:
        """`estimate`, at once (the thumbnail is not used)."""
        return ReadyPose(self.estimate(image_rgb, timestamp_s))

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> SimpleEstimator:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
