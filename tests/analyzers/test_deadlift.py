"""Deadlift / hip-hinge analyzer: hand-built sequences (from standing, from the floor, faults) and real clips."""

from __future__ import annotations

import dataclasses
import math

import pytest

from coach.exercises.deadlift import DeadliftAnalyzer, lean_back_deg
from coach.thresholds import Thresholds
from coach.types import NoticeKind, View, WarningKind

from .sequences import (
    FPS,
    Pose,
    duration,
    feats,
    frames_of,
    front_frame,
    hinge_pose,
    kinds,
    rep_profile,
    run,
    side_frame,
    with_bulge,
)

NEUTRAL_BULGE = 0.02


def complete(result: object) -> list:
    return [r for r in result.reps if r.complete]  # type: ignore[attr-defined]


def hinges(n: int = 3, pose_of=hinge_pose, **kw: object) -> list:
    fs = feats(frames_of(rep_profile(n, **kw), duration(n, **kw), pose_of))  # type: ignore[arg-type]
    return with_bulge(fs, lambda f: NEUTRAL_BULGE)


def test_romanian_deadlifts_from_standing_are_counted_cleanly() -> None:
    result = run("deadlift", hinges(3))
    done = complete(result)
    assert len(done) == 3 and result.view is View.SIDE
    for r in done:
        assert r.metrics["trunk_inclination_deg"] == pytest.approx(80.0, abs=3.0)
        assert not kinds(r) & {"spinal_flexion", "twist", "lumbar_hyperextension", "hips_rise_first"}


def test_conventional_pull_from_the_floor_counts_the_first_lift() -> None:
    # The clip opens at the bottom (bar on the floor), lifts to lockout, then does two more full reps.
    profile = rep_profile(3, start_deep=True)
    fs = with_bulge(feats(frames_of(profile, duration(3) - 3.0, lambda d: hinge_pose(d, 0.8))),
                    lambda f: NEUTRAL_BULGE)
    done = complete(run("deadlift", fs))
    assert len(done) == 3
    assert done[0].start_s == 0.0 and done[0].end_s < 2.0
    assert "rapid_movement" not in kinds(done[0])  # no lowering seen: tempo is not judged


def test_stiff_legged_hinge_opening_at_the_bottom_does_not_count_the_rise() -> None:
    # A good-morning / Romanian deadlift starts standing: knees bent 8° at the bottom (under
    # deadlift_floor_start_knee_deg), so a clip opening there shows only half of rep 1: the coach waits
    # for the standing start, and counts the two reps after it.
    profile = rep_profile(3, start_deep=True)
    fs = with_bulge(feats(frames_of(profile, duration(3) - 3.0, lambda d: hinge_pose(d, 0.1))),
                    lambda f: NEUTRAL_BULGE)
    result = run("deadlift", fs)
    assert [r.complete for r in result.reps] == [True, True]
    assert result.reps[0].start_s > 1.5  # the way up from the opening bottom ends at 1.5 s


def test_lowering_cut_by_the_end_of_the_clip_is_not_a_rep() -> None:
    fs = hinges(1)[: int((1.5 + 1.5) * FPS)]  # standing, then down to the bottom, clip ends
    result = run("deadlift", fs)
    assert [r.complete for r in result.reps] == [False]


def test_rounded_back_at_the_bottom_is_flagged_with_a_positive_cue() -> None:
    def bulge(f: object) -> float:
        t, lean = f.timestamp_s, f.trunk_from_vertical_deg  # type: ignore[attr-defined]
        return NEUTRAL_BULGE + (0.04 * lean / 80.0 if 6.0 < t < 9.0 else 0.0)  # rep 2 rounds with the lean

    fs = with_bulge(feats(frames_of(rep_profile(3), duration(3), hinge_pose)), bulge)
    done = complete(run("deadlift", fs))
    assert ["spinal_flexion" in kinds(r) for r in done] == [False, True, False]
    w = next(w for w in done[1].warnings if w.kind is WarningKind.SPINAL_FLEXION)
    assert w.value > w.threshold == Thresholds().spine.spinal_flexion_deg
    assert w.unit == "deg" and w.message and "Hinge at the hips" in w.cue


def test_a_one_frame_mask_glitch_is_not_rounding() -> None:
    def bulge(f: object) -> float:
        i = round(f.timestamp_s * FPS)  # type: ignore[attr-defined]
        return 0.10 if i == round(7.5 * FPS) else NEUTRAL_BULGE

    fs = with_bulge(feats(frames_of(rep_profile(3), duration(3), hinge_pose)), bulge)
    assert not any("spinal_flexion" in kinds(r) for r in complete(run("deadlift", fs)))


def _pull(t: float, hips_first: bool) -> Pose:
    """A 2 s lift from the floor (trunk 60°, knees 70°) to lockout, after a 1 s hold at the bottom."""
    u = min(max((t - 1.0) / 2.0, 0.0), 1.0)  # 0 = bottom, 1 = lockout
    if hips_first:
        knee_u, trunk_u = min(u / 0.4, 1.0), max((u - 0.4) / 0.6, 0.0)  # knees straighten first
    else:
        knee_u = trunk_u = u
    knee = 70.0 * (1 - knee_u)
    return Pose(shank=0.4 * knee, thigh=0.6 * knee, trunk=60.0 * (1 - trunk_u))


