"""File review: video in → pose → features → analyzer → sets → report (and an annotated video)."""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol, TypeVar

from coach.annotate import Annotator
from coach.calibration import Neutral
from coach.estimator import FULL_CAPABILITIES, EstimatorCapabilities, PendingPose, PoseEstimator
from coach.report import Report
from coach.session import SessionAnalyzer
from coach.thresholds import OSTEOPOROSIS_TARGET, SetTarget, Thresholds
from coach.types import Exercise, FunctionalSetup, Notice, NoticeKind, PoseFrame
from coach.video import TIMESTAMP_SLACK_S, VideoFrame, VideoInfo, VideoReader, VideoWriter, probe

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

ProgressFn = Callable[[float], None]
"""Called with the share done, 0–1."""

MAX_SIDE_PX = 1280
"""Frames larger than this on their long side are scaled down before pose estimation (4K clips)."""

ANALYSIS_MAX_FPS: float | None = 15.0
"""The file review estimates pose on at most this many frames per second of video time, fps (None: every
frame). A frame closer than 1/ANALYSIS_MAX_FPS s to the last analysed one is skipped (the annotated copy
repeats the last result on it): pose estimation (~34 ms/frame with the mask and 2 poses) is the cost, so 15
halves it for 25–30 fps footage. The analyzers' windows are in seconds and the counter dates a phase from
when the signal crossed its threshold, so counts on the shared clips are the same at 15 and 30 (86 % exact
either way; at 15 the spinal-flexion recall was 5/6 with 3/41 false alarms, at 30 4/6 and 1/41)."""


@dataclass(frozen=True, slots=True)
class RecordedPoses:
    """Pose frames estimated earlier from the same video (e.g. the `coach eval` cache), replayed by
    `review()` instead of decoding and estimating again. `truncated`/`error_message` repeat the reader's;
    `capabilities` are those of the estimator that made them."""

    frames: Sequence[PoseFrame]
    truncated: bool = False
    error_message: str | None = None
    capabilities: EstimatorCapabilities = FULL_CAPABILITIES
    lost_s: float = 0.0


def review(
    path: str | os.PathLike[str],
    exercise: Exercise | str,
    *,
    thresholds: Thresholds | None = None,
    target: SetTarget = OSTEOPOROSIS_TARGET,
    neutral: Neutral | None = None,
    annotated: str | os.PathLike[str] | None = None,
    progress: ProgressFn | None = None,
    estimator_factory: Callable[[], PoseEstimator] | None = None,
    recorded: RecordedPoses | None = None,
    analysis_max_fps: float | None = None,
    on_pose: Callable[[PoseFrame], None] | None = None,
    setup: FunctionalSetup | None = None,
) -> Report:
    """Review a video file and return its report.

    With `recorded`, its pose frames are analysed instead of decoding the video (no annotated copy).
    `setup` tells the functional tests the person's age, sex and height, "Go" and a hold's target.
    `on_pose` is called with every analysed pose frame, in order (e.g. `coach.suggest.PoseLog.append`).
    `analysis_max_fps` caps the frames whose pose is estimated, per second of video time (None: the module's
    ANALYSIS_MAX_FPS, read at call time; 0: every frame).

    Raises:
        coach.video.VideoError: the file cannot be read as a video.
        coach.pose.ModelError: the pose model is missing or damaged.
        coach.exercises.NotAnalyzedYet: the exercise has no analyzer.
    """
    info = probe(path)
    session = SessionAnalyzer(exercise, thresholds, target, neutral, setup=setup)
    duration = max(info.duration_s, 1e-6)
    if recorded is not None:
        if annotated:
            raise ValueError("an annotated copy needs the video frames, not recorded poses")
        session.declare_capabilities(recorded.capabilities)
        for pose in recorded.frames:
            session.push(pose)
            if on_pose is not None:
                on_pose(pose)
            if progress is not None:
                progress(min(1.0, pose.timestamp_s / duration))
        truncated, error_message, lost_s = recorded.truncated, recorded.error_message, recorded.lost_s
    else:
        truncated, error_message, lost_s = _estimate(path, info, session, annotated, progress, estimator_factory,
                                             analysis_max_fps, on_pose)
    result = session.finish()
    notes: list[Notice] = []
    if lost_s > 0:
        notes.append(Notice(NoticeKind.DAMAGED, f"About {seconds_text(lost_s)} of the video could not be read "
                                                f"(damaged data was skipped); the rest was reviewed."))
    if truncated:
        notes.append(Notice(NoticeKind.TRUNCATED, f"The file is cut short or damaged: reviewed what could be "
                                                  f"decoded. {error_message or ''}".strip()))
    if notes:
        result = type(result)(result.analysis, result.sets, (*result.notices, *notes), result.frames_total,
                              result.frames_with_person, result.series)
    if progress is not None:
        progress(1.0)
    return Report(video=info, exercise=session.exercise, session=result, truncated=truncated)


