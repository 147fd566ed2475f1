"""`coach review VIDEO --exercise E`: count reps and check form in a recorded video.

`coach review SESSIONS/ --out-dir REPORTS/` (several files or folders) reviews a batch: one report per video,
the exercise recognised where not given, a summary CSV, finished videos skipped on a rerun."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.commands import exercise_choices
from coach.types import Exercise, FunctionalSetup

if TYPE_CHECKING:
    from coach.batch import Executor, SummaryRow, VideoTask

LOCAL_RAY = "local"
"""`--ray` without an address: start a local Ray for this command."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `review` parser."""
    p = sub.add_parser("review", help="review a recorded video (or a folder of them)", description=__doc__)
    p.add_argument("video", nargs="+", help="video file (mp4, mov, avi, mkv, webm, gif); several, or folders, "
                                            "for a batch (with --out-dir)")
    p.add_argument("--exercise", "-e", choices=exercise_choices(),
                   help="the exercise (a batch recognises it when not given)")
    p.add_argument("--json", dest="json_out", metavar="OUT", help="write the report as JSON")
    p.add_argument("--csv", dest="csv_out", metavar="OUT", nargs="?", const="",
                   help="write one row per rep as CSV (in a batch: NAME.csv per video, no file name)")
    p.add_argument("--pdf", dest="pdf_out", metavar="OUT", nargs="?", const="",
                   help="write a PDF report (in a batch: NAME.pdf per video, no file name)")
    p.add_argument("--annotated", metavar="OUT.mp4", nargs="?", const="",
                   help="write an annotated copy of the video (in a batch: NAME.annotated.mp4, no file name)")
    p.add_argument("--strictness", choices=["gentle", "standard", "strict"], default="standard")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument("--out-dir", metavar="REPORTS", help="batch: the folder for the reports and summary.csv")
    add_executor_options(p)
    t = p.add_argument_group("balance and functional tests")
    t.add_argument("--age", type=int, help="your age in years (chair-stand norms)")
    t.add_argument("--sex", choices=["female", "male"], help="for the chair-stand norms")
    t.add_argument("--height-cm", type=float, help="your height in cm (sway in cm; default 165)")
    t.add_argument("--go-s", type=float, help="when 'Go' was said, seconds into the video (default: the first rise)")
    t.add_argument("--target-s", type=float, help="seconds to hold each stance (single-leg default 30)")
    p.set_defaults(func=run)


def add_executor_options(p: argparse.ArgumentParser) -> None:
    """--jobs N and --ray [ADDRESS] (shared with `coach eval`)."""
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="videos reviewed at once on this machine (default: one per two cores)")
    p.add_argument("--ray", nargs="?", const=LOCAL_RAY, metavar="ADDRESS",
                   help="run on Ray, one task per video: no ADDRESS starts a local Ray, 'auto' or "
                        "ray://HOST:10001 joins a cluster (needs the 'cluster' extra)")


def executor_of(args: argparse.Namespace) -> Executor:
    """The `coach.batch.Executor` the options ask for (ValueError: --jobs below 1)."""
    from coach.batch import Executor, default_jobs

    if args.jobs is not None and args.jobs < 1:
        raise ValueError("--jobs must be at least 1")
    if args.ray is not None:
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise ValueError("--ray needs Ray: pip install 'bone-safe-coach[cluster]'")
        return Executor(jobs=args.jobs or 1, ray=True, ray_address=None if args.ray == LOCAL_RAY else args.ray)
    return Executor(jobs=args.jobs or default_jobs())


