"""`coach accuracy`: render exercises × views × faults with `coach synth`, review each clip with the
coach, and score it against the exact ground truth.

Prints angle MAE per measure and view (MediaPipe landmark angles and the coach's own per-frame
angles, against the 3-D truth), rep-count accuracy, bird-dog side accuracy, fault recall and false
alarms. Clips are cached (keyed by their spec and the generator version) so reruns only review.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from coach.landmarks import Lm
from coach.types import STRENGTH_EXERCISES, Exercise, PoseFrame, View, WarningKind

DEFAULT_CACHE = Path(".cache") / "accuracy"
FAULT_KINDS = (
    WarningKind.SPINAL_FLEXION,
    WarningKind.TWIST,
    WarningKind.LUMBAR_HYPEREXTENSION,
    WarningKind.HIPS_RISE_FIRST,
)
FAULT_SIZES = {
    WarningKind.SPINAL_FLEXION: "spinal_flexion:35",
    WarningKind.TWIST: "twist:20",
    WarningKind.LUMBAR_HYPEREXTENSION: "lumbar_hyperextension:20",
    WarningKind.HIPS_RISE_FIRST: "hips_rise_first",
}
VIEWS = (View.SIDE, View.FRONT, View.OBLIQUE, View.REAR)


@dataclass(frozen=True)
class Case:
    """One clip of the matrix."""

    exercise: Exercise
    view: View
    fault: str  # "none" or a --fault text
    reps: int
    fault_reps: tuple[int, ...]
    fps: float
    seed: int
    camera: str = "default"
    """A named camera rig (coach.synth.scene.CAMERA_RIGS)."""

    @property
    def name(self) -> str:
        """A readable, unique name."""
        fault = self.fault.split(":")[0]
        cam = "" if self.camera == "default" else f"-{self.camera}"
        return f"{self.exercise.value}-{self.view.value}{cam}-{fault}-{self.reps}r-{self.fps:g}fps-s{self.seed}"


def cases(quick: bool, views: tuple[View, ...] | None = None) -> list[Case]:
    """The matrix: quick = side view only, 3 reps at 15 fps; full = every view, 4 reps at 30 fps.

    `views` overrides the views of either matrix.
    """
    from coach.synth.motions import Fault

    if views is None:
        views = (View.SIDE,) if quick else VIEWS
    reps, fps, fault_reps = (3, 15.0, (2,)) if quick else (4, 30.0, (2, 4))
    out = []
    for i, exercise in enumerate(STRENGTH_EXERCISES):
        for view in views:
            faults = ["none"]
            for kind in FAULT_KINDS:
                try:
                    Fault(kind, 1.0).check(exercise)
                except ValueError:
                    continue
                faults.append(FAULT_SIZES[kind])
            for j, fault in enumerate(faults):
                out.append(
                    Case(exercise, view, fault, reps, () if fault == "none" else fault_reps, fps, 1000 + 10 * i + j)
                )
    return out


def _spec(case: Case):
    from coach.synth import Fault, SynthSpec
    from coach.synth.scene import CAMERA_RIGS

    return SynthSpec(
        case.exercise,
        reps=case.reps,
        fault=Fault.parse(case.fault),
        fault_reps=case.fault_reps,
        view=case.view,
        fps=case.fps,
        seed=case.seed,
        camera=CAMERA_RIGS[case.camera],
    )


def ensure_clip(case: Case, cache: Path) -> tuple[Path, Any]:
    """The cached clip and its Truth, rendering them if missing."""
    from coach.synth import Truth, generate, sidecar_path
    from coach.synth.generate import GENERATOR_VERSION

    key = hashlib.sha1(f"{GENERATOR_VERSION}|{_spec(case)!r}".encode()).hexdigest()[:10]
    path = cache / f"{case.name}-{key}.mp4"
    side = sidecar_path(path)
    if path.is_file() and side.is_file():
        return path, Truth.load(side)
    return path, generate(_spec(case), path)


FLOOR_VIEWS = (View.SIDE, View.OBLIQUE, View.FRONT, View.REAR)
"""The floor run's views: for a body lying or on all fours, front is the head end and rear the feet end."""
FLOOR_SIZES = ((320, 240), (480, 360), (640, 360), (640, 480), (1280, 720))
FLOOR_TEMPO_S = {Exercise.BACK_EXTENSION: (2.0, 4.5), Exercise.BIRD_DOG: (3.5, 6.5)}
"""Seconds per rep drawn for the floor run (uniform)."""


