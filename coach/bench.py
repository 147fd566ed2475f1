"""Throughput benchmark of the file review and of a live (paced) source.

One `run_bench()` times, over the same frames of one video:

* bare: decoding + the landmarker alone (`coach.pose.review_estimator`: the options, and the landmarkers
  side by side, that the review uses) — the physical limit of the pipeline;
* full: the whole `coach.pipeline.review()` (decoding, pose with mask, people count, features and
  silhouette, analyzer, sets, report);
* annotated: the review again with the annotated copy written (timed separately).

Model start-up is outside every timed span. `run_live()` replays the video as a 30 fps camera
(each frame released at its due time; the consumer always takes the latest frame, older ones are
dropped) and measures processed frames/s, drops and the latency from a frame's due time to its result.
"""

from __future__ import annotations

import math
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from coach.estimator import EstimatorCapabilities, PendingPose, PoseEstimator
from coach.jsonable import nan_to_none
from coach.types import Exercise, PoseFrame

if TYPE_CHECKING:
    from coach.pose import MediaPipeEstimator

LIVE_FPS = 30.0
"""Frame rate of the simulated camera in live mode, frames/s."""


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB.

    On Linux it is /proc/self/status VmHWM, which starts again at exec: getrusage's ru_maxrss keeps the
    forking parent's peak, so a small command started from a large one would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # macOS: bytes; elsewhere KiB
    return kib / 1024.0 if sys.platform != "darwin" else kib / (1024.0 * 1024.0)


def percentile_ms(durations_s: list[float], q: float) -> float:
    """The q-th percentile (0–100) of durations given in s, in ms (NaN when empty)."""
    if not durations_s:
        return math.nan
    return float(np.percentile(np.asarray(durations_s) * 1000.0, q))


@dataclass(frozen=True, slots=True)
class LiveResult:
    """Live mode: source frames offered, processed and dropped; latency due-time → result, ms."""

    source_fps: float
    offered: int
    processed: int
    dropped: int
    processed_fps: float
    latency_p50_ms: float
    latency_p95_ms: float


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Benchmark numbers; `to_json()` gives the stable keys of `coach bench --json`."""

    bare_fps: float
    full_fps: float
    full_over_bare: float
    realtime_factor: float
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    frames: int
    width: int
    height: int
    video_s: float = 0.0
    bare_p50_ms: float = math.nan
    bare_p95_ms: float = math.nan
    annotated_fps: float | None = None
    live: LiveResult | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: the required keys first, then the extras (NaN → None)."""
        d = asdict(self)
        extra = d.pop("extra")
        d.update(extra)
        return nan_to_none(d)

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        out = [
            f"frames        {self.frames} at {self.width}x{self.height} ({self.video_s:.1f} s of video)",
            f"analysis      pose on {self.extra.get('analysed_frames', self.frames)} of {self.frames} frames "
            f"(cap {self.extra.get('analysis_max_fps') or 'none'} frames/s of video)",
            f"bare          {self.bare_fps:7.1f} frames/s  (decode + landmarker alone; "
            f"p50 {self.bare_p50_ms:.1f} ms, p95 {self.bare_p95_ms:.1f} ms per analysed frame)",
            f"full review   {self.full_fps:7.1f} frames/s  (p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms "
            "per analysed frame)",
            f"full / bare   {self.full_over_bare:7.3f}   (time per frame{self._median_of()})",
            f"real time     {self.realtime_factor:7.2f} x  (video seconds / wall seconds, full review)",
            f"peak RSS      {self.peak_rss_mb:7.0f} MiB  (process peak after the bare and full passes)",
        ]
        if self.annotated_fps is not None:
            out.append(f"annotated     {self.annotated_fps:7.1f} frames/s  (review + annotated copy)")
        if self.live is not None:
            lv = self.live
            out.append(f"live          {lv.processed_fps:7.1f} frames/s processed of a {lv.source_fps:.0f} fps source; "
                       f"{lv.dropped}/{lv.offered} dropped; latency p50 {lv.latency_p50_ms:.1f} ms, "
                       f"p95 {lv.latency_p95_ms:.1f} ms")
        if "full_cpu_ms_per_frame" in self.extra:
            out.append(f"CPU time      bare {self.extra['bare_cpu_ms_per_frame']:.1f} ms/frame, full "
                       f"{self.extra['full_cpu_ms_per_frame']:.1f} ms/frame (all threads; steadier than wall "
                       f"time on a busy machine, load {self.extra.get('load_1min', math.nan):.1f})")
        return out

    def _median_of(self) -> str:
        runs = len(self.extra.get("bare_wall_s_runs", ()))
        return f"; medians of {runs} runs" if runs > 1 else ""


