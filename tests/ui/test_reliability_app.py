"""Issue #6, app side, without a browser: every bad input gives one clear error box and the app keeps going,
the camera dropping out keeps the set, nothing half-written is left behind, uploads stay private and capped,
a damaged history is reported and kept, and the server only listens on localhost.

Inputs are made here (bytes, PyAV); the pose model is replaced at its boundary (`make_estimator`).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from coach.estimator import SimpleEstimator
from coach.history import History
from coach.live import LiveCoach, LivePhase
from coach.report import atomic_write_text
from coach.types import PoseFrame
from coach.ui import live_page, review_page
from coach.ui import settings as prefs
from tests.media import write_audio_only, write_huge_frame_header, write_png

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.delenv("COACH_DB", raising=False)
    monkeypatch.setattr(review_page, "SAMPLES_DIR", tmp_path / "no-samples")
    yield data


@pytest.fixture
def review_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private TMPDIR for the review's work folders (to see what is left behind)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _review_app() -> None:
    from coach.ui import review_page

    review_page.render()


def _history_app() -> None:
    from coach.ui import history_page

    history_page.render()


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- inputs, made at test time -------------------------------------------------------------------

def _audio_only_mp4() -> bytes:
    """One second of a 440 Hz tone, AAC in mp4, no video stream."""
    return _bytes_of(write_audio_only, "tone.mp4")


def _png() -> bytes:
    """A 64×48 PNG still image."""
    return _bytes_of(write_png, "photo.png")


def _bytes_of(writer: Callable[[Path], Path], name: str) -> bytes:
    """The bytes a media writer produces (written to, and removed from, a temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        return writer(Path(folder) / name).read_bytes()


BAD_UPLOADS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    # id: (uploaded name, bytes, what the error box must say)
    "zero_bytes": ("empty.mp4", lambda: b"", "'empty.mp4' is empty (0 bytes)"),
    "text_renamed_mp4": ("notes.mp4", lambda: b"These are my workout notes, not a video.\n" * 20,
                         "could not read 'notes.mp4' as a video"),
    "random_bytes": ("noise.mp4", lambda: np.random.default_rng(0).integers(0, 256, 200_000, np.uint8).tobytes(),
                     "could not read 'noise.mp4' as a video"),
    "audio_only": ("voice.mp4", _audio_only_mp4, "'voice.mp4' has no video stream (audio only)"),
    "still_image_renamed_mp4": ("photo.mp4", _png, "'photo.mp4' is a still image, not a video"),
    "frames_over_8k": ("huge.mov", lambda: _bytes_of(write_huge_frame_header, "huge.mov"),
                       "'huge.mov' has frames of 16000×16000 pixels, larger than the coach reads"),
}


def _upload_and_review(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="review_upload").upload(name, data, "video/mp4")
    at.run()
    return at.button(key="review_go").click().run()


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_upload_gives_one_error_box_and_the_next_review_works(case: str, make_clip: Callable[..., Path],
                                                                  fake_estimator: Any, review_temp: Path,
                                                                  private_data: Path) -> None:
    name, make, expected = BAD_UPLOADS[case]
    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator([])):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        _upload_and_review(at, name, make())
        assert not at.exception
        [err] = at.error
        assert err.value.startswith("Could not review this video:") and "\n" not in err.value
        assert expected in err.value
        assert "upload." not in err.value  # the private temp name is not shown: the user's own file name is
        assert review_page.RESULT_KEY not in at.session_state
        assert list(review_temp.iterdir()) == []  # the temp folder is gone after a failed review too
        # the app keeps running: a good video right after in the same session is reviewed
        _upload_and_review(at, "good_squat.mp4", make_clip(frames=12).read_bytes())
    assert not at.exception and not at.error
    assert "0 reps counted" in _markdown(at)
    assert at.session_state[review_page.RESULT_KEY].name == "good_squat.mp4"  # reviewed (0 reps: not stored)


def test_oversized_upload_is_refused_before_it_is_saved(monkeypatch: pytest.MonkeyPatch, review_temp: Path) -> None:
    monkeypatch.setattr(prefs, "MAX_UPLOAD_MB", 0.01)  # 10 kB
    at = AppTest.from_function(_review_app, default_timeout=60).run()
    assert "up to 0.01 MB" in at.file_uploader(key="review_upload").label
    saved: list[Path] = []
    with mock.patch.object(review_page, "review", lambda path, *a, **k: saved.append(path)):
        _upload_and_review(at, "big.mp4", b"\0" * 20_000)
    assert not at.exception
    [err] = at.error
    assert "the limit is 0.01 MB" in err.value and "\n" not in err.value
    assert saved == [] and list(review_temp.iterdir()) == []


