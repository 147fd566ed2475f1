"""Batch review (`coach review FOLDER --out-dir REPORTS`): one report per good video, an error row per bad one,
resume after a stop, reruns when the stamp changes, local processes giving the same rows as one process."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from coach import batch
from coach.batch import (
    INTERRUPTED,
    STAMP_KEY,
    SUMMARY_COLUMNS,
    BatchOptions,
    BatchProgress,
    Executor,
    Output,
    SummaryRow,
    VideoTask,
    find_videos,
    output_names,
    plan,
    run_batch,
)
from coach.estimator import SimpleEstimator
from coach.types import Exercise, PoseFrame
from tests.analyzers.sequences import duration, frames_of, hinge_pose, rep_profile, squat_pose

REPS = 3
MADE: list[str] = []
"""Estimators made in this process by PoseFactory (one per video reviewed)."""


class ByTime(SimpleEstimator):
    """Returns the recorded pose nearest in time to each frame."""

    cache_key = "by-time"  # keys the eval pose cache

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses = poses

    def estimate(self, image_rgb: object, timestamp_s: float) -> PoseFrame:
        return min(self.poses, key=lambda p: abs(p.timestamp_s - timestamp_s))


@dataclass(frozen=True)
class PoseFactory:
    """Picklable estimator factory replaying REPS synthetic reps (squats or, with hinge, deadlifts)."""

    hinge: bool = False

    def __call__(self) -> ByTime:
        MADE.append("made")
        return ByTime(frames_of(rep_profile(REPS), duration(REPS), hinge_pose if self.hinge else squat_pose))


@pytest.fixture
def sessions(tmp_path: Path, make_clip) -> Path:
    """A folder with two good clips, an empty file, a text file named .mp4 and a labels.csv (not a video)."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    frames = int(duration(REPS) * 15)
    for name in ("anna_squat.mp4", "ben.mp4"):
        make_clip(name=name, frames=frames, fps=15.0).rename(folder / name)
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "notes.mp4").write_text("not a video\n")
    (folder / "labels.csv").write_text("file,reps\n")
    MADE.clear()
    return folder


def options(tmp_path: Path, **kw: object) -> BatchOptions:
    kw.setdefault("exercise", Exercise.SQUAT)
    return BatchOptions(tmp_path / "reports", estimator_factory=PoseFactory(), **kw)  # type: ignore[arg-type]


