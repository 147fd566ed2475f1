"""Page logic with streamlit.testing AppTest (the pose estimator is patched at its boundary), plus the
thread-safe live processor and the speech gate without Streamlit."""

from __future__ import annotations

import math
import os
import re
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from coach.estimator import SimpleEstimator
from coach.exercises import Group, in_group
from coach.history import History
from coach.labels import exercise_title
from coach.live import LiveCoach, LivePhase
from coach.speech import SpeechGate, speech_html
from coach.types import PoseFrame
from coach.ui import live_page, review_page
from coach.ui import settings as prefs

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.delenv("COACH_DB", raising=False)
    monkeypatch.setattr(review_page, "SAMPLES_DIR", tmp_path / "no-samples")
    # the WebRTC component needs a live Streamlit server and a browser: stub it at its boundary
    off = SimpleNamespace(state=SimpleNamespace(playing=False, signalling=False))
    monkeypatch.setattr(live_page, "webrtc", lambda coach: off)
    yield data


def _review_app() -> None:
    from coach.ui import review_page

    review_page.render()


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_app_opens_on_the_live_page_with_nothing_to_set_up() -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Exercise with the camera"]
    assert "0 of 8–12" in _markdown(at)
    assert at.selectbox(key="live_exercise").value.value == "squat"


def test_review_of_an_upload_uses_a_private_temp_folder_and_removes_it(make_clip: Callable[..., Path],
                                                                       fake_estimator: Any,
                                                                       private_data: Path) -> None:
    clip = make_clip(frames=12, fps=10.0)
    seen: dict[str, Any] = {}
    real_review = review_page.review

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        seen["path"] = Path(path)
        seen["mode"] = stat.S_IMODE(Path(path).parent.stat().st_mode)
        return real_review(path, *args, **kwargs)

    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator([])), \
            mock.patch.object(review_page, "review", spy):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        at.file_uploader(key="review_upload").upload("../../etc/my squat.mp4", clip.read_bytes(), "video/mp4")
        at.run()
        at.button(key="review_go").click().run()
    assert not at.exception
    assert seen["path"].name == "upload.mp4"  # the uploaded name is never used as a path
    assert seen["mode"] == 0o700
    assert not seen["path"].parent.exists()  # removed afterwards
    assert "0 reps counted" in _markdown(at)
    assert any("No person was found" in i.value for i in at.info)
    assert History(private_data / "history.sqlite3").sessions() == []  # a 0-rep review is no session done
    assert any("no rep was counted" in c.value for c in at.caption)


def test_a_damaged_upload_gives_a_one_line_error_and_the_app_keeps_running() -> None:
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    at.file_uploader(key="review_upload").upload("broken.mp4", b"\x00not a video" * 100, "video/mp4")
    at.run()
    at.button(key="review_go").click().run()
    assert not at.exception
    [err] = at.error
    assert err.value.startswith("Could not review this video:") and "\n" not in err.value
    at.run()  # still alive
    assert not at.exception


def test_uploads_over_the_cap_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefs, "MAX_UPLOAD_MB", 0.001)
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    at.file_uploader(key="review_upload").upload("big.mp4", b"0" * 5000, "video/mp4")
    at.run()
    at.button(key="review_go").click().run()
    assert not at.exception
    assert "the limit is" in at.error[0].value


def test_no_sample_choice_when_the_sample_folder_is_empty() -> None:
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    assert not at.exception
    assert at.radio(key="review_source").options == ["Upload a video"]
    assert at.button(key="review_go").disabled


def test_settings_stay_within_one_browser_session() -> None:
    a = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    b = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    a.selectbox(key="live_exercise").select_index(1).run()
    b.run()
    assert a.session_state[prefs.SETTINGS_KEY].exercise.value == "deadlift"
    assert b.session_state[prefs.SETTINGS_KEY].exercise.value == "squat"
    assert a.session_state["live_coach"] is not b.session_state["live_coach"]


# --- the live processor, without Streamlit ------------------------------------------------------

