"""Generate a synthetic exercise clip and its exact ground truth.

`generate(spec, out_path)` writes OUT.mp4 and OUT.json and returns the `Truth`; `frames(spec)`
yields (image, FrameTruth) pairs without writing anything (used by tests and the accuracy matrix).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from coach.synth import angles, functional
from coach.synth.body import PrimArrays, barbell, body_prims, place
from coach.synth.motions import (
    READY_S,
    Fault,
    Support,
    Timeline,
    Variant,
    phase_at,
    plan,
    pose_at,
    resolve_variant,
    timing,
)
from coach.synth.render import Camera, raycast, shade_body, to_srgb8
from coach.synth.scene import CameraRig, camera_for, contact_shadows, degrade, draw_body, draw_lighting, draw_look, room
from coach.synth.skeleton import BodyDims, forward_kinematics, joints
from coach.synth.truth import FrameTruth, RepTruth, Truth, sidecar_path
from coach.types import Exercise, View

GENERATOR_VERSION = 3
"""Bumped whenever the same spec would render different frames or truth (cache keys use it)."""

MIN_SIZE_PX = 64
MAX_SIZE_PX = 4096
MAX_REPS = 100


@dataclass(frozen=True)
class SynthSpec:
    """What to generate.

    Attributes:
        exercise: The exercise.
        reps: Number of reps (1–100).
        fault: Fault injected into `fault_reps` (None = a clean set).
        fault_reps: 1-based reps carrying the fault; empty = all reps when a fault is given.
        view: Camera view (side = camera on the person's left).
        tempo_s: Duration of one rep including its short pause at the top, s (None = the exercise's
            default: 2.5 s squat and deadlift, 3 s back extension, 5 s bird-dog with a 2.5 s hold).
        rest_s: Standing/lying still between reps, s.
        width: Frame width, px.
        height: Frame height, px.
        fps: Frame rate, frames/s.
        seed: Seed for body, appearance, lights, camera jitter, rep variation and noise.
        camera: Camera height, pitch, roll and distance (`CameraRig`; default: the view's level camera).
        variant: How a floor exercise is done (`Variant`: superman, alternating, prone, plank…).
    """

    exercise: Exercise
    reps: int = 5
    fault: Fault | None = None
    fault_reps: tuple[int, ...] = field(default_factory=tuple)
    view: View = View.SIDE
    tempo_s: float | None = None
    rest_s: float = 0.0
    width: int = 640
    height: int = 480
    fps: float = 30.0
    seed: int = 0
    camera: CameraRig = field(default_factory=CameraRig)
    variant: Variant = Variant.DEFAULT

    def validate(self) -> None:
        """Raise ValueError (one-line message) for an impossible spec."""
        if not 1 <= self.reps <= MAX_REPS:
            raise ValueError(f"reps must be 1–{MAX_REPS}, got {self.reps}")
        if self.view not in (View.SIDE, View.FRONT, View.OBLIQUE, View.REAR):
            raise ValueError(f"view must be side, front, 45 or rear, got {self.view}")
        if not (0.8 <= self.tempo() <= 20) or not math.isfinite(self.tempo()):
            raise ValueError(f"tempo must be 0.8–20 s per rep, got {self.tempo()}")
        if not (0 <= self.rest_s <= 60) or not math.isfinite(self.rest_s):
            raise ValueError(f"rest must be 0–60 s, got {self.rest_s}")
        for side in (self.width, self.height):
            if not MIN_SIZE_PX <= side <= MAX_SIZE_PX:
                raise ValueError(
                    f"frame size must be {MIN_SIZE_PX}–{MAX_SIZE_PX} px a side, got {self.width}x{self.height}"
                )
        if not (1 <= self.fps <= 120) or not math.isfinite(self.fps):
            raise ValueError(f"fps must be 1–120, got {self.fps}")
        self.camera.validate()
        resolve_variant(self.exercise, self.variant)
        if self.fault is not None:
            self.fault.check(self.exercise)
        elif self.fault_reps:
            raise ValueError("--fault-reps needs --fault")
        bad = [r for r in self.fault_reps if not 1 <= r <= self.reps]
        if bad:
            raise ValueError(f"fault reps must be between 1 and {self.reps}, got {bad[0]}")

    def tempo(self) -> float:
        """Seconds per rep (the exercise's default when not given)."""
        if self.tempo_s is not None:
            return float(self.tempo_s)
        if self.exercise in functional.FUNCTIONAL_EXERCISES:
            return functional.DEFAULT_TEMPO_S
        return timing(self.exercise).tempo_s

    def faulty_reps(self) -> tuple[int, ...]:
        """1-based reps that carry the fault."""
        if self.fault is None:
            return ()
        return tuple(sorted(set(self.fault_reps))) if self.fault_reps else tuple(range(1, self.reps + 1))

    def timeline(self) -> Timeline:
        """The rep plan for this spec."""
        if self.exercise in functional.FUNCTIONAL_EXERCISES:
            script = functional.script_for(self.exercise, self.reps)
            return Timeline(self.exercise, self.tempo(), 0.0, (), script.duration_s)
        faults = {r - 1: self.fault for r in self.faulty_reps() if self.fault is not None}
        return plan(self.exercise, self.reps, faults, self.tempo(), self.rest_s, self.seed, self.variant)

    def n_frames(self) -> int:
        """Number of frames in the clip."""
        return math.floor(self.timeline().duration_s * self.fps + 1e-9)


@dataclass(frozen=True)
class _Posed:
    """One posed frame: world joints (m) and world primitives."""

    joints: dict[str, np.ndarray]
    prims: PrimArrays
    spine_flexion: float


class Generator:
    """Renders the frames of one spec (the scene is built once)."""

    def __init__(self, spec: SynthSpec) -> None:
        spec.validate()
        self.spec = spec
        self.timeline = spec.timeline()
        self.dims: BodyDims = draw_body(spec.seed)
        self.look = draw_look(spec.seed)
        self.prims = body_prims(self.look.outfit)
        self.camera: Camera = camera_for(spec.exercise, spec.view, spec.width, spec.height, spec.seed, spec.camera)
        view_dir = np.asarray(self.camera.position) - np.asarray(self.camera.target)
        view_dir[1] = 0.0
        self.lighting = draw_lighting(spec.seed, view_dir / np.linalg.norm(view_dir))
        self.dirs = self.camera.ray_dirs()
        self.background, self.floor_points = room(
            self.camera, self.dirs, self.look, self.lighting, spec.exercise, spec.seed
        )
        self.background8 = to_srgb8(self.background)
        self.albedo = self.look.albedo()
        self.shininess = self.look.shininess()
        self.script = (functional.script_for(spec.exercise, spec.reps)
                       if spec.exercise in functional.FUNCTIONAL_EXERCISES else None)

    def pose(self, t: float) -> tuple[_Posed, float, int | None]:
        """The posed body at time t (s), its phase (0–1) and 1-based rep (or None)."""
        if self.script is not None:
            return self._scripted(t)
        phase = phase_at(self.timeline, t)
        pose, support = pose_at(self.spec.exercise, self.dims, phase, self.timeline.variant)
        frames = forward_kinematics(self.dims, pose)
        prims = place(self.prims, self.dims, frames)
        if self.spec.exercise is Exercise.DEADLIFT:
            prims = prims.concat(barbell(frames, self.dims))
        delta = np.zeros(3)
        if support is Support.FEET:
            js = joints(self.dims, frames)
            mid = (js["left_ankle"] + js["right_ankle"]) / 2
            delta[0], delta[2] = -mid[0], -mid[2]
        delta[1] = -prims.lowest_y()
        frames = frames.translated(delta)
        posed = _Posed(joints(self.dims, frames), prims.translated(delta), angles.spine_flexion(frames))
        rep = phase.rep.index + 1 if phase.rep is not None else None
        return posed, phase.q, rep

    def _scripted(self, t: float) -> tuple[_Posed, float, int | None]:
        """The posed body of a scripted (functional) clip at t, s: feet planted, lowest point on the floor."""
        script = self.script
        assert script is not None
        frames, _ = functional.posed(script, self.dims, t)
        prims = place(self.prims, self.dims, frames)
        lift = np.array([0.0, -prims.lowest_y(), 0.0])
        frames, prims = frames.translated(lift), prims.translated(lift)
        if script.chair:
            prims = prims.concat(functional.chair_prims(self.dims))
        body = script.body_at(t)
        posed = _Posed(joints(self.dims, frames), prims, angles.spine_flexion(frames))
        return posed, max(body.sit, body.heel, body.lift_left, body.lift_right), script.rep_at(t)

    def truth_for(self, index: int) -> tuple[FrameTruth, _Posed]:
        """Ground truth of frame `index` (and the posed body used to render it)."""
        t = index / self.spec.fps
        posed, q, rep = self.pose(t)
        j = posed.joints
        names = list(j)
        px = self.camera.project(np.array([j[n] for n in names]))
        jp = {n: px[i] for i, n in enumerate(names)}

        def sides(fn, keys: tuple[str, str, str], pts: dict[str, np.ndarray]) -> dict[str, float]:
            return {s: round(fn(*(pts[f"{s}_{k}"] for k in keys)), 4) for s in ("left", "right")}

        def mid(pts: dict[str, np.ndarray], k: str) -> np.ndarray:
            return (pts[f"left_{k}"] + pts[f"right_{k}"]) / 2

        ft = FrameTruth(
            index=index,
            time_s=round(t, 6),
            rep=rep,
            phase=round(q, 5),
            knee_flexion_deg=sides(angles.knee_flexion, ("hip", "knee", "ankle"), j),
            hip_angle_deg=sides(angles.hip_angle, ("shoulder", "hip", "knee"), j),
            trunk_from_vertical_deg=round(angles.trunk_from_vertical(mid(j, "hip"), mid(j, "shoulder")), 4),
            spine_flexion_deg=round(posed.spine_flexion, 4),
            trunk_twist_deg=round(
                angles.trunk_twist(j["left_shoulder"], j["right_shoulder"], j["left_hip"], j["right_hip"]), 4
            ),
            knee_flexion_2d_deg=sides(angles.knee_flexion, ("hip", "knee", "ankle"), jp),
            hip_angle_2d_deg=sides(angles.hip_angle, ("shoulder", "hip", "knee"), jp),
            trunk_from_vertical_2d_deg=round(angles.trunk_from_vertical_2d(mid(jp, "hip"), mid(jp, "shoulder")), 4),
            joints_px={n: [round(float(v), 2) for v in jp[n]] for n in names},
            joints_m={n: [round(float(v), 4) for v in j[n]] for n in names},
        )
        return ft, posed

    def render(self, posed: _Posed, index: int) -> np.ndarray:
        """The 8-bit RGB frame for a posed body (bit-identical for the same spec and index)."""
        image = self.background8.copy()
        shadow = contact_shadows(self.camera, self.floor_points, posed.prims)
        if shadow is not None:
            rows, cols, factor = shadow
            image[rows, cols] = to_srgb8(self.background[rows, cols] * factor[..., None])
        hits = raycast(self.camera, self.dirs, posed.prims)
        mask, colour = shade_body(hits, self.dirs, self.albedo, self.shininess, self.lighting)
        image[mask] = to_srgb8(colour)
        return degrade(image, self.look, self.spec.seed, index)

    def __iter__(self) -> Iterator[tuple[np.ndarray, FrameTruth]]:
        for i in range(self.spec.n_frames()):
            ft, posed = self.truth_for(i)
            yield self.render(posed, i), ft

    def truth(self, frames: list[FrameTruth]) -> Truth:
        """The clip's Truth given its per-frame truth."""
        spec = self.spec
        reps = self._scripted_reps() if self.script is not None else []
        for rp in self.timeline.reps:
            inside = [f for f in frames if f.rep == rp.index + 1]
            flex = [f.spine_flexion_deg for f in inside] or [0.0]
            twist = [abs(f.trunk_twist_deg) for f in inside] or [0.0]
            reps.append(
                RepTruth(
                    index=rp.index + 1,
                    start_s=round(rp.start_s, 6),
                    bottom_s=round(rp.bottom_s, 6),
                    end_s=round(rp.end_s, 6),
                    side=rp.side.value if rp.side is not None else None,
                    fault=rp.fault.kind.value if rp.fault is not None else None,
                    fault_deg=rp.fault.degrees if rp.fault is not None and rp.fault.degrees else None,
                    peak_spine_flexion_deg=round(max(flex), 4),
                    min_spine_flexion_deg=round(min(flex), 4),
                    peak_abs_twist_deg=round(max(twist), 4),
                )
            )
        first = frames[0].joints_px if frames else {}
        ys = [v[1] for v in first.values()]
        xs = [v[0] for v in first.values()]
        extent = max(max(ys) - min(ys), max(xs) - min(xs)) if ys else 0.0
        cam = self.camera
        return Truth(
            exercise=spec.exercise.value,
            view=spec.view.value,
            seed=spec.seed,
            width=spec.width,
            height=spec.height,
            fps=spec.fps,
            n_frames=len(frames),
            duration_s=round(len(frames) / spec.fps, 6),
            tempo_s=spec.tempo(),
            rest_s=spec.rest_s,
            fault=str(spec.fault) if spec.fault is not None else "none",
            fault_reps=list(spec.faulty_reps()),
            calibration_s=[0.0, READY_S],
            person_size_px=round(float(extent), 1),
            camera={
                "position_m": [round(float(v), 4) for v in cam.position],
                "target_m": [round(float(v), 4) for v in cam.target],
                "hfov_deg": cam.hfov_deg,
                "focal_px": round(cam.focal_px, 3),
                "pitch_deg": round(_pitch_deg(cam), 4),
                "roll_deg": cam.roll_deg,
            },
            body={"height_m": self.dims.height_m, "bulk": self.dims.bulk},
            look={
                "outfit": {
                    k: getattr(self.look.outfit, k) for k in ("long_sleeves", "long_pants", "long_hair", "face")
                },
                "noise_sigma": self.look.noise_sigma,
                "blur_sigma": self.look.blur_sigma,
                "jpeg_quality": self.look.jpeg_quality,
            },
            reps=reps,
            frames=frames,
            holds=list(self.script.holds) if self.script is not None else [],
            test=self.script.test if self.script is not None else None,
            go_s=self.script.go_s if self.script is not None else None,
            variant=self.timeline.variant.value,
        )

    def _scripted_reps(self) -> list[RepTruth]:
        """A scripted clip's reps: stands (start, full extension, seated again) or heel drops (start, impact,
        end), with their injected faults."""
        script = self.script
        assert script is not None
        return [RepTruth(index=i, start_s=round(a, 6), bottom_s=round(b, 6), end_s=round(c, 6), side=None,
                         fault=script.rep_faults.get(i), fault_deg=None, peak_spine_flexion_deg=0.0,
                         min_spine_flexion_deg=0.0, peak_abs_twist_deg=0.0)
                for i, (a, b, c) in enumerate(script.rep_spans, start=1)]


def _pitch_deg(cam: Camera) -> float:
    """The camera's pitch, degrees (+ = looking down)."""
    fwd = np.asarray(cam.target, float) - np.asarray(cam.position, float)
    return -math.degrees(math.atan2(fwd[1], float(np.hypot(fwd[0], fwd[2]))))


def frames(spec: SynthSpec) -> Iterator[tuple[np.ndarray, FrameTruth]]:
    """Yield (RGB uint8 image, FrameTruth) for every frame of the clip, without writing files."""
    yield from Generator(spec)


def generate(spec: SynthSpec, out_path: str | os.PathLike[str]) -> Truth:
    """Render the clip to `out_path` (H.264 mp4) and its truth to the .json beside it; returns the Truth."""
    from coach.video import VideoWriter

    gen = Generator(spec)
    truths: list[FrameTruth] = []
    with VideoWriter(out_path, spec.fps, spec.width, spec.height) as writer:
        for image, ft in gen:
            writer.write(image, timestamp_s=ft.time_s)
            truths.append(ft)
    truth = gen.truth(truths)
    truth.write(sidecar_path(out_path))
    return truth