def summary(opts: BatchOptions) -> list[dict[str, str]]:
    with (opts.out_dir / "summary.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_good_files_get_a_report_and_bad_ones_an_error_row(sessions: Path, tmp_path: Path) -> None:
    opts = options(tmp_path, outputs=frozenset({Output.CSV}))
    rows = run_batch(plan([sessions], opts), opts, Executor())
    assert [r.file for r in rows] == ["anna_squat.mp4", "ben.mp4", "empty.mp4", "notes.mp4"]
    assert sorted(p.name for p in opts.out_dir.iterdir()) == [
        "anna_squat.csv", "anna_squat.json", "ben.csv", "ben.json", "summary.csv"]
    doc = json.loads((opts.out_dir / "ben.json").read_text())
    assert doc["exercise"] == "squat" and sum(r["complete"] for r in doc["reps"]) == REPS
    assert doc[STAMP_KEY]["size"] == (sessions / "ben.mp4").stat().st_size
    table = summary(opts)
    assert list(table[0]) == list(SUMMARY_COLUMNS)
    assert table[1] == {"file": "ben.mp4", "exercise": "squat", "reps": str(REPS), "sets": "1", "warnings": "0",
                        "notices": table[1]["notices"], "error": ""}
    from coach.labels import NOTICE_WORDS

    assert all(words in NOTICE_WORDS.values() for words in table[1]["notices"].split("; ") if words)
    assert table[2]["error"] == "video file 'empty.mp4' is empty (0 bytes)"
    assert table[3]["error"].startswith("could not read") and table[3]["reps"] == ""
    assert "None" not in (opts.out_dir / "summary.csv").read_text()


def test_a_stopped_batch_resumes_without_redoing_finished_videos(sessions: Path, tmp_path: Path) -> None:
    opts = options(tmp_path)
    tasks = plan([sessions], opts)

    def stop_after_first(row: SummaryRow, task: VideoTask) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(tasks, opts, Executor(), on_row=stop_after_first)
    assert MADE == ["made"]
    first = opts.out_dir / "anna_squat.json"
    before = first.stat().st_mtime_ns
    assert [r["error"] for r in summary(opts)][1:] == [INTERRUPTED] * 3  # the summary says what was not done
    assert not any(p.name.startswith(".coach-") for p in opts.out_dir.iterdir())  # no half-written file

    MADE.clear()
    rows = run_batch(plan([sessions], opts), opts, Executor())
    assert MADE == ["made"]  # only ben.mp4 was reviewed again (the bad files fail before a model is made)
    assert first.stat().st_mtime_ns == before
    assert [r.skipped for r in rows] == [True, False, False, False]
    assert [r.reps for r in rows[:2]] == [REPS, REPS]
    assert summary(opts)[0]["reps"] == str(REPS)  # a skipped video keeps its row


def test_a_changed_video_or_option_is_reviewed_again(sessions: Path, tmp_path: Path) -> None:
    opts = options(tmp_path)
    run_batch(plan([sessions], opts), opts, Executor())
    MADE.clear()
    run_batch(plan([sessions], opts), opts, Executor())
    assert MADE == []
    st = (sessions / "ben.mp4").stat()
    os.utime(sessions / "ben.mp4", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    run_batch(plan([sessions], opts), opts, Executor())
    assert MADE == ["made"]
    MADE.clear()
    gentle = options(tmp_path, strictness="gentle")
    run_batch(plan([sessions], gentle), gentle, Executor())
    assert MADE == ["made", "made"]
    MADE.clear()
    with_pdf = options(tmp_path, outputs=frozenset({Output.PDF}))  # an output asked for that is not there
    run_batch(plan([sessions], with_pdf), with_pdf, Executor())
    assert MADE == ["made", "made"]
    assert (with_pdf.out_dir / "ben.pdf").read_bytes().startswith(b"%PDF")


def test_the_exercise_is_recognised_when_not_given(tmp_path: Path, make_clip) -> None:
    clip = make_clip(name="monday.mp4", frames=int(duration(REPS) * 15), fps=15.0)
    opts = BatchOptions(tmp_path / "reports", exercise=None, estimator_factory=PoseFactory(hinge=True))
    MADE.clear()
    [row] = run_batch(plan([clip], opts), opts, Executor())
    assert (row.exercise, row.reps) == (Exercise.DEADLIFT, REPS)  # first reviewed as a squat: 0 reps
    assert MADE == ["made"]  # recognising replays the poses, the model runs once
    assert json.loads((opts.out_dir / "monday.json").read_text())["exercise"] == "deadlift"


def test_local_processes_give_the_same_rows_as_one(sessions: Path, tmp_path: Path) -> None:
    one = options(tmp_path / "one")
    two = options(tmp_path / "two")
    rows_one = run_batch(plan([sessions], one), one, Executor(jobs=1))
    rows_two = run_batch(plan([sessions], two), two, Executor(jobs=2))
    assert rows_one == rows_two
    for name in ("anna_squat.json", "ben.json"):
        a, b = (json.loads((o.out_dir / name).read_text()) for o in (one, two))
        assert a["reps"] == b["reps"] and a["sets"] == b["sets"]


def test_folder_listing_skips_hidden_files_and_the_output_folder(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.MP4", "a/y.mov", "y.mp4", "y.mkv", ".hidden.mp4", "reports/r.mp4", "z.annotated.mp4",
                 "notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [shown for _, shown in find_videos([tmp_path], tmp_path / "reports")]
    assert found == ["a/x.MP4", "a/y.mov", "y.mkv", "y.mp4"]
    assert output_names(found) == ["a/x", "a/y", "y.mkv", "y.mp4"]  # the same stem twice keeps its ending
    assert output_names(["x.mp4", "x.mp4", "x.mov"]) == ["x.mp4", "x.mp4-2", "x.mov"]  # from two folders
    assert output_names(["summary.mp4"]) == ["summary.mp4"]  # its CSV never replaces summary.csv


def test_reports_in_the_input_folder_never_touch_a_video(sessions: Path, make_clip) -> None:
    before = {p.name: p.read_bytes() for p in sessions.iterdir()}
    opts = BatchOptions(sessions, Exercise.SQUAT, outputs=frozenset({Output.ANNOTATED}),
                        estimator_factory=PoseFactory())
    run_batch(plan([sessions], opts), opts, Executor())
    assert (sessions / "ben.annotated.mp4").is_file()
    assert all((sessions / name).read_bytes() == data for name, data in before.items())
    assert len(plan([sessions], opts)) == 4  # the reports are not taken for videos on a rerun


def test_an_output_that_is_another_video_of_the_batch_is_refused_before_anything_is_written(
        sessions: Path) -> None:
    # "x.annotated.mp4" given with "x.mp4" and --annotated into their folder: x's annotated copy was written
    # over the other video (which was then reviewed as the copy)
    from coach.outputs import OutputError

    other = sessions / "ben.annotated.mp4"
    other.write_bytes((sessions / "anna_squat.mp4").read_bytes()[:5000])
    before = {p.name: p.read_bytes() for p in sessions.iterdir()}
    opts = BatchOptions(sessions, Exercise.SQUAT, outputs=frozenset({Output.ANNOTATED}),
                        estimator_factory=PoseFactory())
    with pytest.raises(OutputError, match=r"the annotated copy of 'ben.mp4', '.*ben\.annotated\.mp4' is the input "
                                          r"'.*ben\.annotated\.mp4': choose another --out-dir so nothing is"):
        plan([sessions / "ben.mp4", other], opts)
    assert {p.name: p.read_bytes() for p in sessions.iterdir()} == before
    assert MADE == []


def test_a_video_with_a_251_character_name_gets_every_output(tmp_path: Path, make_clip) -> None:
    # "NAME.annotated.mp4" of a 247-character name is 261 characters: "File name too long" after the review
    folder = tmp_path / "in"
    folder.mkdir()
    long_name = "s" * 247 + ".mp4"
    make_clip(name="x.mp4", frames=int(duration(REPS) * 15), fps=15.0).rename(folder / long_name)
    opts = options(tmp_path, outputs=frozenset(Output))
    [row] = run_batch(plan([folder], opts), opts, Executor())
    assert row.ok and row.reps == REPS, row.error
    written = sorted(p.name for p in opts.out_dir.iterdir() if p.name != "summary.csv")
    assert len(written) == 1 + len(Output) and all(len(n) <= 255 for n in written)
    assert all(n.startswith("s" * 200) for n in written)


def test_a_video_given_twice_is_reviewed_once(sessions: Path, tmp_path: Path) -> None:
    # given by name and again inside its folder (or through a link) it was reviewed twice: ben.json, ben-2.json
    link = tmp_path / "link.mp4"
    link.symlink_to(sessions / "ben.mp4")
    opts = options(tmp_path)
    tasks = plan([sessions / "ben.mp4", sessions, link], opts)
    assert [t.file for t in tasks] == ["ben.mp4", "anna_squat.mp4", "empty.mp4", "notes.mp4"]


def test_progress_counts_videos_minutes_and_time_left() -> None:
    now = [0.0]
    tasks = [VideoTask(Path(f"{i}.mp4"), f"{i}.mp4", str(i), {}, 60.0) for i in range(4)]
    bar = BatchProgress(tasks, enabled=False, clock=lambda: now[0])
    bar.update(SummaryRow("0.mp4", skipped=True), tasks[0])
    now[0] = 30.0
    bar.update(SummaryRow("1.mp4"), tasks[1])  # 60 s of video in 30 s: 120 s of video left → 1 min
    assert bar.text() == "[##########----------] 2/4 videos, 2.0/4.0 video-min, about 1 min left"


def test_cli_batch_of_bad_files_lists_each_and_exits_2(tmp_path: Path, capsys) -> None:
    from coach.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "text.mov").write_text("hello")
    rc = main(["review", str(folder), "--out-dir", str(tmp_path / "out"), "--csv", "-q"])
    out, err = capsys.readouterr()
    assert rc == 2 and err == ""
    assert "empty.mp4: could not be reviewed: video file 'empty.mp4' is empty (0 bytes)" in out
    assert "2 videos: 0 reviewed, 0 already reviewed, 2 could not be reviewed" in out
    assert len((tmp_path / "out" / "summary.csv").read_text().splitlines()) == 3


@pytest.mark.parametrize("argv, message", [
    (["a.mp4", "b.mp4"], "a batch needs --out-dir"),
    (["a.mp4", "--out-dir", "o", "--csv", "x.csv"], "in a batch --csv takes no file name"),
    (["a.mp4", "--out-dir", "o", "--jobs", "0"], "--jobs must be at least 1"),
    (["a.mp4"], "give --exercise for one video"),
])
def test_cli_refuses_unclear_batches_in_one_line(argv: list[str], message: str, capsys, tmp_path: Path,
                                                 monkeypatch) -> None:
    from coach.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["review", *argv]) == 2
    assert message in capsys.readouterr().err


def test_the_default_estimator_fits_the_executor() -> None:
    opts = batch.with_landmarkers(BatchOptions(Path("r")), Executor(jobs=2))
    assert opts.estimator_factory == batch.LandmarkerFactory(1)
    assert batch.default_jobs(2) == 1 and batch.default_jobs(8) == 4
    assert Executor(jobs=1).landmarkers(2) == 2 and Executor(ray=True).landmarkers(2) == 1


def test_eval_in_two_processes_gives_the_same_rows_in_label_order(sessions: Path, tmp_path: Path) -> None:
    from coach.evaluate import evaluate_folder
    from coach.pose_cache import PoseCache

    (sessions / "labels.csv").write_text("file,exercise,reps,form,faults\nben.mp4,squat,3,good,\n"
                                         "empty.mp4,squat,2,good,\nanna_squat.mp4,squat,3,good,\n")
    one = evaluate_folder(sessions, cache=PoseCache(tmp_path / "c1", PoseFactory()))
    seen: list[str] = []
    two = evaluate_folder(sessions, cache=PoseCache(tmp_path / "c2", PoseFactory()), executor=Executor(jobs=2),
                          on_clip=lambda r: seen.append(r.label.file))
    assert one == two
    assert [r.label.file for r in two] == ["ben.mp4", "empty.mp4", "anna_squat.mp4"] and sorted(seen) == sorted(
        r.label.file for r in two)
    assert [r.counted for r in two] == [REPS, None, REPS] and two[1].error is not None


def test_batch_modules_load_no_pose_ui_or_cluster_library() -> None:
    import subprocess
    import sys

    code = ("import sys, coach.batch, coach.batch_bench, coach.commands.review; "
            "print(sorted(m for m in ('mediapipe', 'streamlit', 'ray', 'cv2') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_batch_bench_figures() -> None:
    from coach.batch_bench import BatchBench

    bench = BatchBench(60.0, 3, {"jobs 1": [30.0, 32.0, 31.0], "jobs 2": [20.0, 21.0, 19.0],
                                 "ray": [22.0, 21.0, 23.0]}, same_counts=True)
    assert bench.rate("jobs 1") == pytest.approx(60.0 / 31.0) and bench.rate("jobs 2") == pytest.approx(3.0)
    assert bench.ray_overhead == pytest.approx(0.1)
    text = "\n".join(bench.lines())
    assert "Ray over two local processes: +10.0 %" in text and "counts identical across runs: yes" in text
    assert BatchBench(60.0, 3, {"jobs 1": [30.0]}, same_counts=False).ray_overhead is None


def test_a_summary_row_names_the_exercise_as_the_registry_does() -> None:
    from coach.batch import SummaryRow

    row = SummaryRow("a.mp4", Exercise.CHAIR_STAND, 12, 0, 0, ())
    assert row.cells()[1] == "30-second chair stand"  # not "chair stand" from the enum's value
    assert row.line().startswith("a.mp4: 30-second chair stand, 12 reps")
