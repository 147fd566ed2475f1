"""SIGTERM and SIGHUP mid-review (#19 item 10): no `.coach-*.part.mp4` is left, the exit is 143 / 129, and a
leftover of a killed run is removed by the next writer in that folder (one of a running process is kept)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.video import VideoWriter
from tests.conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "sample_videos" / "squat_good_side_10reps.mp4"

CHILD = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT / "tests" / "reliability")!r})
import coach.pose
from reliability_helpers import ConstantEstimator
coach.pose.review_estimator = lambda with_mask=True, track_one=None: ConstantEstimator()  # no model: fast
from coach.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_mid_review_leaves_no_part_file(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "out" / "annotated.mp4"
    out.parent.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "review", str(SAMPLE), "-e", "squat", "-q",
                             "--annotated", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(out.parent.glob(".coach-*.part.mp4")):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no temporary video appeared"
            time.sleep(0.02)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 128 + sig, err
    assert f"coach: stopped ({sig.name})" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []  # neither the part file nor a half video


def test_a_killed_runs_part_file_is_removed_and_a_running_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    running = subprocess.Popen(["sleep", "30"])
    try:
        stale = tmp_path / f".coach-{gone.pid}-abcd.part.mp4"
        live = tmp_path / f".coach-{running.pid}-efgh.part.mp4"
        foreign = tmp_path / ".coach-notapid.part.mp4"
        for p in (stale, live, foreign):
            p.write_bytes(b"half a video")
        writer = VideoWriter(tmp_path / "new.mp4", 10.0, 16, 16)
        writer.abort()
        assert not stale.exists()
        assert live.exists() and foreign.exists()
    finally:
        running.kill()
        running.wait()


BATCH_CHILD = f"""
import sys
sys.path.insert(0, {str(REPO_ROOT / "tests" / "reliability")!r})
import dataclasses
import coach.batch
from reliability_helpers import ConstantEstimator  # no model; the pool's workers import it by name
coach.batch.with_landmarkers = lambda options, executor: dataclasses.replace(options,
                                                                             estimator_factory=ConstantEstimator)
from coach.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_stopped_batch_stops_its_workers_too(tmp_path: Path) -> None:
    # SIGTERM reached only the main process: each worker finished its video and wrote its reports after the
    # summary had called those videos "not reviewed" (and kept running minutes after the command was stopped)
    import csv

    videos = tmp_path / "in"
    videos.mkdir()
    for name in ("a.mp4", "b.mp4", "c.mp4", "d.mp4"):
        (videos / name).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", BATCH_CHILD, "review", str(videos), "--out-dir", str(out),
                             "-e", "squat", "-q", "--annotated", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob(".coach-*.part.mp4"))) < 2:  # both workers are writing a video
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no temporary videos appeared"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 143, err
    time.sleep(1.0)  # a worker still running would write on
    with (out / "summary.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    reviewed = {Path(r["file"]).stem for r in rows if not r["error"]}
    assert len(rows) == 4 and len(reviewed) < 4
    assert {p.stem for p in out.glob("*.json")} == reviewed  # no report for a video the summary calls stopped
    assert not list(out.glob(".coach-*")), "a temporary output was left behind"
