"""Exercise motions: a rep timeline, per-rep faults and the body pose at any time.

Times are seconds from the start of the clip; angles are degrees. The person faces +x (see
`coach.synth.skeleton` for the world frame). Each rep is: move (down / out), hold at the bottom or
peak, return, and a short pause at the top; a ready hold comes before the first rep and a short
hold after the last one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from coach.exercises import SynthTiming, spec_of
from coach.synth.skeleton import (
    SPINE,
    SPINE_REST_DEG,
    BodyDims,
    Pose,
    Seg,
    forward_kinematics,
    joints,
    pitch,
    roll,
    yaw,
)
from coach.types import Exercise, Side, WarningKind

FAULT_KINDS: tuple[WarningKind, ...] = (
    WarningKind.SPINAL_FLEXION,
    WarningKind.TWIST,
    WarningKind.LUMBAR_HYPEREXTENSION,
    WarningKind.HIPS_RISE_FIRST,
)
_NEEDS_DEGREES = (WarningKind.SPINAL_FLEXION, WarningKind.TWIST, WarningKind.LUMBAR_HYPEREXTENSION)

# How a total spine angle is shared by lumbar, lower thorax and upper thorax.
_FLEX_WEIGHTS = (0.4, 0.35, 0.25)
_EXT_WEIGHTS = (0.6, 0.3, 0.1)
_TWIST_WEIGHTS = (0.2, 0.4, 0.4)

READY_S = 1.5
END_HOLD_S = 0.5


def timing(exercise: Exercise) -> SynthTiming:
    """The exercise's rep timing (`ExerciseSpec.synth`: default seconds per rep, including the short pause at
    the top, and the shares of a rep spent moving, holding, returning and pausing); ValueError when it has none."""
    spec = spec_of(exercise)
    if spec.synth is None:
        raise ValueError(f"coach synth cannot render a {spec.name} yet")
    return spec.synth


def _standing(exercise: Exercise) -> bool:
    return spec_of(exercise).posture.upright


class Variant(StrEnum):
    """How a floor exercise is done (`coach synth --variant`): the back extension's lifts and arm positions, and
    the bird-dog's base (knees or a high plank). `DEFAULT` is the exercise's usual form (a full superman; a
    bird-dog on hands and knees)."""

    DEFAULT = "default"
    SUPERMAN = "superman"
    """Chest, arms (reaching ahead) and both legs lift together."""
    SUPERMAN_ARMS = "superman_arms"
    """Chest and arms lift; the legs stay down."""
    SUPERMAN_LEGS = "superman_legs"
    """Both legs lift; the chest and arms stay down."""
    ALTERNATING = "alternating"
    """Opposite arm and leg lift, sides alternating, the chest a little."""
    PRONE_SIDES = "prone_sides"
    """Prone back extension, hands by the sides: the chest lifts, the legs stay down."""
    PRONE_HEAD = "prone_head"
    """Prone back extension, hands behind the head."""
    KNEES = "knees"
    """Bird-dog on hands and knees."""
    PLANK = "plank"
    """Bird-dog from a high plank (hands and toes)."""


VARIANTS: dict[Exercise, tuple[Variant, ...]] = {
    Exercise.BACK_EXTENSION: (Variant.SUPERMAN, Variant.SUPERMAN_ARMS, Variant.SUPERMAN_LEGS, Variant.ALTERNATING,
                              Variant.PRONE_SIDES, Variant.PRONE_HEAD),
    Exercise.BIRD_DOG: (Variant.KNEES, Variant.PLANK),
}
"""The variants each floor exercise can be rendered in (the first is its `DEFAULT`)."""


def resolve_variant(exercise: Exercise, variant: Variant) -> Variant:
    """The concrete variant: `DEFAULT` becomes the exercise's first; ValueError for one it does not have."""
    options = VARIANTS.get(exercise, ())
    if variant is Variant.DEFAULT:
        return options[0] if options else Variant.DEFAULT
    if variant not in options:
        names = ", ".join(v.value for v in options) or "none"
        raise ValueError(f"variant '{variant.value}' does not apply to {exercise.value} (use {names})")
    return variant


