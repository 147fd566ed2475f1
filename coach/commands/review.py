"""`coach review VIDEO --exercise E`: count reps and check form in a recorded video."""

from __future__ import annotations

import argparse
import sys

from coach.types import Exercise, FunctionalSetup


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `review` parser."""
    p = sub.add_parser("review", help="review a recorded video", description=__doc__)
    p.add_argument("video", help="video file (mp4, mov, avi, mkv, webm, gif)")
    p.add_argument("--exercise", "-e", required=True, choices=[e.value for e in Exercise])
    p.add_argument("--json", dest="json_out", metavar="OUT", help="write the report as JSON")
    p.add_argument("--csv", dest="csv_out", metavar="OUT", help="write one row per rep as CSV")
    p.add_argument("--annotated", metavar="OUT.mp4", help="write an annotated copy of the video")
    p.add_argument("--strictness", choices=["gentle", "standard", "strict"], default="standard")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    t = p.add_argument_group("balance and functional tests")
    t.add_argument("--age", type=int, help="your age in years (chair-stand norms)")
    t.add_argument("--sex", choices=["female", "male"], help="for the chair-stand norms")
    t.add_argument("--height-cm", type=float, help="your height in cm (sway in cm; default 165)")
    t.add_argument("--go-s", type=float, help="when 'Go' was said, seconds into the video (default: the first rise)")
    t.add_argument("--target-s", type=float, help="seconds to hold each stance (single-leg default 30)")
    p.set_defaults(func=run)


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


def run(args: argparse.Namespace) -> int:
    """Review the video; exit 0 on success (errors map to exit codes in `coach.cli.main`)."""
    from coach.outputs import check_outputs
    from coach.pipeline import review
    from coach.report import atomic_write_text, rep_table, to_csv, to_json
    from coach.suggest import PoseLog, suggest_exercise
    from coach.thresholds import preset

    check_outputs([args.video], [("--json", args.json_out), ("--csv", args.csv_out),
                                 ("--annotated", args.annotated)])
    progress = _Progress("reviewing", enabled=not args.quiet and sys.stderr.isatty())
    thresholds = preset(args.strictness)
    log = PoseLog()
    setup = FunctionalSetup(age=args.age, sex=args.sex, height_cm=args.height_cm, go_s=args.go_s,
                            target_s=args.target_s)
    report = review(args.video, args.exercise, thresholds=thresholds, annotated=args.annotated,
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
    return 0
