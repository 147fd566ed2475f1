"""The live coach: one per browser session, fed webcam frames on the WebRTC callback thread.

No Streamlit here. `LiveCoach.process(av_frame)` runs on the callback thread (pose, analysis,
drawing, saving each completed rep); the page reads `snapshot()`, a frozen copy made under a lock.
All timing comes from the frames' own timestamps; a restarted camera continues the same timeline,
so a set is kept when the camera drops out.
"""

from __future__ import annotations

import faulthandler
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.annotate import Annotator
from coach.countdown import GoCountdown
from coach.counter import Phase
from coach.exercises import spec_of
from coach.exercises.chair_stand import ChairStandAnalyzer
from coach.exercises.stances import HoldAnalyzer
from coach.features import BodyFeatures
from coach.history import History
from coach.labels import HOLD_END_WORDS, LIVE_TEST_WORDS, holds_timed
from coach.session import SEVERAL_PEOPLE_TEXT, SessionAnalyzer, ends_set
from coach.speech import SpeechGate
from coach.thresholds import LIVE_TURN_MESSAGE_MIN_S, OSTEOPOROSIS_TARGET, SetTarget, Thresholds, range_text
from coach.types import Exercise, FunctionalSetup, FunctionalTest, HoldEnd, Rep, Side, View

MAX_SIDE_PX = 960
"""Larger webcam frames are scaled down before pose estimation."""
FRAME_STEP_S = 1.0 / 30.0
"""Assumed frame interval when the camera restarts (its clock starts again at 0)."""

STALL_LOG_S = 10.0
"""A live frame still being worked on after this many seconds writes every thread's stack to the server's
stderr (once per frame), so a stalled live set can be diagnosed from the log; seconds. The timer is the
process's one `faulthandler` timer: with two live sets at once, the latest frame's is the one kept."""

_stall_log: Any = None


def _stall_file() -> Any:
    """A private copy of stderr for the stall dump (fd 2 is sent to /dev/null while MediaPipe is quietened)."""
    global _stall_log
    if _stall_log is None:
        _stall_log = os.fdopen(os.dup(2), "w", buffering=1)
    return _stall_log


class LivePhase(StrEnum):
    """What the page should show."""

    WAITING = "waiting"
    SETUP = "setup"
    COUNTING = "counting"
    RESTING = "resting"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """A consistent copy of the live state for the page."""

    frames: int = 0
    last_frame_at: float = math.nan
    """Monotonic wall-clock time of the latest frame (only used to notice a silent camera)."""
    video_time_s: float = 0.0
    phase: LivePhase = LivePhase.WAITING
    message: str = "Press START to turn on the camera."
    count: int = 0
    set_number: int = 1
    set_reps: int = 0
    sets_done: int = 0
    target_min: int = 8
    target_max: int = 12
    angles: dict[str, float] = field(default_factory=dict)
    warning: str | None = None
    """The first warning of the latest rep (None once a rep without warning follows)."""
    cue: str | None = None
    warning_rep: int | None = None
    warnings: tuple[tuple[str, str], ...] = ()
    """Every warning of the latest rep as (message, cue); empty when that rep was good."""
    rest_left_s: float | None = None
    utterances: tuple[tuple[int, str], ...] = ()
    calibrated: bool = False
    error: str | None = None
    session_id: int | None = None
    save_error: str | None = None
    """Why reps stopped being saved to the history (the count goes on), if they did."""
    headline: str | None = None
    """What the big line says instead of "N of 8–12" for a timed test or a hold ("2 holds timed", "5 stands");
    None for exercises counted in sets."""
    test_status: str = ""
    """Balance and functional tests: the chair-stand clock ("Get ready: 3", "Go!", "12 seconds left") or the
    hold under way, the last hold's end, or that the person looks unsteady (empty for the other exercises)."""
    unsteady: bool = False
    """A balance hold stopped cheering on: the person looked unsteady (a large sudden sway)."""

    @property
    def target_text(self) -> str:
        """E.g. "8–12"."""
        return range_text(self.target_min, self.target_max)


TURN_SIDE_ON = "Turn side-on to the camera."


def turn_message(f: BodyFeatures, sagittal: bool, side: Side | None) -> str | None:
    """The turn this frame's view asks for, in plain words; None when the view is right or unknown."""
    if sagittal and f.view in (View.FRONT, View.REAR):
        return TURN_SIDE_ON
    if side is not None and f.near_side is not None and f.near_side is not side:
        return f"Turn so that your {side.value} side faces the camera."
    return None