class Support(StrEnum):
    """How the body is placed on the floor: standing on fixed feet, or lying/kneeling where it lands."""

    FEET = "feet"
    FLOOR = "floor"


@dataclass(frozen=True, slots=True)
class Fault:
    """A form fault injected into a rep: its kind and size, degrees (0 for hips_rise_first)."""

    kind: WarningKind
    degrees: float = 0.0

    def __str__(self) -> str:
        if self.kind in _NEEDS_DEGREES:
            return f"{self.kind.value}:{self.degrees:g}"
        return self.kind.value

    @classmethod
    def parse(cls, text: str) -> Fault | None:
        """Parse `none`, `hips_rise_first` or `KIND:DEG`; raises ValueError with a one-line reason."""
        text = text.strip().lower()
        if text in ("", "none"):
            return None
        name, _, deg_text = text.partition(":")
        try:
            kind = WarningKind(name)
        except ValueError:
            raise ValueError(f"unknown fault '{name}' (use {', '.join(k.value for k in FAULT_KINDS)})") from None
        if kind not in FAULT_KINDS:
            raise ValueError(f"fault '{name}' cannot be synthesized (use {', '.join(k.value for k in FAULT_KINDS)})")
        if kind not in _NEEDS_DEGREES:
            if deg_text:
                raise ValueError(f"fault '{name}' takes no degrees")
            return cls(kind)
        try:
            degrees = float(deg_text)
        except ValueError:
            raise ValueError(f"fault '{name}' needs degrees, e.g. {name}:20") from None
        if not (0 < degrees <= 90) or not math.isfinite(degrees):
            raise ValueError(f"fault degrees must be in (0, 90], got {deg_text}")
        return cls(kind, degrees)

    def check(self, exercise: Exercise) -> None:
        """Raise ValueError when this fault makes no sense for `exercise`."""
        if self.kind is WarningKind.HIPS_RISE_FIRST and not _standing(exercise):
            raise ValueError(f"hips_rise_first applies to squat and deadlift, not {exercise.value}")


@dataclass(frozen=True, slots=True)
class RepPlan:
    """One planned rep: span (s), time of the bottom/peak hold's middle (s), side, fault, variation."""

    index: int
    start_s: float
    bottom_s: float
    end_s: float
    side: Side | None
    fault: Fault | None
    depth: float
    natural_flexion_deg: float


@dataclass(frozen=True, slots=True)
class Timeline:
    """The whole clip's plan: reps and total duration, s."""

    exercise: Exercise
    tempo_s: float
    rest_s: float
    reps: tuple[RepPlan, ...]
    duration_s: float
    variant: Variant = Variant.DEFAULT


@dataclass(frozen=True, slots=True)
class Phase:
    """Movement progress at one instant: 0 = start position, 1 = bottom/peak.

    `legs` and `trunk` differ only in a hips-rise-first ascent; `top` is a 0–1 bump around
    lockout at the end of the rep (for hyperextension at the top).
    """

    legs: float
    trunk: float
    top: float
    rep: RepPlan | None

    @property
    def q(self) -> float:
        """Overall progress (the trunk's)."""
        return self.trunk


def plan(
    exercise: Exercise,
    reps: int,
    faults: dict[int, Fault],
    tempo_s: float | None = None,
    rest_s: float = 0.0,
    seed: int = 0,
    variant: Variant = Variant.DEFAULT,
) -> Timeline:
    """Plan `reps` reps; `faults` maps a 0-based rep index to its fault. Variation is seeded.

    `tempo_s` defaults to the exercise's (`timing`).
    """
    if tempo_s is None:
        tempo_s = timing(exercise).tempo_s
    rng = np.random.default_rng([seed, 7919])
    fd, fh, _, _ = timing(exercise).splits
    out = []
    for i in range(reps):
        start = READY_S + i * (tempo_s + rest_s)
        side = None
        if exercise is Exercise.BIRD_DOG or variant is Variant.ALTERNATING:
            side = Side.LEFT if i % 2 == 0 else Side.RIGHT
        depth = float(rng.uniform(0.94, 1.03))
        natural = float(rng.uniform(0.0, 3.0)) if _standing(exercise) else 0.0
        out.append(
            RepPlan(
                index=i,
                start_s=start,
                bottom_s=start + (fd + fh / 2) * tempo_s,
                end_s=start + tempo_s,
                side=side,
                fault=faults.get(i),
                depth=depth,
                natural_flexion_deg=natural,
            )
        )
    duration = READY_S + reps * tempo_s + max(reps - 1, 0) * rest_s + END_HOLD_S
    return Timeline(exercise, tempo_s, rest_s, tuple(out), duration, resolve_variant(exercise, variant))


