"""Files that are not usable videos: one clear line on stderr, exit 2, never a traceback (issue #6)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
from reliability_helpers import assert_one_line_error, run_cli

from tests.media import write_audio_only, write_png


def _review(path: Path | str, capsys: pytest.CaptureFixture[str]) -> str:
    rc, out, err = run_cli(["review", str(path), "--exercise", "squat", "--quiet"], capsys)
    assert out == ""
    return assert_one_line_error(rc, err, 2)


def test_zero_byte_file(tmp_path, capsys):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in _review(path, capsys)


def test_text_renamed_mp4(tmp_path, capsys):
    path = tmp_path / "notes.mp4"
    path.write_text("These are my workout notes, not a video.\n" * 20)
    assert "could not read 'notes.mp4' as a video" in _review(path, capsys)


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes(tmp_path, capsys, seed):
    path = tmp_path / "noise.mp4"
    path.write_bytes(np.random.default_rng(seed).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    assert "could not read 'noise.mp4' as a video" in _review(path, capsys)


def test_random_bytes_that_parse_as_raw_h263(tmp_path, capsys):
    # FFmpeg guesses a raw H.263 elementary stream in these bytes (and decodes a noise frame from them).
    path = tmp_path / "noise.mp4"
    path.write_bytes(np.random.default_rng(6).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    assert "could not read 'noise.mp4' as a video" in _review(path, capsys)


def test_missing_file_and_directory(tmp_path, capsys):
    assert "not found" in _review(tmp_path / "nope.mp4", capsys)
    assert "is a directory" in _review(tmp_path, capsys)


def test_audio_only(tmp_path, capsys):
    path = write_audio_only(tmp_path / "voice.mp4")
    assert "no video stream (audio only)" in _review(path, capsys)


def test_still_image(tmp_path, capsys):
    png = write_png(tmp_path / "photo.png")
    assert "still image" in _review(png, capsys)
    renamed = tmp_path / "photo_renamed.mp4"  # a PNG with a video suffix: detected from its content
    renamed.write_bytes(png.read_bytes())
    assert "still image" in _review(renamed, capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without read permission")
def test_unreadable_file(tmp_path, capsys, make_clip):
    path = make_clip(frames=3)
    path.chmod(0)
    try:
        _review(path, capsys)
    finally:
        path.chmod(0o644)


def test_odd_paths_get_their_own_one_line_message(tmp_path: Path) -> None:
    from coach.video import VideoError, probe

    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.mp4"
    loop.symlink_to(loop)
    dangling = tmp_path / "gone.mp4"
    dangling.symlink_to(tmp_path / "missing.mp4")
    cases = {fifo: "a pipe (FIFO)", Path("/dev/zero"): "a device", loop: "points back to itself",
             dangling: "a link to a file that does not exist", "": "no video file given"}
    for path, words in cases.items():
        with pytest.raises(VideoError, match=re.escape(words)):
            probe(path)


def test_odd_paths_get_their_own_line_from_the_cli(tmp_path, capsys, monkeypatch):
    # the command line checks outputs and folders before the video is probed: those checks must not get in first
    monkeypatch.chdir(tmp_path)  # an empty path is no folder, not the current one
    loop = tmp_path / "loop.mp4"
    loop.symlink_to(loop)
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    cases = {str(loop): f"coach: '{loop}' is a symbolic link that points back to itself, not a video file",
             "": "coach: no video file given: name the file to review",
             str(fifo): f"coach: '{fifo}' is a pipe (FIFO), not a video file: save the video to a file first",
             "/dev/zero": "coach: '/dev/zero' is a device, not a video file: save the video to a file first"}
    for path, line in cases.items():
        assert _review(path, capsys) == line


def test_animated_webp_is_named_as_such(tmp_path, capsys):
    from tests.media import write_animated_webp

    webp = write_animated_webp(tmp_path / "moves.webp")
    assert webp.read_bytes()[12:16] == b"VP8X"
    assert "'moves.webp' is an animated WebP image, which the coach cannot read" in _review(webp, capsys)
    renamed = tmp_path / "moves.mp4"
    renamed.write_bytes(webp.read_bytes())
    assert "is an animated WebP image" in _review(renamed, capsys)
    still = write_png(tmp_path / "photo.webp")  # a still image with the suffix stays a still image
    assert "still image" in _review(still, capsys)


def test_header_text_that_is_not_utf8_does_not_stop_the_review(make_clip):
    # found by the fuzz test: one byte of the track's name (a camera's Latin-1 text) made the whole video
    # unreadable ("'utf-8' codec can't decode byte 0xe9"); only the text is damaged, every frame still decodes
    from coach.video import VideoReader

    clip = make_clip(name="latin1.mp4", frames=12)
    data = bytearray(clip.read_bytes())
    at = data.find(b"VideoHandler")
    assert at > 0
    data[at + 5] = 0xE9  # "Video\xe9andler": an é in Latin-1
    clip.write_bytes(bytes(data))
    with VideoReader(clip) as reader:
        assert len(list(reader)) == 12


def test_a_header_giving_an_impossible_size_is_named_damaged(make_clip, capsys):
    # FFmpeg says "Cannot allocate memory" for a header that asks for 2^31 time entries: not a shortage of memory
    clip = make_clip(name="sizes.mp4", frames=12)
    data = bytearray(clip.read_bytes())
    at = data.find(b"stts")
    data[at + 8:at + 12] = (0x7FFFFFFF).to_bytes(4, "big")  # the entry count
    clip.write_bytes(bytes(data))
    assert _review(clip, capsys) == ("coach: could not read 'sizes.mp4' as a video: its header is damaged "
                                     "(it gives sizes no video has)")