@dataclass(frozen=True)
class FloorCase:
    """One clip of the seeded floor run (`coach accuracy --floor`): variant, view, reps, camera and tempo."""

    exercise: Exercise
    variant: str
    view: View
    reps: int
    tempo_s: float
    rest_s: float
    width: int
    height: int
    distance_m: float
    camera_height_m: float
    fps: float
    seed: int
    fault: str = "none"
    fault_reps: tuple[int, ...] = ()
    camera: str = "drawn"

    @property
    def name(self) -> str:
        """A readable, unique name."""
        fault = self.fault.split(":")[0]
        return (f"{self.exercise.value}-{self.variant}-{self.view.value}-{fault}-{self.reps}r-"
                f"{self.width}x{self.height}-d{self.distance_m:.1f}-h{self.camera_height_m:.1f}-s{self.seed}")

    def spec(self) -> Any:
        """The SynthSpec of this clip."""
        from coach.synth import Fault, SynthSpec
        from coach.synth.motions import Variant
        from coach.synth.scene import CameraRig

        return SynthSpec(self.exercise, reps=self.reps, fault=Fault.parse(self.fault), fault_reps=self.fault_reps,
                         view=self.view, tempo_s=self.tempo_s, rest_s=self.rest_s, width=self.width,
                         height=self.height, fps=self.fps, seed=self.seed, variant=Variant(self.variant),
                         camera=CameraRig(height_m=self.camera_height_m, distance_m=self.distance_m))


def floor_cases(n: int = 64, seed: int = 14, fps: float = 15.0) -> list[FloorCase]:
    """`n` seeded floor clips: every variant × view in turn, 6–12 reps, random tempo, rest, frame size, camera
    distance (2–5 m) and height (0.3–1.8 m); one bird-dog in three carries a 20° twist on two reps."""
    from coach.synth.motions import VARIANTS

    combos = [(ex, v, view) for ex in (Exercise.BACK_EXTENSION, Exercise.BIRD_DOG) for v in VARIANTS[ex]
              for view in FLOOR_VIEWS]
    rng = np.random.default_rng([seed, 1414])
    out = []
    for i in range(n):
        ex, variant, view = combos[i % len(combos)]
        reps = int(rng.integers(6, 13))
        lo, hi = FLOOR_TEMPO_S[ex]
        w, h = FLOOR_SIZES[int(rng.integers(len(FLOOR_SIZES)))]
        fault, fault_reps = "none", tuple[int, ...]()
        if ex is Exercise.BIRD_DOG and i % 3 == 0:
            fault, fault_reps = "twist:20", tuple(sorted(int(r) for r in rng.choice(np.arange(1, reps + 1), 2,
                                                                                    replace=False)))
        case = FloorCase(ex, variant.value, view, reps, round(float(rng.uniform(lo, hi)), 2),
                         round(float(rng.choice([0.0, 0.0, 0.5, 1.5])), 2), w, h,
                         round(float(rng.uniform(2.0, 5.0)), 2), round(float(rng.uniform(0.3, 1.8)), 2), fps,
                         5000 + i, fault, fault_reps)
        out.append(_at_least(case, FLOOR_MIN_PERSON_PX))
    return out


FLOOR_MIN_PERSON_PX = 120.0
"""The floor run's smallest person (the larger side of the joints' box at the start), px (issue #14: ~120 px)."""


def _at_least(case: FloorCase, size_px: float) -> FloorCase:
    """The case with the camera moved closer until the person is at least `size_px` large at the start (the
    apparent size falls about as 1/distance), not nearer than 1.2 m."""
    from coach.synth import Generator

    for _ in range(4):
        ft, _posed = Generator(case.spec()).truth_for(0)
        pts = np.array(list(ft.joints_px.values()))
        extent = float(max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1])))
        if extent >= size_px or case.distance_m <= 1.2:
            return case
        case = replace(case, distance_m=round(max(1.2, case.distance_m * extent / (size_px * 1.05)), 2))
    return case


@dataclass(frozen=True)
class PoseReview:
    """A review of pose frames (no video file): what `score` reads of a `Report`."""

    session: Any

    @property
    def reps(self) -> tuple[Any, ...]:
        """All reps."""
        return tuple(self.session.analysis.reps)

    @property
    def complete_reps(self) -> int:
        """Number of complete reps."""
        return sum(r.complete for r in self.reps)


