"""sample_videos/: every clip listed by scripts/make_samples.py is there, small, and matches its truth JSON."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES_DIR = REPO_ROOT / "sample_videos"


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", REPO_ROOT / "scripts" / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


MAKE = _make_samples()


def test_at_least_eight_samples_with_a_good_and_a_faulty_clip_per_exercise():
    assert len(MAKE.SAMPLES) >= 8
    by_exercise: dict[str, set[bool]] = {}
    for s in MAKE.SAMPLES:
        by_exercise.setdefault(s.spec.exercise.value, set()).add(s.spec.fault is None)
    assert all(kinds == {True, False} for kinds in by_exercise.values()), by_exercise
    assert len(by_exercise) == 4
    assert "squat_good_side_10reps" in {s.name for s in MAKE.SAMPLES}


@pytest.mark.parametrize("sample", MAKE.SAMPLES, ids=lambda s: s.name)
def test_sample_clip_is_present_small_and_matches_its_spec(sample):
    clip = SAMPLES_DIR / f"{sample.name}.mp4"
    assert clip.is_file() and clip.stat().st_size <= MAKE.MAX_BYTES
    truth = json.loads(clip.with_suffix(".json").read_text())
    spec = sample.spec
    assert truth["exercise"] == spec.exercise.value
    assert truth["view"] == spec.view.value
    assert truth["seed"] == spec.seed
    assert len(truth["reps"]) == spec.reps
    assert truth["fault_reps"] == list(spec.faulty_reps())
    assert truth["n_frames"] == spec.n_frames()


def test_readme_lists_every_clip_and_says_it_is_generated():
    text = (SAMPLES_DIR / "README.md").read_text()
    assert "no third-party footage" in text
    for s in MAKE.SAMPLES:
        assert f"`{s.name}.mp4`" in text


@pytest.mark.slow
@pytest.mark.parametrize(("name", "kind"), [
    ("back_extension_hyperextension_side_5reps", "lumbar_hyperextension"),
    ("deadlift_rounded_side_5reps", "spinal_flexion"),
])
def test_faulty_sample_is_flagged_on_its_faulty_reps_only(name, kind):
    """The samples the app offers demonstrate their fault: the real model flags exactly the reps the truth JSON
    names (the hyperextension clip arches from rep 3 on, as arching is judged against the first two lifts)."""
    from coach.pipeline import review

    clip = SAMPLES_DIR / f"{name}.mp4"
    truth = json.loads(clip.with_suffix(".json").read_text())
    report = review(clip, truth["exercise"])
    reps = [r for r in report.reps if r.complete]
    assert len(reps) == len(truth["reps"])
    flagged = [i for i, r in enumerate(reps, start=1) if any(w.kind.value == kind for w in r.warnings)]
    assert flagged == truth["fault_reps"]
