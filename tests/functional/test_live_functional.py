"""The live balance and functional tests: the chair stand's "3, 2, 1, Go" clock from frame timestamps, the holds
said as they end, and a large sudden sway stopping the cheering (exact synthetic kinematics, no pose model)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from coach.countdown import GoCountdown
from coach.history import History
from coach.labels import LIVE_TEST_WORDS
from coach.landmarks import Lm
from coach.live import LiveCoach
from coach.session import SessionAnalyzer
from coach.synth import SynthSpec
from coach.types import Exercise, FunctionalSetup, NoticeKind, PoseFrame, View
from tests.functional.truth_poses import truth_poses
from tests.test_live_matches_review import PoseAtTime

IMAGE = np.zeros((48, 64, 3), dtype=np.uint8)


def _live(exercise: Exercise, poses: list[PoseFrame], setup: FunctionalSetup | None = None, history=None):
    live = LiveCoach(exercise, estimator_factory=lambda: PoseAtTime(poses), setup=setup, history=history)
    statuses = []
    for p in poses:
        live.process_image(IMAGE, p.timestamp_s)
        statuses.append((p.timestamp_s, live.snapshot().test_status))
    return live, statuses


def test_countdown_says_3_2_1_go_then_the_seconds_left_then_stop():
    clock = GoCountdown()
    assert clock.update(5.0) is None
    clock.start(10.0)
    said = [s.say for t in np.arange(10.0, 45.0, 0.1) if (s := clock.update(float(t))) and s.say]
    assert said == ["3", "2", "1", "Go", "Stop"]
    assert clock.update(11.2).text == LIVE_TEST_WORDS["get_ready"].format(n=2)
    assert clock.update(13.5).go_s == pytest.approx(13.0) and clock.update(12.9).go_s is None
    assert clock.update(20.0).text == LIVE_TEST_WORDS["seconds_left"].format(n=23)
    assert clock.update(43.0).over and not clock.update(42.9).over


def test_live_chair_stand_counts_from_its_go_for_30_seconds(tmp_path):
    poses = list(truth_poses(SynthSpec(Exercise.CHAIR_STAND, view=View.SIDE, fps=15.0)))
    hist = History(tmp_path / "h.sqlite3")
    live, statuses = _live(Exercise.CHAIR_STAND, poses, FunctionalSetup(age=72, sex="female"), hist)
    spoken = [text for _, text in live.snapshot().utterances]
    go = live._chair.go_s
    assert go is not None and go == pytest.approx(statuses[0][0] + 3.0, abs=0.1)
    counted = list(live.reps())
    assert counted and all(go <= r.start_s + r.metrics["rise_s"] <= go + 30.0 for r in counted)
    assert 10 <= len(counted) <= 14  # the clock started with the first frame, later than the clip's own "Go"
    assert "Stop" in spoken
    assert statuses[-1][1].startswith(LIVE_TEST_WORDS["stop"]) and f"{len(counted)} stands" in statuses[-1][1]
    assert any(s == LIVE_TEST_WORDS["go"] for _, s in statuses)
    (saved,) = hist.test_results("chair_stand")  # the result is kept with the norm for a 72-year-old woman
    assert saved["score"] == len(counted) and saved["norm"]["below_average_under"] == 10
    assert live.snapshot().headline == f"{len(counted)} stands"  # the big line: stands, not "N of 8–12"


def test_live_single_leg_stand_shows_the_hold_and_says_how_it_ended():
    poses = list(truth_poses(SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0)))
    live, statuses = _live(Exercise.SINGLE_LEG_STAND, poses, FunctionalSetup(height_cm=170.0))
    assert any(s == LIVE_TEST_WORDS["holding"].format(n=5) for _, s in statuses)
    spoken = [text for _, text in live.snapshot().utterances]
    assert "The raised foot came down: held 7 seconds." in spoken
    assert not live.snapshot().unsteady
    holds = len(live._holder.holds)
    assert holds >= 1 and live.snapshot().headline == f"{holds} hold{'s' if holds != 1 else ''} timed"


def _sway_suddenly(poses: list[PoseFrame], at_s: float, cm: float, height_cm: float) -> list[PoseFrame]:
    """The upper body (hips and above) shifted sideways by `cm` within 0.1 s from `at_s`, feet kept."""
    first = poses[0].landmarks
    stature_px = first[Lm.LEFT_HEEL, 1] - first[Lm.NOSE, 1]
    px = cm / (0.93 * height_cm) * stature_px
    out = []
    for p in poses:
        shift = px * min(1.0, max(0.0, (p.timestamp_s - at_s) / 0.1))
        lm = p.landmarks.copy()
        lm[: Lm.LEFT_KNEE, 0] += shift
        out.append(dataclasses.replace(p, landmarks=lm))
    return out


def test_a_large_sudden_sway_stops_the_cheering_and_is_named():
    poses = list(truth_poses(SynthSpec(Exercise.SINGLE_LEG_STAND, view=View.FRONT, fps=15.0)))
    swayed = _sway_suddenly(poses, at_s=5.0, cm=15.0, height_cm=170.0)
    live, statuses = _live(Exercise.SINGLE_LEG_STAND, swayed, FunctionalSetup(height_cm=170.0))
    during = [s for t, s in statuses if 5.2 <= t <= 9.0]
    assert during and all(s == LIVE_TEST_WORDS["unsteady"] for s in during)
    assert LIVE_TEST_WORDS["unsteady"] in [text for _, text in live.snapshot().utterances]
    assert not any(s == LIVE_TEST_WORDS["unsteady"] for t, s in statuses if t < 5.0)

    session = SessionAnalyzer(Exercise.SINGLE_LEG_STAND, setup=FunctionalSetup(height_cm=170.0))
    for p in swayed:
        session.push(p)
    notices = [n for n in session.finish().notices if n.kind is NoticeKind.UNSTEADY]
    assert len(notices) == 1 and "5 s" in notices[0].message


def test_no_sudden_sway_in_the_plain_holds():
    poses = list(truth_poses(SynthSpec(Exercise.BALANCE_TEST, view=View.FRONT, fps=15.0)))
    session = SessionAnalyzer(Exercise.BALANCE_TEST, setup=FunctionalSetup(height_cm=170.0))
    for p in poses:
        session.push(p)
    notices = {n.kind for n in session.finish().notices}
    assert NoticeKind.UNSTEADY not in notices
    assert NoticeKind.NO_REPS not in notices  # holds are not reps: no "no complete rep was seen"


def test_a_chair_stand_filmed_from_the_front_gets_its_go():
    poses = list(truth_poses(SynthSpec(Exercise.CHAIR_STAND, view=View.FRONT, fps=15.0)))[:90]
    live, statuses = _live(Exercise.CHAIR_STAND, poses)
    assert "Go" in [text for _, text in live.snapshot().utterances]
    assert live._chair.go_s == pytest.approx(statuses[0][0] + 3.0, abs=0.1)


def test_live_holds_and_the_balance_test_result_are_kept_with_the_person(tmp_path):
    poses = list(truth_poses(SynthSpec(Exercise.BALANCE_TEST, view=View.FRONT, fps=15.0)))
    hist = History(tmp_path / "h.sqlite3")
    person = FunctionalSetup(age=80, sex="male", height_cm=175.0)
    live, _ = _live(Exercise.BALANCE_TEST, poses, person, hist)
    shown = live._holder.holds
    saved = hist.hold_results()
    assert shown and [(h["stance"], h["ended_by"]) for h in saved] == [(h.stance.value, h.ended_by.value)
                                                                        for h in shown]
    assert [h["duration_s"] for h in saved] == pytest.approx([h.duration_s for h in shown], abs=1e-3)
    (session,) = hist.sessions()  # one live session: its holds, its result and the person as given
    assert (session.holds, session.age, session.sex, session.height_cm) == (len(shown), 80, "male", 175.0)
    assert shown[-1].ended_by.value == "stepped"  # the rendered test ends at a stance not held: its result is kept
    (test,) = hist.test_results("balance_test")
    assert test["score"] == sum(h.ended_by.value == "target_reached" for h in shown)
    assert test["person"]["age"] == 80