def review_poses(poses: list[PoseFrame], exercise: Exercise) -> PoseReview:
    """Review pose frames as `coach review` would, frame by frame."""
    from coach.session import SessionAnalyzer

    session = SessionAnalyzer(exercise)
    for pose in poses:
        session.push(pose)
    return PoseReview(session.finish())


def run_floor_case(case: FloorCase, render_cache: Path | None = None) -> dict[str, Any]:
    """Score one floor clip: stick-figure poses (default), or rendered and read by MediaPipe into `render_cache`."""
    if render_cache is None:
        from coach.synth.stick import stick_poses

        poses, truth = stick_poses(case.spec())
        report: Any = review_poses(poses, case.exercise)
    else:
        from coach.synth import Truth, generate, sidecar_path
        from coach.synth.generate import GENERATOR_VERSION

        key = hashlib.sha1(f"{GENERATOR_VERSION}|{case.spec()!r}".encode()).hexdigest()[:10]
        path = render_cache / f"{case.name}-{key}.mp4"
        truth = Truth.load(sidecar_path(path)) if path.is_file() and sidecar_path(path).is_file() else \
            generate(case.spec(), path)
        report, poses = review_clip(path, case.exercise)
    res = score(case, truth, report, poses)  # type: ignore[arg-type]
    res["variant"] = case.variant
    res["person_size_px"] = truth.person_size_px
    return res


