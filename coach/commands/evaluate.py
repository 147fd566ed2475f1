"""`coach eval DIR`: review every clip in DIR/labels.csv and score counts and fault warnings."""

from __future__ import annotations

import argparse
import json
import sys

from coach.commands import exercise_choices
from coach.commands.review import add_executor_options, executor_of


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `eval` parser."""
    from coach.pose_cache import DEFAULT_CACHE_DIR

    p = sub.add_parser("eval", help="score the coach on a folder of labelled clips", description=__doc__)
    p.add_argument("folder", help="folder with labels.csv and the clips it lists")
    p.add_argument("--json", dest="json_out", metavar="OUT", help="write the summary as JSON")
    p.add_argument("--cache", default=str(DEFAULT_CACHE_DIR),
                   help=f"pose cache folder (default {DEFAULT_CACHE_DIR}); 'none' disables it")
    p.add_argument("--exercise", "-e", choices=exercise_choices(), help="only clips of this exercise")
    p.add_argument("--strictness", choices=["gentle", "standard", "strict"], default="standard")
    add_executor_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the per-clip table and the summary; exit 0, or 2 when the folder has no labels.csv."""
    from pathlib import Path

    from coach.evaluate import TABLE_HEADER, clip_line, evaluate_folder, summary, summary_text
    from coach.outputs import check_outputs, files_under
    from coach.pose_cache import PoseCache
    from coach.report import atomic_write_text
    from coach.thresholds import preset

    if not (Path(args.folder) / "labels.csv").is_file():
        print(f"coach: no labels.csv in {args.folder}", file=sys.stderr)
        return 2
    try:
        executor = executor_of(args)
    except ValueError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    check_outputs(files_under(args.folder), [("--json", args.json_out)])
    cache = PoseCache(None if args.cache.lower() == "none" else args.cache)
    print(TABLE_HEADER)
    results = evaluate_folder(args.folder, cache=cache, exercise=args.exercise, thresholds=preset(args.strictness),
                              on_clip=lambda r: print(clip_line(r), flush=True), executor=executor)
    doc = summary(results)
    print()
    print(summary_text(doc))
    if args.json_out:
        atomic_write_text(args.json_out, json.dumps(doc, indent=2))
    return 0