def test_upload_cap_from_the_environment_never_exceeds_the_server_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    server_cap = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    monkeypatch.setattr(prefs, "MAX_UPLOAD_MB", prefs.parse_upload_cap("5"))
    assert prefs.max_upload_mb() == 5.0
    monkeypatch.setattr(prefs, "MAX_UPLOAD_MB", prefs.parse_upload_cap(str(server_cap * 10)))
    with mock.patch("streamlit.get_option", lambda key: server_cap if key == "server.maxUploadSize" else None):
        assert prefs.max_upload_mb() == server_cap  # Streamlit would refuse more: the label must not promise it
    assert prefs.parse_upload_cap("lots") == prefs.DEFAULT_MAX_UPLOAD_MB  # a typo in the variable does not crash
    assert prefs.parse_upload_cap("-3") == prefs.DEFAULT_MAX_UPLOAD_MB


def test_crash_midway_through_a_review_leaves_nothing_behind(make_clip: Callable[..., Path],
                                                             review_temp: Path, private_data: Path) -> None:
    """The writer fails halfway (disk full): one error box, no half-written video, no result, no history row."""
    def half_written(path: Path, *args: Any, annotated: Path, **kwargs: Any) -> Any:
        Path(annotated).write_bytes(b"\0" * 1000)
        raise OSError(28, "No space left on device")

    with mock.patch.object(review_page, "review", half_written):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        _upload_and_review(at, "squat.mp4", make_clip(frames=5).read_bytes())
    assert not at.exception
    [err] = at.error
    assert err.value == review_page.DISK_FULL  # was "OSError: [Errno 28] No space left on device. What to do:
    # choose the original video …": Python's words, and advice that does not help
    assert list(review_temp.iterdir()) == []
    assert review_page.RESULT_KEY not in at.session_state
    assert not (private_data / "history.sqlite3").exists() or History(private_data / "history.sqlite3").sessions() == []


def test_a_bug_during_a_review_is_one_line_and_the_page_keeps_working(make_clip: Callable[..., Path],
                                                                      review_temp: Path) -> None:
    def buggy(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("list index out of range")

    with mock.patch.object(review_page, "review", buggy):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        _upload_and_review(at, "squat.mp4", make_clip(frames=5).read_bytes())
    assert not at.exception
    [err] = at.error
    assert err.value == review_page.CODE_FAULT  # plain words: no "RuntimeError", no programmer's message
    assert "Error" not in err.value and "list index" not in err.value
    assert list(review_temp.iterdir()) == []


def test_atomic_write_interrupted_at_the_rename_keeps_the_old_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report")

    def crash(src: Any, dst: Any) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        atomic_write_text(target, "new report " * 10_000)
    assert target.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no .tmp left behind


def test_uploaded_name_is_never_a_path(tmp_path: Path) -> None:
    for name in ("../../etc/passwd.mp4", "/etc/passwd", "..\\..\\x.mov", "a/b/../../../c.mkv", "clip.mp4\0.sh",
                 "", "...."):
        suffix = review_page.safe_suffix(name)
        assert "/" not in suffix and "\\" not in suffix and "\0" not in suffix and ".." not in suffix
        assert (tmp_path / f"upload{suffix}").resolve().parent == tmp_path.resolve()
    assert review_page.safe_suffix("../../etc/passwd.mp4") == ".mp4"
    assert review_page.safe_suffix("/etc/passwd") == ".video"


def test_malicious_upload_name_stays_inside_the_private_folder(make_clip: Callable[..., Path], fake_estimator: Any,
                                                               review_temp: Path) -> None:
    seen: dict[str, Any] = {}
    real_review = review_page.review

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        seen["path"] = Path(path)
        seen["mode"] = stat.S_IMODE(Path(path).parent.stat().st_mode)
        return real_review(path, *args, **kwargs)

    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator([])), \
            mock.patch.object(review_page, "review", spy):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        _upload_and_review(at, "../../etc/passwd.mp4", make_clip(frames=8).read_bytes())
    assert not at.exception
    assert seen["path"].parent.parent == review_temp and seen["path"].name == "upload.mp4"
    assert seen["mode"] == 0o700
    assert list(review_temp.iterdir()) == []
    assert not (review_temp.parent / "etc").exists()


# --- the camera stops sending frames mid-set -----------------------------------------------------

class SquatEstimator(SimpleEstimator):
    """A side-on person who stands, then squats `reps` times (hand-built poses, no model)."""

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses = poses
        self.n = 0

    def estimate(self, image: Any, t: float) -> PoseFrame:
        import dataclasses

        pose = self.poses[min(self.n, len(self.poses) - 1)]
        self.n += 1
        return dataclasses.replace(pose, timestamp_s=t)

    def close(self) -> None:
        pass