def setup_message(f: BodyFeatures, sagittal: bool, side: Side | None) -> str | None:
    """What to fix before counting can start, judged on this frame alone, in plain words; None when ready. Not
    being calibrated yet is no reason to wait: reps count from the first one while the coach learns the neutral
    back. `SetupGate` asks for a turn only when the wrong view lasts."""
    if not f.detected:
        return "Step into the picture so the camera can see you."
    if not f.lower_body_visible or not f.feet_visible:
        return "Step back until your feet are visible."
    if not f.head_visible and not f.upper_body_visible:
        return "Step back until your head is visible."
    return turn_message(f, sagittal, side)  # calibration needs no wait: learnt between reps


class SetupGate:
    """Live setup, frame by frame: whether counting may start, and the message to show.

    A turn is asked for only once the same wrong view has been read for `hold_s` seconds of frame time without a
    break (the per-frame view flips on single frames of a side-on person); until then the coach waits and says
    nothing. Visibility messages show at once."""

    def __init__(self, sagittal: bool, side: Side | None, hold_s: float = LIVE_TURN_MESSAGE_MIN_S) -> None:
        self.sagittal = sagittal
        self.side = side
        self.hold_s = hold_s
        self._turn: tuple[str, float] | None = None  # the pending turn message and the time it was first read

    def check(self, f: BodyFeatures) -> tuple[bool, str | None]:
        """(ready to count, message to show or None) for one frame."""
        message = setup_message(f, self.sagittal, self.side)
        turn = turn_message(f, self.sagittal, self.side) if f.detected else None
        if turn is None or message != turn:
            self._turn = None
            return message is None, message
        if self._turn is None or self._turn[0] != turn:
            self._turn = (turn, f.timestamp_s)
        held = f.timestamp_s - self._turn[1] >= self.hold_s
        return False, turn if held else None