class _Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label, self.enabled, self._last = label, enabled, -1

    def __call__(self, share: float) -> None:
        pct = int(share * 100)
        if not self.enabled or pct == self._last:
            return
        self._last = pct
        bar = "#" * (pct // 4) + "-" * (25 - pct // 4)
        print(f"\r{self.label} [{bar}] {pct:3d}%", end="" if pct < 100 else "\n", file=sys.stderr, flush=True)


def is_batch(args: argparse.Namespace) -> bool:
    """Several inputs, a folder, or --out-dir: a batch (an empty path is no folder: it names no file)."""
    first = args.video[0]
    return len(args.video) > 1 or args.out_dir is not None or (first.strip() != "" and Path(first).is_dir())


def run(args: argparse.Namespace) -> int:
    """Review the video (or the batch); exit 0 on success (errors map to exit codes in `coach.cli.main`)."""
    if is_batch(args):
        return run_batch(args)
    if args.exercise is None:
        print("coach: give --exercise for one video (a batch with --out-dir recognises it)", file=sys.stderr)
        return 2
    from coach.outputs import check_outputs, write_bytes
    from coach.pipeline import review
    from coach.report import atomic_write_text, rep_table, to_csv, to_json
    from coach.suggest import PoseLog, suggest_exercise
    from coach.thresholds import preset

    video = args.video[0]
    named = [("--json", args.json_out), ("--csv", args.csv_out), ("--pdf", args.pdf_out),
             ("--annotated", args.annotated)]
    for option, value in named:
        if value == "":
            print(f"coach: {option} needs a file name", file=sys.stderr)
            return 2
    check_outputs([video], named)
    progress = _Progress("reviewing", enabled=not args.quiet and sys.stderr.isatty())
    thresholds = preset(args.strictness)
    log = PoseLog()
    setup = FunctionalSetup(age=args.age, sex=args.sex, height_cm=args.height_cm, go_s=args.go_s,
                            target_s=args.target_s)
    report = review(video, args.exercise, thresholds=thresholds, annotated=args.annotated,
                    progress=progress, on_pose=log.append, setup=setup)
    print(rep_table(report))
    hint = suggest_exercise(report, log.frames, thresholds)
    if hint is not None:
        print(f"coach: this looks more like a {hint.name} ({hint.reps} complete reps that way); "
              f"try --exercise {hint.exercise.value}", file=sys.stderr)
    if args.json_out:
        atomic_write_text(args.json_out, to_json(report))
    if args.csv_out:
        atomic_write_text(args.csv_out, to_csv(report))
    if args.pdf_out:
        from coach.pdf import report_pdf

        write_bytes(args.pdf_out, report_pdf(report, title=f"Review of {Path(video).name}", thresholds=thresholds))
    return 0


def run_batch(args: argparse.Namespace) -> int:
    """Review every video; print one line each and the summary's place. Exit 0 when every video was reviewed,
    2 when some could not be (their rows say why) or nothing was found."""
    from coach.batch import SUMMARY_NAME, BatchOptions, BatchProgress, Output, plan, with_landmarkers
    from coach.batch import run_batch as run_all

    if any(not str(v).strip() for v in args.video):  # "" would be read as the current folder
        print("coach: an empty file name was given: name each video or folder to review", file=sys.stderr)
        return 2
    if args.out_dir is None:
        if len(args.video) == 1:  # one folder
            print(f"coach: '{args.video[0]}' is a directory: to review its videos give --out-dir REPORTS "
                  "(where each video's report and summary.csv go)", file=sys.stderr)
        else:
            print("coach: a batch needs --out-dir REPORTS (where each video's report and summary.csv go)",
                  file=sys.stderr)
        return 2
    if args.json_out:
        print("coach: in a batch each video's JSON goes to --out-dir; drop --json", file=sys.stderr)
        return 2
    outputs = set()
    for kind, value in ((Output.CSV, args.csv_out), (Output.PDF, args.pdf_out), (Output.ANNOTATED, args.annotated)):
        if value:
            print(f"coach: in a batch --{kind.value} takes no file name (each video gets its own in --out-dir)",
                  file=sys.stderr)
            return 2
        if value == "":
            outputs.add(kind)
    try:
        executor = executor_of(args)
    except ValueError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    out_dir = Path(args.out_dir)
    options = BatchOptions(out_dir, Exercise(args.exercise) if args.exercise else None, args.strictness,
                           frozenset(outputs))
    options = with_landmarkers(options, executor)
    tasks = plan(args.video, options)
    if not tasks:
        print(f"coach: no video found in {', '.join(args.video)}", file=sys.stderr)
        return 2
    bar = BatchProgress(tasks, enabled=not args.quiet and sys.stderr.isatty())

    def show(row: SummaryRow, task: VideoTask) -> None:
        bar.update(row, task)
        if not bar.enabled:
            print(row.line(), flush=True)

    rows = run_all(tasks, options, executor, on_row=show)
    if bar.enabled:
        for row in rows:
            print(row.line())
    bad = sum(not r.ok for r in rows)
    skipped = sum(r.skipped for r in rows)
    print(f"{len(rows)} videos: {len(rows) - bad - skipped} reviewed, {skipped} already reviewed, "
          f"{bad} could not be reviewed; summary in {out_dir / SUMMARY_NAME}")
    return 2 if bad else 0
