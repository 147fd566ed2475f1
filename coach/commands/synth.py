"""`coach synth`: render a synthetic exercise clip with exact ground truth (OUT.mp4 + OUT.json)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from coach.types import Exercise, View

CAMERA_NAMES = ["default", "floor", "table", "shelf", "rolled"]
"""The named camera rigs (coach.synth.scene.CAMERA_RIGS; listed here so the CLI loads no renderer)."""
VIEW_CHOICES = {"side": View.SIDE, "front": View.FRONT, "45": View.OBLIQUE, "oblique": View.OBLIQUE, "rear": View.REAR,
                "head": View.FRONT, "feet": View.REAR}
"""View names; for the floor exercises front is the head end ("head") and rear the feet end ("feet")."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `synth` sub-command."""
    p = subparsers.add_parser(
        "synth",
        help="render a synthetic exercise video with exact ground truth",
        description="Render a synthetic exercise clip (H.264 mp4) and OUT.json with per-frame ground truth.",
    )
    p.add_argument("--exercise", required=True, choices=[e.value for e in Exercise])
    p.add_argument("--reps", type=int, default=5, help="number of reps (default 5)")
    p.add_argument(
        "--fault",
        default="none",
        help="none | spinal_flexion:DEG | twist:DEG | lumbar_hyperextension:DEG | hips_rise_first",
    )
    p.add_argument("--fault-reps", default="", help="1-based reps carrying the fault, e.g. 2,4 (default: all)")
    p.add_argument("--view", default="side", choices=list(VIEW_CHOICES), help="camera view (default side)")
    p.add_argument(
        "--tempo-s",
        type=float,
        default=None,
        help="seconds per rep incl. the pause at the top (default 2.5; back extension 3, bird-dog 5)",
    )
    p.add_argument("--rest-s", type=float, default=0.0, help="seconds still between reps")
    p.add_argument("--size", default="640x480", help="frame size WxH, px (default 640x480)")
    p.add_argument("--fps", type=float, default=30.0, help="frame rate (default 30)")
    p.add_argument("--seed", type=int, default=0, help="seed for body, looks, camera jitter and noise")
    p.add_argument("--camera", default="default", choices=CAMERA_NAMES,
                   help="home camera: floor = phone on the floor looking up 15°, table = laptop at 0.75 m looking "
                        "level, shelf = 2 m up looking down 25°, rolled = the default turned 10° (default: level "
                        "at about hip height)")
    p.add_argument("--camera-height", type=float, default=None, metavar="M", help="camera height, m (overrides)")
    p.add_argument("--camera-pitch", type=float, default=None, metavar="DEG",
                   help="camera pitch, degrees, + = looking down, − = up (overrides)")
    p.add_argument("--camera-roll", type=float, default=None, metavar="DEG",
                   help="camera roll, degrees (overrides; default 0, rolled 10)")
    p.add_argument("--camera-distance", type=float, default=None, metavar="M",
                   help="camera distance from the person, m (overrides; farther = a smaller person)")
    p.add_argument("--variant", default="default",
                   help="floor exercises: back_extension superman | superman_arms | superman_legs | alternating | "
                        "prone_sides | prone_head; bird_dog knees | plank (default: the first)")
    p.add_argument("-o", "--out", required=True, help="output .mp4 (truth goes to the .json beside it)")
    p.set_defaults(func=run)


def _size(text: str) -> tuple[int, int]:
    w, sep, h = text.lower().partition("x")
    if not sep:
        raise ValueError(f"size must be WxH, e.g. 640x480, got '{text}'")
    try:
        return int(w), int(h)
    except ValueError:
        raise ValueError(f"size must be WxH in whole pixels, got '{text}'") from None


def _fault_reps(text: str) -> tuple[int, ...]:
    if not text.strip():
        return ()
    try:
        return tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise ValueError(f"--fault-reps must be comma-separated rep numbers, got '{text}'") from None


def run(args: argparse.Namespace) -> int:
    """Generate the clip; returns the exit code (2 for bad arguments, 1 for a failed write)."""
    from dataclasses import replace

    from coach.synth import Fault, SynthSpec, generate, sidecar_path
    from coach.synth.motions import Variant
    from coach.synth.scene import CAMERA_RIGS

    try:
        width, height = _size(args.size)
        rig = CAMERA_RIGS[args.camera]
        rig = replace(rig, roll_deg=rig.roll_deg if args.camera_roll is None else args.camera_roll,
                      height_m=rig.height_m if args.camera_height is None else args.camera_height,
                      pitch_deg=rig.pitch_deg if args.camera_pitch is None else args.camera_pitch,
                      distance_m=args.camera_distance)
        try:
            variant = Variant(args.variant)
        except ValueError:
            raise ValueError(f"unknown variant '{args.variant}' (use {', '.join(v.value for v in Variant)})") from None
        spec = SynthSpec(
            exercise=Exercise(args.exercise),
            reps=args.reps,
            fault=Fault.parse(args.fault),
            fault_reps=_fault_reps(args.fault_reps),
            view=VIEW_CHOICES[args.view],
            tempo_s=args.tempo_s,
            rest_s=args.rest_s,
            width=width,
            height=height,
            fps=args.fps,
            seed=args.seed,
            camera=rig,
            variant=variant,
        )
        spec.validate()
        out = Path(args.out)
        if out.suffix.lower() != ".mp4":
            raise ValueError(f"output must be an .mp4 file, got '{out.name}'")
    except ValueError as exc:
        print(f"coach synth: {exc}", file=sys.stderr)
        return 2
    start = time.monotonic()
    try:
        truth = generate(spec, out)
    except OSError as exc:
        print(f"coach synth: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    took = time.monotonic() - start
    print(
        f"wrote {out} ({truth.n_frames} frames, {truth.duration_s:.1f} s, {len(truth.reps)} reps, "
        f"fault {truth.fault}) and {sidecar_path(out)} in {took:.1f} s"
    )
    return 0