def _ease(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * x)


def phase_at(timeline: Timeline, t: float) -> Phase:
    """Movement progress at time `t`, s."""
    fd, fh, fu, _fp = timing(timeline.exercise).splits
    T = timeline.tempo_s
    for rep in timeline.reps:
        if not (rep.start_s <= t < rep.end_s):
            continue
        x = (t - rep.start_s) / T
        top_start = fd + fh + 0.7 * fu
        top = math.sin(math.pi * (x - top_start) / (1.0 - top_start)) if x > top_start else 0.0
        if x < fd:
            q = _ease(x / fd)
            return Phase(q, q, 0.0, rep)
        if x < fd + fh:
            return Phase(1.0, 1.0, 0.0, rep)
        if x < fd + fh + fu:
            u = (x - fd - fh) / fu
            if rep.fault is not None and rep.fault.kind is WarningKind.HIPS_RISE_FIRST:
                return Phase(1 - _ease(u / 0.5), 1 - _ease((u - 0.3) / 0.7), max(top, 0.0), rep)
            q = 1 - _ease(u)
            return Phase(q, q, max(top, 0.0), rep)
        return Phase(0.0, 0.0, max(top, 0.0), rep)
    return Phase(0.0, 0.0, 0.0, None)


@dataclass(frozen=True, slots=True)
class _Angles:
    """Joint angles of one pose, degrees (per-side tuples are (left, right))."""

    pelvis_pitch: float
    pelvis_axial: float = 0.0
    spine_flex: float = 0.0  # total, positive forward; negative = extension
    spine_ext: float = 0.0  # extra extension, positive number, lumbar-weighted
    spine_twist: float = 0.0
    neck: float = 0.0
    head: float = 0.0
    thigh_pitch: tuple[float, float] = (0.0, 0.0)
    thigh_abd: tuple[float, float] = (0.0, 0.0)
    knee: tuple[float, float] = (0.0, 0.0)
    foot_pitch: tuple[float, float] = (0.0, 0.0)
    toe_out: tuple[float, float] = (0.0, 0.0)
    arm_pitch: tuple[float, float] = (0.0, 0.0)
    arm_abd: tuple[float, float] = (0.0, 0.0)
    elbow: tuple[float, float] = (0.0, 0.0)
    hand_pitch: tuple[float, float] = (0.0, 0.0)
    hand_axial: tuple[float, float] = (0.0, 0.0)


def _to_pose(a: _Angles, root: np.ndarray) -> Pose:
    rot: dict[Seg, np.ndarray] = {}
    rot[Seg.PELVIS] = pitch(a.pelvis_pitch) @ yaw(a.pelvis_axial)
    prev = rot[Seg.PELVIS]
    for seg, rest, wf, we, wt in zip(SPINE, SPINE_REST_DEG, _FLEX_WEIGHTS, _EXT_WEIGHTS, _TWIST_WEIGHTS, strict=True):
        prev = prev @ pitch(rest + wf * a.spine_flex - we * a.spine_ext) @ yaw(wt * a.spine_twist)
        rot[seg] = prev
    rot[Seg.NECK] = prev @ pitch(a.neck)
    rot[Seg.HEAD] = rot[Seg.NECK] @ pitch(a.head)
    sides = (
        (0, 1.0, Seg.THIGH_L, Seg.SHANK_L, Seg.FOOT_L, Seg.UPPER_ARM_L, Seg.FOREARM_L, Seg.HAND_L),
        (1, -1.0, Seg.THIGH_R, Seg.SHANK_R, Seg.FOOT_R, Seg.UPPER_ARM_R, Seg.FOREARM_R, Seg.HAND_R),
    )
    for i, sign, thigh, shank, foot, upper, fore, hand in sides:
        rot[thigh] = pitch(a.thigh_pitch[i]) @ roll(sign * a.thigh_abd[i])
        rot[shank] = rot[thigh] @ pitch(a.knee[i])
        rot[foot] = yaw(sign * a.toe_out[i]) @ pitch(a.foot_pitch[i])
        rot[upper] = pitch(a.arm_pitch[i]) @ roll(sign * a.arm_abd[i])
        rot[fore] = rot[upper] @ pitch(-a.elbow[i])
        rot[hand] = pitch(a.hand_pitch[i]) @ roll(sign * a.arm_abd[i]) @ yaw(sign * a.hand_axial[i])
    return Pose(root=np.asarray(root, dtype=float), rotations=rot)


