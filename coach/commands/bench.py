"""`coach bench VIDEO`: how fast the review runs on this machine (bare pose vs full review, live mode)."""

from __future__ import annotations

import argparse
import json
import sys

from coach.commands import exercise_choices
from coach.types import Exercise

DEFAULT_REPEAT = 5
BATCH_REPEAT = 3
"""Alternating runs per executor of `--batch` by default (a batch run is long)."""
"""Bare and full passes alternated by default; the ratio reported is that of their medians."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `bench` parser."""
    p = sub.add_parser("bench", help="time the review on a video", description=__doc__)
    p.add_argument("video", nargs="?", help="video file")
    p.add_argument("--batch", metavar="DIR", help="instead: batch throughput over DIR's videos for --jobs 1, "
                                                  "--jobs 2 and a local Ray (medians of --repeat runs)")
    p.add_argument("--no-ray", dest="ray", action="store_false", help="with --batch: leave Ray out")
    p.add_argument("--exercise", "-e", choices=exercise_choices(),
                   help="analyzer used by the full review (default: squat; with --batch: recognised per video)")
    p.add_argument("--json", dest="json_out", metavar="OUT", help="write the numbers as JSON")
    p.add_argument("--seconds", type=float, metavar="N",
                   help="use only the first N seconds of the video (a stream copy: it ends at the next key frame)")
    p.add_argument("--live", action="store_true", help="also replay the video as a 30 fps camera")
    p.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="N",
                   help="alternate the bare and full passes N times and report the medians (default "
                        f"{DEFAULT_REPEAT}: one run's wall time swings by ±8 %% on a 2-core machine)")
    p.add_argument("--no-annotated", dest="annotated", action="store_false",
                   help="skip timing the annotated copy")
    p.add_argument("--track-one", action="store_true", default=None,
                   help="time the faster one-person tracking option (coach.pose.REVIEW_TRACK_ONE) instead")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; exit 0 (errors map to exit codes in `coach.cli.main`)."""
    from coach.bench import run_bench
    from coach.outputs import check_outputs
    from coach.report import atomic_write_text

    if args.batch is not None:
        return run_batch_bench(args)
    if args.video is None:
        print("coach: give a VIDEO (or --batch DIR)", file=sys.stderr)
        return 2
    if args.seconds is not None and args.seconds <= 0:
        print("coach: --seconds must be positive", file=sys.stderr)
        return 2
    if args.repeat < 1:
        print("coach: --repeat must be at least 1", file=sys.stderr)
        return 2
    check_outputs([args.video], [("--json", args.json_out)])
    result = run_bench(args.video, args.exercise or Exercise.SQUAT.value, seconds=args.seconds, live=args.live,
                       annotated=args.annotated, track_one=args.track_one, repeat=args.repeat,
                       log=lambda m: print(m, file=sys.stderr, flush=True))
    print("\n".join(result.lines()))
    if args.json_out:
        atomic_write_text(args.json_out, json.dumps(result.to_json(), indent=2) + "\n")
    return 0


def run_batch_bench(args: argparse.Namespace) -> int:
    """`coach bench --batch DIR`; exit 0, or 2 when DIR has no video or Ray is missing."""
    import importlib.util

    from coach.batch_bench import bench_batch
    from coach.outputs import check_outputs, files_under
    from coach.report import atomic_write_text

    if args.ray and importlib.util.find_spec("ray") is None:
        print("coach: the batch bench runs Ray too: pip install 'bone-safe-coach[cluster]' (or --no-ray)",
              file=sys.stderr)
        return 2
    check_outputs(files_under(args.batch), [("--json", args.json_out)])
    repeat = args.repeat if args.repeat != DEFAULT_REPEAT else BATCH_REPEAT
    exercise = Exercise(args.exercise) if args.exercise else None
    result = bench_batch(args.batch, exercise, repeat=repeat, with_ray=args.ray,
                         log=lambda m: print(m, file=sys.stderr, flush=True))
    if result.videos == 0:
        print(f"coach: no video found in {args.batch}", file=sys.stderr)
        return 2
    print("\n".join(result.lines()))
    if args.json_out:
        atomic_write_text(args.json_out, json.dumps(result.to_json(), indent=2) + "\n")
    return 0
