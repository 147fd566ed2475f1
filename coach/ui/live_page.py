"""Live coaching with the webcam: picture with skeleton, rep count toward the set, warnings, spoken cues."""

from __future__ import annotations

import math
import time
from typing import Any

import streamlit as st

from coach.labels import measure_unit, measure_words
from coach.live import LiveCoach, LivePhase, LiveSnapshot
from coach.speech import speech_html
from coach.types import Side
from coach.ui import functional_view
from coach.ui import settings as prefs
from coach.ui.rtc import RTC_CONFIGURATION, restrict_host_candidates
from coach.ui.style import big

COACH_KEY = "live_coach"
COACH_CONFIG_KEY = "live_coach_config"
SPOKEN_KEY = "live_spoken_id"
SILENT_CAMERA_S = 2.0
"""No frame for this long while the camera is on: tell the user (wall-clock, only for this notice)."""
CONNECT_WAIT_S = 15.0
"""START pressed and no picture for this long: tell the user what to do (wall-clock, only for this notice)."""
STARTED_AT_KEY = "live_started_at"
NO_PICTURE = ("The camera picture has not arrived. Check that this browser may use the camera (the camera "
              "sign next to the address), then press STOP and START again. If it still does not come, reload "
              'this page. On a phone or another computer, see "Use a phone or another computer" below.')

HELP_OTHER_DEVICE = """
**Using a phone or another computer on the same network.** Browsers only give a page the camera when it is
opened as `localhost` or over `https`, and the camera stream only uses this computer's own loopback address
unless you name others. Start the app on this computer with your own certificate and its network address, e.g.
`COACH_LIVE_ADDRESSES=127.0.0.1,192.168.1.20 streamlit run app.py --server.address 0.0.0.0
--server.sslCertFile cert.pem --server.sslKeyFile key.pem`,
then open `https://192.168.1.20:8501` on the phone (accept the certificate warning once).
No internet connection is needed: the picture goes straight from the phone to this computer.
"""


def make_estimator() -> Any:
    """The live pose estimator (tests patch this boundary): VIDEO mode, one person."""
    from coach.pose import live_estimator

    return live_estimator()


def get_coach(settings: prefs.Settings) -> LiveCoach:
    """This browser session's live coach, rebuilt only when the exercise or its rules change."""
    key = (settings.exercise, settings.strictness, settings.target_choice, settings.side)
    coach: LiveCoach | None = st.session_state.get(COACH_KEY)
    if coach is None or st.session_state.get(COACH_CONFIG_KEY) != key:
        if coach is not None:
            coach.close()
        side = None if settings.side is prefs.CameraSide.AUTO else Side(settings.side.name.lower())
        coach = LiveCoach(settings.exercise, settings.thresholds, settings.target, rest_s=settings.rest_s,
                          side=side, history=prefs.get_history(), strictness=settings.strictness.value,
                          estimator_factory=make_estimator)
        st.session_state[COACH_KEY] = coach
        st.session_state[COACH_CONFIG_KEY] = key
        st.session_state.pop(SPOKEN_KEY, None)
    coach.set_rest(settings.rest_s)
    return coach


def render() -> None:
    """The live page."""
    settings = prefs.settings_panel()
    st.title("Exercise with the camera")
    problem = prefs.history_problem()
    if problem:
        st.warning(problem)
    prefs.exercise_picker(key="live_exercise")
    functional_view.show_setup_help(prefs.get_settings().exercise)
    settings = prefs.get_settings()
    coach = get_coach(settings)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("Press **START**, allow the camera, and stand side-on with your whole body in view.")
        ctx = webrtc(coach)
        playing = bool(getattr(getattr(ctx, "state", None), "playing", False))
        if st.button("Start over", key="live_reset", help="Clear the count and begin a new session."):
            coach.close()
            st.session_state.pop(COACH_KEY, None)
            st.rerun()
    with right:
        live_panel(playing, settings.voice)
    with st.expander("Use a phone or another computer"):
        st.markdown(HELP_OTHER_DEVICE)


