"""Batch review with the real pose model on two generated clips: one process, two local processes and a
local Ray give the same reports."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from coach.batch import BatchOptions, Executor, LandmarkerFactory, plan, run_batch, with_landmarkers
from coach.synth.generate import SynthSpec, generate
from coach.types import Exercise, View

pytestmark = pytest.mark.slow

CLIPS = {"clip1_squat.mp4": Exercise.SQUAT, "clip2_deadlift.mp4": Exercise.DEADLIFT}
REPS = 3


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sessions")
    for i, (name, exercise) in enumerate(CLIPS.items()):
        generate(SynthSpec(exercise, reps=REPS, view=View.SIDE, width=480, height=360, fps=15.0, seed=i),
                 folder / name)
        (folder / name).with_suffix(".json").unlink()  # the truth sidecar is not needed here
    return folder


def reviewed(sessions: Path, out_dir: Path, executor: Executor) -> dict[str, dict[str, object]]:
    """Each report's exercise, reps (times and warnings) and sets, by report name."""
    options = with_landmarkers(BatchOptions(out_dir, exercise=None), executor)
    rows = run_batch(plan([sessions], options), options, executor)
    assert all(r.ok for r in rows), [r.error for r in rows]
    out = {}
    for path in sorted(out_dir.glob("*.json")):
        doc = json.loads(path.read_text())
        out[path.name] = {"exercise": doc["exercise"], "sets": doc["sets"],
                          "reps": [(r["complete"], round(r["start_s"], 2), round(r["end_s"], 2),
                                    [w["kind"] for w in r["warnings"]]) for r in doc["reps"]]}
    return out


@pytest.fixture(scope="module")
def one_process(sessions: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    return reviewed(sessions, tmp_path_factory.mktemp("jobs1"), Executor(jobs=1))


def test_one_process_recognises_and_counts_both_clips(one_process: dict[str, dict[str, object]]) -> None:
    assert {name: doc["exercise"] for name, doc in one_process.items()} == {
        "clip1_squat.json": "squat", "clip2_deadlift.json": "deadlift"}
    for doc in one_process.values():
        assert sum(complete for complete, *_ in doc["reps"]) == REPS  # type: ignore[attr-defined]


def test_two_processes_with_one_landmarker_each_give_the_same_reports(
        sessions: Path, tmp_path: Path, one_process: dict[str, dict[str, object]]) -> None:
    executor = Executor(jobs=2)
    assert with_landmarkers(BatchOptions(tmp_path), executor).estimator_factory == LandmarkerFactory(1)
    assert reviewed(sessions, tmp_path, executor) == one_process


def test_a_local_ray_gives_the_same_reports(sessions: Path, tmp_path: Path,
                                            one_process: dict[str, dict[str, object]]) -> None:
    if importlib.util.find_spec("ray") is None:
        message = "Ray is not installed (pip install -e '.[cluster]')"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert reviewed(sessions, tmp_path, Executor(ray=True)) == one_process
