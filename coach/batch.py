"""Batch review: every video of a folder (or a list of files), one report each, a summary CSV at the end.

Each video is one task: it is reviewed whole by one process with its own landmarker (the landmarker tracks
across frames, so a video's frames stay together), its outputs are written atomically next to each other in
the output folder, and its JSON report, written last, carries a stamp (coach version, review options, the
video's size and modification time). A rerun skips every video whose JSON is there with the same stamp and
whose other asked-for outputs exist, so a batch stopped half way resumes where it was. A video that cannot be
reviewed becomes one summary row with its error; the batch goes on.

Tasks run in this process (`jobs=1`), in a pool of local processes (`jobs>1`) or on Ray (`ray_address`; Ray
is an optional extra, imported only then). No module here imports mediapipe: the pose model is made in the
task by a picklable estimator factory (`LandmarkerFactory`, or a test double).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from enum import StrEnum
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from coach.estimator import PoseEstimator
from coach.exercises import spec_of
from coach.labels import notice_words
from coach.types import Exercise, NoticeKind

T = TypeVar("T")
R = TypeVar("R")

VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm", ".gif", ".m4v"})
"""File endings a folder's videos have (case ignored); other files in the folder are left alone."""

SUMMARY_NAME = "summary.csv"
"""The summary file in the output folder."""

SUMMARY_COLUMNS = ("file", "exercise", "reps", "sets", "warnings", "notices", "error")
"""The summary's column headings: complete reps, sets, form warnings on complete reps, what could not be
judged (each notice in the words of `coach.labels`), and why a video could not be reviewed."""

STAMP_KEY = "batch_stamp"
"""The JSON report's key holding the stamp a rerun compares (added to schema 1: keys are only ever added)."""

RECOGNISE_FIRST = Exercise.SQUAT
"""The exercise a video is first reviewed as when none is given and its name names none."""


class Output(StrEnum):
    """What is written per video besides the JSON report."""

    CSV = "csv"
    PDF = "pdf"
    ANNOTATED = "annotated"


OUTPUT_SUFFIX = {Output.CSV: ".csv", Output.PDF: ".pdf", Output.ANNOTATED: ".annotated.mp4"}
OUTPUT_WORDS: dict[Output | None, str] = {None: "JSON report", Output.CSV: "CSV report", Output.PDF: "PDF report",
                                          Output.ANNOTATED: "annotated copy"}
"""What each output is called in a message (None: the JSON report)."""


@dataclass(frozen=True, slots=True)
class LandmarkerFactory:
    """Makes the review's MediaPipe estimator with `landmarkers` landmarkers side by side (picklable, so a
    process pool or a Ray worker makes its own; mediapipe is imported only when called)."""

    landmarkers: int = 1

    def __call__(self) -> PoseEstimator:
        from coach.pose import EstimatorMode, MediaPipeEstimator

        return MediaPipeEstimator(EstimatorMode.VIDEO, with_mask=True, num_poses=2, workers=self.landmarkers)


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """How every video of a batch is reviewed.

    Attributes:
        out_dir: Where reports go (`NAME.json`, and `NAME.csv`, `NAME.pdf`, `NAME.annotated.mp4` if asked).
        exercise: The exercise of every video; None: recognised per video.
        strictness: Threshold preset name (gentle, standard, strict).
        outputs: Outputs besides the JSON.
        estimator_factory: Makes each video's pose estimator (picklable for jobs > 1 or Ray).
    """

    out_dir: Path
    exercise: Exercise | None = None
    strictness: str = "standard"
    outputs: frozenset[Output] = frozenset()
    estimator_factory: Callable[[], PoseEstimator] = field(default_factory=LandmarkerFactory)

    def option_text(self) -> str:
        """The options that change a report, as text for the stamp."""
        return f"exercise={self.exercise.value if self.exercise else 'recognised'},strictness={self.strictness}"