@pytest.mark.parametrize("hips_first", [True, False])
def test_hips_rising_before_the_chest(hips_first: bool) -> None:
    frames = [side_frame(i / FPS, _pull(i / FPS, hips_first)) for i in range(int(5.0 * FPS))]
    done = complete(run("deadlift", with_bulge(feats(frames), lambda f: NEUTRAL_BULGE)))
    assert len(done) == 1
    assert ("hips_rise_first" in kinds(done[0])) is hips_first
    if hips_first:
        w = next(w for w in done[0].warnings if w.kind is WarningKind.HIPS_RISE_FIRST)
        assert w.unit == "%" and w.value > w.threshold and "chest and hips together" in w.cue


def test_leaning_back_at_lockout_is_flagged() -> None:
    profile = rep_profile(2)

    def pose_at(t: float) -> Pose:
        d = profile(t)
        lockout = d == 0.0 and t > 3.0  # at every lockout the lifter leans back
        return dataclasses.replace(hinge_pose(d), trunk=-25.0) if lockout else hinge_pose(d)

    frames = [side_frame(i / FPS, pose_at(i / FPS)) for i in range(int(duration(2) * FPS))]
    fs = with_bulge(feats(frames), lambda f: NEUTRAL_BULGE)
    assert lean_back_deg(fs[int(5.0 * FPS)], facing=1) == pytest.approx(25.0, abs=1.0)
    done = complete(run("deadlift", fs))
    assert ["lumbar_hyperextension" in kinds(r) for r in done] == [True, True]
    w = next(w for w in done[0].warnings if w.kind is WarningKind.LUMBAR_HYPEREXTENSION)
    assert w.value == pytest.approx(25.0, abs=3.0) and "ribs over your hips" in w.cue


def test_twist_is_flagged() -> None:
    fs = hinges(2, pose_of=lambda d: dataclasses.replace(hinge_pose(d), twist=30.0 * d))
    assert all("twist" in kinds(r) for r in complete(run("deadlift", fs)))


def test_front_view_counts_and_says_what_it_cannot_judge() -> None:
    fs = feats(frames_of(rep_profile(3), duration(3), lambda d: hinge_pose(d, 0.6), make=front_frame))
    result = run("deadlift", fs)
    assert result.view is View.FRONT
    assert len(complete(result)) == 3
    texts = " ".join(n.message for n in result.notices if n.kind is NoticeKind.VIEW_LIMITS)
    assert "back rounding" in texts and "only be judged from the side" in texts
    assert not any(kinds(r) & {"spinal_flexion", "hips_rise_first", "lumbar_hyperextension"}
                   for r in result.reps)


def test_swap_and_short_low_visibility_keep_the_count() -> None:
    profile, secs = rep_profile(3), duration(3)
    frames = [side_frame(i / FPS, hinge_pose(profile(i / FPS)), swap=(i // 8) % 5 == 2,
                         visibility=0.2 if 7.0 < i / FPS < 7.6 else 0.99)
              for i in range(int(secs * FPS))]
    assert len(complete(run("deadlift", feats(frames)))) == 3


def test_rest_between_sets_keeps_counting() -> None:
    set1 = frames_of(rep_profile(2), duration(2), hinge_pose)
    gap = 30.0
    rest = [side_frame(duration(2) + i / FPS, Pose()) for i in range(int(gap * FPS))]
    set2 = [dataclasses.replace(f, timestamp_s=f.timestamp_s + duration(2) + gap)
            for f in frames_of(rep_profile(2), duration(2), hinge_pose)]
    assert len(complete(run("deadlift", feats(set1 + rest + set2)))) == 4


def test_frame_results_carry_the_live_angles() -> None:
    analyzer = DeadliftAnalyzer()
    results = [analyzer.update(f) for f in hinges(1)]
    deepest = max(results, key=lambda r: r.angles.get("trunk_inclination_deg", -math.inf))
    assert deepest.angles["trunk_inclination_deg"] == pytest.approx(80.0, abs=3.0)
    assert results[-1].count == 1


@pytest.mark.slow
def test_real_rounded_and_neutral_deadlifts(shared_videos) -> None:
    from coach.pipeline import review

    rounded = review(shared_videos / "deadlift" / "bichraix_bad007.mp4", "deadlift")
    neutral = review(shared_videos / "deadlift" / "bichraix_good014.mp4", "deadlift")
    assert rounded.complete_reps == 1 and neutral.complete_reps == 1
    assert any(w.kind is WarningKind.SPINAL_FLEXION for r in rounded.reps for w in r.warnings)
    assert not any(w.kind is WarningKind.SPINAL_FLEXION for r in neutral.reps for w in r.warnings)


@pytest.mark.slow
def test_real_kettlebell_set_counts_ten(shared_videos) -> None:
    from coach.pipeline import review

    report = review(shared_videos / "deadlift" / "tby66_0016c_1.mp4", "deadlift")
    assert report.complete_reps == 10