def trim_copy(path: str | os.PathLike[str], seconds: float, out_dir: str | os.PathLike[str]) -> Path:
    """The first `seconds` of a video as a stream copy (no re-encoding) in `out_dir`."""
    import av

    src = Path(path)
    dst = Path(out_dir) / f"{src.stem}.first{seconds:g}s{src.suffix or '.mp4'}"
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        in_stream = inp.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        tb = in_stream.time_base or Fraction(1, 1)
        first: int | None = None
        for packet in inp.demux(in_stream):
            if packet.dts is None:
                continue
            if packet.pts is not None:
                first = packet.pts if first is None else min(first, packet.pts)
                if packet.is_keyframe and float((packet.pts - first) * tb) >= seconds:
                    break
                if float((packet.pts - first) * tb) >= seconds + 2.0:  # safety stop for long GOPs
                    break
            packet.stream = out_stream
            out.mux(packet)
    return dst


def _bare(path: Path, max_side_px: int, with_mask: bool,
          track_one: bool | None = None) -> tuple[int, float, list[float], int, int, float]:
    """Decode every frame + the landmarker alone on the frames the review analyses (the same
    `coach.pipeline.ANALYSIS_MAX_FPS` cap, the same landmarkers side by side, up to `workers` frames ahead);
    returns (decoded frames, wall s, per-detection s, width, height, CPU s)."""
    from concurrent.futures import Future

    from coach import pipeline
    from coach.pose import review_estimator
    from coach.video import VideoFrame, VideoReader

    cap = pipeline.ANALYSIS_MAX_FPS
    period_s = 1.0 / cap if cap else 0.0
    times: list[float] = []
    size = [0, 0]
    last = 0.0
    with (review_estimator(with_mask=with_mask, track_one=track_one) as est,
          VideoReader(path, max_side_px=max_side_px, min_interval_s=period_s) as reader):
        est.warm_up()
        due = pipeline.DueFrames(period_s)

        def start(vf: VideoFrame) -> Future[object] | pipeline.Skip:
            size[:] = vf.image.shape[:2]
            return est.submit_raw(vf.image, vf.timestamp_s) if due.take(vf.timestamp_s) else pipeline.SKIP

        def done(vf: VideoFrame, result: object) -> None:
            nonlocal last
            now = time.perf_counter()
            times.append(now - last)
            last = now

        cpu0 = time.process_time()
        start_s = last = time.perf_counter()
        pipeline.look_ahead(reader, start, est.workers, done)
        wall = time.perf_counter() - start_s
        cpu = time.process_time() - cpu0
        decoded = reader.frames_decoded
    return decoded, wall, times, size[1], size[0], cpu