class LiveCoach:
    """Per-session live processor. Thread-safe: `process` on the callback thread, `snapshot` anywhere."""

    def __init__(self, exercise: Exercise | str, thresholds: Thresholds | None = None,
                 target: SetTarget = OSTEOPOROSIS_TARGET, *, rest_s: float = 90.0, side: Side | None = None,
                 history: History | None = None, strictness: str = "standard",
                 estimator_factory: Callable[[], Any] | None = None,
                 clock: Callable[[], float] = time.monotonic, setup: FunctionalSetup | None = None) -> None:
        self.exercise = Exercise(exercise)
        self.thresholds = thresholds or Thresholds()
        self.target = target
        self.rest_s = rest_s
        self.side = side
        self.history = history
        self.strictness = strictness
        self._factory = estimator_factory
        self._clock = clock
        self._lock = threading.Lock()
        self._work_lock = threading.Lock()
        self._person = setup
        self._session = SessionAnalyzer(self.exercise, self.thresholds, target, keep_series=False, setup=setup)
        analyzer = self._session.analyzer
        self._chair = analyzer if isinstance(analyzer, ChairStandAnalyzer) and analyzer.timed else None
        self._holder = analyzer if isinstance(analyzer, HoldAnalyzer) else None
        self._countdown = GoCountdown() if self._chair is not None else None
        if self._chair is not None:
            self._chair.wait_for_go()
        self._holds_said = 0
        self._last_hold_text = ""
        self._unsteady_said = False
        self._test_status = ""
        self._test_saved = False
        self._sagittal = self._session.analyzer.sagittal
        self._setup = SetupGate(self._sagittal, side)
        self._annotator = Annotator(self.exercise, target.reps_text(ascii_only=True))
        self._estimator: Any = None
        self._speech = SpeechGate()
        self._utterances: list[tuple[int, str]] = []
        self._next_utterance = 1
        self._offset_s = 0.0
        self._last_raw_t: float | None = None
        self._last_t = -math.inf
        self._started = False
        self._idle = True
        self._set_number = 1
        self._set_reps = 0
        self._sets_done = 0
        self._last_rep_end: float | None = None
        self._session_id: int | None = None
        self._save_error: str | None = None
        self._reps: list[Rep] = []
        self._snap = LiveSnapshot(target_min=target.reps_min, target_max=target.reps_max, headline=self._headline())

    # --- the page side --------------------------------------------------------------------------
    def snapshot(self) -> LiveSnapshot:
        """The latest state (an immutable copy)."""
        with self._lock:
            return self._snap

    def reps(self) -> tuple[Rep, ...]:
        """The complete reps counted so far, with every warning found on them, including those a check adds
        just after the rep was counted (leaning back at a deadlift's lockout)."""
        with self._work_lock:
            return tuple(r for r in self._session.reps() if r.complete)

    def set_rest(self, rest_s: float) -> None:
        """Change the rest length (takes effect on the next frame)."""
        with self._lock:
            self.rest_s = float(rest_s)

    def close(self) -> None:
        """Release the pose model."""
        with self._work_lock:
            est, self._estimator = self._estimator, None
            if est is not None and hasattr(est, "close"):
                est.close()

    # --- the callback side ----------------------------------------------------------------------
    def process(self, frame: Any) -> Any:
        """streamlit-webrtc video_frame_callback: av.VideoFrame in, annotated av.VideoFrame out."""
        import av

        image = frame.to_ndarray(format="rgb24")
        t = frame.time
        out = self.process_image(image, float(t) if t is not None else None)
        new = av.VideoFrame.from_ndarray(out, format="rgb24")
        new.pts, new.time_base = frame.pts, frame.time_base
        return new

    def process_image(self, image: npt.NDArray[np.uint8], raw_t: float | None) -> npt.NDArray[np.uint8]:
        """Analyze one RGB frame taken at camera time `raw_t` (s); returns the annotated frame."""
        if not self._work_lock.acquire(blocking=False):
            return image  # a frame is still being worked on: latest frame wins, this one is shown as is
        faulthandler.dump_traceback_later(STALL_LOG_S, file=_stall_file())
        try:
            return self._work(image, raw_t)
        finally:
            faulthandler.cancel_dump_traceback_later()
            self._work_lock.release()

    def _timeline(self, raw_t: float | None) -> float:
        if raw_t is None:
            raw_t = (self._last_raw_t + FRAME_STEP_S) if self._last_raw_t is not None else 0.0
        if self._last_raw_t is not None and raw_t <= self._last_raw_t - 0.5:
            # the camera restarted and its clock began again: continue the same timeline
            self._offset_s = self._last_t + FRAME_STEP_S - raw_t
        self._last_raw_t = raw_t
        t = max(raw_t + self._offset_s, self._last_t + 1e-3)
        self._last_t = t
        return t

    def _work(self, image: npt.NDArray[np.uint8], raw_t: float | None) -> npt.NDArray[np.uint8]:
        now = self._clock()
        t = self._timeline(raw_t)
        small = _downscale(image)
        if self._estimator is None:
            try:
                self._estimator = self._make_estimator()
            except Exception as exc:  # ModelError and friends: shown on the page, frames pass through
                self._publish(now, t, error=f"The pose model could not be loaded: {exc}")
                return image
        pose = self._estimator.estimate(small, t)
        features, result = self._session.push(pose)
        message = None
        if not self._started:
            ready, message = self._setup.check(features)
            if ready or result.count > 0:
                self._started = True
                message = None
                self._say("Ready. Start when you are.", "ready", t)
        elif not features.detected:
            message = "I cannot see you. Step back into the picture."
        elif pose.people > 1:
            message = SEVERAL_PEOPLE_TEXT
        self._idle = result.phase in (Phase.REST, Phase.NOT_READY)
        if self._started:
            self._test_status = self._functional(t)
        if result.rep is not None and result.rep.complete:
            self._on_rep(result.rep, t)
        drawn = self._annotator.draw(small, pose, features, result)
        self._publish(now, t, message=message, angles=dict(result.angles), calibrated=result.calibrated)
        return drawn

    def _functional(self, t: float) -> str:
        """The chair-stand clock or the balance hold at video time `t` (s): the status line; says what is new."""
        words = LIVE_TEST_WORDS
        if self._countdown is not None and self._chair is not None:
            self._countdown.start(t)
            state = self._countdown.update(t)
            assert state is not None
            if state.go_s is not None and self._chair.awaiting_go:
                self._chair.call_go(state.go_s)
            if state.say is not None:
                self._say(state.say, f"clock:{state.say}", t)
            if state.over and not self._test_saved:
                self._test_saved = True
                self._save_test(self._chair.conclude())
            return f"{state.text} {words['stands'].format(n=self._chair.count)}" if state.over else state.text
        holder = self._holder
        if holder is None:
            return ""
        if len(holder.holds) > self._holds_said:
            self._holds_said = len(holder.holds)
            h = holder.holds[-1]
            self._last_hold_text = words["hold_ended"].format(why=HOLD_END_WORDS[h.ended_by],
                                                              n=f"{h.duration_s:.0f}")
            self._say(self._last_hold_text, f"hold:{h.index}", t)
            self._store("Live session", lambda hist, sid: hist.add_hold(sid, h))
            over = h.ended_by is not HoldEnd.TARGET_REACHED or holder.expected() is None  # a stance not held, or all
            test = holder.score() if over and not self._test_saved else None  # None: training holds, no test
            if test is not None:  # the balance test is over: keep its result
                self._test_saved = True
                self._save_test(test)
        if holder.paused:
            if not self._unsteady_said:
                self._unsteady_said = self._say(words["unsteady"], "unsteady", t)
            return words["unsteady"]
        self._unsteady_said = False
        if holder.timer.holding:
            return words["holding"].format(n=f"{holder.timer.elapsed_s(t):.0f}")
        return self._last_hold_text

    def _headline(self) -> str | None:
        """The big line for a hold exercise (holds timed) or the chair-stand test (stands); None otherwise."""
        if self._holder is not None:
            return holds_timed(len(self._holder.holds))
        if self._chair is not None:
            return spec_of(self.exercise).count_text(self._chair.count)
        return None

    def _save_test(self, test: FunctionalTest | None) -> None:
        """Keep the live test's result in the history (the page says so if it cannot be saved)."""
        if test is not None:
            self._store("Live test", lambda hist, sid: hist.add_test(sid, test))

    def _store(self, title: str, write: Callable[[History, int], None]) -> None:
        """Write to this live session in the history (started, with the person as given, on the first write);
        a failure turns saving off and the page says so, the coaching goes on."""
        if self.history is None:
            return
        try:
            if self._session_id is None:
                self._session_id = self.history.start_session(
                    self.exercise.value, "live", title=title, target_min=self.target.reps_min,
                    target_max=self.target.reps_max, strictness=self.strictness, person=self._person)
            write(self.history, self._session_id)
        except Exception as exc:  # never stop coaching because the disk is full; the page says so
            self.history = None
            self._save_error = " ".join(str(exc).split()) or type(exc).__name__

    def _make_estimator(self) -> Any:
        if self._factory is not None:
            return self._factory()
        from coach.pose import live_estimator

        return live_estimator()

    def _on_rep(self, rep: Rep, t: float) -> None:
        if self._last_rep_end is not None and ends_set(rep.start_s - self._last_rep_end) and self._set_reps:
            self._set_number += 1
            self._set_reps = 0
        self._set_reps += 1
        self._last_rep_end = rep.end_s
        self._reps.append(rep)
        if rep.warnings:
            w = rep.warnings[0]
            if not self._say(w.cue, f"warn:{w.kind.value}", t):
                self._say(str(self._set_reps), "rep", t)
        else:
            self._say(str(self._set_reps), "rep", t)
        set_number = self._set_number
        self._store("Live session", lambda hist, sid: hist.add_rep(sid, rep, set_number))

    def _say(self, text: str, kind: str, t: float) -> bool:
        if not self._speech.offer(kind, t):
            return False
        self._utterances.append((self._next_utterance, text))
        self._next_utterance += 1
        del self._utterances[:-5]
        return True

    def _publish(self, now: float, t: float, *, message: str | None = None, angles: dict[str, float] | None = None,
                 calibrated: bool = False, error: str | None = None) -> None:
        with self._lock:
            rest = self.rest_s
            prev = self._snap
        latest = next((r for r in reversed(self._session.reps()) if r.complete), None)
        shown = latest.warnings if latest is not None else ()
        warning, cue = (shown[0].message, shown[0].cue) if shown else (None, None)
        # the latest rep is the one `_on_rep` counted last: its number in the set is the count on screen
        warning_rep = self._set_reps if latest is not None and shown else None
        if error is not None:
            phase = LivePhase.ERROR
        elif not self._started:
            phase = LivePhase.SETUP
        else:
            phase = LivePhase.COUNTING
        rest_left = None
        set_number, set_reps, sets_done = self._set_number, self._set_reps, self._set_number - 1
        if (phase is LivePhase.COUNTING and self._last_rep_end is not None and self._set_reps
                and ends_set(t - self._last_rep_end)):
            sets_done = self._set_number
            if self._idle:
                phase = LivePhase.RESTING
                rest_left = max(0.0, rest - (t - self._last_rep_end))
            else:  # the first rep of the next set is under way: last set's warning is no longer about this set
                set_number, set_reps = self._set_number + 1, 0
                shown, warning, cue, warning_rep = (), None, None, None
        snap = LiveSnapshot(
            frames=prev.frames + 1, last_frame_at=now, video_time_s=t, phase=phase,
            message=error or message or "", count=sum(r.complete for r in self._reps), set_number=set_number,
            set_reps=set_reps, sets_done=sets_done, target_min=self.target.reps_min,
            target_max=self.target.reps_max, angles=angles or {}, warning=warning, cue=cue,
            warning_rep=warning_rep, warnings=tuple((w.message, w.cue) for w in shown), rest_left_s=rest_left,
            utterances=tuple(self._utterances),
            calibrated=calibrated, error=error, session_id=self._session_id, save_error=self._save_error,
            headline=self._headline(), test_status=self._test_status,
            unsteady=self._holder is not None and self._holder.paused)
        with self._lock:
            self._snap = snap


def _downscale(image: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    h, w = image.shape[:2]
    if max(h, w) <= MAX_SIDE_PX:
        return image
    import cv2

    s = MAX_SIDE_PX / max(h, w)
    return np.asarray(cv2.resize(image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA), dtype=np.uint8)