@dataclass(frozen=True, slots=True)
class VideoTask:
    """One video to review: its path, its name in the summary, the name its outputs take, its stamp and its
    duration (s; 0 if unknown)."""

    video: Path
    file: str
    name: str
    stamp: dict[str, Any]
    duration_s: float = 0.0


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of the summary: the counts of a reviewed video, or the error of one that could not be."""

    file: str
    exercise: Exercise | None = None
    reps: int = 0
    sets: int = 0
    warnings: int = 0
    notices: tuple[str, ...] = ()
    error: str = ""
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """True when the video was reviewed (now or before)."""
        return not self.error

    def cells(self) -> list[str]:
        """The row's cells, in SUMMARY_COLUMNS order, in plain words (empty, never 'None', when not known)."""
        if not self.ok:
            return [self.file, "", "", "", "", "", self.error]
        name = spec_of(self.exercise).name if self.exercise else ""  # the registry's words
        return [self.file, name, str(self.reps), str(self.sets), str(self.warnings), "; ".join(self.notices), ""]

    def line(self) -> str:
        """The row as one line for the terminal."""
        if not self.ok:
            return f"{self.file}: could not be reviewed: {self.error}"
        name = spec_of(self.exercise).name if self.exercise else ""  # the registry's words
        done = " (already reviewed)" if self.skipped else ""
        return (f"{self.file}: {name}, {self.reps} reps in {self.sets} sets, {self.warnings} "
                f"warning{'' if self.warnings == 1 else 's'}{done}")


def row_from_report(file: str, doc: dict[str, Any], skipped: bool = False) -> SummaryRow:
    """The summary row of a JSON report (`Report.to_dict()`): one reading for fresh and earlier reports."""
    complete = [r for r in doc["reps"] if r["complete"]]
    return SummaryRow(file, Exercise(doc["exercise"]), len(complete), len(doc["sets"]),
                      sum(len(r["warnings"]) for r in complete),
                      tuple(notice_words(NoticeKind(n["kind"])) for n in doc["notices"]),
                      skipped=skipped)


def summary_csv(rows: Iterable[SummaryRow]) -> str:
    """The summary as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(SUMMARY_COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    return buf.getvalue()


# --- what to review ---------------------------------------------------------------------------------
def find_videos(inputs: Sequence[str | os.PathLike[str]], out_dir: Path) -> list[tuple[Path, str]]:
    """(video, name) for every input: a file by its file name, a folder's videos by their path inside it
    (sub-folders included; hidden files, the output folder and annotated copies left out), sorted by name;
    each file once."""
    out = out_dir.resolve()
    found: list[tuple[Path, str]] = []
    for given in inputs:
        root = Path(given)
        if not root.is_dir():
            found.append((root, root.name or str(given)))
            continue
        top = root.resolve()
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if any(part.startswith(".") for part in rel.parts) or path.suffix.lower() not in VIDEO_SUFFIXES:
                continue
            if path.name.endswith(OUTPUT_SUFFIX[Output.ANNOTATED]) or (out != top and out in path.resolve().parents):
                continue
            if path.is_file():
                found.append((path, rel.as_posix()))
    return _once_each(found)


def _once_each(found: list[tuple[Path, str]]) -> list[tuple[Path, str]]:
    """`found` without a file seen before (given by name and again inside a folder, or through a link)."""
    from coach.outputs import file_identity

    seen: set[object] = set()
    kept = []
    for video, shown in found:
        key = file_identity(video)
        if key not in seen:
            seen.add(key)
            kept.append((video, shown))
    return kept


NAME_CHARS = 255 - len(OUTPUT_SUFFIX[Output.ANNOTATED]) - 4
"""The longest output name a video gets (a file name has at most 255 characters: room for the longest ending
and a "-NN" that tells two names apart)."""


def _fitting(name: str) -> str:
    """`name` with its last part cut to NAME_CHARS characters."""
    folder, _, last = name.rpartition("/")
    return f"{folder}/{last[:NAME_CHARS]}" if folder else last[:NAME_CHARS]


def output_names(shown: Sequence[str]) -> list[str]:
    """The name (without suffix) each video's outputs take: its path without the suffix, or with it when two
    videos would share one ("a.mp4" and "a.mov" give "a.mp4" and "a.mov") or it is the summary's, its last
    part at most NAME_CHARS long; a name still taken (two files "x.mp4" from two folders) gets "-2", "-3"."""
    bare = [str(Path(s).with_suffix("")) if Path(s).suffix else s for s in shown]
    reserved = Path(SUMMARY_NAME).stem  # "summary.mp4" with --csv must not write over summary.csv
    names = [_fitting(s if bare.count(b) > 1 or b == reserved else b) for s, b in zip(shown, bare, strict=True)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def stamp_of(video: Path, options: BatchOptions) -> dict[str, Any]:
    """What makes a report current: the coach's version, the options, the video's size and modification time."""
    from coach import __version__

    try:
        st = video.stat()
        size, mtime_ns = st.st_size, st.st_mtime_ns
    except OSError:
        size, mtime_ns = -1, -1
    return {"coach_version": __version__, "options": options.option_text(), "size": size, "mtime_ns": mtime_ns}


def output_paths(options: BatchOptions, name: str) -> dict[Output | None, Path]:
    """Where a video's outputs go (None: the JSON report)."""
    paths: dict[Output | None, Path] = {None: options.out_dir / f"{name}.json"}
    for kind in options.outputs:
        paths[kind] = options.out_dir / f"{name}{OUTPUT_SUFFIX[kind]}"
    return paths


