"""Scripted motions with exact truth for the balance and functional exercises (#17).

A script is a list of keyframes of a small set of body parameters (how far seated, heels raised, knees bent,
trunk lean, arms, where each foot stands, which foot is lifted, body sway), eased between keyframes. From it
come the pose at any time and the truth: stand times (chair stand, sit-to-stand), impact times (heel drops) and
holds (single-leg stand, 4-stage balance test) with the same fields as the report's `holds`.

Times are seconds, lengths metres, angles degrees. Feet positions are world x (forward) and z (the person's
right) of each ankle; the planted feet stay where the script puts them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np

from coach.synth.body import Mat, PrimArrays
from coach.synth.motions import _Angles, _to_pose
from coach.synth.skeleton import BodyDims, Frames, forward_kinematics, joints
from coach.thresholds import BALANCE_STAGE_S, CHAIR_STAND_TEST_S
from coach.types import Exercise, HoldEnd, Side, Stance

READY_S = 1.5
"""Standing still at the start (the standing calibration), s."""
FEET_APART_M = 0.10
"""Ankle centres apart sideways in the side-by-side stance and when standing ready, m."""
SEMI_FORWARD_M = 0.12
SEMI_LATERAL_M = 0.05
TANDEM_FORWARD_M = 0.26
"""Heel of the front foot against the toes of the back one: one foot length between the ankles, m."""
DEFAULT_TEMPO_S = 2.0
"""A nominal tempo for the spec of a scripted clip (its script sets its own timing), s."""
STEP_S = 0.4
"""A foot moving into a stance, lifting or coming down, s."""


@dataclass(frozen=True, slots=True)
class Body:
    """The scripted body parameters at one instant."""

    sit: float = 0.0
    """0 standing, 1 seated on the chair."""
    heel: float = 0.0
    """0 flat feet, 1 on the toes."""
    knee_bend_deg: float = 0.0
    trunk_lean_deg: float = 0.0
    push: float = 0.0
    """0 arms crossed on the chest (chair stands) or hanging (others), 1 hands pushing on the thighs."""
    reach: float = 0.0
    """0 right arm down, 1 right hand reaching out sideways to a support."""
    feet: tuple[float, float, float, float] = (0.0, -FEET_APART_M / 2, 0.0, FEET_APART_M / 2)
    """(left x, left z, right x, right z) of the ankles, m."""
    lift_left: float = 0.0
    lift_right: float = 0.0
    sway: tuple[float, float] = (0.0, 0.0)
    """Pelvis offset (forward, right), m."""


@dataclass(frozen=True, slots=True)
class Key:
    """A keyframe: the body reaches `body` at `time_s`, easing from the previous keyframe."""

    time_s: float
    body: Body


@dataclass(frozen=True)
class Script:
    """A scripted clip: keyframes, per-frame sway, and its truth."""

    exercise: Exercise
    keys: tuple[Key, ...]
    duration_s: float
    crossed_arms: bool = False
    chair: bool = False
    sway_m: float = 0.0
    """Amplitude of a slow sideways sway added during holds, m."""
    go_s: float | None = None
    stands_s: tuple[float, ...] = ()
    """Chair stand / sit-to-stand: times full extension is reached, s."""
    rep_spans: tuple[tuple[float, float, float], ...] = ()
    """(start, peak, end) of each rep, s."""
    rep_faults: dict[int, str] = field(default_factory=dict)
    """1-based rep → fault kind value."""
    holds: tuple[dict[str, object], ...] = ()
    test: dict[str, object] | None = None

    def body_at(self, t: float) -> Body:
        """The body parameters at time `t`, s."""
        keys = self.keys
        if t <= keys[0].time_s:
            return keys[0].body
        for a, b in itertools.pairwise(keys):
            if a.time_s <= t < b.time_s:
                u = (t - a.time_s) / (b.time_s - a.time_s)
                return _blend(a.body, b.body, 0.5 - 0.5 * math.cos(math.pi * u))
        return keys[-1].body

    def rep_at(self, t: float) -> int | None:
        """1-based rep in progress at `t`, or None."""
        for i, (start, _, end) in enumerate(self.rep_spans, start=1):
            if start <= t < end:
                return i
        return None


def _blend(a: Body, b: Body, u: float) -> Body:
    def mix(x: float, y: float) -> float:
        return x + (y - x) * u

    return Body(
        sit=mix(a.sit, b.sit), heel=mix(a.heel, b.heel), knee_bend_deg=mix(a.knee_bend_deg, b.knee_bend_deg),
        trunk_lean_deg=mix(a.trunk_lean_deg, b.trunk_lean_deg), push=mix(a.push, b.push),
        reach=mix(a.reach, b.reach), feet=tuple(mix(x, y) for x, y in zip(a.feet, b.feet, strict=True)),  # type: ignore[arg-type]
        lift_left=mix(a.lift_left, b.lift_left), lift_right=mix(a.lift_right, b.lift_right),
        sway=(mix(a.sway[0], b.sway[0]), mix(a.sway[1], b.sway[1])),
    )


# --- scripts ------------------------------------------------------------------------------------------------

CHAIR_TEMPOS_S = (1.9, 1.8, 1.7, 1.8, 1.9, 2.0, 1.8, 1.9, 2.0, 2.1, 2.2, 2.4, 2.6, 2.8, 4.0)
"""Seconds per stand-and-sit of the synthetic 30-second chair stand: brisk, then slowing in the last seconds;
the 15th stand is finished after the 30 s (14 count)."""


def _sit_cycle(keys: list[Key], t: float, tempo: float, base: Body, push: bool) -> tuple[float, float, float]:
    """One stand-up and sit-down from seated at `t`; returns (start, stood, end) and appends keyframes."""
    rise, top, lower = 0.42 * tempo, 0.12 * tempo, 0.36 * tempo
    lean = replace(base, sit=0.5, trunk_lean_deg=38.0, push=1.0 if push else 0.0)
    keys.append(Key(t + 0.5 * rise, lean))
    keys.append(Key(t + rise, replace(base, sit=0.0, trunk_lean_deg=0.0)))
    keys.append(Key(t + rise + top, replace(base, sit=0.0, trunk_lean_deg=0.0)))
    keys.append(Key(t + rise + top + 0.5 * lower, replace(base, sit=0.5, trunk_lean_deg=30.0)))
    keys.append(Key(t + rise + top + lower, replace(base, sit=1.0, trunk_lean_deg=12.0)))
    keys.append(Key(t + tempo, replace(base, sit=1.0, trunk_lean_deg=12.0)))
    return t, t + rise, t + rise + top + lower


def chair_stand(reps: int | None = None, tempos: tuple[float, ...] = CHAIR_TEMPOS_S,
                push_reps: tuple[int, ...] = (), timed: bool = True) -> Script:
    """Stand ready, sit down, "Go", then stand up and sit down at `tempos` (arms crossed; `push_reps` (1-based)
    push on the thighs). `timed`: the 30-second test (its score is the stands finished within 30 s of Go)."""
    tempos = tempos if reps is None else tuple(tempos[i % len(tempos)] for i in range(reps))
    base = Body()
    seated = replace(base, sit=1.0, trunk_lean_deg=12.0)
    keys = [Key(0.0, base), Key(READY_S, base), Key(READY_S + 0.6, replace(base, sit=0.5, trunk_lean_deg=30.0)),
            Key(READY_S + 1.2, seated)]
    go = READY_S + 2.0
    keys.append(Key(go, seated))
    t = go
    spans = []
    for i, tempo in enumerate(tempos, start=1):
        spans.append(_sit_cycle(keys, t, tempo, base, i in push_reps))
        t += tempo
    stands = tuple(s for _, s, _ in spans)
    score = sum(s - go <= CHAIR_STAND_TEST_S for s in stands)
    test = {"name": "chair_stand", "score": score, "unit": "stands"} if timed else None
    return Script(Exercise.CHAIR_STAND if timed else Exercise.SIT_TO_STAND, tuple(keys), t + 0.8,
                  crossed_arms=True, chair=True, go_s=go if timed else None, stands_s=stands,
                  rep_spans=tuple(spans), rep_faults={i: "arm_push" for i in push_reps}, test=test)


def heel_drop(reps: int = 8, bent_reps: tuple[int, ...] = (), trunk_reps: tuple[int, ...] = ()) -> Script:
    """Rise onto the toes (0.5 s), hold (0.2 s), drop onto the heels (0.12 s), pause; impacts at each drop's end.
    `bent_reps` land on bent knees (35°), `trunk_reps` with the trunk falling forward (30°), 1-based."""
    base = Body()
    keys = [Key(0.0, base), Key(READY_S, base)]
    t = READY_S
    spans = []
    faults: dict[int, str] = {}
    for i in range(1, reps + 1):
        tempo = 1.3 + 0.15 * (i % 3)
        land = replace(base, knee_bend_deg=35.0 if i in bent_reps else 0.0,
                       trunk_lean_deg=30.0 if i in trunk_reps else 0.0)
        keys += [Key(t + 0.5, replace(base, heel=1.0)), Key(t + 0.7, replace(base, heel=1.0)),
                 Key(t + 0.82, land), Key(t + 1.0, land), Key(t + tempo, base)]
        spans.append((t, t + 0.82, t + tempo))
        if i in bent_reps:
            faults[i] = "bent_knees"
        if i in trunk_reps:
            faults[i] = "trunk_drop"
        t += tempo
    return Script(Exercise.HEEL_DROP, tuple(keys), t + 0.6, rep_spans=tuple(spans), rep_faults=faults,
                  test={"name": "heel_drops", "score": reps, "unit": "impacts"})


def _hold(index: int, stance: Stance, leg: Side | None, start: float, end: float, why: HoldEnd) -> dict[str, object]:
    return {"index": index, "stance": stance.value, "leg": leg.value if leg else None, "start_s": round(start, 6),
            "end_s": round(end, 6), "duration_s": round(end - start, 6), "ended_by": why.value}


def single_leg_stand() -> Script:
    """Three single-leg holds with a slow sway: on the right leg until the left foot comes down (7.3 s), on the
    left leg until the right hand reaches out to a support (6.1 s), on the right leg until the clip ends (5.0 s).
    Holds run from half-way up the lift to half-way down (or the support reached half-way, or the clip's end)."""
    base = Body()
    keys = [Key(0.0, base), Key(READY_S, base)]
    holds = []
    t = READY_S + 0.3
    plan = ((Side.RIGHT, 7.3, HoldEnd.FOOT_DOWN), (Side.LEFT, 6.1, HoldEnd.SUPPORT),
            (Side.RIGHT, 5.0, HoldEnd.VIDEO_END))
    for i, (leg, hold_s, why) in enumerate(plan, start=1):
        up = replace(base, lift_left=1.0) if leg is Side.RIGHT else replace(base, lift_right=1.0)
        keys += [Key(t, base), Key(t + STEP_S, up)]
        start = t + STEP_S / 2
        end = start + hold_s
        if why is HoldEnd.FOOT_DOWN:
            keys += [Key(end - STEP_S / 2, up), Key(end + STEP_S / 2, base)]
            t = end + STEP_S / 2 + 1.2
        elif why is HoldEnd.SUPPORT:
            reach = replace(up, reach=1.0)
            keys += [Key(end - STEP_S / 2, up), Key(end + STEP_S / 2, reach), Key(end + 0.8, reach),
                     Key(end + 1.3, replace(base, reach=1.0)), Key(end + 1.8, base)]
            t = end + 2.6
        holds.append(_hold(i, Stance.SINGLE_LEG, leg, start, end, why))
    duration = float(holds[-1]["end_s"])  # type: ignore[arg-type]
    return Script(Exercise.SINGLE_LEG_STAND, tuple(keys), duration, sway_m=0.012, holds=tuple(holds))


STANCE_FEET: dict[Stance, tuple[float, float, float, float]] = {
    Stance.SIDE_BY_SIDE: (0.0, -FEET_APART_M / 2, 0.0, FEET_APART_M / 2),
    Stance.SEMI_TANDEM: (SEMI_FORWARD_M / 2, -SEMI_LATERAL_M / 2, -SEMI_FORWARD_M / 2, SEMI_LATERAL_M / 2),
    Stance.TANDEM: (TANDEM_FORWARD_M / 2, -0.005, -TANDEM_FORWARD_M / 2, 0.005),
    Stance.SINGLE_LEG: (0.0, -FEET_APART_M / 2, 0.0, FEET_APART_M / 2),
}
"""Ankle positions (left x, left z, right x, right z) of each stance, m; the left foot in front."""


def balance_test(fail_stage: int = 3, fail_after_s: float = 6.2) -> Script:
    """The 4-stage balance test: feet apart at ease, then each stance stepped into (0.4 s) and held 10 s, until
    stage `fail_stage`, which ends after `fail_after_s` (a foot steps out; single leg: the foot comes down).
    The test stops there, as CDC STEADI says. Holds start when the stance is reached."""
    ease = Body(feet=(0.0, -0.15, 0.0, 0.15))
    keys = [Key(0.0, ease), Key(READY_S, ease)]
    holds = []
    t = READY_S
    stances = (Stance.SIDE_BY_SIDE, Stance.SEMI_TANDEM, Stance.TANDEM, Stance.SINGLE_LEG)
    for i, stance in enumerate(stances[:fail_stage], start=1):
        body = Body(feet=STANCE_FEET[stance], lift_right=1.0 if stance is Stance.SINGLE_LEG else 0.0)
        keys += [Key(t, keys[-1].body), Key(t + STEP_S, body)]
        start = t + STEP_S
        failed = i == fail_stage
        end = start + (fail_after_s if failed else BALANCE_STAGE_S)
        keys.append(Key(end, body))
        if failed:
            why = HoldEnd.FOOT_DOWN if stance is Stance.SINGLE_LEG else HoldEnd.STEPPED
            out = Body(feet=(STANCE_FEET[stance][0], -0.2, STANCE_FEET[stance][2], STANCE_FEET[stance][3]))
            keys.append(Key(end + STEP_S, ease if stance is Stance.SINGLE_LEG else out))
            if stance is Stance.SINGLE_LEG:
                end += STEP_S / 2  # the foot is down half-way through lowering
        else:
            why = HoldEnd.TARGET_REACHED
        leg = Side.LEFT if stance is Stance.SINGLE_LEG else None
        holds.append(_hold(i, stance, leg, start, end, why))
        t = end + 0.6
        keys.append(Key(t, ease))
    tandem = next((h for h in holds if h["stance"] == Stance.TANDEM.value), None)
    risk = tandem is None or float(tandem["duration_s"]) < BALANCE_STAGE_S  # type: ignore[arg-type]
    test = {"name": "balance_test", "score": len([h for h in holds if h["ended_by"] == "target_reached"]),
            "unit": "stages", "verdict": "higher_fall_risk" if risk else "no_added_risk"}
    return Script(Exercise.BALANCE_TEST, tuple(keys), t + 0.5, sway_m=0.006, holds=tuple(holds), test=test)


def script_for(exercise: Exercise, reps: int | None = None) -> Script:
    """The default script of a functional exercise (`reps` stands or heel drops where it applies)."""
    if exercise is Exercise.CHAIR_STAND:
        return chair_stand()
    if exercise is Exercise.SIT_TO_STAND:
        return chair_stand(reps=reps or 10, timed=False, push_reps=(3,))
    if exercise is Exercise.HEEL_DROP:
        n = reps or 8
        return heel_drop(n, bent_reps=(3,) if n >= 3 else (), trunk_reps=(5,) if n >= 5 else ())
    if exercise is Exercise.SINGLE_LEG_STAND:
        return single_leg_stand()
    if exercise is Exercise.BALANCE_TEST:
        return balance_test()
    raise ValueError(f"no functional script for {exercise.value}")


FUNCTIONAL_EXERCISES = (Exercise.CHAIR_STAND, Exercise.SIT_TO_STAND, Exercise.HEEL_DROP,
                        Exercise.SINGLE_LEG_STAND, Exercise.BALANCE_TEST)


# --- posing --------------------------------------------------------------------------------------------------

def _leg(dims: BodyDims, hip_z: float, ankle_x: float, ankle_z: float, sign: float) -> tuple[float, float]:
    """(thigh pitch, thigh abduction) that put a straight leg's ankle at (x, z) relative to its hip, deg."""
    leg = dims.m(dims.thigh + dims.shank)
    pitch = -math.degrees(math.asin(max(-0.9, min(0.9, ankle_x / leg))))
    abd = math.degrees(math.asin(max(-0.9, min(0.9, -sign * (ankle_z - hip_z) / leg))))
    return pitch, abd


def angles_of(body: Body, dims: BodyDims, crossed_arms: bool) -> _Angles:
    """Joint angles for the scripted body parameters."""
    s = body.sit
    knee_sit = 92.0 * s + body.knee_bend_deg
    shank = 8.0 * math.sin(math.pi * s) + 0.4 * body.knee_bend_deg
    thigh = shank - knee_sit
    hz = dims.m(dims.hip_half_width)
    pl, al = _leg(dims, -hz, body.feet[0], body.feet[1], 1.0)
    pr, ar = _leg(dims, hz, body.feet[2], body.feet[3], -1.0)
    lifted = (body.lift_left, body.lift_right)
    thighs, knees, abds = [], [], []
    for i, (p, a) in enumerate(((pl, al), (pr, ar))):
        q = lifted[i]
        thighs.append(thigh + p * (1 - s) - 35.0 * q)
        knees.append(knee_sit + 95.0 * q)
        abds.append(a * (1 - s) + 4.0 * s)
    foot = 28.0 * body.heel
    pelvis = body.trunk_lean_deg * 0.8 - 0.5 * shank
    if crossed_arms:
        arm_p, elbow, arm_abd = -35.0, 115.0, -12.0
        arm_p, elbow = arm_p + 15.0 * body.push, elbow - 95.0 * body.push
        arms = ((arm_p, arm_p), (arm_abd, arm_abd), (elbow, elbow))
    else:
        arms = ((-5.0, -5.0), (8.0, 8.0 + 62.0 * body.reach), (10.0, 10.0))
    return _Angles(
        pelvis_pitch=pelvis,
        spine_flex=body.trunk_lean_deg * 0.2,
        neck=-0.3 * body.trunk_lean_deg,
        thigh_pitch=(thighs[0], thighs[1]),
        thigh_abd=(abds[0], abds[1]),
        knee=(knees[0], knees[1]),
        foot_pitch=(foot + 30.0 * lifted[0], foot + 30.0 * lifted[1]),
        toe_out=(6.0, 6.0),
        arm_pitch=arms[0],
        arm_abd=arms[1],
        elbow=arms[2],
        hand_pitch=(arms[0][0] - 5.0, arms[0][1] - 5.0),
    )


def posed(script: Script, dims: BodyDims, t: float) -> tuple[Frames, np.ndarray]:
    """Forward kinematics at `t` with the planted feet where the script puts them: (frames, translation)."""
    body = script.body_at(t)
    frames = forward_kinematics(dims, _to_pose(angles_of(body, dims, script.crossed_arms), np.zeros(3)))
    js = joints(dims, frames)
    planted = [(js["left_ankle"], body.feet[0], body.feet[1], body.lift_left),
               (js["right_ankle"], body.feet[2], body.feet[3], body.lift_right)]
    down = [p for p in planted if p[3] < 0.5] or planted
    delta = np.zeros(3)
    delta[0] = float(np.mean([x - a[0] for a, x, _, _ in down]))
    delta[2] = float(np.mean([z - a[2] for a, _, z, _ in down]))
    if script.sway_m:
        delta[0] += 0.4 * script.sway_m * math.sin(2 * math.pi * t / 2.9)
        delta[2] += script.sway_m * math.sin(2 * math.pi * t / 2.3)
    return frames.translated(delta), delta


def chair_prims(dims: BodyDims) -> PrimArrays:
    """A simple chair behind the feet: a slatted seat at knee height and two legs, metres."""
    seat_y = dims.m(dims.shank) + 0.03
    x0 = -dims.m(dims.thigh) - 0.02
    z = np.array([0.0, 0.0, 1.0])
    y = np.array([0.0, 1.0, 0.0])
    parts = [((x, seat_y - 0.03, -0.22), (x, seat_y - 0.03, 0.22), 0.03) for x in (x0 - 0.12, x0, x0 + 0.12)]
    parts += [((x0 - 0.12, 0.0, zz), (x0 - 0.12, seat_y - 0.05, zz), 0.02) for zz in (-0.2, 0.2)]
    n = len(parts)
    a = np.array([p[0] for p in parts], dtype=float)
    b = np.array([p[1] for p in parts], dtype=float)
    ax = np.array([(bb - aa) / np.linalg.norm(bb - aa) for aa, bb in zip(a, b, strict=True)])
    w = np.array([y if abs(float(np.dot(v, z))) > 0.5 else np.array([1.0, 0.0, 0.0]) for v in ax])
    r = np.array([p[2] for p in parts])
    return PrimArrays(a=a, b=b, ra=r, rb=r, ax=ax, w=w, scale=np.ones((n, 3)), mat=np.full(n, Mat.BAR, dtype=np.int16))