def _estimate(
    path: str | os.PathLike[str],
    info: VideoInfo,
    session: SessionAnalyzer,
    annotated: str | os.PathLike[str] | None,
    progress: ProgressFn | None,
    estimator_factory: Callable[[], PoseEstimator] | None,
    analysis_max_fps: float | None = None,
    on_pose: Callable[[PoseFrame], None] | None = None,
) -> tuple[bool, str | None, float]:
    """Decode the video, estimate poses and feed the session; returns (truncated, reader error, time lost to
    damaged data, s).

    Only frames at least 1/`analysis_max_fps` s after the last analysed one are estimated and analysed."""
    if estimator_factory is None:
        from coach.pose import review_estimator  # the review's pose options (see coach.bench)

        estimator_factory = review_estimator
    duration = max(info.duration_s, 1e-6)
    writer: VideoWriter | None = None
    annotator = Annotator(session.exercise) if annotated else None
    if analysis_max_fps is None:
        analysis_max_fps = ANALYSIS_MAX_FPS
    period_s = 1.0 / analysis_max_fps if analysis_max_fps else 0.0
    # Without an annotated copy, skipped frames need not even be converted to RGB (the reader's own thread).
    reader = VideoReader(path, max_side_px=MAX_SIDE_PX, min_interval_s=0.0 if annotated else period_s,
                         thumbnails=True)
    last: list[object] = [None, None]  # the last analysed frame's features and result (worker thread only)

    def analyse(vf: VideoFrame, pose: PoseFrame, fresh: bool) -> None:
        nonlocal writer
        if fresh:
            last[:] = session.push(pose)
            if on_pose is not None:
                on_pose(pose)
        features, result = last
        if annotator is not None:
            if writer is None:
                h, w = vf.image.shape[:2]
                writer = VideoWriter(annotated, info.fps or 30.0, w, h)  # type: ignore[arg-type]
            writer.write(annotator.draw(vf.image, pose, features, result), vf.timestamp_s)  # type: ignore[arg-type]
        if progress is not None:
            progress(min(1.0, vf.timestamp_s / duration))

    try:
        # Frame i is analysed on a worker thread while the pose model (which releases the GIL) runs on the
        # next ones: features, analyzer and overlay then cost almost no wall time on a 2-core machine. The
        # estimator gets up to `workers` frames ahead, which its landmarkers estimate side by side; results are
        # taken, and analysed, in frame order.
        with reader, estimator_factory() as estimator, InOrderWorker() as worker:
            session.declare_capabilities(estimator.capabilities)
            due = DueFrames(period_s)
            pose: PoseFrame | None = None

            def start(vf: VideoFrame) -> PendingPose | Skip | None:
                if due.take(vf.timestamp_s):
                    return estimator.submit(vf.image, vf.timestamp_s, vf.thumbnail)
                return None if annotator is not None else SKIP  # drawn with the last analysed frame's result

            def done(vf: VideoFrame, result: PoseFrame | None) -> None:
                nonlocal pose
                if result is not None:
                    pose = result
                worker.submit(analyse, vf, pose, result is not None)

            look_ahead(reader, start, estimator.workers, done)
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return reader.truncated, reader.error_message, reader.lost_s


def seconds_text(seconds: float) -> str:
    """A duration as people say it: '0.3 s', '4 s' (at least 0.1 s)."""
    return f"{max(seconds, 0.1):.1f} s" if seconds < 10 else f"{seconds:.0f} s"


class Skip(Enum):
    """`look_ahead`'s start() result for an item that is dropped (neither estimated nor kept)."""

    SKIP = "skip"


SKIP = Skip.SKIP


class _Handle(Protocol[R_co]):
    """Work under way (`coach.estimator.PendingPose`, a Future)."""

    def result(self) -> R_co: ...


def look_ahead(items: Iterable[T], start: Callable[[T], _Handle[R] | Skip | None], ahead: int,
               done: Callable[[T, R | None], None]) -> None:
    """Start work on each item as it comes and finish the items in order, keeping at most `ahead` started
    items unfinished (the pose model runs on the next frames while an earlier one is analysed).

    `start(item)` returns its work under way, None for an item kept in order with no work (`done` gets None),
    or SKIP to drop it; `done(item, result)` is called in item order."""
    pending: deque[tuple[T, _Handle[R] | None]] = deque()
    in_flight = 0
    limit = max(1, ahead)
    for item in items:
        handle = start(item)
        if handle is SKIP:
            continue
        pending.append((item, handle))
        in_flight += handle is not None
        while pending and (in_flight > limit or pending[0][1] is None):
            first, work = pending.popleft()
            in_flight -= work is not None
            done(first, None if work is None else work.result())
    while pending:
        first, work = pending.popleft()
        done(first, None if work is None else work.result())


class DueFrames:
    """Which frames to analyse: one at least `period_s` s of video time after the last one analysed."""

    def __init__(self, period_s: float) -> None:
        self.period_s = period_s
        self._last_s = -float("inf")

    def take(self, timestamp_s: float) -> bool:
        """Whether the frame at `timestamp_s` is due (it then becomes the last analysed one)."""
        if timestamp_s - self._last_s >= self.period_s - TIMESTAMP_SLACK_S:
            self._last_s = timestamp_s
            return True
        return False


class InOrderWorker:
    """Run submitted calls one at a time, in order, on one background thread (a context manager).

    At most `depth` calls wait; `submit` blocks beyond that (memory stays bounded). The first exception
    raised by a call is re-raised in the submitting thread (by the next `submit` or on exit), and no
    further calls run after it.
    """

    def __init__(self, depth: int = 2) -> None:
        self._queue: queue.Queue[tuple[Callable[..., object], tuple[object, ...]] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="review-analysis", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                fn, args = item
                try:
                    fn(*args)
                except BaseException as exc:
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, fn: Callable[..., object], *args: object) -> None:
        """Queue `fn(*args)`; raises the error of an earlier call, if any."""
        self._raise()
        self._queue.put((fn, args))

    def __enter__(self) -> InOrderWorker:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self._queue.put(None)
        self._thread.join()
        if exc_type is None:
            self._raise()


def default_annotated_path(path: str | os.PathLike[str]) -> Path:
    """Where the annotated copy of a video goes by default."""
    p = Path(path)
    return p.with_name(f"{p.stem}.annotated.mp4")