def earlier_row(task: VideoTask, options: BatchOptions) -> SummaryRow | None:
    """The summary row of the video's earlier report when it is current (same stamp, every output there)."""
    paths = output_paths(options, task.name)
    if not all(p.is_file() for p in paths.values()):
        return None
    try:
        doc = json.loads(paths[None].read_text(encoding="utf-8"))
        if doc.get(STAMP_KEY) != task.stamp:
            return None
        return row_from_report(task.file, doc, skipped=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- one video --------------------------------------------------------------------------------------
def error_text(exc: BaseException) -> str:
    """The one line the CLI would print for this error (without 'coach: ')."""
    from coach.cli import expected_error, one_line_error

    expected = expected_error(exc)
    return expected[0] if expected is not None else one_line_error(exc)


def review_video(task: VideoTask, options: BatchOptions) -> SummaryRow:
    """Review one video and write its outputs (JSON last, with the stamp); any failure is the row's error."""
    try:
        return _review_video(task, options)
    except Exception as exc:  # one bad file is a row, never the end of the batch
        return SummaryRow(task.file, error=error_text(exc))


def _review_video(task: VideoTask, options: BatchOptions) -> SummaryRow:
    from coach.outputs import check_outputs, write_bytes, write_text
    from coach.pipeline import review
    from coach.pose_cache import PoseRecorder
    from coach.report import Report, to_csv
    from coach.suggest import guess_exercise, suggest_exercise
    from coach.thresholds import preset

    paths = output_paths(options, task.name)
    check_outputs([task.video], [(f"the {OUTPUT_WORDS[k]}", p) for k, p in paths.items()])
    thresholds = preset(options.strictness)
    annotated = paths.get(Output.ANNOTATED)
    first = options.exercise or guess_exercise(task.video.name) or RECOGNISE_FIRST
    recorder = PoseRecorder() if options.exercise is None else None
    made: list[PoseEstimator] = []

    def factory() -> PoseEstimator:
        made.append(options.estimator_factory())
        return made[-1]

    report: Report = review(task.video, first, thresholds=thresholds, annotated=annotated, estimator_factory=factory,
                            on_pose=recorder.append if recorder is not None else None)
    if recorder is not None:
        hint = suggest_exercise(report, recorder.poses(), thresholds)
        if hint is not None:  # recognised as another exercise: replay the same poses (no second pose pass)
            if annotated is not None:  # the overlay depends on the exercise: draw it again
                report = review(task.video, hint.exercise, thresholds=thresholds, annotated=annotated,
                                estimator_factory=options.estimator_factory)
            else:
                report = review(task.video, hint.exercise, thresholds=thresholds,
                                recorded=recorder.replay(report.truncated, made[0].capabilities))
    if Output.CSV in paths:
        write_text(paths[Output.CSV], to_csv(report))
    if Output.PDF in paths:
        from coach.pdf import report_pdf

        write_bytes(paths[Output.PDF], report_pdf(report, title=f"Review of {task.file}", thresholds=thresholds))
    doc = report.to_dict()
    doc[STAMP_KEY] = task.stamp
    write_text(paths[None], json.dumps(doc, indent=2, allow_nan=False))
    return row_from_report(task.file, doc)


# --- where tasks run --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Executor:
    """Where a batch's tasks run: `jobs` local processes (1: this process), or Ray when `ray` is set.

    Attributes:
        jobs: Videos reviewed at once on this machine.
        ray: Use Ray (then `ray_address`: None starts a local Ray for this command; "auto" or
            "ray://HOST:10001" joins a running cluster).
        ray_address: The cluster to join.
    """

    jobs: int = 1
    ray: bool = False
    ray_address: str | None = None

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """(index, fn(item)) for every item, as each finishes (fn and items picklable unless jobs == 1)."""
        if self.ray:
            return _ray_map(fn, items, self.ray_address)
        if self.jobs <= 1 or len(items) <= 1:
            return ((i, fn(item)) for i, item in enumerate(items))
        return _pool_map(fn, items, self.jobs)

    def landmarkers(self, cores: int | None = None) -> int:
        """Landmarkers per video that fit the cores: one per core shared among the videos running at once."""
        if self.ray or self.jobs > 1:
            return 1
        return max(1, min(2, cores or os.cpu_count() or 1))


def default_jobs(cores: int | None = None) -> int:
    """Videos at once by default: one per two cores (each video runs two landmarkers side by side)."""
    return max(1, (cores or os.cpu_count() or 1) // 2)


WORKER_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that stop a pool worker the way they stop the CLI: unwinding, so its temporary outputs are removed."""


class WorkerStopped(BaseException):
    """A pool worker got SIGTERM or SIGHUP (the batch was stopped): the video in hand is given up."""


_STOPPED: list[int] = []
"""The signal that stopped this pool worker, once one has: it takes no further video."""


def _worker_stopped(signum: int, frame: object) -> None:
    _STOPPED.append(signum)
    raise WorkerStopped(signum)


def _worker_start() -> None:
    """Pool worker set-up: SIGTERM and SIGHUP unwind the video in hand (never a half-written output)."""
    for sig in WORKER_STOP_SIGNALS:
        signal.signal(sig, _worker_stopped)


def _pool_map(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[tuple[int, R]]:
    # spawn, not fork: a forked child of a process with running pose threads can hang.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_worker_start) as pool:
        pending: dict[Future[R], int] = {pool.submit(fn, item): i for i, item in enumerate(items)}
        finished = False
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield pending.pop(fut), fut.result()
            finished = True
        finally:
            for fut in pending:
                fut.cancel()
            if not finished:  # stopped (a signal, Ctrl-C, an error): the workers stop too, not after their video
                _stop_workers(pool)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Ask every worker of `pool` to stop (SIGTERM: each unwinds and removes its temporary outputs)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # the pool names no public list
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if proc.is_alive():
                proc.terminate()


RAY_QUIET_ENV = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_USAGE_STATS": "1"}
"""Set before Ray starts: no usage statistics leave the machine."""


def _ray_map(fn: Callable[[T], R], items: Sequence[T], address: str | None) -> Iterator[tuple[int, R]]:
    for key, value in RAY_QUIET_ENV.items():
        os.environ.setdefault(key, value)
    import ray  # the optional 'cluster' extra (the CLI checks it is installed)

    started = not ray.is_initialized()
    if started:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                 configure_logging=True)
    try:
        remote: Any = ray.remote(num_cpus=1, max_retries=0)(_apply)
        fn_ref = ray.put(fn)
        refs = {remote.remote(fn_ref, item): i for i, item in enumerate(items)}
        while refs:
            done, _ = ray.wait(list(refs), num_returns=1)
            for ref in done:
                yield refs.pop(ref), ray.get(ref)
    finally:
        if started:
            ray.shutdown()


def _apply(fn: Callable[[T], R], item: T) -> R:
    """fn(item) (a Ray task: Ray takes functions, not callable objects)."""
    return fn(item)


# --- the batch --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Bound:
    """review_video with its options bound (picklable, unlike a lambda)."""

    options: BatchOptions

    def __call__(self, task: VideoTask) -> SummaryRow:
        if _STOPPED:  # a stopped worker still gets the videos queued for it: it reviews none of them
            raise WorkerStopped(_STOPPED[0])
        return review_video(task, self.options)


def plan(inputs: Sequence[str | os.PathLike[str]], options: BatchOptions) -> list[VideoTask]:
    """The batch's videos, with their output names, stamps and durations."""
    from coach.video import probe

    found = find_videos(inputs, options.out_dir)
    tasks = []
    for (video, shown), name in zip(found, output_names([s for _, s in found]), strict=True):
        try:
            duration_s = probe(video).duration_s
        except Exception:  # the review says what is wrong with it
            duration_s = 0.0
        tasks.append(VideoTask(video, shown, name, stamp_of(video, options), duration_s))
    check_batch_outputs(tasks, options)
    return tasks


def check_batch_outputs(tasks: Sequence[VideoTask], options: BatchOptions) -> None:
    """Raise OutputError (before anything is written) when an output of one video is another video of the batch
    ("x.annotated.mp4" given with "x.mp4" and --annotated into their folder) or another output."""
    from coach.outputs import check_outputs

    outputs = [(f"the {OUTPUT_WORDS[kind]} of '{task.file}',", path)
               for task in tasks for kind, path in output_paths(options, task.name).items()]
    check_outputs([task.video for task in tasks], outputs, advice="choose another --out-dir")


INTERRUPTED = "not reviewed: the batch was stopped before this video"


def run_batch(tasks: Sequence[VideoTask], options: BatchOptions, executor: Executor,
              on_row: Callable[[SummaryRow, VideoTask], None] | None = None) -> list[SummaryRow]:
    """Review every task not already current, and write the summary (also when stopped: Ctrl-C leaves
    every finished report and a summary saying which videos were not reviewed). Rows in task order."""
    from coach.outputs import write_text

    rows: list[SummaryRow | None] = [None] * len(tasks)
    todo: list[int] = []
    for i, task in enumerate(tasks):
        earlier = earlier_row(task, options)
        if earlier is None:
            todo.append(i)
            continue
        rows[i] = earlier
        if on_row is not None:
            on_row(earlier, task)
    try:
        for j, row in executor.map(_Bound(options), [tasks[i] for i in todo]):
            rows[todo[j]] = row
            if on_row is not None:
                on_row(row, tasks[todo[j]])
    finally:
        final = [row or SummaryRow(task.file, error=INTERRUPTED) for row, task in zip(rows, tasks, strict=True)]
        write_text(options.out_dir / SUMMARY_NAME, summary_csv(final))
    return final


class BatchProgress:
    """A one-line progress bar over a batch on stderr: videos and video-minutes done, and time left."""

    def __init__(self, tasks: Sequence[VideoTask], enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.total_n, self.total_s = len(tasks), sum(t.duration_s for t in tasks)
        self.enabled, self.clock = enabled, clock
        self.done_n, self.done_s, self.reviewed_s = 0, 0.0, 0.0
        self.start = clock()

    def update(self, row: SummaryRow, task: VideoTask) -> None:
        """Count one finished video (skipped ones do not count toward the speed)."""
        self.done_n += 1
        self.done_s += task.duration_s
        if not row.skipped:
            self.reviewed_s += task.duration_s
        if self.enabled:
            end = "\n" if self.done_n == self.total_n else ""
            print(f"\r{self.text()}", end=end, file=sys.stderr, flush=True)

    def text(self) -> str:
        """'[####------] 3/12 videos, 4.2/15.0 video-min, about 6 min left'."""
        share = self.done_n / self.total_n if self.total_n else 1.0
        bar = "#" * round(share * 20) + "-" * (20 - round(share * 20))
        left = ""
        elapsed = self.clock() - self.start
        if self.reviewed_s > 0 and self.done_n < self.total_n:
            rate = self.reviewed_s / max(elapsed, 1e-6)
            left = f", about {max(1, round((self.total_s - self.done_s) / rate / 60))} min left"
        return (f"[{bar}] {self.done_n}/{self.total_n} videos, {self.done_s / 60:.1f}/{self.total_s / 60:.1f} "
                f"video-min{left}")


def with_landmarkers(options: BatchOptions, executor: Executor) -> BatchOptions:
    """The options with the default estimator sized to the executor (a given factory is kept)."""
    if isinstance(options.estimator_factory, LandmarkerFactory):
        return replace(options, estimator_factory=LandmarkerFactory(executor.landmarkers()))
    return options
