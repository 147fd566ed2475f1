"""Checks judged against the person's neutral and the camera's geometry, not the image axes (issue #15).

Stick-figure deadlifts seen side-on (tests/analyzers/sequences.py), with the camera rolled by turning every
landmark about the frame centre, faults placed on chosen reps, and the same clip analysed at 30 and 15 frames a
second. Rep k (0-based) of `rep_profile(3)` spans 1.5 + 4.5 k … 4.5 + 4.5 k s; the lockout follows it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import pytest

from coach.types import NoticeKind, PoseFrame
from tests.analyzers.sequences import FPS, H, Pose, W, duration, feats, hinge_pose, kinds, rep_profile, run, side_frame

REPS = 3
SECONDS = duration(REPS)


def rolled(frame: PoseFrame, roll_deg: float) -> PoseFrame:
    """The frame as a camera rolled by `roll_deg` shows it (+ = verticals lean to the image-left at the top)."""
    r = math.radians(roll_deg)
    lm = frame.landmarks.copy()
    x, y = lm[:, 0] - W / 2, lm[:, 1] - H / 2
    lm[:, 0] = W / 2 + math.cos(r) * x + math.sin(r) * y
    lm[:, 1] = H / 2 - math.sin(r) * x + math.cos(r) * y
    return dataclasses.replace(frame, landmarks=lm)


def _rep_of(t: float) -> int | None:
    k = (t - 1.5) // 4.5
    return int(k) if t >= 1.5 and k < REPS else None


def deadlift_frames(roll_deg: float = 0.0, stance_deg: float = 0.0,
                    fault: Callable[[float, Pose], Pose] | None = None) -> list[PoseFrame]:
    """Three hinges at 30 fps; `stance_deg` leans the standing trunk (negative = back, the person's own
    posture), `fault(t, pose)` changes a frame's pose."""
    profile = rep_profile(REPS)
    out = []
    for i in range(int(SECONDS * FPS)):
        t = i / FPS
        d = profile(t)
        p = hinge_pose(d)
        p = dataclasses.replace(p, trunk=p.trunk + stance_deg * (1.0 - d))
        if fault is not None:
            p = fault(t, p)
        out.append(rolled(side_frame(t, p), roll_deg))
    return out


def lean_back_after(reps: tuple[int, ...], deg: float) -> Callable[[float, Pose], Pose]:
    """Lean back `deg` behind the legs for 0.7 s just after each of `reps` (0-based) locks out."""
    def fault(t: float, p: Pose) -> Pose:
        for k in reps:
            end = 4.5 + 4.5 * k
            if end + 0.1 <= t <= end + 0.8:
                return dataclasses.replace(p, trunk=p.trunk - deg)
        return p
    return fault


def twist_on(reps: tuple[int, ...], deg: float) -> Callable[[float, Pose], Pose]:
    """World twist of `deg` through the middle second of each of `reps` (0-based)."""
    def fault(t: float, p: Pose) -> Pose:
        k = _rep_of(t)
        if k in reps and abs(t - (3.0 + 4.5 * k)) <= 0.5:
            return dataclasses.replace(p, twist=deg)
        return p
    return fault


def warned(frames: list[PoseFrame]) -> list[set[str]]:
    result = run("deadlift", feats(frames))
    assert sum(r.complete for r in result.reps) == REPS
    return [kinds(r) for r in result.reps if r.complete]


@pytest.mark.parametrize("roll", [-10.0, 10.0])
def test_a_rolled_camera_and_a_person_who_stands_leaning_back_a_little_get_no_lean_warning(roll: float) -> None:
    # Standing 6° back is this person's neutral; 10° of roll added to it read 16° from the image vertical, over the
    # 15° limit, in one roll direction before the lean was judged against the legs and the neutral.
    assert warned(deadlift_frames(roll, stance_deg=-6.0)) == [set(), set(), set()]


@pytest.mark.parametrize("roll", [-10.0, 0.0, 10.0])
def test_leaning_back_20_degrees_is_flagged_on_that_rep_whatever_the_roll(roll: float) -> None:
    assert warned(deadlift_frames(roll, fault=lean_back_after((1,), 22.0))) == [
        set(), {"lumbar_hyperextension"}, set()]


def test_a_one_frame_lean_is_not_a_lean() -> None:
    # 0.07 s leaning back 30° (two frames): below the 0.2 s a lean must hold.
    def blip(t: float, p: Pose) -> Pose:
        return dataclasses.replace(p, trunk=p.trunk - 30.0) if 9.1 <= t < 9.17 else p
    assert warned(deadlift_frames(fault=blip)) == [set(), set(), set()]


def test_an_impossible_shoulder_turn_side_on_is_dropped_and_said() -> None:
    # 72° of shoulder turn read through rep 2 from the side: a measurement failure, never a twist warning.
    def spin(t: float, p: Pose) -> Pose:
        return dataclasses.replace(p, twist=72.0) if _rep_of(t) == 1 else p
    result = run("deadlift", feats(deadlift_frames(fault=spin)))
    assert [kinds(r) for r in result.reps if r.complete] == [set(), set(), set()]
    assert NoticeKind.UNRELIABLE_MEASURE in {n.kind for n in result.notices}


def test_a_real_twist_is_still_flagged() -> None:
    assert warned(deadlift_frames(fault=twist_on((2,), 35.0))) == [set(), set(), {"twist"}]


@pytest.mark.parametrize("roll", [0.0, 10.0])
def test_15_and_30_analysed_frames_a_second_flag_the_same_reps(roll: float) -> None:
    def both(t: float, p: Pose) -> Pose:
        return twist_on((0,), 35.0)(t, lean_back_after((1,), 22.0)(t, p))
    frames = deadlift_frames(roll, fault=both)
    at_30 = warned(frames)
    assert at_30 == [{"twist"}, {"lumbar_hyperextension"}, set()]
    for start in (0, 1):  # either half of the frames
        assert warned(frames[start::2]) == at_30


def test_valgus_is_judged_against_the_reps_own_standing_reading() -> None:
    from tests.analyzers.sequences import front_frame, squat_pose

    profile = rep_profile(2)
    base = feats([front_frame(i / FPS, squat_pose(profile(i / FPS))) for i in range(int(duration(2) * FPS))])

    def with_valgus(extra_at_depth: float) -> list[set[str]]:
        # Both knees read 14° inwards standing (the person's stance, or a camera off-centre and high): over the
        # 12° limit from the image alone. Rep 2 adds `extra_at_depth` in its deepest second.
        out = []
        for f in base:
            deep = extra_at_depth if 7.5 <= f.timestamp_s <= 8.5 else 0.0
            out.append(dataclasses.replace(f, knee_valgus_left_deg=14.0 + deep, knee_valgus_right_deg=13.0))
        result = run("squat", out)
        return [kinds(r) - {"rapid_movement", "shallow_depth"} for r in result.reps if r.complete]

    assert with_valgus(0.0) == [set(), set()]
    assert with_valgus(15.0) == [set(), {"knee_valgus"}]
    assert with_valgus(60.0) == [set(), set()]  # 74° at a knee is a landmark failure, not a knee
