"""The public API (`coach/__init__.py`) and the README's usage example, run on a generated clip."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import coach
import coach.pose
from tests.analyzers.sequences import duration, frames_of, rep_profile, squat_pose

README = Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## As a library"):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the README has no usage example"
    return match.group(1)


def test_the_readme_example_runs(make_clip, fake_estimator, monkeypatch, capsys) -> None:
    poses = frames_of(rep_profile(2), duration(2), squat_pose)  # 30 fps, side-on, two squats
    clip = make_clip(frames=len(poses), fps=30.0)
    monkeypatch.setattr(coach.pose, "review_estimator", lambda **_: fake_estimator(poses))
    monkeypatch.setattr(coach.pose, "live_estimator", lambda: fake_estimator(poses))
    monkeypatch.setattr("coach.pipeline.ANALYSIS_MAX_FPS", None)  # the fake replays one pose per frame
    code = _example().replace('"squat.mp4"', repr(str(clip)))
    scope: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), scope)
    out = capsys.readouterr().out
    report = scope["report"]
    assert isinstance(report, coach.Report) and report.complete_reps == 2
    assert out.startswith("2 reps\n")
    assert '"schema_version": 1' in str(scope["json_text"])
    assert re.search(r"^\d+ reps counted live$", out, re.M)
    assert scope["live"].snapshot().frames == len(poses)  # type: ignore[attr-defined]


def test_every_public_name_resolves_and_import_is_light() -> None:
    for name in coach.__all__:
        assert getattr(coach, name) is not None
    with pytest.raises(AttributeError):
        coach.not_a_name  # noqa: B018
    done = subprocess.run([sys.executable, "-c", "import sys, coach; print(sorted(m for m in ('av', 'mediapipe', "
                           "'streamlit', 'cv2') if m in sys.modules))"], capture_output=True, text=True, check=True,
                          cwd=README.parent, env={"PYTHONPATH": str(README.parent), "PATH": ""})
    assert done.stdout.strip() == "[]"
