"""Pose estimation with MediaPipe Pose Landmarker (the only module that imports mediapipe).

`PoseEstimator.estimate()` turns one RGB frame into a `PoseFrame`: 33 landmarks in pixels of
the given image, world landmarks in metres, an optional segmentation mask, the number of people
found and the frame's brightness. With several people, the most prominent one is coached.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from weakref import WeakSet

import numpy as np
import numpy.typing as npt

from coach.types import NUM_LANDMARKS, PoseFrame

MODEL_ENV_VAR = "COACH_POSE_MODEL"
"""Environment variable that overrides the model path."""

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "pose_landmarker_full.task"
"""The bundled model (built by scripts/build_pose_model.py)."""

MODEL_PATH = Path(os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL_PATH)
"""Model path at import time (COACH_POSE_MODEL if set); `resolve_model_path()` re-reads the env var."""

MODEL_SHA256 = "80aeb47eaf3a953647efa6e3b5d03489468e995d4910630c67d0280782465209"
"""sha256 of models/pose_landmarker_full.task."""

REBUILD_HINT = "rebuild it with `python scripts/build_pose_model.py`"

_LUMA = np.array([0.299, 0.587, 0.114])


_LIVE: WeakSet[PoseEstimator] = WeakSet()
"""Open estimators, closed at interpreter exit (mediapipe raises TypeError if freed during shutdown)."""


@atexit.register
def _close_all() -> None:
    for estimator in list(_LIVE):
        with contextlib.suppress(Exception):
            estimator.close()


class ModelError(Exception):
    """The pose model is missing, damaged or cannot be loaded; str() is one line."""


class EstimatorMode(StrEnum):
    """VIDEO: frames of one clip, tracked across time (timestamps must increase). IMAGE: independent."""

    VIDEO = "video"
    IMAGE = "image"


def resolve_model_path(model_path: str | os.PathLike[str] | None = None) -> Path:
    """The model to load: `model_path`, else $COACH_POSE_MODEL, else the bundled model."""
    if model_path is not None:
        return Path(model_path)
    return Path(os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL_PATH)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_model(
    model_path: str | os.PathLike[str] | None = None, expected_sha256: str | None = MODEL_SHA256
) -> Path:
    """Return the model path if the file exists (and matches `expected_sha256`), else raise ModelError."""
    path = resolve_model_path(model_path)
    if not path.is_file():
        raise ModelError(f"pose model not found: expected it at '{path}'; {REBUILD_HINT}")
    if expected_sha256 is not None:
        actual = _sha256(path)
        if actual != expected_sha256:
            raise ModelError(
                f"pose model '{path}' is damaged (sha256 {actual[:12]}…, expected {expected_sha256[:12]}…); "
                f"{REBUILD_HINT}"
            )
    return path


def brightness(image_rgb: npt.NDArray[np.uint8]) -> float:
    """Mean luma (BT.601) of an RGB image on an 8-px-strided subsample, 0–255."""
    sample = image_rgb[::8, ::8, :3]
    if sample.size == 0:
        return float("nan")
    return float(sample.reshape(-1, 3).mean(axis=0) @ _LUMA)


def prominence(landmarks_px: npt.NDArray[np.float64], width: int, height: int) -> float:
    """Landmark bounding-box area inside the image (px²) × mean visibility: how prominent a person is."""
    x = np.clip(landmarks_px[:, 0], 0, width)
    y = np.clip(landmarks_px[:, 1], 0, height)
    area = float((x.max() - x.min()) * (y.max() - y.min()))
    return area * float(np.nanmean(landmarks_px[:, 3]))


class PoseEstimator:
    """MediaPipe Pose Landmarker (full) wrapper; use as a context manager or call close().

    Args:
        mode: VIDEO (tracking; strictly increasing timestamps) or IMAGE (independent images).
        with_mask: Also return the person segmentation mask (float32, image size).
        num_poses: Maximum number of people to look for.
        model_path: Model bundle; default $COACH_POSE_MODEL or models/pose_landmarker_full.task.
        min_detection_confidence: Person detector threshold, 0–1.
        min_presence_confidence: Pose presence threshold, 0–1.
        min_tracking_confidence: Tracking threshold (VIDEO mode), 0–1.
        expected_sha256: Checksum the model must have (None: skip the check, e.g. for another model).

    Raises:
        ModelError: the model is missing, damaged or cannot be loaded.
    """

    def __init__(
        self,
        mode: EstimatorMode = EstimatorMode.VIDEO,
        with_mask: bool = True,
        num_poses: int = 2,
        model_path: str | os.PathLike[str] | None = None,
        min_detection_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        expected_sha256: str | None = MODEL_SHA256,
    ) -> None:
        self.mode = EstimatorMode(mode)
        self.with_mask = with_mask
        self.num_poses = int(num_poses)
        self.model_path = check_model(model_path, expected_sha256)
        self._last_ms: int | None = None
        self._landmarker = None

        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        running_mode = vision.RunningMode.VIDEO if self.mode is EstimatorMode.VIDEO else vision.RunningMode.IMAGE
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=running_mode,
            num_poses=self.num_poses,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
            output_segmentation_masks=with_mask,
        )
        try:
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
            _LIVE.add(self)
        except Exception as exc:  # mediapipe raises RuntimeError/ValueError with long multi-line texts
            first = " ".join(str(exc).split())[:200]
            raise ModelError(f"could not load pose model '{self.model_path}': {first}; {REBUILD_HINT}") from exc

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Release the landmarker (idempotent). Needed: mediapipe errors if it is freed at exit."""
        landmarker, self._landmarker = self._landmarker, None
        _LIVE.discard(self)
        if landmarker is not None:
            landmarker.close()

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """Find the pose in one RGB uint8 (H, W, 3) frame taken at `timestamp_s` seconds.

        In VIDEO mode equal or decreasing timestamps are bumped to 1 ms after the previous one
        (the returned PoseFrame keeps the given `timestamp_s`).
        """
        if self._landmarker is None:
            raise RuntimeError("PoseEstimator is closed")
        if image_rgb.ndim != 3 or image_rgb.shape[2] != 3 or image_rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 (H, W, 3) image, got {image_rgb.dtype} {image_rgb.shape}")
        height, width = image_rgb.shape[:2]
        light = brightness(image_rgb)
        mp_image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(image_rgb))
        if self.mode is EstimatorMode.VIDEO:
            ts_ms = round(timestamp_s * 1000.0)
            if self._last_ms is not None and ts_ms <= self._last_ms:
                ts_ms = self._last_ms + 1
            self._last_ms = ts_ms
            result = self._landmarker.detect_for_video(mp_image, ts_ms)
        else:
            result = self._landmarker.detect(mp_image)

        poses = result.pose_landmarks or []
        if not poses:
            return PoseFrame.empty(timestamp_s, width, height, brightness=light)
        scale = np.array([width, height, width, 1.0])
        candidates = [
            np.array([[lm.x, lm.y, lm.z, lm.visibility or 0.0] for lm in pose], dtype=np.float64) * scale
            for pose in poses
        ]
        best = max(range(len(candidates)), key=lambda i: prominence(candidates[i], width, height))
        landmarks = candidates[best]
        worlds = result.pose_world_landmarks or []
        if best < len(worlds):
            world = np.array([[lm.x, lm.y, lm.z] for lm in worlds[best]], dtype=np.float64)
        else:
            world = np.full((NUM_LANDMARKS, 3), np.nan)
        mask = None
        masks = result.segmentation_masks or []
        if self.with_mask and best < len(masks):
            mask = np.array(masks[best].numpy_view(), dtype=np.float32).reshape(height, width)
        return PoseFrame(
            timestamp_s=timestamp_s,
            width=width,
            height=height,
            detected=True,
            landmarks=landmarks,
            world=world,
            mask=mask,
            people=len(poses),
            brightness=light,
        )
