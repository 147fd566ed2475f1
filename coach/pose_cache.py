"""The `coach eval` pose cache: each clip's analysed pose frames on disk, so re-running after an analyzer change
only replays the poses.

One `.npz` file per clip (numpy arrays only, read with `allow_pickle=False`: a cache file cannot run code),
keyed by the file's sha256, the pose model's sha256, the estimator's options, the cache format, the frame size
cap and the analysis rate cap. Writes go to a unique temporary name in the same folder and are renamed into
place (`os.replace`), so concurrent writers never see or leave half a file. Only the poses and whether the
file was cut short are stored, never a notice's text (the review words its notices afresh on replay).

Caches of format 4 (pickled, written by the coach itself) are converted once, on first use, by a loader that
refuses anything but numpy arrays; the old file is left in place for older checkouts that still read it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt

from coach import pipeline
from coach.cuts import THUMB_SIDE
from coach.digest import file_sha256
from coach.estimator import FULL_CAPABILITIES, EstimatorCapabilities, PoseEstimator
from coach.landmarks import NUM_LANDMARKS
from coach.pipeline import MAX_SIDE_PX, RecordedPoses
from coach.report import Report
from coach.thresholds import Thresholds
from coach.types import Exercise, PoseFrame

CACHE_FORMAT = 5
"""Bump when the cached pose record changes shape or the frames given to the model change (2: frames larger
than MAX_SIDE_PX are downscaled by area averaging; 3: each frame's luma thumbnail for camera cuts; 4: the
thumbnail samples every 16th pixel; 5: numpy .npz instead of pickle, no notice text)."""

PICKLED_FORMAT = 4
"""The last pickled format, converted on first use (`_migrate`)."""

DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bone-safe-coach" / "eval"
"""Where pose results are cached by default."""

STEM_CHARS = 100
"""A cache file's name starts with at most this much of the clip's name (with the key and the temporary
name's additions it must stay under the 255 characters a file name may have)."""

MASK_FLOOR = 0.02
"""Mask values below this are dropped from the cached crop (background)."""


class CachedEstimator(PoseEstimator, Protocol):
    """A pose estimator whose output options can key the cache."""

    @property
    def cache_key(self) -> str:
        """The options that change its output, as a string."""
        ...


PackedMask = tuple[int, int, int, int, bytes]
"""A mask cropped to its foreground box, quantised to uint8 and compressed: (y0, x0, h, w, data)."""


def pack_mask(mask: npt.NDArray[np.float32] | None) -> PackedMask | None:
    """Crop the mask to its foreground box, quantise to uint8 and compress (None: no mask)."""
    if mask is None:
        return None
    fg = mask >= MASK_FLOOR
    rows, cols = np.flatnonzero(fg.any(axis=1)), np.flatnonzero(fg.any(axis=0))
    if rows.size == 0:
        return (0, 0, 0, 0, b"")
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    crop = np.rint(np.clip(mask[y0:y1, x0:x1], 0.0, 1.0) * 255.0).astype(np.uint8)
    return (y0, x0, y1 - y0, x1 - x0, zlib.compress(crop.tobytes(), 6))


def unpack_mask(packed: PackedMask | None, width: int, height: int) -> npt.NDArray[np.float32] | None:
    """The (height, width) float32 mask of `pack_mask`."""
    if packed is None:
        return None
    y0, x0, h, w, data = packed
    mask = np.zeros((height, width), dtype=np.float32)
    if h and w:
        crop = np.frombuffer(zlib.decompress(data), dtype=np.uint8).reshape(h, w)
        mask[y0:y0 + h, x0:x0 + w] = crop.astype(np.float32) / 255.0
    return mask


class PoseRecorder:
    """Collects analysed pose frames compactly (float32 landmarks, masks cropped and compressed) for `save`."""

    def __init__(self) -> None:
        self.frames: list[tuple[PoseFrame, PackedMask | None]] = []

    def append(self, pose: PoseFrame) -> None:
        """Keep one frame (its mask packed, the full-size one dropped)."""
        packed = pack_mask(pose.mask)
        self.frames.append((_without_mask(pose), packed))

    def poses(self) -> list[PoseFrame]:
        """The frames kept, without their masks (e.g. for `coach.suggest.suggest_exercise`)."""
        return [pose for pose, _ in self.frames]

    def replay(self, truncated: bool, capabilities: EstimatorCapabilities = FULL_CAPABILITIES) -> RecordedPoses:
        """The frames kept, masks included, to review again as another exercise without estimating again."""
        return RecordedPoses(_Replay(self.arrays(truncated)), truncated, capabilities=capabilities)

    def arrays(self, truncated: bool) -> dict[str, npt.NDArray[Any]]:
        """The frames as named arrays (the `.npz` layout)."""
        n = len(self.frames)
        thumbs = np.zeros((n, THUMB_SIDE, THUMB_SIDE), np.uint8)
        has_thumb = np.zeros(n, bool)
        boxes = np.full((n, 4), -1, np.int32)  # -1: no mask
        ends = np.zeros(n, np.int64)
        data = bytearray()
        for i, (pose, packed) in enumerate(self.frames):
            if pose.thumbnail is not None:
                thumbs[i], has_thumb[i] = pose.thumbnail, True
            if packed is not None:
                boxes[i] = packed[:4]
                data += packed[4]
            ends[i] = len(data)
        poses = [p for p, _ in self.frames]
        return {
            "t": np.array([p.timestamp_s for p in poses], np.float64),
            "size": np.array([(p.width, p.height) for p in poses], np.int32).reshape(n, 2),
            "detected": np.array([p.detected for p in poses], bool),
            "landmarks": np.array([p.landmarks for p in poses], np.float32).reshape(n, NUM_LANDMARKS, 4),
            "world": np.array([p.world for p in poses], np.float32).reshape(n, NUM_LANDMARKS, 3),
            "people": np.array([p.people for p in poses], np.int32),
            "brightness": np.array([p.brightness for p in poses], np.float64),
            "thumbnail": thumbs, "has_thumbnail": has_thumb,
            "mask_box": boxes, "mask_end": ends, "mask_data": np.frombuffer(bytes(data), np.uint8),
            "truncated": np.array(truncated),
        }


def _without_mask(pose: PoseFrame) -> PoseFrame:
    return PoseFrame(pose.timestamp_s, pose.width, pose.height, pose.detected, pose.landmarks, pose.world, None,
                     pose.people, pose.brightness, pose.thumbnail)


class _Replay(Sequence[PoseFrame]):
    """Cached frames, unpacked one at a time (a full-size mask per frame would not fit in memory)."""

    def __init__(self, arrays: dict[str, npt.NDArray[Any]]) -> None:
        self._a = arrays
        self._data = arrays["mask_data"].tobytes()

    def __len__(self) -> int:
        return int(self._a["t"].shape[0])

    def __getitem__(self, i: int) -> PoseFrame:  # type: ignore[override]
        a = self._a
        width, height = (int(v) for v in a["size"][i])
        box = a["mask_box"][i]
        mask = None
        if box[0] >= 0:
            start = int(a["mask_end"][i - 1]) if i else 0
            y0, x0, h, w = (int(v) for v in box)
            mask = unpack_mask((y0, x0, h, w, self._data[start:int(a["mask_end"][i])]), width, height)
        return PoseFrame(timestamp_s=float(a["t"][i]), width=width, height=height, detected=bool(a["detected"][i]),
                         landmarks=a["landmarks"][i].astype(np.float64), world=a["world"][i].astype(np.float64),
                         mask=mask, people=int(a["people"][i]), brightness=float(a["brightness"][i]),
                         thumbnail=a["thumbnail"][i] if a["has_thumbnail"][i] else None)


class _NumpyOnly(pickle.Unpickler):
    """Unpickles the format-4 cache (dicts, lists, numbers, bytes and numpy arrays) and refuses any other class,
    so a file that was not written by the coach cannot run code."""

    ALLOWED: ClassVar[frozenset[tuple[str, str]]] = frozenset({
        ("numpy", "dtype"), ("numpy", "ndarray"),
        ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    })

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"not a pose cache: refuses {module}.{name}")
        return super().find_class(module, name)