class _KeepOpen:
    """Hands the review an estimator that its `with` block does not close: closing the landmarkers (~15 ms)
    is tear-down, outside the timed span like model start-up, as in the bare pass; `_full` closes it after."""

    def __init__(self, estimator: MediaPipeEstimator) -> None:
        self._estimator = estimator

    @property
    def capabilities(self) -> EstimatorCapabilities:
        """The wrapped estimator's."""
        return self._estimator.capabilities

    @property
    def workers(self) -> int:
        """The wrapped estimator's."""
        return self._estimator.workers

    def estimate(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float) -> PoseFrame:
        """The wrapped estimator's."""
        return self._estimator.estimate(image_rgb, timestamp_s)

    def submit(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float,
               thumb: npt.NDArray[np.uint8] | None = None) -> PendingPose:
        """The wrapped estimator's."""
        return self._estimator.submit(image_rgb, timestamp_s, thumb)

    def close(self) -> None:
        """Left open (see the class docstring)."""

    def __enter__(self) -> _KeepOpen:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _full(path: Path, exercise: Exercise | str, annotated: Path | None, with_mask: bool,
          track_one: bool | None = None) -> tuple[int, float, list[float], float]:
    """The whole review(); returns (frames, wall s, per-frame s, CPU s). The model is loaded before timing."""
    from coach.pipeline import review
    from coach.pose import review_estimator

    est = review_estimator(with_mask=with_mask, track_one=track_one)
    est.warm_up()
    marks: list[float] = []
    start = [0.0]

    def factory() -> PoseEstimator:
        start[0] = time.perf_counter()
        start.append(time.process_time())
        return _KeepOpen(est)

    def progress(share: float) -> None:
        marks.append(time.perf_counter())

    try:
        review(path, exercise, annotated=annotated, progress=progress, estimator_factory=factory)
        end = time.perf_counter()
        cpu = time.process_time() - start[1]
    finally:
        est.close()
    per_frame = marks[:-1]  # the last call (1.0) comes after finish()
    times = [b - a for a, b in zip([start[0], *per_frame[:-1]], per_frame, strict=True)]
    return len(times), end - start[0], times, cpu


def run_live(path: str | os.PathLike[str], exercise: Exercise | str, *, max_side_px: int,
             seconds: float | None = None, source_fps: float = LIVE_FPS) -> LiveResult:
    """Replay `path` as a `source_fps` camera through the app's own live processor (`LiveCoach`: its pose
    options, downscaling, session and overlay). Each frame is released at its due time; the consumer always
    takes the latest frame and older ones are dropped, as streamlit-webrtc does. The live coach always follows
    one person, so `--track-one` does not apply here."""
    from coach.live import LiveCoach
    from coach.video import VideoReader

    slot: list[tuple[int, float, np.ndarray] | None] = [None]
    cond = threading.Condition()
    done = threading.Event()
    offered = [0]
    dropped = [0]

    coach = LiveCoach(exercise, history=None)
    coach.process_image(np.zeros((480, 640, 3), np.uint8), 0.0)  # loads the model outside the timed span
    reader = VideoReader(path, max_side_px=max_side_px)
    t0 = time.perf_counter() + 0.2

    def produce() -> None:
        try:
            for i, vf in enumerate(reader):
                due = t0 + i / source_fps
                if seconds is not None and i / source_fps >= seconds:
                    break
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                with cond:
                    if slot[0] is not None:
                        dropped[0] += 1
                    slot[0] = (i, due, vf.image)
                    offered[0] += 1
                    cond.notify()
        finally:
            reader.close()
            done.set()
            with cond:
                cond.notify()

    latencies: list[float] = []
    producer = threading.Thread(target=produce, name="live-source", daemon=True)
    producer.start()
    first = last = math.nan
    try:
        while True:
            with cond:
                while slot[0] is None and not done.is_set():
                    cond.wait(0.5)
                item, slot[0] = slot[0], None
            if item is None:
                break
            i, due, image = item
            coach.process_image(image, 1.0 + i / source_fps)
            now = time.perf_counter()
            latencies.append(now - due)
            if math.isnan(first):
                first = due
            last = now
    finally:
        done.set()
        producer.join(timeout=5.0)
        coach.close()
    wall = (last - first) if latencies else math.nan
    return LiveResult(
        source_fps=source_fps,
        offered=offered[0],
        processed=len(latencies),
        dropped=dropped[0],
        processed_fps=len(latencies) / wall if wall and wall > 0 else math.nan,
        latency_p50_ms=percentile_ms(latencies, 50),
        latency_p95_ms=percentile_ms(latencies, 95),
    )


