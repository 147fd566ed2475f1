"""Live coaching with the webcam: picture with skeleton, rep count toward the set, warnings, spoken cues."""

from __future__ import annotations

import math
import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import streamlit as st

from coach.labels import measure_text, measure_words
from coach.live import LiveCoach, LivePhase, LiveSnapshot
from coach.speech import speech_html, spoken_text
from coach.types import FunctionalSetup, Side
from coach.ui import functional_view
from coach.ui import settings as prefs
from coach.ui.rtc import RTC_CONFIGURATION, machine_has_network, restrict_host_candidates
from coach.ui.style import big, big_html

if TYPE_CHECKING:
    from streamlit_webrtc import WebRtcStreamerContext

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
NO_NETWORK = ("This computer has no network switched on, and the browser needs one (Wi-Fi or a cable) to open "
              "the camera stream, even though your picture never leaves this computer. Switch Wi-Fi on, or film "
              "yourself and upload the video on the Review page.")

HOW_STOPPED = "Press <b>START</b>, allow the camera, and stand side-on with your whole body in view."
HOW_PLAYING = "Stand side-on with your whole body in view. Press <b>STOP</b> when you are done."
"""The line beside the picker, as the camera is (HTML)."""
CUE_OFF = "Press START to turn on the camera."
CUE_OFF_KEPT = "Camera off. Your set is kept: press START to carry on."
CUE_CONNECTING = "The camera is starting. Stand side-on with your whole body in view."
"""The cue before the first picture (START pressed) and with the camera off."""

HELP_OTHER_DEVICE = """
**Using a phone or a tablet as the camera.** The phone and this computer must be on the same home network
(the same Wi-Fi). A browser only lets a page use the camera over a secure connection, so this needs a one-time
setup by someone comfortable with computers. Once it is set up, open the address they give you on the phone
and press START there. Nothing goes over the internet: the picture goes straight from the phone to this
computer.

*For whoever sets it up:* start the app with a certificate and this computer's network address, for example
`COACH_LIVE_ADDRESSES=127.0.0.1,192.168.1.20 streamlit run app.py --server.address 0.0.0.0
--server.sslCertFile cert.pem --server.sslKeyFile key.pem`, then open `https://192.168.1.20:8501` on the phone
(accept the certificate warning once).
"""


def make_estimator() -> Any:
    """The live pose estimator (tests patch this boundary): VIDEO mode, one person."""
    from coach.pose import live_estimator

    return live_estimator()


def get_coach(settings: prefs.Settings, setup: FunctionalSetup | None = None) -> LiveCoach:
    """This browser session's live coach, rebuilt only when the exercise, its rules or the person change."""
    key = (settings.exercise, settings.strictness, settings.target_choice, settings.side, setup)
    coach: LiveCoach | None = st.session_state.get(COACH_KEY)
    if coach is None or st.session_state.get(COACH_CONFIG_KEY) != key:
        if coach is not None:
            coach.close()
        side = None if settings.side is prefs.CameraSide.AUTO else Side(settings.side.name.lower())
        coach = LiveCoach(settings.exercise, settings.thresholds, settings.target, rest_s=settings.rest_s,
                          side=side, history=prefs.get_history(), strictness=settings.strictness.value,
                          estimator_factory=make_estimator, setup=setup)
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
    pick, how = st.columns([2, 3], gap="medium", vertical_alignment="bottom")
    with pick:
        prefs.exercise_picker(key="live_exercise")
    how = how.empty()  # filled once the camera's state is known (below), so it never says START while playing
    functional_view.show_setup_help(prefs.get_settings().exercise)
    settings = prefs.get_settings()
    coach = get_coach(settings, functional_view.person_setup(settings.exercise))
    left, right = st.columns([1, 1], gap="medium")
    with left:
        ctx = webrtc(coach)
        camera = camera_of(ctx)
        how.markdown(f"<div class='coach-small'>{HOW_STOPPED if camera is Camera.OFF else HOW_PLAYING}</div>",
                     unsafe_allow_html=True)
        if st.button("Start over", key="live_reset", help="Clear the count and begin a new session."):
            coach.close()
            st.session_state.pop(COACH_KEY, None)
            st.rerun()
    with right:
        live_panel(camera, settings.voice)
    with st.expander("Use a phone or another computer"):
        st.markdown(HELP_OTHER_DEVICE)


class Camera(StrEnum):
    """The camera component as the person sees it."""

    OFF = "off"
    STARTING = "starting"
    """START pressed (the button reads STOP), the connection not made yet."""
    ON = "on"


def camera_of(ctx: WebRtcStreamerContext | None) -> Camera:
    """The camera's state from the component's own (`playing`, or still `signalling` after START)."""
    state = ctx.state if ctx is not None else None
    if state is None:
        return Camera.OFF
    if state.playing:
        return Camera.ON
    return Camera.STARTING if state.signalling else Camera.OFF