def floor_table(results: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Per exercise:variant and view: clips, exact counts, counts within one."""
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for r in results:
        cell = table[f"{r['exercise']}:{r['variant']}"][r["view"]]
        cell["clips"] += 1
        cell["exact"] += int(r["reps_counted"] == r["reps_true"])
        cell["within_one"] += int(abs(r["reps_counted"] - r["reps_true"]) <= 1)
    return {k: {v: dict(c) for v, c in views.items()} for k, views in table.items()}


def print_floor_table(table: dict[str, dict[str, dict[str, int]]], out: Callable[[str], None] = print) -> None:
    """Exact / clips per variant and view, and the totals."""
    views = [v.value for v in FLOOR_VIEWS]
    out(f"\nfloor reps exact/clips (within one): {'':10s}" + "".join(f"{v:>14s}" for v in views))
    tot: dict[str, int] = defaultdict(int)
    for name, per_view in sorted(table.items()):
        cells = ""
        for v in views:
            c = per_view.get(v)
            cells += f"{c['exact']:>6d}/{c['clips']:<2d}({c['within_one']:>2d}) " if c else f"{'–':>14s}"
            for k in ("clips", "exact", "within_one"):
                tot[k] += c[k] if c else 0
        out(f"  {name:46s}{cells}")
    if tot["clips"]:
        out(f"  all: exact {tot['exact']}/{tot['clips']} ({tot['exact'] / tot['clips']:.0%}), within one "
            f"{tot['within_one']}/{tot['clips']} ({tot['within_one'] / tot['clips']:.0%})")


def review_clip(path: Path, exercise: Exercise) -> tuple[Any, list[PoseFrame]]:
    """Review a clip with the coach's pipeline; returns the Report and the pose frames it saw (no masks)."""
    from coach.pipeline import review
    from coach.suggest import PoseLog

    log = PoseLog(limit=10**9)
    return review(path, exercise, on_pose=log.append), log.frames


def _near(view: View) -> tuple[str, ...]:
    """Body sides facing the camera (side and 45° views show the left)."""
    return ("left",) if view in (View.SIDE, View.OBLIQUE) else ("left", "right")


def _landmark_angles(pf: PoseFrame, sides: tuple[str, ...]) -> dict[str, float]:
    from coach.synth import angles as A

    lm = pf.landmarks

    def p(name: str) -> np.ndarray:
        return lm[Lm[name.upper()], :2]

    knee = np.mean([A.knee_flexion(p(f"{s}_hip"), p(f"{s}_knee"), p(f"{s}_ankle")) for s in sides])
    hip = np.mean([A.hip_angle(p(f"{s}_shoulder"), p(f"{s}_hip"), p(f"{s}_knee")) for s in sides])
    mid_hip = (p("left_hip") + p("right_hip")) / 2
    mid_sh = (p("left_shoulder") + p("right_shoulder")) / 2
    return {
        "knee_flexion": float(knee),
        "hip_angle": float(hip),
        "trunk_from_vertical": A.trunk_from_vertical_2d(mid_hip, mid_sh),
    }


def _truth_angles(ft: Any, sides: tuple[str, ...], rest_trunk: float) -> dict[str, float]:
    knee = float(np.mean([ft.knee_flexion_deg[s] for s in sides]))
    hip = float(np.mean([ft.hip_angle_deg[s] for s in sides]))
    return {
        "knee_flexion": knee,
        "hip_angle": hip,
        "trunk_from_vertical": ft.trunk_from_vertical_deg,
        # The coach's own display angles, in the same terms.
        "coach.knee_flexion_deg": knee,
        "coach.trunk_from_vertical_deg": ft.trunk_from_vertical_deg,
        "coach.trunk_inclination_deg": ft.trunk_from_vertical_deg,
        "coach.hip_flexion_deg": 180.0 - hip,
        "coach.trunk_lift_deg": rest_trunk - ft.trunk_from_vertical_deg,
    }


def _projected_angles(ft: Any, sides: tuple[str, ...]) -> dict[str, float]:
    """Truth angles of the projected 2-D joints (what a perfect 2-D landmarker would give)."""
    return {
        "knee_flexion": float(np.mean([ft.knee_flexion_2d_deg[s] for s in sides])),
        "hip_angle": float(np.mean([ft.hip_angle_2d_deg[s] for s in sides])),
        "trunk_from_vertical": ft.trunk_from_vertical_2d_deg,
    }


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def score(case: Case, truth: Any, report: Any, poses: list[PoseFrame]) -> dict[str, Any]:
    """Compare one reviewed clip with its truth."""
    sides = _near(case.view)
    by_index = {round(ft.time_s * truth.fps): ft for ft in truth.frames}
    rest_trunk = truth.frames[0].trunk_from_vertical_deg
    errors: dict[str, list[float]] = defaultdict(list)
    detected = 0
    for pf in poses:
        ft = by_index.get(round(pf.timestamp_s * truth.fps))
        if ft is None or not pf.detected:
            continue
        detected += 1
        true = _truth_angles(ft, sides, rest_trunk)
        projected = _projected_angles(ft, sides)
        for k, v in _landmark_angles(pf, sides).items():
            errors[f"mp.{k}"].append(v - true[k])
            errors[f"mp_vs_2d.{k}"].append(v - projected[k])
    for point in report.session.series:
        ft = by_index.get(round(point.time_s * truth.fps))
        if ft is None:
            continue
        true = _truth_angles(ft, sides, rest_trunk)
        for k, v in point.angles.items():
            key = f"coach.{k}"
            if key in true and v is not None and math.isfinite(v):
                errors[key].append(v - true[key])
    # Match coach reps to truth reps by the largest time overlap.
    reps = [r for r in report.reps if r.complete]
    matched: dict[int, Any] = {}
    for r in reps:
        best = max(truth.reps, key=lambda t: _overlap(r.start_s, r.end_s, t.start_s, t.end_s), default=None)
        if (
            best is not None
            and _overlap(r.start_s, r.end_s, best.start_s, best.end_s) > 0
            and best.index not in matched
        ):
            matched[best.index] = r
    faults = []
    for t in truth.reps:
        r = matched.get(t.index)
        kinds = sorted({w.kind.value for w in r.warnings}) if r is not None else []
        faults.append(
            {
                "rep": t.index,
                "fault": t.fault,
                "found": r is not None,
                "warnings": kinds,
                "side_true": t.side,
                "side_coach": r.side.value if r is not None and r.side is not None else None,
            }
        )
    return {
        "case": case.name,
        "camera": case.camera,
        "exercise": case.exercise.value,
        "view": case.view.value,
        "fault": case.fault,
        "frames": len(poses),
        "detected": detected,
        "reps_true": len(truth.reps),
        "reps_counted": report.complete_reps,
        "errors": {k: [round(float(x), 3) for x in v] for k, v in errors.items()},
        "reps": faults,
        "notices": [n.kind.value for n in report.session.notices],
    }


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate per-case scores into the accuracy tables."""
    mae: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for res in results:
        for k, v in res["errors"].items():
            mae[f"{res['exercise']}:{k}"][res["view"]].extend(abs(x) for x in v)
    angle = {
        m: {view: round(float(np.mean(v)), 2) for view, v in views.items() if v} for m, views in sorted(mae.items())
    }
    counts = [(r["reps_true"], r["reps_counted"]) for r in results]
    recall: dict[str, list[int]] = defaultdict(list)
    recall_view: dict[str, list[int]] = defaultdict(list)
    false_alarms: dict[str, list[int]] = defaultdict(list)
    other: dict[str, int] = defaultdict(int)
    sides: list[int] = []
    for res in results:
        for rep in res["reps"]:
            if rep["fault"] is not None:
                hit = int(rep["fault"] in rep["warnings"])
                recall[f"{res['exercise']}:{rep['fault']}"].append(hit)
                recall_view[f"{rep['fault']}:{res['view']}"].append(hit)
            for kind in FAULT_KINDS:
                if rep["fault"] != kind.value:
                    false_alarms[f"{res['exercise']}:{kind.value}"].append(int(kind.value in rep["warnings"]))
            for w in rep["warnings"]:
                if w not in {k.value for k in FAULT_KINDS}:
                    other[w] += 1
            if rep["side_true"] is not None and rep["found"]:
                sides.append(int(rep["side_true"] == rep["side_coach"]))
    frames = sum(r["frames"] for r in results)
    return {
        "clips": len(results),
        "detection_rate": round(sum(r["detected"] for r in results) / max(frames, 1), 4),
        "angle_mae_deg": angle,
        "rep_count": {
            "exact": round(float(np.mean([t == c for t, c in counts])), 3) if counts else None,
            "mae": round(float(np.mean([abs(t - c) for t, c in counts])), 3) if counts else None,
            "true_total": sum(t for t, _ in counts),
            "counted_total": sum(c for _, c in counts),
        },
        "fault_recall": {k: {"hits": sum(v), "reps": len(v)} for k, v in sorted(recall.items())},
        "fault_recall_by_view": {k: {"hits": sum(v), "reps": len(v)} for k, v in sorted(recall_view.items())},
        "false_alarms": {k: {"alarms": sum(v), "reps": len(v)} for k, v in sorted(false_alarms.items()) if v},
        "other_warnings": dict(sorted(other.items())),
        "bird_dog_side_accuracy": round(float(np.mean(sides)), 3) if sides else None,
    }


def print_summary(summary: dict[str, Any], out: Callable[[str], None] = print) -> None:
    """Human-readable tables."""
    out(f"clips: {summary['clips']}, person found in {summary['detection_rate']:.1%} of frames")
    out("\nangle MAE, degrees: mp.* = 2-D angles of MediaPipe landmarks vs 3-D truth; mp_vs_2d.* = the same vs")
    out("the truth's projected 2-D angles (MediaPipe's own error); coach.* = the coach's angles vs 3-D truth")
    views = [v.value for v in VIEWS]
    out(f"  {'exercise:measure':48s}" + "".join(f"{v:>9s}" for v in views))
    for measure, per_view in summary["angle_mae_deg"].items():
        cells = "".join(f"{per_view[v]:9.1f}" if v in per_view else f"{'–':>9s}" for v in views)
        out(f"  {measure:48s}{cells}")
    rc = summary["rep_count"]
    out(
        f"\nrep count: exact in {rc['exact']:.0%} of clips, MAE {rc['mae']:.2f} reps "
        f"({rc['counted_total']} counted / {rc['true_total']} true)"
    )
    if summary["bird_dog_side_accuracy"] is not None:
        out(f"bird-dog side correct: {summary['bird_dog_side_accuracy']:.0%} of matched reps")
    out("\nfault recall (faulty reps warned with that fault):")
    for k, v in summary["fault_recall"].items():
        out(f"  {k:44s} {v['hits']:3d}/{v['reps']:<3d}")
    out("fault recall by view:")
    for k, v in summary["fault_recall_by_view"].items():
        out(f"  {k:44s} {v['hits']:3d}/{v['reps']:<3d}")
    out("false alarms (reps warned with a fault they do not carry):")
    for k, v in summary["false_alarms"].items():
        if v["alarms"]:
            out(f"  {k:44s} {v['alarms']:3d}/{v['reps']:<3d}")
    if summary["other_warnings"]:
        out("other warnings: " + ", ".join(f"{k} ×{n}" for k, n in summary["other_warnings"].items()))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `accuracy` sub-command."""
    p = subparsers.add_parser(
        "accuracy",
        help="score the coach on synthetic clips with exact ground truth",
        description="Render exercises × views × faults (cached), review each, and score against the truth.",
    )
    p.add_argument("--quick", action="store_true", help="side view only, 3 reps at 15 fps (a few minutes)")
    p.add_argument("--json", type=Path, default=None, help="write per-clip results and the summary here")
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"clip cache folder (default {DEFAULT_CACHE})")
    p.add_argument("--exercise", choices=[e.value for e in STRENGTH_EXERCISES], default=None, help="only this exercise")
    p.add_argument("--views", default=None, help="comma-separated views to run (side,front,45,rear)")
    p.add_argument("--cameras", default="default",
                   help="comma-separated camera rigs to film every case with (default,floor,table,shelf,rolled)")
    p.add_argument("--floor", type=int, nargs="?", const=64, default=None, metavar="N",
                   help="the seeded floor run instead: N back-extension and bird-dog clips (default 64) over every "
                        "variant × view, 6–12 reps, random size, camera and tempo, as stick-figure poses")
    p.add_argument("--floor-seed", type=int, default=14, help="seed of the floor run (default 14)")
    p.add_argument("--render", action="store_true",
                   help="with --floor: render each clip and read it with MediaPipe (slow: minutes a clip)")
    p.set_defaults(func=run)