def run_bench(path: str | os.PathLike[str], exercise: Exercise | str = Exercise.SQUAT, *,
              seconds: float | None = None, live: bool = False, annotated: bool = True,
              with_mask: bool = True, track_one: bool | None = None, repeat: int = 1,
              log: Callable[[str], None] | None = None) -> BenchResult:
    """Benchmark bare vs full review (and optionally the annotated copy and live mode) on one video.

    With `repeat` > 1 the bare and full passes alternate that many times and the wall and CPU times are the
    medians of the runs (one run's wall time varies by ±10 % on a 2-core machine); the per-frame percentiles
    pool every run, and the runs' wall times are in the extras."""
    from coach import pipeline
    from coach.pipeline import MAX_SIDE_PX
    from coach.video import probe

    say = log or (lambda _msg: None)
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        src = Path(path)
        probe(src)  # clear VideoError before anything else
        if seconds is not None:
            src = trim_copy(src, seconds, tmp)
        info = probe(src)
        bare_runs, full_runs = [], []
        for i in range(max(1, repeat)):
            of = f" (run {i + 1} of {repeat})" if repeat > 1 else ""
            say(f"bare: decode + landmarker alone{of} …")
            bare_runs.append(_bare(src, MAX_SIDE_PX, with_mask, track_one))
            say(f"full: whole review{of} …")
            full_runs.append(_full(src, exercise, None, with_mask, track_one))
        rss_review = peak_rss_mb()  # ru_maxrss only grows: the later passes must not count
        n_bare, _, _, width, height, _ = bare_runs[0]
        n_full = full_runs[0][0]
        wall_bare = float(np.median([r[1] for r in bare_runs]))
        wall_full = float(np.median([r[1] for r in full_runs]))
        cpu_bare = float(np.median([r[5] for r in bare_runs]))
        cpu_full = float(np.median([r[3] for r in full_runs]))
        t_bare = [t for r in bare_runs for t in r[2]]
        t_full = [t for r in full_runs for t in r[2]]
        annotated_fps = None
        if annotated:
            say("annotated: review + annotated copy …")
            n_ann, wall_ann, _, _ = _full(src, exercise, Path(tmp) / "annotated.mp4", with_mask, track_one)
            annotated_fps = n_ann / wall_ann if wall_ann > 0 else math.nan
        live_result = None
        if live:
            say(f"live: {LIVE_FPS:.0f} fps paced source …")
            live_result = run_live(src, exercise, max_side_px=MAX_SIDE_PX)
    # Both rates are in decoded video frames a second (the analysis cap skips pose on some of them).
    bare_fps = n_bare / wall_bare if wall_bare > 0 else math.nan
    full_fps = n_bare / wall_full if wall_full > 0 else math.nan
    video_s = info.duration_s or (n_bare / info.fps if info.fps else 0.0)
    return BenchResult(
        bare_fps=bare_fps,
        full_fps=full_fps,
        full_over_bare=wall_full / wall_bare if wall_bare > 0 else math.nan,
        realtime_factor=video_s / wall_full if wall_full > 0 else math.nan,
        p50_ms=percentile_ms(t_full, 50),
        p95_ms=percentile_ms(t_full, 95),
        peak_rss_mb=rss_review,
        frames=n_bare,
        width=width,
        height=height,
        video_s=video_s,
        bare_p50_ms=percentile_ms(t_bare, 50),
        bare_p95_ms=percentile_ms(t_bare, 95),
        annotated_fps=annotated_fps,
        live=live_result,
        extra={"bare_cpu_ms_per_frame": 1000.0 * cpu_bare / max(n_bare, 1),
               "full_cpu_ms_per_frame": 1000.0 * cpu_full / max(n_bare, 1),
               "analysed_frames": n_full, "analysis_max_fps": pipeline.ANALYSIS_MAX_FPS,
               "track_one": track_one, "peak_rss_all_passes_mb": peak_rss_mb(),
               "bare_wall_s_runs": [r[1] for r in bare_runs], "full_wall_s_runs": [r[1] for r in full_runs],
               "load_1min": os.getloadavg()[0], "cpus": os.cpu_count()},
    )