class EmptyEstimator(SimpleEstimator):
    """Finds nobody; records the timestamps it was given."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def estimate(self, image: Any, t: float) -> PoseFrame:
        self.times.append(t)
        return PoseFrame.empty(t, image.shape[1], image.shape[0])

    def close(self) -> None:
        pass


def test_live_setup_help_and_timeline_after_a_camera_restart() -> None:
    est = EmptyEstimator()
    coach = LiveCoach("squat", estimator_factory=lambda: est, clock=lambda: 100.0)
    img = np.zeros((48, 64, 3), np.uint8)
    assert coach.snapshot().phase is LivePhase.WAITING
    for t in (5.0, 5.1, 5.2, 0.0, 0.1):  # the camera restarted: its clock began again
        coach.process_image(img, t)
    snap = coach.snapshot()
    assert snap.phase is LivePhase.SETUP and snap.message.startswith("Step into the picture")
    assert snap.frames == 5 and snap.last_frame_at == 100.0
    assert est.times == sorted(est.times) and est.times[3] > est.times[2]


def test_live_model_error_is_shown_not_raised() -> None:
    def broken() -> Any:
        raise RuntimeError("pose model not found")

    coach = LiveCoach("squat", estimator_factory=broken)
    out = coach.process_image(np.zeros((4, 4, 3), np.uint8), 0.0)
    assert out.shape == (4, 4, 3)
    assert coach.snapshot().phase is LivePhase.ERROR and "pose model not found" in (coach.snapshot().error or "")


def test_live_latest_frame_wins_when_busy() -> None:
    started, release = threading.Event(), threading.Event()

    class Slow(EmptyEstimator):
        def estimate(self, image: Any, t: float) -> PoseFrame:
            started.set()
            release.wait(5)
            return super().estimate(image, t)

    est = Slow()
    coach = LiveCoach("squat", estimator_factory=lambda: est)
    img = np.zeros((8, 8, 3), np.uint8)
    worker = threading.Thread(target=coach.process_image, args=(img, 0.0))
    worker.start()
    assert started.wait(5)
    assert coach.process_image(img, 0.033) is img  # dropped, passed through untouched
    release.set()
    worker.join(5)
    assert est.times == [0.0] and coach.snapshot().frames == 1


def test_speech_gate_never_nags() -> None:
    gate = SpeechGate()
    assert gate.offer("rep", 10.0)
    assert not gate.offer("rep", 10.5)
    assert gate.offer("rep", 11.2)
    assert not gate.offer("warn:twist", 12.0)  # too soon after the rep number
    assert gate.offer("warn:twist", 14.0)
    assert not gate.offer("warn:twist", 20.0)  # same warning within the cooldown
    assert gate.offer("warn:spinal_flexion", 20.0)
    assert gate.offer("warn:twist", 34.5)


def test_speech_snippet_is_local_and_escaped() -> None:
    html = speech_html('Keep your chest proud</script><script>alert("x")', 3)
    assert "</script><script>" not in html.split("SpeechSynthesisUtterance(")[1].split(");")[0]
    assert "localService" in html and "http" not in html


def test_a_sample_can_be_picked_and_its_exercise_is_preselected(tmp_path: Path, make_clip: Callable[..., Path],
                                                                fake_estimator: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    make_clip(name="x.mp4", frames=8).rename(samples / "deadlift_demo.mp4")
    (samples / "deadlift_demo.json").write_text("{}")  # truth files are not offered as videos
    monkeypatch.setattr(review_page, "SAMPLES_DIR", samples)
    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator([])):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        at.radio(key="review_source").set_value("Use a sample video").run()
        assert at.selectbox(key="review_sample").options == ["deadlift_demo.mp4"]
        assert at.radio(key="review_kind").value == Group.EXERCISE.name  # the sample's group, then the sample's
        assert at.radio(key="review_exercise").value == "deadlift"
        at.button(key="review_go").click().run()
    assert not at.exception
    assert (samples / "deadlift_demo.mp4").exists()  # samples are read in place, never removed
    text = _markdown(at) + "\n".join(e.value for e in at.error)
    assert "0 reps counted" in text  # the fake estimator finds nobody


def test_a_video_of_another_exercise_offers_to_review_it_as_that(tmp_path: Path, make_clip: Callable[..., Path],
                                                               fake_estimator: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile

    samples = tmp_path / "samples"
    samples.mkdir()
    poses = frames_of(rep_profile(2), duration(2), hinge_pose)[::2]  # 15 a second: the review analyses each
    make_clip(name="x.mp4", frames=len(poses), fps=15.0).rename(samples / "morning.mp4")  # no hint in the name
    monkeypatch.setattr(review_page, "SAMPLES_DIR", samples)
    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator(poses)):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        at.radio(key="review_source").set_value("Use a sample video").run()
        assert at.radio(key="review_kind").value == review_page.AUTO  # the default: the coach recognises it
        at.radio(key="review_kind").set_value(Group.EXERCISE.name).run()
        at.radio(key="review_exercise").set_value("squat").run()  # the person insists on a squat
        at.button(key="review_go").click().run()
        assert "0 reps counted" in _markdown(at)
        assert [w.value for w in at.warning] == ["This looks more like a **deadlift**: 2 complete reps that way."]
        at.button(key="review_again").click().run()
        assert not at.exception
        assert at.radio(key="review_exercise").value == "deadlift"  # the picker names what was reviewed
        assert "2 reps counted" in _markdown(at)
        assert not at.warning


def test_by_default_the_coach_recognises_the_exercise(tmp_path: Path, make_clip: Callable[..., Path],
                                                      fake_estimator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile

    samples = tmp_path / "samples"
    samples.mkdir()
    poses = frames_of(rep_profile(2), duration(2), hinge_pose)[::2]
    make_clip(name="x.mp4", frames=len(poses), fps=15.0).rename(samples / "morning.mp4")  # no hint in the name
    monkeypatch.setattr(review_page, "SAMPLES_DIR", samples)
    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator(poses)):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        at.radio(key="review_source").set_value("Use a sample video").run()
        at.button(key="review_go").click().run()
    assert not at.exception
    assert "2 reps counted" in _markdown(at)  # reviewed as the deadlift it is, not the squat picked last
    assert not at.warning
    assert any("Deadlift" in i.value for i in at.info)
    picker = at.radio(key="review_kind")
    assert picker.value == review_page.AUTO
    assert "found: Deadlift" in picker.format_func(picker.value)


def test_a_file_name_is_shown_as_plain_text_not_markdown() -> None:
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    at.file_uploader(key="review_upload").upload("![x](https:evil.example) **zero**.mp4", b"\x00not a video" * 100,
                                                 "video/mp4")
    at.run()
    at.button(key="review_go").click().run()
    [err] = at.error
    assert "evil" in err.value
    assert re.search(r"(?<!\\)[\[\]*!]", err.value.split(":", 1)[1]) is None  # every Markdown sign escaped


def test_review_folders_of_a_killed_app_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = tmp_path / f"{review_page.WORK_PREFIX}dead"
    gone.mkdir()
    (gone / review_page.OWNER_FILE).write_text(str(dead.pid))
    (gone / "upload.mp4").write_bytes(b"a person's video")
    mine = tmp_path / f"{review_page.WORK_PREFIX}mine"
    mine.mkdir()
    (mine / review_page.OWNER_FILE).write_text(str(os.getpid()))
    other = tmp_path / "unrelated"
    other.mkdir()
    assert review_page.sweep_leftovers(tmp_path) == 1
    assert not gone.exists() and mine.exists() and other.exists()


def test_spoken_cues_are_short_sentences_with_one_full_stop() -> None:
    from coach.speech import spoken_text

    assert spoken_text(["Ready. Start when you are.", "1"]) == "Ready. Start when you are. 1."
    assert ".." not in spoken_text(["Keep your chest up.", "Rep 2."])


def test_the_rep_table_puts_the_warning_first_and_says_not_measured() -> None:
    from coach.types import Exercise, FormWarning, Rep, WarningKind

    warn = FormWarning(WarningKind.SPINAL_FLEXION, 2.0, 30.0, 20.0, "deg", "Your back rounded 30°.",
                       "Keep your chest up.")
    reps = (Rep(1, 1.0, 3.0, True, metrics={"knee_flexion_deg": 95.0, "spinal_flexion_deg": -3.0}),
            Rep(2, 4.0, 6.0, True, metrics={"knee_flexion_deg": math.nan, "spinal_flexion_deg": 30.0},
                warnings=(warn,)))
    report: Any = SimpleNamespace(reps=reps, exercise=Exercise.SQUAT)
    table = review_page.rep_frame(report)
    assert list(table.columns[:2]) == ["Rep", "What the coach saw"]
    cells = table.values.tolist()
    assert cells[0][1] == "Good" and cells[1][1] == "Your back rounded 30°. Keep your chest up."
    assert "not measured" in cells[1] and "0" in cells[0]  # rounding below neutral reads 0, never negative
    assert not any(c in ("None", "nan") or str(c).startswith("-") for row in cells for c in row)


def test_the_exercise_picker_is_grouped_and_short() -> None:
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    kind = at.radio(key="review_kind")
    assert kind.options == ["Let the coach tell", "Exercises", "Balance and fitness tests"]
    assert not [r for r in at.radio if r.key in ("review_exercise", "review_test")]  # no list while recognising
    kind.set_value(Group.TEST.name).run()
    tests = at.radio(key="review_test")
    assert tests.options == [exercise_title(e) for e in in_group(Group.TEST)] and len(tests.options) <= 4
    assert "review_exercise" not in [r.key for r in at.radio]  # one group's list at a time
    tests.set_value("balance_test").run()
    assert at.session_state[review_page.PICK_KEY] == "balance_test"
    at.radio(key="review_kind").set_value(Group.EXERCISE.name).run()
    assert at.radio(key="review_exercise").value == in_group(Group.EXERCISE)[0].value
    at.radio(key="review_kind").set_value(Group.TEST.name).run()
    assert at.radio(key="review_test").value == "balance_test"  # the group remembers its last choice
    at.radio(key="review_kind").set_value(review_page.AUTO).run()
    assert at.session_state[review_page.PICK_KEY] == review_page.AUTO


def test_the_phone_help_is_words_first_and_leaves_the_commands_to_whoever_sets_it_up() -> None:
    person, helper = live_page.HELP_OTHER_DEVICE.split("*For whoever sets it up:*")
    assert "phone" in person and "same Wi-Fi" in person
    assert not re.search(r"`|--|streamlit|https?://|\.pem", person)  # no command line for the person
    assert "streamlit run" in helper  # the one-time setup is still there, for the helper


def test_spoken_cues_are_calm_and_every_one_is_on_the_screen() -> None:
    from coach.speech import speech_html
    from tests.test_live_matches_review import PoseAtTime, deadlift_frames, twist_on

    assert "u.rate = 0.90" in speech_html("Chest proud.", 1)  # a little slower than the voice's own rate
    poses = deadlift_frames(8.0, fault=twist_on((1,), 35.0))
    coach = LiveCoach("deadlift", estimator_factory=lambda: PoseAtTime(poses))
    image = np.zeros((48, 64, 3), np.uint8)
    said: dict[int, str] = {}
    missing = []
    for p in poses:
        coach.process_image(image, p.timestamp_s)
        snap = coach.snapshot()
        shown = " ".join([str(snap.set_reps), snap.message or "", snap.test_status,
                          *(f"{m} {c}" for m, c in snap.warnings)])
        for i, text in snap.utterances:
            if i not in said:
                said[i] = text
                # "Ready." is shown by the page itself ("Ready: start when you are.", live_page.show_snapshot)
                if text.rstrip(".") not in shown and not text.startswith("Ready"):
                    missing.append((text, shown))
    coach.close()
    assert list(said.values())[:2] == ["Ready. Start when you are.", "1"]
    assert any("shoulders square" in t for t in said.values())  # rep 2's twist cue was said
    assert missing == []  # each spoken cue was on screen as it was said (the count, the cue, the status)
    assert all(len(t) <= 90 and t.count(". ") <= 1 for t in said.values())  # short sentences