def _spine_faults(phase: Phase, exercise: Exercise) -> tuple[float, float, float]:
    """(flexion, extra extension, twist) in degrees from the rep's fault and natural variation."""
    rep = phase.rep
    if rep is None:
        return 0.0, 0.0, 0.0
    flex = rep.natural_flexion_deg * phase.trunk
    ext = twist = 0.0
    fault = rep.fault
    if fault is None:
        return flex, ext, twist
    if fault.kind is WarningKind.SPINAL_FLEXION:
        flex = fault.degrees * phase.trunk
    elif fault.kind is WarningKind.TWIST:
        twist = fault.degrees * phase.trunk
    elif fault.kind is WarningKind.LUMBAR_HYPEREXTENSION:
        ext = fault.degrees * (phase.top if _standing(exercise) else phase.trunk)
    return flex, ext, twist


def _squat(phase: Phase, depth: float) -> _Angles:
    ql, qt = phase.legs * depth, phase.trunk * depth
    flex, ext, twist = _spine_faults(phase, Exercise.SQUAT)
    knee = 100.0 * ql
    shank = 30.0 * ql
    pelvis = 42.0 * qt + 8.0 * max(phase.trunk - phase.legs, 0.0)
    thorax = pelvis + sum(SPINE_REST_DEG) + flex - ext
    look = 0.5 * (8.0 - thorax)
    arm = -75.0 * phase.trunk
    return _Angles(
        pelvis_pitch=pelvis - 0.25 * ext,
        spine_flex=flex,
        spine_ext=ext,
        spine_twist=twist,
        neck=look,
        head=look,
        thigh_pitch=(shank - knee,) * 2,
        thigh_abd=(7.0, 7.0),
        knee=(knee, knee),
        toe_out=(9.0, 9.0),
        arm_pitch=(arm, arm),
        arm_abd=(6.0 - 3.0 * phase.trunk,) * 2,
        elbow=(8.0, 8.0),
        hand_pitch=(arm - 8.0,) * 2,
    )


def _deadlift(phase: Phase, depth: float) -> _Angles:
    ql, qt = phase.legs * depth, phase.trunk * depth
    flex, ext, twist = _spine_faults(phase, Exercise.DEADLIFT)
    # Soft knees (~30°); a lifter whose hips rise first starts from a more squat-like ~45°.
    hips_first = (
        phase.rep is not None and phase.rep.fault is not None and phase.rep.fault.kind is WarningKind.HIPS_RISE_FIRST
    )
    knee = (45.0 if hips_first else 30.0) * ql
    shank = (14.0 if hips_first else 8.0) * ql
    pelvis = 76.0 * qt - 0.3 * ext
    return _Angles(
        pelvis_pitch=pelvis,
        spine_flex=flex,
        spine_ext=ext,
        spine_twist=twist,
        neck=-0.12 * pelvis,
        head=-0.05 * pelvis,
        thigh_pitch=(shank - knee,) * 2,
        thigh_abd=(3.0, 3.0),
        knee=(knee, knee),
        toe_out=(6.0, 6.0),
        arm_pitch=(0.0, 0.0),
        arm_abd=(5.0, 5.0),
        hand_axial=(90.0, 90.0),
    )


