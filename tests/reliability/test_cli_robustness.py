"""The CLI never shows a traceback, keeps MediaPipe's C++ log lines off stderr, and needs no network."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from reliability_helpers import assert_one_line_error, run_cli

REPO = Path(__file__).resolve().parents[2]

NATIVE_NOISE = ("Sparsity tensors", "W0000", "INFO: [", "XNNPACK", "LiteRT", "InitGoogle")


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("something odd\nhappened on two lines")


def test_unexpected_error_is_one_line_exit_1(monkeypatch, capsys, make_clip):
    import coach.pipeline

    monkeypatch.delenv("COACH_DEBUG", raising=False)
    monkeypatch.setattr(coach.pipeline, "review", _boom)
    rc, _, err = run_cli(["review", str(make_clip(frames=2)), "-e", "squat", "-q"], capsys)
    line = assert_one_line_error(rc, err, 1)
    assert "RuntimeError" in line and "something odd happened on two lines" in line and "COACH_DEBUG=1" in line


def test_coach_debug_shows_the_traceback(monkeypatch, make_clip):
    import coach.pipeline
    from coach.cli import main

    monkeypatch.setenv("COACH_DEBUG", "1")
    monkeypatch.setattr(coach.pipeline, "review", _boom)
    with pytest.raises(RuntimeError, match="something odd"):
        main(["review", str(make_clip(frames=2)), "-e", "squat", "-q"])


def test_unwritable_json_is_one_line(tmp_path, capsys, make_clip, constant_estimator):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    rc, _, err = run_cli(["review", str(make_clip(frames=2)), "-e", "squat", "-q", "--json",
                          str(blocker / "report.json")], capsys)
    assert "file error" in assert_one_line_error(rc, err, 2)


def test_quiet_native_stderr_keeps_python_writes(capfd):
    from coach.pose import quiet_native_stderr

    with quiet_native_stderr():
        os.write(2, b"native noise\n")
        print("python line", file=sys.stderr, flush=True)
    os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert "native noise" not in err
    assert "python line" in err and "after" in err


NO_NETWORK = textwrap.dedent("""
    import socket

    def _refuse(*args, **kwargs):
        raise OSError("network access blocked by the test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
""")


def _run_coach(args: list[str], tmp_path: Path, *, block_network: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("COACH_DEBUG", None)
    env.pop("COACH_MEDIAPIPE_LOGS", None)
    if block_network:
        site = tmp_path / "site"
        site.mkdir(exist_ok=True)
        (site / "sitecustomize.py").write_text(NO_NETWORK)
        env["PYTHONPATH"] = os.pathsep.join([str(site), str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "coach.cli", *args], cwd=tmp_path, env=env, text=True,
                          capture_output=True, timeout=300, check=False)


@pytest.mark.slow
def test_review_runs_offline_and_quietly(tmp_path, shared_videos):
    """The real model, in a subprocess with every socket connection refused: works, and stderr stays clean."""
    clip = shared_videos / "squat" / "calimiro_squat_17.mp4"
    out_json = tmp_path / "r.json"
    proc = _run_coach(["review", str(clip), "-e", "squat", "--json", str(out_json)], tmp_path, block_network=True)
    assert proc.returncode == 0, proc.stderr
    assert out_json.is_file()
    assert "Traceback" not in proc.stderr
    noisy = [ln for ln in proc.stderr.splitlines() if any(n in ln for n in NATIVE_NOISE)]
    assert noisy == [], noisy[:5]
    check = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
                           env={**os.environ, "PYTHONPATH": str(tmp_path / "site")}, capture_output=True, text=True,
                           check=False)
    assert "network access blocked" in check.stderr


def test_review_with_pytest_socket_disabled(tmp_path, capsys, make_clip, constant_estimator):
    """In-process: with pytest-socket disabling sockets, a review still completes."""
    import pytest_socket

    pytest_socket.disable_socket()
    try:
        rc, out, err = run_cli(["review", str(make_clip(frames=5)), "-e", "squat", "-q"], capsys)
    finally:
        pytest_socket.enable_socket()
    assert rc == 0, err
    assert "Squat:" in out


def test_an_empty_name_in_a_batch_is_refused_not_read_as_this_folder(tmp_path, capsys, make_clip, monkeypatch):
    here = tmp_path / "here"  # the current folder holds a video that was not named
    here.mkdir()
    make_clip(name="not_named.mp4", frames=4).rename(here / "not_named.mp4")
    monkeypatch.chdir(here)
    out = tmp_path / "reports"
    rc, _, err = run_cli(["review", "", str(make_clip(name="named.mp4", frames=4)), "--out-dir", str(out),
                          "-e", "squat", "--quiet", "--jobs", "1"], capsys)
    assert assert_one_line_error(rc, err, 2) == ("coach: an empty file name was given: name each video or folder "
                                                 "to review")
    assert not out.exists()  # nothing reviewed, not even the named video


def test_an_output_that_is_a_folder_is_refused_before_the_review(tmp_path, capsys, make_clip, constant_estimator):
    rc, _, err = run_cli(["review", str(make_clip(frames=2)), "-e", "squat", "-q", "--csv", str(tmp_path)], capsys)
    assert assert_one_line_error(rc, err, 2) == f"coach: --csv '{tmp_path}' is a folder: give a file name"
    assert constant_estimator.calls == []  # it was said after the whole review
