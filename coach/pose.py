"""Pose estimation with MediaPipe Pose Landmarker (the only module that imports mediapipe).

`MediaPipeEstimator.estimate()` turns one RGB frame into a `PoseFrame`: 33 landmarks in pixels of
the given image, world landmarks in metres, an optional segmentation mask, the number of people
found, the frame's brightness and its luma thumbnail (camera cuts, `coach.cuts`). With several people, the
most prominent one is chosen at the start (or after the coached person was lost for a while) and then followed
(`PersonTracker`).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any
from weakref import WeakSet

import numpy as np
import numpy.typing as npt

from coach.cuts import brightness, thumbnail
from coach.digest import file_sha256
from coach.estimator import EstimatorCapabilities
from coach.landmarks import NUM_LANDMARKS
from coach.types import PoseFrame

MODEL_ENV_VAR = "COACH_POSE_MODEL"
"""Environment variable that overrides the model path."""

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "pose_landmarker_full.task"
"""The bundled model (built by scripts/build_pose_model.py)."""

MODEL_PATH = Path(os.environ.get(MODEL_ENV_VAR) or DEFAULT_MODEL_PATH)
"""Model path at import time (COACH_POSE_MODEL if set); `resolve_model_path()` re-reads the env var."""

MODEL_SHA256 = "80aeb47eaf3a953647efa6e3b5d03489468e995d4910630c67d0280782465209"
"""sha256 of models/pose_landmarker_full.task."""

REBUILD_HINT = "rebuild it with `python scripts/build_pose_model.py`"


_LIVE: WeakSet[MediaPipeEstimator] = WeakSet()
"""Open estimators, closed at interpreter exit (mediapipe raises TypeError if freed during shutdown)."""

REVIEW_PEOPLE_CHECK_EVERY = 25
"""The file review counts people every this many frames (1 s at 25 fps), see `review_estimator`."""

PEOPLE_CHECK_MAX_SIDE_PX = 640
"""The people count runs on a copy subsampled to at most this long side, px (its detector sees 224 px)."""

SECOND_LOOK_EVERY = 12
"""Every this many frames (about 1 s at 12.5 fps), the estimator looks again for someone else with the people
already found covered up: MediaPipe's detector misses a second, smaller person next to a prominent one."""

COVER_PAD_FRACTION = 0.2
"""A found person's landmark box is widened by this fraction of its size on each side before it is covered."""


@atexit.register
def _close_all() -> None:
    for estimator in list(_LIVE):
        with contextlib.suppress(Exception):
            estimator.close()


_QUIET_LOCK = threading.RLock()
_QUIET_ACTIVE = False

QUIET_ENV_VAR = "COACH_MEDIAPIPE_LOGS"
"""Set to 1 to let MediaPipe's C++ log lines through to stderr (they are hidden by default)."""

WARMUP_CALLS = 3
"""Inference calls with a person found that stay quiet: MediaPipe logs on the first runs of each model."""


def _redirect_fd2() -> int | None:
    """Point fd 2 at /dev/null; return a duplicate of the old fd 2 (None if that is impossible)."""
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    try:
        saved = os.dup(2)
    except OSError:
        return None
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 2)
        finally:
            os.close(devnull)
    except OSError:
        os.close(saved)
        return None
    return saved