def webrtc(coach: LiveCoach) -> WebRtcStreamerContext:
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
def live_panel(camera: Camera, voice: bool) -> None:
    """Polls the coach's snapshot twice a second and shows it."""
    coach: LiveCoach | None = st.session_state.get(COACH_KEY)
    if coach is None:
        return
    snap = coach.snapshot()
    now = time.monotonic()
    playing = camera is not Camera.OFF  # START pressed: connecting or sending pictures
    if not playing:
        st.session_state.pop(STARTED_AT_KEY, None)
    started = st.session_state.setdefault(STARTED_AT_KEY, now) if playing else now
    if not_connected(snap, playing, now - started):
        big(NO_PICTURE if machine_has_network() else NO_NETWORK, "warn", "live-no-picture")
    show_snapshot(snap, camera is Camera.ON, now, starting=camera is Camera.STARTING)
    if voice:
        speak_new(snap)


def not_connected(snap: LiveSnapshot, playing: bool, since_start_s: float) -> bool:
    """START was pressed CONNECT_WAIT_S ago or more and no picture has arrived."""
    return playing and snap.frames == 0 and since_start_s >= CONNECT_WAIT_S


def show_snapshot(snap: LiveSnapshot, playing: bool, now: float, starting: bool = False) -> None:
    """The count, the current cue (setup help or the latest rep's warnings) and the set, in large type; one
    markdown block so they change together. The cue follows the camera: off, `starting` (START pressed, not
    connected yet) or `playing`. Angles show only while the camera is on."""
    silent = playing and snap.frames > 0 and now - snap.last_frame_at > SILENT_CAMERA_S
    if snap.save_error:
        st.warning(f"Reps are no longer being saved to your history ({snap.save_error}). The count here is "
                   "still right: note it down.")
    if snap.phase is LivePhase.ERROR:
        st.error(snap.error or "Something went wrong.")
        return
    parts = [big_html(snap.headline or f"{snap.set_reps} of {snap.target_text}", "big", "live-count")]
    if snap.test_status:
        parts.append(big_html(snap.test_status, "warn" if snap.unsteady else "mid", "live-test"))
    if silent:
        parts.append(big_html("The camera stopped sending pictures. Your set is kept: check the camera, or press "
                              "START again.", "warn", "live-camera-lost"))
    elif not (playing or starting or now - snap.last_frame_at < 1.0):  # no words left from before STOP
        parts.append(big_html(CUE_OFF_KEPT if snap.count else CUE_OFF, "help", "live-cue"))
    elif starting or snap.frames == 0:  # START pressed, no picture yet: the coach's "Press START" would be stale
        parts.append(big_html(CUE_CONNECTING, "help", "live-cue"))
    elif snap.warnings:
        for message, cue in snap.warnings:
            parts.append(big_html(f"Rep {snap.warning_rep}: {message} {cue}", "warn", "live-warning"))
    elif snap.message:
        parts.append(big_html(snap.message, "help", "live-setup" if snap.phase is LivePhase.SETUP else "live-cue"))
    elif snap.phase is LivePhase.COUNTING:
        parts.append(big_html(f"Rep {snap.set_reps}: good." if snap.set_reps else "Ready: start when you are.",
                              "ok", "live-cue"))
    if snap.phase is LivePhase.RESTING and snap.rest_left_s is not None:
        left = math.ceil(snap.rest_left_s)
        text = (f"Rest: {left // 60}:{left % 60:02d} left before set {snap.set_number + 1}" if left > 0 else
                f"Rest over: start set {snap.set_number + 1} when you are ready.")
        parts.append(big_html(text, "ok", "live-rest"))
    if snap.headline is None:  # a test or a hold has no sets
        parts.append(big_html(f"Set {snap.set_number} · {snap.count} rep{'s' if snap.count != 1 else ''} in total",
                              "mid", "live-set"))
    angles = [f"{measure_words(k)}: {measure_text(k, v)}" for k, v in snap.angles.items() if not math.isnan(v)]
    if angles and playing and now - snap.last_frame_at < 1.0:  # gone at STOP, never left from the last frame
        parts.append(big_html(" · ".join(angles), "small", "live-angles"))
    st.markdown("".join(parts), unsafe_allow_html=True)


def speak_new(snap: LiveSnapshot) -> None:
    """Speak utterances not yet spoken in this browser session (once each)."""
    if not snap.utterances:
        return
    last = int(st.session_state.get(SPOKEN_KEY, 0))
    new = [(i, text) for i, text in snap.utterances if i > last]
    if not new:
        return
    st.session_state[SPOKEN_KEY] = new[-1][0]
    st.iframe(speech_html(spoken_text([t for _, t in new[-2:]]), new[-1][0]), height=1)