def webrtc(coach: LiveCoach) -> Any:
    """The camera component; frames go to `coach.process` on the WebRTC callback thread."""
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    restrict_host_candidates()
    return webrtc_streamer(
        key="live-camera",
        mode=WebRtcMode.SENDRECV,
        rtc_configuration=RTC_CONFIGURATION,
        media_stream_constraints={"video": {"width": {"ideal": 640}, "height": {"ideal": 480}}, "audio": False},
        video_frame_callback=coach.process,
        async_processing=True,
    )


@st.fragment(run_every=0.5)
def live_panel(playing: bool, voice: bool) -> None:
    """Polls the coach's snapshot twice a second and shows it."""
    coach: LiveCoach | None = st.session_state.get(COACH_KEY)
    if coach is None:
        return
    snap = coach.snapshot()
    now = time.monotonic()
    if not playing:
        st.session_state.pop(STARTED_AT_KEY, None)
    started = st.session_state.setdefault(STARTED_AT_KEY, now) if playing else now
    if not_connected(snap, playing, now - started):
        big(NO_PICTURE, "warn", "live-no-picture")
    show_snapshot(snap, playing, now)
    if voice:
        speak_new(snap)


def not_connected(snap: LiveSnapshot, playing: bool, since_start_s: float) -> bool:
    """START was pressed CONNECT_WAIT_S ago or more and no picture has arrived."""
    return playing and snap.frames == 0 and since_start_s >= CONNECT_WAIT_S


def show_snapshot(snap: LiveSnapshot, playing: bool, now: float) -> None:
    """The count, set, rest timer, angles, setup help and the latest warning, in large type."""
    silent = playing and snap.frames > 0 and now - snap.last_frame_at > SILENT_CAMERA_S
    if silent:
        big("The camera stopped sending pictures. Your set is kept: check the camera, or press START again.",
            "warn", "live-camera-lost")
    elif snap.frames > 0 and not playing and snap.count:
        big("Camera off. Your set is kept: press START to carry on.", "help")
    if snap.save_error:
        st.warning(f"Reps are no longer being saved to your history ({snap.save_error}). The count here is "
                   "still right: note it down.")
    if snap.phase is LivePhase.ERROR:
        st.error(snap.error or "Something went wrong.")
        return
    big(f"{snap.set_reps} of {snap.target_text}", "big", "live-count")
    st.markdown(f"<div class='coach-mid' data-testid='live-set'>Set {snap.set_number} · {snap.count} reps in "
                f"total</div>", unsafe_allow_html=True)
    if snap.phase is LivePhase.SETUP and snap.message:
        big(snap.message, "help", "live-setup")
    elif snap.phase is LivePhase.WAITING:
        big(snap.message, "help")
    elif snap.message:
        big(snap.message, "help")
    if snap.phase is LivePhase.RESTING and snap.rest_left_s is not None:
        left = math.ceil(snap.rest_left_s)
        if left > 0:
            big(f"Rest: {left // 60}:{left % 60:02d} left before set {snap.set_number + 1}", "ok", "live-rest")
        else:
            big(f"Rest over: start set {snap.set_number + 1} when you are ready.", "ok", "live-rest")
    angles = [f"{measure_words(k)} {v:.0f}{measure_unit(k)}" for k, v in snap.angles.items() if not math.isnan(v)]
    if angles:
        big(" · ".join(angles), "mid")
    if snap.warning:
        big(f"Rep {snap.warning_rep}: {snap.warning} {snap.cue}", "warn", "live-warning")


def speak_new(snap: LiveSnapshot) -> None:
    """Speak utterances not yet spoken in this browser session (once each)."""
    if not snap.utterances:
        return
    last = int(st.session_state.get(SPOKEN_KEY, 0))
    new = [(i, text) for i, text in snap.utterances if i > last]
    if not new:
        return
    st.session_state[SPOKEN_KEY] = new[-1][0]
    st.iframe(speech_html(". ".join(t for _, t in new[-2:]), new[-1][0]), height=1)