def run_floor(args: argparse.Namespace) -> int:
    """The seeded floor run; returns the exit code."""
    from coach.synth.truth import write_json_atomic

    selected = [c for c in floor_cases(args.floor, args.floor_seed)
                if args.exercise is None or c.exercise.value == args.exercise]
    cache = args.cache if args.render else None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    results = []
    for i, case in enumerate(selected, 1):
        start = time.monotonic()
        res = run_floor_case(case, cache)
        results.append(res)
        print(f"[{i}/{len(selected)}] {case.name}: reps {res['reps_counted']}/{res['reps_true']}, "
              f"{res['person_size_px']:.0f} px ({time.monotonic() - start:.1f} s)", file=sys.stderr, flush=True)
    summary = summarize(results)
    summary["floor_table"] = floor_table(results)
    print_summary(summary)
    print_floor_table(summary["floor_table"])
    if args.json is not None:
        write_json_atomic(args.json, {"summary": summary, "clips": results})
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the matrix; returns the exit code."""
    from coach.synth.truth import write_json_atomic

    if args.floor is not None:
        return run_floor(args)
    names = {"side": View.SIDE, "front": View.FRONT, "45": View.OBLIQUE, "oblique": View.OBLIQUE, "rear": View.REAR}
    views = None
    if args.views:
        try:
            views = tuple(dict.fromkeys(names[v.strip()] for v in args.views.split(",") if v.strip()))
        except KeyError as exc:
            print(f"coach accuracy: unknown view {exc.args[0]!r} (use side, front, 45, rear)", file=sys.stderr)
            return 2
    from coach.commands.synth import CAMERA_NAMES

    cameras = [c.strip() for c in args.cameras.split(",") if c.strip()]
    if not cameras or any(c not in CAMERA_NAMES for c in cameras):
        print(f"coach accuracy: cameras must be among {', '.join(CAMERA_NAMES)}, got {args.cameras!r}", file=sys.stderr)
        return 2
    selected = [replace(c, camera=cam) for cam in cameras for c in cases(args.quick, views)
                if args.exercise is None or c.exercise.value == args.exercise]
    results = []
    try:
        args.cache.mkdir(parents=True, exist_ok=True)
        for i, case in enumerate(selected, 1):
            start = time.monotonic()
            path, truth = ensure_clip(case, args.cache)
            report, poses = review_clip(path, case.exercise)
            res = score(case, truth, report, poses)
            results.append(res)
            print(
                f"[{i}/{len(selected)}] {case.name}: reps {res['reps_counted']}/{res['reps_true']}, "
                f"person {res['detected']}/{res['frames']} frames ({time.monotonic() - start:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
    except OSError as exc:
        print(f"coach accuracy: {exc}", file=sys.stderr)
        return 1
    summary = summarize(results)
    print_summary(summary)
    if args.json is not None:
        write_json_atomic(args.json, {"summary": summary, "clips": results})
    return 0