def _back_extension(phase: Phase, depth: float, variant: Variant = Variant.SUPERMAN) -> _Angles:
    """Prone back extension: which of chest, arms and legs lift, and where the hands are, by `variant`."""
    q = phase.trunk * depth
    flex, ext, twist = _spine_faults(phase, Exercise.BACK_EXTENSION)
    rep = phase.rep
    chest = {Variant.SUPERMAN_LEGS: 0.0, Variant.ALTERNATING: 12.0, Variant.PRONE_SIDES: 30.0,
             Variant.PRONE_HEAD: 28.0}.get(variant, 36.0) * q
    legs_lift = variant in (Variant.SUPERMAN, Variant.SUPERMAN_LEGS)
    hip = [18.0 * q if legs_lift else 0.0] * 2
    reach = -90.0 + 6.0  # −90 = arms pointing straight ahead along the floor
    arm = [reach - (32.0 * q if variant in (Variant.SUPERMAN, Variant.SUPERMAN_ARMS) else 0.0)] * 2
    abd, elbow = [14.0, 14.0], [4.0, 4.0]
    if variant is Variant.ALTERNATING:
        arm_side = 0 if rep is None or rep.side is Side.LEFT else 1
        arm[arm_side] = reach - 30.0 * q
        hip[1 - arm_side] = 20.0 * q
    elif variant is Variant.PRONE_SIDES:
        arm = [88.0 + 0.4 * chest] * 2  # along the sides, hands by the hips, lifting a little with the chest
        abd = [8.0, 8.0]
    elif variant is Variant.PRONE_HEAD:
        arm = [-150.0 + chest, -150.0 + chest]  # elbows out, hands behind the head
        abd, elbow = [70.0, 70.0], [150.0, 150.0]
    return _Angles(
        pelvis_pitch=90.0,
        spine_flex=flex - chest,
        spine_ext=ext,
        spine_twist=twist,
        neck=-4.0 * q,
        head=-4.0,
        thigh_pitch=(90.0 + hip[0], 90.0 + hip[1]),
        thigh_abd=(4.0, 4.0),
        foot_pitch=(175.0 + hip[0], 175.0 + hip[1]),
        arm_pitch=(arm[0], arm[1]),
        arm_abd=(abd[0], abd[1]),
        elbow=(elbow[0], elbow[1]),
        hand_pitch=(arm[0] - 4.0, arm[1] - 4.0),
        hand_axial=(90.0, 90.0),
    )


def _bird_dog(phase: Phase, depth: float, pelvis_pitch: float, plank: bool = False) -> _Angles:
    q = phase.trunk * depth
    rep = phase.rep
    flex, ext, twist = _spine_faults(phase, Exercise.BIRD_DOG)
    arm_side = 0 if rep is None or rep.side is Side.LEFT else 1
    leg_side = 1 - arm_side
    if rep is None:
        q = 0.0
    arm = [0.0, 0.0]
    thigh = [0.0, 0.0]
    knee = [90.0, 90.0]
    arm[arm_side] = -90.0 * q
    thigh[leg_side] = 90.0 * q
    knee[leg_side] = 90.0 * (1 - q)
    foot = [t + k + 80.0 * (1 - q if i == leg_side else 1.0) for i, (t, k) in enumerate(zip(thigh, knee, strict=True))]
    if plank:  # legs straight in line with the trunk, on the toes; the working leg lifts to level
        thigh = [pelvis_pitch, pelvis_pitch]
        thigh[leg_side] = pelvis_pitch + (90.0 - pelvis_pitch + 5.0) * q
        knee = [0.0, 0.0]
        foot = [t + 70.0 for t in thigh]
    # A twist fault rolls the pelvis open on the lifted leg's side; the spine counter-rotates so the
    # shoulders stay square: shoulders vs hips = the fault's degrees.
    open_sign = 1.0 if leg_side == 1 else -1.0
    return _Angles(
        pelvis_pitch=pelvis_pitch,
        pelvis_axial=-open_sign * twist,
        spine_flex=flex,
        spine_ext=ext,
        spine_twist=open_sign * twist,
        neck=0.0,
        head=5.0,
        thigh_pitch=(thigh[0], thigh[1]),
        thigh_abd=(2.0, 2.0),
        knee=(knee[0], knee[1]),
        foot_pitch=(foot[0], foot[1]),
        arm_pitch=(arm[0], arm[1]),
        arm_abd=(2.0, 2.0),
        hand_pitch=(-90.0, -90.0),
        hand_axial=(90.0, 90.0),
    )