class _StderrProxy:
    """Stands in for `sys.stderr` while fd 2 is redirected: writes go to the saved real stderr.

    A thread may still hold a reference after the window closes; writes then go to the original
    stream again (never to a closed or reused descriptor).
    """

    def __init__(self, original: object, saved_fd: int) -> None:
        self._original = original
        self._saved_fd: int | None = saved_fd

    def write(self, text: str) -> int:
        with _QUIET_LOCK:
            if self._saved_fd is not None:
                os.write(self._saved_fd, text.encode("utf-8", "backslashreplace"))
                return len(text)
        return self._original.write(text)  # type: ignore[attr-defined]

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._original.flush()  # type: ignore[attr-defined]

    def detach_fd(self) -> None:
        """Called under the lock when the window closes."""
        self._saved_fd = None

    def __getattr__(self, name: str) -> object:
        return getattr(self._original, name)


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the block (MediaPipe's C++ INFO/WARNING/W0000 lines).

    GLOG_minloglevel does not silence them, so the descriptor itself is redirected and restored
    afterwards. Python-level writes (warnings, logging, progress bars, from any thread) keep reaching
    the real stderr through a `sys.stderr` proxy. Nested use is a no-op. COACH_MEDIAPIPE_LOGS=1: no-op.
    """
    global _QUIET_ACTIVE
    with _QUIET_LOCK:
        if _QUIET_ACTIVE or os.environ.get(QUIET_ENV_VAR) == "1":
            saved = None
        else:
            saved = _redirect_fd2()
            _QUIET_ACTIVE = saved is not None
    if saved is None:
        yield
        return
    old_stderr = sys.stderr
    proxy = _StderrProxy(old_stderr, saved)
    sys.stderr = proxy
    try:
        yield
    finally:
        with _QUIET_LOCK:
            proxy.detach_fd()
            if sys.stderr is proxy:
                sys.stderr = old_stderr
            os.dup2(saved, 2)
            os.close(saved)
            _QUIET_ACTIVE = False


OFFLINE_PROXY = "offline://no-network"
"""A proxy with a scheme the native HTTP client does not know: its requests fail before any name lookup."""

_PROXY_VARS = ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
_NO_PROXY_VARS = ("no_proxy", "NO_PROXY")


def block_native_network() -> None:
    """Keep MediaPipe's native usage logging offline (its library looks up play.googleapis.com).

    MediaPipe has no switch for it; its built-in HTTP client reads the proxy variables of this process when
    it sends, so they are pointed at a proxy it cannot use (and the no-proxy list is emptied): the request
    fails at once, with no DNS lookup and no connection (tests/ui/test_offline_syscalls.py checks this with
    strace). The coach makes no HTTP request of its own.
    """
    for name in _PROXY_VARS:
        os.environ[name] = OFFLINE_PROXY
    for name in _NO_PROXY_VARS:
        os.environ.pop(name, None)


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


def check_model(
    model_path: str | os.PathLike[str] | None = None, expected_sha256: str | None = MODEL_SHA256
) -> Path:
    """Return the model path if the file exists (and matches `expected_sha256`), else raise ModelError."""
    path = resolve_model_path(model_path)
    if not path.is_file():
        raise ModelError(f"pose model not found: expected it at '{path}'; {REBUILD_HINT}")
    if expected_sha256 is not None:
        actual = file_sha256(path)
        if actual != expected_sha256:
            raise ModelError(
                f"pose model '{path}' is damaged (sha256 {actual[:12]}…, expected {expected_sha256[:12]}…); "
                f"{REBUILD_HINT}"
            )
    return path


def prominence(landmarks_px: npt.NDArray[np.float64], width: int, height: int) -> float:
    """Landmark bounding-box area inside the image (px²) × mean visibility: how prominent a person is."""
    x = np.clip(landmarks_px[:, 0], 0, width)
    y = np.clip(landmarks_px[:, 1], 0, height)
    area = float((x.max() - x.min()) * (y.max() - y.min()))
    return area * float(np.nanmean(landmarks_px[:, 3]))


PERSON_LOST_RESET_S = 1.0
"""After the coached person was not found for this long (video time, s), the most prominent one is chosen anew."""

PERSON_MIN_IOU = 0.1
"""A candidate whose landmark box overlaps the coached person's last box by at least this IoU is that person."""

PERSON_MAX_SHIFT = 0.5
"""Else the nearest candidate whose box centre moved at most this share of the last box diagonal is that person."""


def landmark_box(landmarks_px: npt.NDArray[np.float64]) -> tuple[float, float, float, float]:
    """Bounding box (x0, y0, x1, y1) of the landmarks, px."""
    x, y = landmarks_px[:, 0], landmarks_px[:, 1]
    return float(np.nanmin(x)), float(np.nanmin(y)), float(np.nanmax(x)), float(np.nanmax(y))


def box_iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Intersection over union of two (x0, y0, x1, y1) boxes, 0–1."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


class PersonTracker:
    """Chooses which of the people found in a frame is coached, keeping the same person across frames.

    The most prominent person is chosen at the start, and again once the coached person was not found for
    PERSON_LOST_RESET_S; in between the candidate that continues the coached person's box (best IoU, else
    nearest centre) is chosen. When it is missing but another person is there, the frame has no coached
    person, unless that other person has been the only one in view for PERSON_LOST_RESET_S (a lone person
    after a camera cut or a fast move is still the coached person).
    """

    def __init__(self, reset_s: float = PERSON_LOST_RESET_S) -> None:
        self.reset_s = reset_s
        self._box: tuple[float, float, float, float] | None = None
        self._seen_s = -np.inf
        self._crowd_s = -np.inf

    def select(self, candidates: list[npt.NDArray[np.float64]], width: int, height: int,
               timestamp_s: float) -> int | None:
        """Index of the coached person among `candidates` ((33, 4) px landmark arrays), or None."""
        if len(candidates) > 1:
            self._crowd_s = timestamp_s
        if not candidates:
            return None
        boxes = [landmark_box(c) for c in candidates]
        pick: int | None = None
        if self._box is None or timestamp_s - self._seen_s >= self.reset_s:
            pick = max(range(len(candidates)), key=lambda i: prominence(candidates[i], width, height))
        else:
            pick = self._continuation(boxes)
            if pick is None and len(candidates) == 1 and timestamp_s - self._crowd_s >= self.reset_s:
                pick = 0
        if pick is not None:
            self._box, self._seen_s = boxes[pick], timestamp_s
        return pick

    def _continuation(self, boxes: list[tuple[float, float, float, float]]) -> int | None:
        """The candidate continuing the last box: best IoU ≥ PERSON_MIN_IOU, else nearest close centre."""
        last = self._box
        assert last is not None
        ious = [box_iou(last, b) for b in boxes]
        best = int(np.argmax(ious))
        if ious[best] >= PERSON_MIN_IOU:
            return best
        cx, cy = (last[0] + last[2]) / 2, (last[1] + last[3]) / 2
        dists = [float(np.hypot((b[0] + b[2]) / 2 - cx, (b[1] + b[3]) / 2 - cy)) for b in boxes]
        near = int(np.argmin(dists))
        diagonal = float(np.hypot(last[2] - last[0], last[3] - last[1]))
        return near if dists[near] <= PERSON_MAX_SHIFT * diagonal else None


@dataclasses.dataclass(frozen=True, slots=True)
class _Found:
    """One frame's MediaPipe result as arrays (made on a worker thread; the person is chosen later, in order).

    Attributes:
        timestamp_s: Frame time, s.
        width: Image width, px.
        height: Image height, px.
        light: Mean luma, 0–255.
        thumbnail: (16, 16) block-mean luma, 0–255 (camera cuts, `coach.cuts.thumbnail`).
        candidates: (33, 4) landmark arrays in px (x, y, z, visibility), one per person found.
        worlds: (33, 3) world landmark arrays, m, one per person (may be shorter than `candidates`).
        masks: float32 (height, width) segmentation masks, 0–1, one per person (empty without the mask).
        people_seen: People found by the sparse people count (0 when not counted).
        others_seen: People found by the latest second look beside those in `candidates` (0 or 1).
    """

    timestamp_s: float
    width: int
    height: int
    light: float
    thumbnail: npt.NDArray[np.uint8]
    candidates: list[npt.NDArray[np.float64]]
    worlds: list[npt.NDArray[np.float64]]
    masks: list[npt.NDArray[np.float32]]
    people_seen: int
    others_seen: int = 0


def cover_people(image_rgb: npt.NDArray[np.uint8], people: list[npt.NDArray[np.float64]],
                 pad_fraction: float = COVER_PAD_FRACTION) -> tuple[npt.NDArray[np.uint8], list[tuple[float, ...]]]:
    """A copy of the frame with each person's landmark box (px, widened by `pad_fraction` of its size on each
    side) painted in the frame's mean colour, and those boxes as (x0, y0, x1, y1) px."""
    out = image_rgb.copy()
    height, width = out.shape[:2]
    fill = image_rgb.reshape(-1, 3).mean(axis=0).astype(np.uint8)
    boxes: list[tuple[float, ...]] = []
    for landmarks in people:
        xs, ys = landmarks[:, 0], landmarks[:, 1]
        pad_x, pad_y = pad_fraction * (xs.max() - xs.min()), pad_fraction * (ys.max() - ys.min())
        box = (float(xs.min() - pad_x), float(ys.min() - pad_y), float(xs.max() + pad_x), float(ys.max() + pad_y))
        x0, y0 = max(0, int(box[0])), max(0, int(box[1]))
        x1, y1 = min(width, int(np.ceil(box[2]))), min(height, int(np.ceil(box[3])))
        if x1 > x0 and y1 > y0:
            out[y0:y1, x0:x1] = fill
        boxes.append(box)
    return out, boxes


class _FrameOrder:
    """Finishes submitted frames in submission order: choosing the coached person (`PersonTracker`) follows the
    frames in time."""

    def __init__(self) -> None:
        self.tracker = PersonTracker()
        self._finished = 0

    def take_turn(self, seq: int) -> None:
        """Check that frame `seq` is the next one to finish, and move on to the one after it."""
        if seq != self._finished:
            raise RuntimeError(f"pose results must be taken in submission order (got frame {seq}, "
                               f"expected {self._finished})")
        self._finished += 1

    def finish(self, seq: int, found: _Found) -> PoseFrame:
        """Choose the coached person among those found (frames must come in submission order)."""
        self.take_turn(seq)
        t, width, height, light = found.timestamp_s, found.width, found.height, found.light
        if not found.candidates:
            return PoseFrame.empty(t, width, height, light, found.thumbnail)
        people = max(len(found.candidates) + found.others_seen, found.people_seen)
        best = self.tracker.select(found.candidates, width, height, t)
        if best is None:  # the coached person is not among those found
            return dataclasses.replace(PoseFrame.empty(t, width, height, light, found.thumbnail), people=people)
        world = found.worlds[best] if best < len(found.worlds) else np.full((NUM_LANDMARKS, 3), np.nan)
        return PoseFrame(
            timestamp_s=t,
            width=width,
            height=height,
            detected=True,
            landmarks=found.candidates[best],
            world=world,
            mask=found.masks[best] if best < len(found.masks) else None,
            people=people,
            brightness=light,
            thumbnail=found.thumbnail,
        )


class MediaPipePending:
    """A frame handed to `MediaPipeEstimator.submit`; `result()` gives its PoseFrame
    (`coach.estimator.PendingPose`).

    Call `result()` in submission order: choosing the coached person (`PersonTracker`) follows the frames in
    time. It waits for the landmarker and re-raises its error.
    """

    def __init__(self, order: _FrameOrder, seq: int, future: Future[_Found]) -> None:
        self._order = order
        self._seq = seq
        self._future = future
        self._frame: PoseFrame | None = None

    def result(self) -> PoseFrame:
        """The pose frame (computed once)."""
        if self._frame is None:
            try:
                found = self._future.result()
            except BaseException:
                self._order.take_turn(self._seq)  # the frames after it keep their order
                raise
            self._frame = self._order.finish(self._seq, found)
        return self._frame


class _MaskBuffer:
    """Exposes a MediaPipe mask image's pixels to numpy without copying them, and keeps the image alive as long
    as an array made from it exists (`numpy_view()` alone does not: its array would outlive the C buffer)."""

    __slots__ = ("__array_interface__", "_image")

    def __init__(self, image: Any, view: npt.NDArray[np.float32], height: int, width: int) -> None:
        self._image = image
        self.__array_interface__ = {
            "data": (view.ctypes.data, True),  # read-only
            "shape": (height, width),
            "typestr": view.dtype.str,
            "strides": None if view.flags.c_contiguous else view.strides[:2],
            "version": 3,
        }


def _mask_array(image: Any, height: int, width: int) -> npt.NDArray[np.float32]:
    """A read-only float32 (height, width) array over a MediaPipe mask image, without copying its 3.7 MB (720p):
    0.37 ms a frame saved on the landmarker's own thread."""
    view = image.numpy_view()
    if view.dtype != np.float32 or view.size != height * width:
        return np.array(view, dtype=np.float32).reshape(height, width)
    return np.asarray(_MaskBuffer(image, view, height, width))


def _done(fn: Callable[..., object], *args: object) -> Future[Any]:
    """A Future that already holds `fn(*args)`, or the exception it raised."""
    future: Future[Any] = Future()
    try:
        future.set_result(fn(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


class MediaPipeEstimator:
    """MediaPipe Pose Landmarker (full) wrapper (`coach.estimator.PoseEstimator`); use as a context manager or
    call close().

    Args:
        mode: VIDEO (tracking; strictly increasing timestamps) or IMAGE (independent images).
        with_mask: Also return the person segmentation mask (float32, image size).
        num_poses: Maximum number of people to look for.
        model_path: Model bundle; default $COACH_POSE_MODEL or models/pose_landmarker_full.task.
        min_detection_confidence: Person detector threshold, 0–1.
        min_presence_confidence: Pose presence threshold, 0–1.
        min_tracking_confidence: Tracking threshold (VIDEO mode), 0–1.
        expected_sha256: Checksum the model must have (None: skip the check, e.g. for another model).
        people_check_every: With num_poses=1, count people every this many frames with a second
            landmarker (IMAGE mode, num_poses=2, no mask): tracking one person is much cheaper than
            running the person detector on every frame, which num_poses=2 makes MediaPipe do.
            0: no check (`people` is then at most num_poses).
        second_look_every: Every this many frames, when fewer than two people were found, look again with
            those found covered up (`cover_people`), with a landmarker of its own (IMAGE mode, one pose, no
            mask): a second, smaller person then counts in `people`. 0: no second look.
        workers: Landmarkers running side by side on frames given to `submit`, each on its own thread
            (MediaPipe runs one landmarker on one core): frame n goes to landmarker n % workers, so in VIDEO
            mode each one follows every workers-th frame. 1: one landmarker, `submit` computes at once.

    Raises:
        ModelError: the model is missing, damaged or cannot be loaded.
        ValueError: workers > 1 with a people count.
    """

    _landmarkers: list[object]
    _pools: list[ThreadPoolExecutor]
    _counter: Any
    _looker: Any

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
        people_check_every: int = 0,
        workers: int = 1,
        second_look_every: int = SECOND_LOOK_EVERY,
    ) -> None:
        self.mode = EstimatorMode(mode)
        self.with_mask = with_mask
        self.num_poses = int(num_poses)
        self.people_check_every = max(0, int(people_check_every))
        self.second_look_every = max(0, int(second_look_every))
        self.workers = max(1, int(workers))
        if self.workers > 1 and self.people_check_every:
            raise ValueError("several landmarkers cannot share the people count")
        self.model_path = check_model(model_path, expected_sha256)
        self._init_state()
        block_native_network()
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

        def image_landmarker(num_poses: int) -> Any:
            """An IMAGE-mode landmarker with no mask (the people count, the second look)."""
            return vision.PoseLandmarker.create_from_options(vision.PoseLandmarkerOptions(
                base_options=BaseOptions(model_asset_path=str(self.model_path)),
                running_mode=vision.RunningMode.IMAGE,
                num_poses=num_poses,
                min_pose_detection_confidence=min_detection_confidence,
                min_pose_presence_confidence=min_presence_confidence,
                output_segmentation_masks=False,
            ))

        try:
            with quiet_native_stderr():
                for _ in range(self.workers):
                    self._landmarkers.append(vision.PoseLandmarker.create_from_options(options))
                if self.people_check_every and self.num_poses < 2:
                    self._counter = image_landmarker(2)
                if self.second_look_every:
                    self._looker = image_landmarker(1)
            _LIVE.add(self)
        except Exception as exc:  # mediapipe raises RuntimeError/ValueError with long multi-line texts
            for landmarker in self._landmarkers:
                with contextlib.suppress(Exception):
                    landmarker.close()  # type: ignore[attr-defined]
            self._landmarkers = []
            first = " ".join(str(exc).split())[:200]
            raise ModelError(f"could not load pose model '{self.model_path}': {first}; {REBUILD_HINT}") from exc
        if self.workers > 1:
            self._pools = [ThreadPoolExecutor(1, thread_name_prefix=f"pose{i}") for i in range(self.workers)]

    def _init_state(self) -> None:
        """The landmarkers' bookkeeping before any is made."""
        self._landmarkers = []
        self._last_ms: list[int | None] = [None] * self.workers  # VIDEO mode: last timestamp, per landmarker
        self._warm = [0] * self.workers  # calls with a person found, per landmarker
        self._cold_lock = threading.Lock()  # one not-yet-quiet call at a time: fd 2 is process-wide
        self._pools = []  # one thread per landmarker (workers > 1)
        self._counter = None
        self._calls = 0
        self._submitted = 0
        self._raw_calls = 0
        self._people_seen = 0
        self._others_seen = 0
        self._looker = None  # the second look's landmarker, shared by the workers under _look_lock
        self._look_lock = threading.Lock()
        self._order = _FrameOrder()

    def __enter__(self) -> MediaPipeEstimator:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Release the landmarkers (idempotent; waits for frames still running). Needed: mediapipe errors if
        they are freed at exit."""
        pools, self._pools = self._pools, []
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        landmarkers, self._landmarkers = self._landmarkers, []
        counter, self._counter = self._counter, None
        looker, self._looker = self._looker, None
        _LIVE.discard(self)
        if not landmarkers and counter is None and looker is None:
            return
        with quiet_native_stderr():
            for landmarker in landmarkers:
                landmarker.close()  # type: ignore[attr-defined]
            for extra in (counter, looker):
                if extra is not None:
                    extra.close()

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """World landmarks always; the segmentation mask when `with_mask`."""
        return EstimatorCapabilities(segmentation_mask=self.with_mask, world_landmarks=True)

    @property
    def cache_key(self) -> str:
        """The options that change its output, as a string (`coach.pose_cache`)."""
        key = (f"mode={self.mode!s},with_mask={self.with_mask},num_poses={self.num_poses},"
               f"people_check_every={self.people_check_every},second_look_every={self.second_look_every}")
        return key if self.workers == 1 else f"{key},workers={self.workers}"

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return not self._landmarkers

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float,
                 thumb: npt.NDArray[np.uint8] | None = None) -> PoseFrame:
        """Find the pose in one RGB uint8 (H, W, 3) frame taken at `timestamp_s` seconds.

        In VIDEO mode equal or decreasing timestamps are bumped to 1 ms after the previous one
        (the returned PoseFrame keeps the given `timestamp_s`). `thumb`: the frame's thumbnail if already
        taken (`coach.cuts.thumbnail`, e.g. by the video reader), else it is taken here.
        """
        return self.submit(image_rgb, timestamp_s, thumb).result()

    def submit(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float,
               thumb: npt.NDArray[np.uint8] | None = None) -> MediaPipePending:
        """Start finding the pose in one frame (as `estimate`); with `workers` > 1 it runs on a worker thread
        while the caller goes on. The image must not change until the result is taken."""
        if self.closed:
            raise RuntimeError("the pose estimator is closed")
        if image_rgb.ndim != 3 or image_rgb.shape[2] != 3 or image_rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 (H, W, 3) image, got {image_rgb.dtype} {image_rgb.shape}")
        check = self._counter is not None and self._calls % self.people_check_every == 0
        look = self._looker is not None and self._calls % self.second_look_every == 0
        self._calls += 1
        seq, self._submitted = self._submitted, self._submitted + 1
        index = seq % self.workers
        args = (index, image_rgb, timestamp_s, check, thumb, look)
        if self._pools:
            return MediaPipePending(self._order, seq, self._pools[index].submit(self._find, *args))
        return MediaPipePending(self._order, seq, _done(self._find, *args))

    def submit_raw(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> Future[object]:
        """The bare landmarker call on one RGB frame (no people count, no conversion of the result), on a
        worker thread when `workers` > 1. For benchmarks: the cost of MediaPipe alone with these options."""
        if self.closed:
            raise RuntimeError("the pose estimator is closed")
        index, self._raw_calls = self._raw_calls % self.workers, self._raw_calls + 1
        if self._pools:
            return self._pools[index].submit(self._run, index, image_rgb, timestamp_s)
        return _done(self._run, index, image_rgb, timestamp_s)

    def _run(self, index: int, image_rgb: npt.NDArray[np.uint8], timestamp_s: float, check: bool = False) -> object:
        """One call of landmarker `index` (quiet while it is cold); with `check`, also count people."""
        mp_image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(image_rgb))
        if self._warm[index] >= WARMUP_CALLS:
            result = self._detect(index, mp_image, timestamp_s)
            if check:
                self._people_seen = self._count_people(image_rgb)
        else:  # MediaPipe logs on the first runs of each model
            with self._cold_lock, quiet_native_stderr():
                result = self._detect(index, mp_image, timestamp_s)
                if check:
                    self._people_seen = self._count_people(image_rgb)
            if result.pose_landmarks:  # type: ignore[attr-defined]
                self._warm[index] += 1
        return result

    def _find(self, index: int, image_rgb: npt.NDArray[np.uint8], timestamp_s: float, check: bool,
              thumb: npt.NDArray[np.uint8] | None = None, look: bool = False) -> _Found:
        """Call of landmarker `index` + conversion to arrays (no choice of person yet); with `look` and fewer
        than two people found, the second look too."""
        height, width = image_rgb.shape[:2]
        if thumb is None:
            thumb = thumbnail(image_rgb)
        light = brightness(thumb)
        result = self._run(index, image_rgb, timestamp_s, check)
        poses = result.pose_landmarks or []  # type: ignore[attr-defined]
        scale = np.array([width, height, width, 1.0])
        candidates = [
            np.array([(lm.x, lm.y, lm.z, lm.visibility or 0.0) for lm in pose], dtype=np.float64) * scale
            for pose in poses
        ]
        worlds = [np.array([[lm.x, lm.y, lm.z] for lm in world], dtype=np.float64)
                  for world in result.pose_world_landmarks or []]  # type: ignore[attr-defined]
        masks = [_mask_array(m, height, width)
                 for m in (result.segmentation_masks or [])] if self.with_mask else []  # type: ignore[attr-defined]
        if look and len(candidates) == 1 and self._warm[index] >= WARMUP_CALLS:
            self._others_seen = self._look_again(image_rgb, candidates)
        elif not candidates:
            self._others_seen = 0
        return _Found(timestamp_s, width, height, light, thumb, candidates, worlds, masks, self._people_seen,
                      self._others_seen)

    def _look_again(self, image_rgb: npt.NDArray[np.uint8], found: list[npt.NDArray[np.float64]]) -> int:
        """1 when the second-look landmarker finds someone outside the (covered) people `found`, else 0."""
        covered, boxes = cover_people(image_rgb, found)
        step = -(-max(covered.shape[:2]) // PEOPLE_CHECK_MAX_SIDE_PX)  # ceil division
        small = np.ascontiguousarray(covered[::step, ::step])
        mp_small = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=small)
        with self._look_lock:
            poses = self._looker.detect(mp_small).pose_landmarks or []
        height, width = small.shape[:2]
        for pose in poses:
            x = float(np.mean([lm.x for lm in pose])) * width * step
            y = float(np.mean([lm.y for lm in pose])) * height * step
            if not any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes):
                return 1
        return 0

    def _count_people(self, image_rgb: npt.NDArray[np.uint8]) -> int:
        """People found by the IMAGE-mode counter (num_poses=2) on a subsampled copy of the frame."""
        step = -(-max(image_rgb.shape[:2]) // PEOPLE_CHECK_MAX_SIDE_PX)  # ceil division
        small = np.ascontiguousarray(image_rgb[::step, ::step]) if step > 1 else image_rgb
        mp_small = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(small))
        return len(self._counter.detect(mp_small).pose_landmarks or [])

    def warm_up(self, width: int = 64, height: int = 64) -> None:
        """Run every landmarker once on a blank image, so lazy start-up costs are paid before timing.

        In VIDEO mode this uses timestamp 0: a first real frame at 0 s is then sent at 1 ms.
        """
        if self.closed:
            raise RuntimeError("the pose estimator is closed")
        blank = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=np.zeros((height, width, 3), np.uint8))
        with quiet_native_stderr():
            for index in range(len(self._landmarkers)):
                self._detect(index, blank, 0.0)
            if self._counter is not None:
                self._counter.detect(blank)

    def _detect(self, index: int, mp_image: object, timestamp_s: float) -> object:
        """One call of landmarker `index` (VIDEO: timestamps bumped to stay strictly increasing)."""
        landmarker = self._landmarkers[index]
        if self.mode is EstimatorMode.VIDEO:
            ts_ms = round(timestamp_s * 1000.0)
            last = self._last_ms[index]
            if last is not None and ts_ms <= last:
                ts_ms = last + 1
            self._last_ms[index] = ts_ms
            return landmarker.detect_for_video(mp_image, ts_ms)  # type: ignore[attr-defined]
        return landmarker.detect(mp_image)  # type: ignore[attr-defined]


REVIEW_POSE_WORKERS = 2
"""Landmarkers the file review runs side by side, one per core of the 2-core machine it is tuned on: analysed
frame n goes to landmarker n % 2 (VIDEO mode, num_poses=2), so each follows every other analysed frame.
With one person in view num_poses=2 makes MediaPipe run its person detector on every frame and keep the
detector's box, so those frames come out exactly as with one landmarker; the previous frame's box matters
only when the detector misses someone (it is then 2 analysed frames old instead of 1) or two people are
tracked."""

REVIEW_TRACK_ONE = False
"""False: the review runs MediaPipe with num_poses=2 (person detector on every frame). True would track one
person (num_poses=1, VIDEO mode: the landmark box comes from the previous frame's landmarks; ~12 ms/frame less
CPU at 720×1280) and count people every REVIEW_PEOPLE_CHECK_EVERY frames, but at 15 analysed frames/s the box
lags a moving body (landmarks up to 50 px median from the detector's on honza_bird_dog), and on the real
neutral deadlift bichraix_good014 the measured spinal flexion went from 7.3° to 31.8° (a false warning), so
it stays off."""


def review_estimator(with_mask: bool = True, track_one: bool | None = None) -> MediaPipeEstimator:
    """The estimator the file review (and `coach bench`) uses: VIDEO mode, num_poses=2 (the person detector
    on every frame), the mask (back silhouette), REVIEW_POSE_WORKERS landmarkers side by side.

    Args:
        with_mask: Return the segmentation mask.
        track_one: Track one person (VIDEO mode, num_poses=1, one landmarker) plus a sparse people count
            (default REVIEW_TRACK_ONE). Less CPU, but see REVIEW_TRACK_ONE for the accuracy question.
    """
    if REVIEW_TRACK_ONE if track_one is None else track_one:
        return MediaPipeEstimator(EstimatorMode.VIDEO, with_mask=with_mask, num_poses=1,
                                  people_check_every=REVIEW_PEOPLE_CHECK_EVERY)
    return MediaPipeEstimator(EstimatorMode.VIDEO, with_mask=with_mask, num_poses=2, workers=REVIEW_POSE_WORKERS)


def live_estimator() -> MediaPipeEstimator:
    """The estimator the live coach uses: VIDEO mode, one person tracked, the mask, one landmarker (a webcam
    frame must come back before the next one arrives)."""
    return MediaPipeEstimator(EstimatorMode.VIDEO, with_mask=True, num_poses=1)

