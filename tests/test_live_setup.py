"""Live setup: "Turn side-on" needs the wrong view to last (frame timestamps), a one-frame flip says nothing."""

from __future__ import annotations

import dataclasses

from coach.features import BodyFeatures
from coach.live import TURN_SIDE_ON, SetupGate
from coach.types import Side, View

FPS = 15.0


def seen(t: float, view: View, near: Side | None = Side.LEFT) -> BodyFeatures:
    """A whole person in view at time t, s, read as `view`."""
    return dataclasses.replace(BodyFeatures.empty(t, people=1), detected=True, view=view, near_side=near,
                               head_visible=True, upper_body_visible=True, lower_body_visible=True,
                               feet_visible=True)


def run(views: list[View], gate: SetupGate) -> list[tuple[bool, str | None]]:
    return [gate.check(seen(i / FPS, v)) for i, v in enumerate(views)]


def test_a_single_front_frame_asks_for_no_turn():
    out = run([View.SIDE] * 3 + [View.FRONT] + [View.SIDE] * 3, SetupGate(sagittal=True, side=None, hold_s=1.0))
    assert [m for _, m in out] == [None] * 7
    assert out[3][0] is False and all(ready for i, (ready, _) in enumerate(out) if i != 3)


def test_a_front_view_held_one_second_asks_to_turn_side_on():
    out = run([View.FRONT] * 20, SetupGate(sagittal=True, side=None, hold_s=1.0))
    shown = [i for i, (_, m) in enumerate(out) if m == TURN_SIDE_ON]
    assert shown and shown[0] == 15  # first asked at 15 / 15 fps = 1.0 s, and on every frame after
    assert shown == list(range(15, 20)) and not any(ready for ready, _ in out)


def test_a_side_frame_restarts_the_wait():
    views = [View.FRONT] * 12 + [View.SIDE] + [View.FRONT] * 12
    out = run(views, SetupGate(sagittal=True, side=None, hold_s=1.0))
    assert all(m is None for _, m in out) and out[12] == (True, None)


def test_the_hold_is_in_frame_time_not_frame_count():
    gate = SetupGate(sagittal=True, side=None, hold_s=1.0)
    times = [0.0, 0.5, 0.9, 1.2]  # four frames, 1.2 s apart end to end: a slow camera
    out = [gate.check(seen(t, View.FRONT)) for t in times]
    assert [m for _, m in out] == [None, None, None, TURN_SIDE_ON]


def test_the_wrong_side_also_needs_to_last_and_visibility_shows_at_once():
    gate = SetupGate(sagittal=True, side=Side.RIGHT, hold_s=0.5)
    out = [gate.check(seen(i / FPS, View.SIDE, near=Side.LEFT)) for i in range(10)]
    assert [m for _, m in out][:7] == [None] * 7 and out[8][1] == "Turn so that your right side faces the camera."
    hidden = dataclasses.replace(seen(1.0, View.SIDE), feet_visible=False)
    assert gate.check(hidden) == (False, "Step back until your feet are visible.")


def test_an_unjudged_exercise_never_asks_to_turn():
    out = run([View.FRONT] * 30, SetupGate(sagittal=False, side=None, hold_s=1.0))
    assert all(o == (True, None) for o in out)


def test_a_stalled_live_frame_writes_the_threads_stacks_to_the_log(tmp_path, monkeypatch) -> None:
    # A live set whose frame never comes back showed only "The camera stopped sending pictures" (seen in CI):
    # a frame still being worked on after STALL_LOG_S leaves every thread's stack in the server log.
    import time

    import numpy as np

    import coach.live
    from coach.estimator import SimpleEstimator
    from coach.live import LiveCoach
    from coach.types import Exercise, PoseFrame

    class Slow(SimpleEstimator):
        def estimate(self, image_rgb, timestamp_s: float) -> PoseFrame:
            time.sleep(0.6)
            return PoseFrame.empty(timestamp_s, image_rgb.shape[1], image_rgb.shape[0])

    log = open(tmp_path / "stderr.txt", "w")
    monkeypatch.setattr(coach.live, "_stall_log", log)
    monkeypatch.setattr(coach.live, "STALL_LOG_S", 0.2)
    live = LiveCoach(Exercise.SQUAT, estimator_factory=Slow)
    image = np.zeros((48, 64, 3), np.uint8)
    live.process_image(image, 0.0)
    monkeypatch.setattr(coach.live, "STALL_LOG_S", 5.0)
    live.process_image(image, 0.1)  # a frame that comes back in time writes nothing
    live.close()
    log.close()
    text = (tmp_path / "stderr.txt").read_text()
    assert text.count("Thread 0x") >= 1 and "in estimate" in text
    assert text.count("in estimate") == 1