def _squat_poses(reps: int) -> list[PoseFrame]:
    """Hand-built side-on squats at 30 fps (tests/analyzers/sequences.py), starting with a still stand."""
    sys.path.insert(0, str(REPO / "tests"))
    from analyzers.sequences import duration, frames_of, rep_profile, squat_pose

    return frames_of(rep_profile(reps, rest_s=3.0), duration(reps, rest_s=3.0), squat_pose)


def test_camera_lost_mid_set_keeps_the_set_and_the_page_says_so() -> None:
    from coach.ui.live_page import SILENT_CAMERA_S

    poses = _squat_poses(2)
    now = [100.0]
    coach = LiveCoach("squat", estimator_factory=lambda: SquatEstimator(poses), clock=lambda: now[0])
    img = np.zeros((480, 640, 3), np.uint8)
    for i in range(len(poses)):
        now[0] = 100.0 + i / 30.0
        coach.process_image(img, i / 30.0)
    before = coach.snapshot()
    assert before.count >= 1 and before.set_reps == before.count
    # no more frames: the page notices (its own clock moves on), the coach keeps everything
    later = before.last_frame_at + SILENT_CAMERA_S + 1.0
    assert coach.snapshot() == before

    def page(snap: object, now: float) -> None:
        from coach.ui.live_page import show_snapshot

        show_snapshot(snap, True, now)  # type: ignore[arg-type]

    at = AppTest.from_function(page, default_timeout=30, args=(before, later)).run()
    text = _markdown(at)
    assert "The camera stopped sending pictures. Your set is kept" in text
    assert f"{before.set_reps} of 8–12" in text
    # the camera comes back with its clock restarted: the same set carries on
    coach.process_image(img, 0.0)
    after = coach.snapshot()
    assert after.count == before.count and after.set_number == before.set_number
    assert after.video_time_s > before.video_time_s


def test_each_completed_rep_is_in_the_database_as_soon_as_it_is_counted(tmp_path: Path) -> None:
    poses = _squat_poses(3)
    hist = History(tmp_path / "h.sqlite3")
    coach = LiveCoach("squat", estimator_factory=lambda: SquatEstimator(poses), history=hist)
    img = np.zeros((480, 640, 3), np.uint8)
    counts = set()
    for i in range(len(poses)):
        coach.process_image(img, i / 30.0)
        snap = coach.snapshot()
        if snap.count:
            # read back through a separate History, as a restarted app would
            [row] = History(tmp_path / "h.sqlite3").sessions()
            assert (row.id, row.source, row.reps) == (snap.session_id, "live", snap.count)
            counts.add(snap.count)
    assert counts == {1, 2, 3}


def test_history_write_failure_keeps_counting_and_the_page_says_so(tmp_path: Path) -> None:
    class FullDisk(History):
        def add_rep(self, *args: Any, **kwargs: Any) -> None:
            raise OSError(28, "No space left on device")

    poses = _squat_poses(2)
    coach = LiveCoach("squat", estimator_factory=lambda: SquatEstimator(poses),
                      history=FullDisk(tmp_path / "h.sqlite3"))
    img = np.zeros((480, 640, 3), np.uint8)
    for i in range(len(poses)):
        coach.process_image(img, i / 30.0)
    snap = coach.snapshot()
    assert snap.count == 2 and snap.save_error is not None and "No space left" in snap.save_error

    def page(snap: object) -> None:
        from coach.ui.live_page import show_snapshot

        show_snapshot(snap, True, snap.last_frame_at)  # type: ignore[arg-type, attr-defined]

    at = AppTest.from_function(page, default_timeout=30, args=(snap,)).run()
    [warn] = at.warning
    assert "no longer being saved" in warn.value and "No space left" in warn.value
    assert "2 of 8–12" in _markdown(at)


# --- history: damaged or newer database, shown on the page -----------------------------------------

