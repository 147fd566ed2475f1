"""`coach bench --batch DIR`: batch throughput, in video-seconds reviewed per wall second, for one process
(`--jobs 1`), two local processes (`--jobs 2`) and a local Ray started by the command, in alternating runs.

Each run reviews every video of DIR afresh into its own temporary folder (nothing is skipped). Ray is started
once before the runs, so its start-up (about 10 s) is not in the figures; its per-task overhead is. The counts
(complete reps per video) of every run are compared.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.batch import BatchOptions, Executor, plan, run_batch, with_landmarkers
from coach.types import Exercise

EXECUTORS: dict[str, Executor] = {"jobs 1": Executor(jobs=1), "jobs 2": Executor(jobs=2),
                                  "ray": Executor(jobs=1, ray=True)}
"""The executors compared, by the name printed."""


@dataclass(frozen=True, slots=True)
class BatchBench:
    """Wall times (s) per executor, the video-seconds in the batch and whether every run counted the same."""

    video_s: float
    videos: int
    wall_s: dict[str, list[float]]
    same_counts: bool

    def rate(self, name: str) -> float:
        """Video-seconds reviewed per wall second, by the median run."""
        return self.video_s / statistics.median(self.wall_s[name])

    @property
    def ray_overhead(self) -> float | None:
        """Ray's median wall time over two local processes', minus 1 (None: Ray not run)."""
        if "ray" not in self.wall_s or "jobs 2" not in self.wall_s:
            return None
        return statistics.median(self.wall_s["ray"]) / statistics.median(self.wall_s["jobs 2"]) - 1.0

    def lines(self) -> list[str]:
        """The figures as text."""
        out = [f"batch: {self.videos} videos, {self.video_s:.1f} s of video, cores {os.cpu_count()}"]
        for name, times in self.wall_s.items():
            out.append(f"  {name:<7} {self.rate(name):5.2f} video-s per wall s (median of {len(times)}: "
                       f"{statistics.median(times):.1f} s; runs {', '.join(f'{t:.1f}' for t in times)})")
        if self.ray_overhead is not None:
            out.append(f"  Ray over two local processes: {100 * self.ray_overhead:+.1f} %")
        out.append(f"  counts identical across runs: {'yes' if self.same_counts else 'NO'}")
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {"videos": self.videos, "video_s": self.video_s, "wall_s": self.wall_s,
                "rate_video_s_per_s": {n: self.rate(n) for n in self.wall_s}, "ray_overhead": self.ray_overhead,
                "same_counts": self.same_counts, "cores": os.cpu_count()}


def bench_batch(folder: str | os.PathLike[str], exercise: Exercise | None = None, *, repeat: int = 3,
                with_ray: bool = True, log: Callable[[str], None] = lambda _: None) -> BatchBench:
    """Time the batch `repeat` times per executor, alternating them; see the module docstring."""
    names = [n for n in EXECUTORS if with_ray or n != "ray"]
    wall: dict[str, list[float]] = {n: [] for n in names}
    counts: set[tuple[tuple[str, int], ...]] = set()
    probe_options = BatchOptions(Path(tempfile.gettempdir()) / "coach-bench-none", exercise)
    tasks = plan([folder], probe_options)
    ray_started = False
    if with_ray:
        import ray  # the optional 'cluster' extra

        from coach.batch import RAY_QUIET_ENV

        for key, value in RAY_QUIET_ENV.items():
            os.environ.setdefault(key, value)
        if not ray.is_initialized():
            ray.init(include_dashboard=False, log_to_driver=False, configure_logging=True, logging_level=40)
            ray_started = True
    try:
        for run in range(repeat):
            for name in names:
                with tempfile.TemporaryDirectory(prefix="coach-bench-batch-") as out:
                    options = with_landmarkers(BatchOptions(Path(out), exercise), EXECUTORS[name])
                    start = time.perf_counter()
                    rows = run_batch([t for t in tasks], options, EXECUTORS[name])
                    wall[name].append(time.perf_counter() - start)
                counts.add(tuple((r.file, r.reps if r.ok else -1) for r in rows))
                log(f"run {run + 1}/{repeat} {name}: {wall[name][-1]:.1f} s")
    finally:
        if ray_started:
            import ray

            ray.shutdown()
    return BatchBench(sum(t.duration_s for t in tasks), len(tasks), wall, len(counts) == 1)
