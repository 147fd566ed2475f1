"""The shared twist check: the image measure (`image_twist_deg`) and `check_twist` on hand-built sequences."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from coach.exercises.base import image_twist_deg
from coach.exercises.bird_dog import BirdDogAnalyzer
from coach.features import BodyFeatures
from coach.types import View, WarningKind
from tests.analyzers.sequences import (
    duration,
    feats,
    frames_of,
    front_frame,
    rep_profile,
    run,
    side_frame,
    squat_pose,
)

S0, H0 = (180.0, 0.0), (100.0, 0.0)
"""Reference shoulder and hip lines (left − right, px) of a person facing the camera."""
REP2 = (6.0, 9.0)
"""Start and end of the second rep of `rep_profile(3)`, s."""


def rot(v: tuple[float, float], deg: float, scale: float = 1.0) -> tuple[float, float]:
    """`v` turned by `deg` in the image plane and scaled, px."""
    a = math.radians(deg)
    return (scale * (v[0] * math.cos(a) - v[1] * math.sin(a)), scale * (v[0] * math.sin(a) + v[1] * math.cos(a)))


def test_no_change_reads_zero() -> None:
    assert image_twist_deg(S0, H0, S0, H0) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("deg", [5.0, 15.0, 20.0, -20.0, 45.0])
def test_in_plane_turn_of_the_shoulders_reads_its_angle(deg: float) -> None:
    assert image_twist_deg(rot(S0, deg), H0, S0, H0) == pytest.approx(abs(deg), abs=1e-6)
    assert image_twist_deg(S0, rot(H0, deg), S0, H0) == pytest.approx(abs(deg), abs=1e-6)  # hips rolling


def test_whole_body_turn_scale_and_left_right_swap_read_zero() -> None:
    assert image_twist_deg(rot(S0, 30.0), rot(H0, 30.0), S0, H0) == pytest.approx(0.0, abs=1e-6)
    assert image_twist_deg(rot(S0, 0.0, 1.2), rot(H0, 0.0, 1.2), S0, H0) == pytest.approx(0.0, abs=1e-6)
    swapped = (-S0[0], -S0[1])
    assert image_twist_deg(swapped, H0, S0, H0) == pytest.approx(0.0, abs=1e-6)


def test_out_of_plane_turn_reads_low_lower_bound() -> None:
    # Shoulders turning 20° about the vertical, filmed from the front: only the width shrinks (cos 20°).
    value = image_twist_deg(rot(S0, 0.0, math.cos(math.radians(20.0))), H0, S0, H0)
    expected = 2 * math.degrees(math.asin((1 - math.cos(math.radians(20.0))) / 2))
    assert value == pytest.approx(expected) and value < 10.0


def test_missing_lines_read_nan() -> None:
    assert math.isnan(image_twist_deg((math.nan, math.nan), H0, S0, H0))
    assert math.isnan(image_twist_deg(S0, H0, (0.0, 0.0), H0))


def _front_squats(twist_deg: float) -> list[BodyFeatures]:
    """Three front-view squats; the second turns the shoulder line in the image, `twist_deg` at the bottom
    (growing with depth², so the rep's shallowest frames, its rest, are square)."""
    profile = rep_profile(3)
    fs = feats(frames_of(profile, duration(3), squat_pose, make=front_frame))
    out = []
    for f in fs:
        t = f.timestamp_s
        if REP2[0] <= t <= REP2[1]:
            f = dataclasses.replace(f, shoulder_line_px=rot(f.shoulder_line_px, twist_deg * profile(t) ** 2))
        out.append(f)
    return out


def test_front_view_squat_flags_the_twisted_rep_only() -> None:
    res = run("squat", _front_squats(20.0))
    assert res.view is View.FRONT
    done = [r for r in res.reps if r.complete]
    assert len(done) == 3
    flagged = [any(w.kind is WarningKind.TWIST for w in r.warnings) for r in done]
    assert flagged == [False, True, False]
    w = next(w for w in done[1].warnings if w.kind is WarningKind.TWIST)
    assert w.value == pytest.approx(20.0, abs=1.5) and w.threshold == 10.0 and w.unit == "deg"
    assert done[0].metrics["twist_deg"] == pytest.approx(0.0, abs=0.5)


def test_front_view_small_turn_is_not_flagged() -> None:
    done = [r for r in run("squat", _front_squats(6.0)).reps if r.complete]
    assert not any(w.kind is WarningKind.TWIST for r in done for w in r.warnings)
    assert done[1].metrics["twist_deg"] == pytest.approx(6.0, abs=1.0)


def test_side_view_uses_world_twist_with_the_noise_margin() -> None:
    def pose_of(twist: float) -> object:
        return lambda d: dataclasses.replace(squat_pose(d), twist=twist * d)

    profile = rep_profile(2)
    for twist, flagged in ((20.0, False), (35.0, True)):
        fs = feats(frames_of(profile, duration(2), pose_of(twist), make=side_frame))  # type: ignore[arg-type]
        done = [r for r in run("squat", fs).reps if r.complete]
        assert done and all(any(w.kind is WarningKind.TWIST for w in r.warnings) is flagged for r in done)
        if flagged:
            assert done[0].warnings[-1].threshold == 25.0


def test_views_without_evidence_are_not_judged() -> None:
    a = BirdDogAnalyzer()
    f = dataclasses.replace(BodyFeatures.empty(0.0, people=1), detected=True, shoulder_line_px=S0,
                            hip_line_px=rot(H0, 30.0))
    metrics: dict[str, float] = {}
    assert a.check_twist([f, f], metrics, "cue", world_fallback=False, image_views=()) == []
    assert a.twist_unjudged and "twist_deg" not in metrics
    assert np.isnan(a.image_twist_series([f])).all()  # not visible: no rest frames