def test_damaged_history_is_reported_on_the_page_and_kept(private_data: Path) -> None:
    private_data.mkdir(parents=True)
    junk = b"SQLite format 3\0" + b"garbage" * 500
    (private_data / "history.sqlite3").write_bytes(junk)
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    assert not at.exception
    [warn] = at.warning
    assert "The history file was damaged" in warn.value
    kept = [p for p in private_data.iterdir() if p.name.startswith("history.sqlite3.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == junk
    assert any("No sessions yet" in i.value for i in at.info)


def test_a_review_that_cannot_be_saved_says_so_under_the_result(tmp_path: Path, make_clip: Callable[..., Path],
                                                                 fake_estimator: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from coach.exercises import Group
    from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile

    blocker = tmp_path / "a-file"  # the history's folder cannot be made: a file has its name
    blocker.write_text("x")
    monkeypatch.setenv("COACH_DB", str(blocker / "history.sqlite3"))
    poses = frames_of(rep_profile(2), duration(2), hinge_pose)[::2]  # 15 a second: the review analyses each
    clip = make_clip(name="x.mp4", frames=len(poses), fps=15.0)
    with mock.patch.object(review_page, "make_estimator", lambda: fake_estimator(poses)):
        at = AppTest.from_function(_review_app, default_timeout=60).run()
        at.radio(key="review_kind").set_value(Group.EXERCISE.name).run()
        at.radio(key="review_exercise").set_value("deadlift").run()
        _upload_and_review(at, "morning.mp4", clip.read_bytes())
    assert not at.exception
    assert "2 reps counted" in _markdown(at)  # the review is shown
    assert [c.value for c in at.caption if c.value.startswith("Not saved")] == [
        "Not saved to your history: the history cannot be opened just now. The review is shown here and can be "
        "downloaded."]
    assert blocker.read_text() == "x"


def _history_with_reps(path: Path, reps: int) -> History:
    from coach.types import Rep

    hist = History(path)
    sid = hist.start_session("squat", "live")
    for i in range(1, reps + 1):
        hist.add_rep(sid, Rep(index=i, start_s=float(i), end_s=i + 1.0, complete=True,
                              metrics={"knee_flexion_deg": 90.0}))
    return hist


def test_a_damaged_rep_row_is_left_out_and_said_and_everything_else_downloads(private_data: Path) -> None:
    import json
    import sqlite3

    from coach.history_export import export_json

    private_data.mkdir(parents=True)
    db = private_data / "history.sqlite3"
    _history_with_reps(db, 3)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE reps SET metrics = '{not json' WHERE rep_index = 2")
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    assert not at.exception  # it was a JSONDecodeError traceback, and "Download all" was never reached
    assert [w.value for w in at.warning] == [
        "1 damaged rep record could not be read and is left out above and in the downloads; everything else is "
        "shown."]
    [download] = [b for b in at.get("download_button") if b.proto.label == "Download all (JSON)"]
    assert download is not None
    exported = json.loads(export_json(History(db)))
    assert [r["rep"] for r in exported["sessions"][0]["reps"]] == [1, 3]


def test_a_history_damaged_while_the_page_is_open_says_so_in_one_line(private_data: Path) -> None:
    private_data.mkdir(parents=True)
    db = private_data / "history.sqlite3"
    _history_with_reps(db, 2)
    at = AppTest.from_function(_history_app, default_timeout=60).run()
    assert not at.exception and not at.error
    for side in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        side.unlink(missing_ok=True)
    db.write_bytes(b"SQLite format 3\0" + b"garbage" * 500)  # damaged under the open page
    at.run()
    assert not at.exception  # a DatabaseError traceback before
    [error] = at.error
    assert error.value.startswith("Your history could not be read just now (")
    assert error.value.endswith("Nothing was removed: reload the page to try again.")


def test_newer_history_turns_history_off_but_coaching_goes_on(private_data: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3
    from types import SimpleNamespace

    from coach.history import SCHEMA_VERSION

    private_data.mkdir(parents=True)
    path = private_data / "history.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    before = path.read_bytes()
    off = SimpleNamespace(state=SimpleNamespace(playing=False, signalling=False))
    monkeypatch.setattr(live_page, "webrtc", lambda coach: off)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("History is switched off" in w.value and "newer version" in w.value for w in at.warning)
    assert "0 of 8–12" in _markdown(at)
    assert path.read_bytes() == before


# --- a failing page ------------------------------------------------------------------------------

def test_a_failing_page_shows_one_plain_line_never_a_traceback_or_a_server_path(monkeypatch) -> None:
    from coach.ui.guard import PAGE_FAILED

    def broken() -> None:
        raise OSError(2, "No such file or directory", "/srv/coach/private/history.sqlite3")

    monkeypatch.setattr(live_page, "render", broken)  # the app's first page
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    assert not at.exception  # a traceback in the browser (it named the server's files before)
    assert [e.value for e in at.error] == [PAGE_FAILED]
    assert "/srv" not in PAGE_FAILED and "Error" not in PAGE_FAILED


def test_errors_outside_a_page_show_no_details_in_the_browser() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"  # Streamlit's default, "full", shows the traceback


# --- listening address ---------------------------------------------------------------------------

def test_the_app_listens_on_localhost_by_default() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "localhost"
    assert config["browser"]["gatherUsageStats"] is False
    start = (REPO / "scripts" / "start.sh").read_text()
    assert '--server.address "${ADDRESS:-localhost}"' in start


def test_live_page_uses_no_stun_or_turn_server() -> None:
    assert live_page.RTC_CONFIGURATION == {"iceServers": []}



def test_the_live_cue_follows_the_camera_never_a_stale_press_start() -> None:
    from coach.live import LiveSnapshot
    from coach.ui import live_page

    def page(snap: object, playing: bool, now: float, starting: bool) -> None:
        from coach.ui.live_page import show_snapshot

        show_snapshot(snap, playing, now, starting=starting)  # type: ignore[arg-type]

    def cue(snap: LiveSnapshot, playing: bool, now: float = 50.0, starting: bool = False) -> str:
        at = AppTest.from_function(page, default_timeout=30, args=(snap, playing, now, starting)).run()
        return _markdown(at)

    waiting = LiveSnapshot()  # the coach's state before any picture: "Press START to turn on the camera."
    assert live_page.CUE_OFF in cue(waiting, False)
    for connecting in (cue(waiting, False, starting=True), cue(waiting, True)):  # START pressed, no picture yet
        assert live_page.CUE_CONNECTING in connecting and "Press START" not in connecting
    seen = LiveSnapshot(frames=40, last_frame_at=49.8, phase=LivePhase.SETUP, message="Step back a little.")
    playing = cue(seen, True)
    assert "Step back a little." in playing and "Press START" not in playing
    stopped = cue(seen, False, now=60.0)  # STOP pressed: the last picture's words are gone
    assert live_page.CUE_OFF in stopped and "Step back" not in stopped
    kept = LiveSnapshot(frames=400, last_frame_at=49.0, phase=LivePhase.COUNTING, count=3, set_reps=3)
    assert live_page.CUE_OFF_KEPT in cue(kept, False, now=60.0)
    again = cue(kept, False, now=60.0, starting=True)  # START again: connecting, not "the camera stopped"
    assert live_page.CUE_CONNECTING in again and "stopped sending" not in again


def test_the_camera_state_comes_from_the_component() -> None:
    from types import SimpleNamespace

    from coach.ui.live_page import Camera, camera_of

    def ctx(playing: bool, signalling: bool) -> Any:
        return SimpleNamespace(state=SimpleNamespace(playing=playing, signalling=signalling))

    assert camera_of(None) is Camera.OFF
    assert camera_of(ctx(False, False)) is Camera.OFF
    assert camera_of(ctx(False, True)) is Camera.STARTING  # START pressed: the button already reads STOP
    assert camera_of(ctx(True, True)) is Camera.ON


def test_live_says_when_someone_else_is_in_the_picture_and_keeps_counting() -> None:
    """Issue #19 item 11: a second person (the estimator's people count) gets a line; the count goes on."""
    import dataclasses

    from coach.session import SEVERAL_PEOPLE_TEXT

    poses = _squat_poses(2)
    half = len(poses) // 2
    two = [dataclasses.replace(p, people=2) if i >= half else p for i, p in enumerate(poses)]
    coach = LiveCoach("squat", estimator_factory=lambda: SquatEstimator(two))
    img = np.zeros((480, 640, 3), np.uint8)
    for i in range(half):
        coach.process_image(img, i / 30.0)
    assert coach.snapshot().message != SEVERAL_PEOPLE_TEXT
    for i in range(half, len(two)):
        coach.process_image(img, i / 30.0)
    snap = coach.snapshot()
    assert snap.message == SEVERAL_PEOPLE_TEXT
    assert snap.count >= 1


def test_the_live_big_line_of_a_hold_or_the_chair_stand_is_not_a_rep_target() -> None:
    # A live single-leg stand said "0 of 8–12" and "Set 1 · 0 reps in total" above its hold line.
    from coach.live import LiveSnapshot

    at = AppTest.from_function(_snapshot_app, args=(LiveSnapshot(headline="2 holds timed"),)).run()
    text = _markdown(at)
    assert "2 holds timed" in text and "of 8–12" not in text and "reps in total" not in text
    at = AppTest.from_function(_snapshot_app, args=(LiveSnapshot(),)).run()
    assert "0 of 8–12" in _markdown(at) and "Set 1 · 0 reps in total" in _markdown(at)


def _snapshot_app(snap) -> None:  # type: ignore[no-untyped-def]  # AppTest runs its source alone
    from coach.ui.live_page import show_snapshot

    show_snapshot(snap, playing=False, now=0.0)
