"""Outputs never destroy inputs: same-file refusal, devices and FIFOs written through, symlinks kept, disk full."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from coach.outputs import OutputError, check_outputs, write_text
from coach.video import VideoError, VideoWriter


def _review(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["coach", "review", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("option", ["--json", "--csv", "--annotated"])
def test_an_output_equal_to_the_input_is_refused_and_the_video_kept(make_clip, option: str) -> None:
    clip = make_clip(name="v.mp4")
    before = clip.read_bytes()
    done = _review(str(clip), "-e", "squat", option, str(clip))
    assert done.returncode == 2
    assert done.stderr.strip().startswith("coach: ") and len(done.stderr.strip().splitlines()) == 1
    assert "input" in done.stderr
    assert clip.read_bytes() == before


def test_two_outputs_on_one_file_are_refused(make_clip, tmp_path: Path) -> None:
    clip = make_clip(name="v.mp4")
    out = tmp_path / "x.out"
    done = _review(str(clip), "-e", "squat", "--json", str(out), "--annotated", str(out))
    assert done.returncode == 2
    assert "--annotated" in done.stderr
    assert not out.exists()


def test_a_symlink_to_the_input_is_the_input(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"video")
    link = tmp_path / "link.json"
    link.symlink_to(video)
    with pytest.raises(OutputError, match="is the input"):
        check_outputs([video], [("--json", link)])
    check_outputs([video], [("--json", tmp_path / "other.json")])  # a different, new file is fine


def test_an_output_that_is_a_symlink_loop_is_refused_and_kept(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"video")
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(OutputError, match=r"loop\.json' is a symbolic link that points back to itself"):
        check_outputs([video], [("--json", loop)])
    assert loop.is_symlink() and os.readlink(loop) == str(loop)
    check_outputs([loop], [("--json", tmp_path / "r.json")])  # a looping input is left to the video's own check


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    write_text(fifo, "report")
    reader.join(timeout=10)
    assert got == ["report"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_reads_disk_full() -> None:
    with pytest.raises(OutputError, match="disk full"):
        write_text("/dev/full", "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_an_annotated_video_is_never_written_over_a_device() -> None:
    with pytest.raises(VideoError, match="not a regular file"):
        VideoWriter("/dev/null", 10.0, 64, 48)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_long_output_name_fits(tmp_path: Path) -> None:
    out = tmp_path / ("r" * 246 + ".json")  # 251 characters: the temporary name must not be longer
    write_text(out, "{}")
    assert out.read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_a_new_report_has_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path, umask: int,
                                                                           mode: int) -> None:
    # the temporary file's 0600 became the report's mode (the annotated video already had the usual one)
    old = os.umask(umask)
    try:
        write_text(tmp_path / "new.json", "{}")
        kept = tmp_path / "kept.csv"
        kept.write_text("old")
        kept.chmod(0o640)
        write_text(kept, "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == mode
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"


_FULL_DISK = """
import sys
import numpy as np
from coach.video import VideoWriter
try:
    with VideoWriter(sys.argv[1], fps=10, width=320, height=240) as writer:
        for i in range(200):
            writer.write(np.random.default_rng(i).integers(0, 256, (240, 320, 3), np.uint8))
except OSError as exc:
    print(exc)
"""


def test_an_annotated_video_on_a_full_disk_reads_disk_full_and_leaves_nothing(tmp_path: Path) -> None:
    # a real full disk (a 256 kB tmpfs in a mount namespace): the writer said "file error: No space left on
    # device ('…/.coach-PID-….part.mp4')", naming its temporary file
    import shutil
    import sys

    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-m", "true"], capture_output=True).returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("needs `unshare -m` (a mount namespace) for a small full disk")
        pytest.skip("needs `unshare -m` for a small full disk")
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "annotated.mp4"
    script = (f"mount -t tmpfs -o size=256k tmpfs '{disk}' && \"$@\"; echo left: $(ls -A '{disk}')")
    done = subprocess.run([unshare, "-m", "sh", "-c", script, "sh", sys.executable, "-c", _FULL_DISK, str(out)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"disk full: could not write '{out}' (free some space and try again)",
                                        "left:"]