def _pickled_frames(path: Path) -> tuple[PoseRecorder, bool] | None:
    """The frames of a format-4 cache file (None: unreadable or not one)."""
    try:
        with path.open("rb") as fh:
            data = _NumpyOnly(fh).load()
        rec = PoseRecorder()
        for d in data["frames"]:
            pose = PoseFrame(timestamp_s=d["t"], width=d["w"], height=d["h"], detected=d["det"],
                             landmarks=d["lm"], world=d["world"], mask=None, people=d["people"],
                             brightness=d["light"], thumbnail=d["thumb"])
            rec.frames.append((pose, d["mask"]))
        return rec, bool(data["truncated"])
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, AttributeError):
        return None


class PoseCache:
    """Per-clip pose results on disk (see the module docstring for the key).

    Args:
        folder: Cache folder (None: no caching).
        estimator_factory: Makes the estimator the poses come from (default: the production one); one is
            made once to read its options for the key.
    """

    def __init__(self, folder: str | os.PathLike[str] | None,
                 estimator_factory: Callable[[], CachedEstimator] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        if estimator_factory is None:
            from coach.pose import review_estimator  # the one the file review uses: the one code path

            estimator_factory = review_estimator
        self.estimator_factory: Callable[[], CachedEstimator] = estimator_factory
        self._options: str | None = None

    @property
    def estimator_options(self) -> str:
        """`cache_key` of the factory's estimator (made once, then closed)."""
        if self._options is None:
            est = self.estimator_factory()
            try:
                self._options = est.cache_key
            finally:
                est.close()
        return self._options

    def _key(self, file_sha: str, fmt: int) -> str:
        from coach.pose import MODEL_SHA256

        return hashlib.sha256(
            f"{file_sha}:{MODEL_SHA256}:{fmt}:{MAX_SIDE_PX}:{self.estimator_options}"
            f":max_fps={pipeline.ANALYSIS_MAX_FPS}".encode()
        ).hexdigest()[:32]

    def path(self, video: Path) -> Path | None:
        """The cache file of a video (None: no cache folder)."""
        if self.folder is None:
            return None
        stem = video.stem[:STEM_CHARS]  # the key holds the file's sha256: a shortened name stays unique
        return self.folder / f"{stem}.{self._key(file_sha256(video), CACHE_FORMAT)}.npz"

    def load(self, video: Path) -> RecordedPoses | None:
        """The cached poses of a video, or None (converting a format-4 file the first time)."""
        p = self.path(video)
        if p is None:
            return None
        if not p.is_file():
            self._migrate(video, p)
        try:
            with np.load(p, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError, KeyError, EOFError):
            return None
        return RecordedPoses(_Replay(arrays), bool(arrays["truncated"]))

    def _migrate(self, video: Path, target: Path) -> None:
        """Convert the format-4 pickle of this video, if there is one, to `target` (the pickle stays)."""
        assert self.folder is not None
        old = self.folder / f"{video.stem}.{self._key(file_sha256(video), PICKLED_FORMAT)}.pkl"
        if not old.is_file():
            return
        found = _pickled_frames(old)
        if found is not None:
            self._write(target, found[0], found[1])

    def save(self, video: Path, recorder: PoseRecorder, truncated: bool) -> None:
        """Store the poses of a video (atomically, safe for concurrent writers)."""
        p = self.path(video)
        if p is not None:
            self._write(p, recorder, truncated)

    @staticmethod
    def _write(p: Path, recorder: PoseRecorder, truncated: bool) -> None:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=".tmp", dir=p.parent)  # one per writer
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **recorder.arrays(truncated))  # type: ignore[arg-type]
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def review_cached(video: str | os.PathLike[str], exercise: Exercise | str, cache: PoseCache,
                  thresholds: Thresholds | None = None,
                  estimator_factory: Callable[[], CachedEstimator] | None = None) -> Report:
    """`review()` a clip, replaying cached poses when there are some and caching them when not.

    The poses come from `estimator_factory`, default the cache's (the production estimator)."""
    path = Path(video)
    if estimator_factory is not None and estimator_factory is not cache.estimator_factory:
        cache = PoseCache(cache.folder, estimator_factory)
    recorded = cache.load(path)
    if recorded is not None:
        return pipeline.review(path, exercise, thresholds=thresholds, recorded=recorded)
    recorder = PoseRecorder()
    report = pipeline.review(path, exercise, thresholds=thresholds, estimator_factory=cache.estimator_factory,
                             on_pose=recorder.append)
    cache.save(path, recorder, report.truncated)
    return report