# Contact geometry used to pose the quadruped (fractions of body height).
_KNEE_CONTACT = 0.03
_WRIST_CONTACT = 0.012


def _quadruped_pitch(dims: BodyDims) -> float:
    """Pelvis pitch (deg) that puts both hands and both knees on the floor in the quadruped."""
    h = dims.height_m
    hip_y = _KNEE_CONTACT * h + dims.m(dims.thigh)
    want = (_WRIST_CONTACT * h + dims.m(dims.upper_arm + dims.forearm)) - hip_y
    lo, hi = 45.0, 120.0
    for _ in range(40):
        mid = (lo + hi) / 2
        frames = forward_kinematics(dims, _to_pose(_bird_dog(Phase(0, 0, 0, None), 1.0, mid), np.zeros(3)))
        rise = frames.origins[Seg.UPPER_ARM_L][1] - frames.origins[Seg.PELVIS][1]
        if rise > want:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _plank_pitch(dims: BodyDims) -> float:
    """Pelvis pitch (deg) that puts both hands and both toes on the floor in a high plank (body in one line)."""
    lo, hi = 60.0, 89.9
    for _ in range(40):
        mid = (lo + hi) / 2
        frames = forward_kinematics(dims, _to_pose(_bird_dog(Phase(0, 0, 0, None), 1.0, mid, plank=True),
                                                   np.zeros(3)))
        js = joints(dims, frames)
        if js["left_wrist"][1] > js["left_foot_index"][1]:  # hands higher than the toes: lower the shoulders
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _squat_pose(dims: BodyDims, phase: Phase, depth: float, variant: Variant) -> tuple[Pose, Support]:
    return _to_pose(_squat(phase, depth), np.zeros(3)), Support.FEET


def _deadlift_pose(dims: BodyDims, phase: Phase, depth: float, variant: Variant) -> tuple[Pose, Support]:
    return _to_pose(_deadlift(phase, depth), np.zeros(3)), Support.FEET


def _back_extension_pose(dims: BodyDims, phase: Phase, depth: float, variant: Variant) -> tuple[Pose, Support]:
    chosen = resolve_variant(Exercise.BACK_EXTENSION, variant)
    return _to_pose(_back_extension(phase, depth, chosen), np.array([-0.25, 0.0, 0.0])), Support.FLOOR


def _bird_dog_pose(dims: BodyDims, phase: Phase, depth: float, variant: Variant) -> tuple[Pose, Support]:
    if resolve_variant(Exercise.BIRD_DOG, variant) is Variant.PLANK:
        angles = _bird_dog(phase, depth, _cached(_plank_pitch, dims), plank=True)
    else:
        angles = _bird_dog(phase, depth, _cached(_quadruped_pitch, dims))
    return _to_pose(angles, np.array([-0.2, 0.0, 0.0])), Support.FLOOR


MOTIONS: dict[Exercise, Callable[[BodyDims, Phase, float, Variant], tuple[Pose, Support]]] = {
    Exercise.SQUAT: _squat_pose,
    Exercise.DEADLIFT: _deadlift_pose,
    Exercise.BACK_EXTENSION: _back_extension_pose,
    Exercise.BIRD_DOG: _bird_dog_pose,
}
"""The body pose of each exercise the registry gives a synthetic timing (`ExerciseSpec.synth`), from the
body's dimensions, the movement's progress, the rep's depth and the variant (a test checks they match)."""


def pose_at(exercise: Exercise, dims: BodyDims, phase: Phase,
            variant: Variant = Variant.DEFAULT) -> tuple[Pose, Support]:
    """The body pose (before floor placement) and how it is supported."""
    depth = phase.rep.depth if phase.rep is not None else 1.0
    return MOTIONS[exercise](dims, phase, depth, variant)


_PITCH_CACHE: dict[tuple[Callable[[BodyDims], float], BodyDims], float] = {}


def _cached(solver: Callable[[BodyDims], float], dims: BodyDims) -> float:
    """`solver(dims)`, computed once per body (the pelvis pitch of a floor posture)."""
    key = (solver, dims)
    if key not in _PITCH_CACHE:
        _PITCH_CACHE[key] = solver(dims)
    return _PITCH_CACHE[key]
