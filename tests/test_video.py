"""coach.video: probing, streaming (timestamps, rotation, truncation, bad inputs) and writing."""

from __future__ import annotations

import os
import stat
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from coach.cuts import thumbnail
from coach.video import VideoError, VideoFrame, VideoInfo, VideoReader, VideoWriter, probe
from tests.media import write_audio_only, write_gif, write_png


def _decode_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("decode:")]


def _write_rotated(path: Path, rotation_deg: int, image: np.ndarray, frames: int = 3) -> None:
    """Write an mp4 of `image` whose display matrix says: rotate `rotation_deg` counter-clockwise."""
    height, width = image.shape[:2]
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.set_display_rotation(rotation_deg)
        for _ in range(frames):
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_roundtrip_probe_and_frames(make_clip):
    path = make_clip(frames=12, fps=12.0, width=64, height=48)
    info = probe(path)
    assert isinstance(info, VideoInfo)
    assert (info.width, info.height, info.rotation_deg, info.codec) == (64, 48, 0, "h264")
    assert info.fps == pytest.approx(12.0)
    assert info.duration_s == pytest.approx(1.0, abs=0.1)
    assert info.frame_count == 12
    assert not info.portrait
    with VideoReader(path) as reader:
        frames = list(reader)
    assert len(frames) == 12 and not reader.truncated and reader.error_message is None
    assert all(isinstance(f, VideoFrame) for f in frames)
    assert frames[0].timestamp_s == 0.0
    np.testing.assert_allclose([f.timestamp_s for f in frames], np.arange(12) / 12.0, atol=1e-3)
    image = frames[5].image
    assert image.shape == (48, 64, 3) and image.dtype == np.uint8
    assert image[5, 5, 0] > 200 and image[5, 5, 2] < 60  # red block top-left survives the codec
    assert abs(int(image[40, 60, 1]) - 40) < 12  # grey level 5 * 8


def test_variable_frame_rate_timestamps(make_clip):
    times = [0.0, 0.03, 0.1, 0.11, 0.5, 0.52, 1.0, 1.3]
    path = make_clip(name="vfr.mp4", fps=30.0, timestamps=times)
    with VideoReader(path) as reader:
        got = [f.timestamp_s for f in reader]
    np.testing.assert_allclose(got, times, atol=1e-3)


def test_min_interval_skips_frames_but_decodes_them(make_clip):
    # Every frame is decoded; only frames at least 0.1 s after the last one yielded are converted and yielded.
    times = [0.0, 0.03, 0.1, 0.11, 0.5, 0.52, 1.0, 1.3]
    path = make_clip(name="vfr.mp4", fps=30.0, timestamps=times)
    with VideoReader(path, min_interval_s=0.1) as reader:
        got = [f.timestamp_s for f in reader]
        assert reader.frames_decoded == len(times)
        assert reader.frames_read == 5
    np.testing.assert_allclose(got, [0.0, 0.1, 0.5, 1.0, 1.3], atol=1e-3)


def test_timestamps_relative_to_first_frame(tmp_path):
    path = tmp_path / "offset.mp4"
    with VideoWriter(path, fps=10, width=32, height=32) as writer:
        for i in range(5):
            writer.write(np.zeros((32, 32, 3), np.uint8), timestamp_s=2.0 + i / 10)
    with VideoReader(path) as reader:
        got = [f.timestamp_s for f in reader]
    np.testing.assert_allclose(got, [0.0, 0.1, 0.2, 0.3, 0.4], atol=1e-3)


@pytest.mark.parametrize("rotation", [90, -90, 180])
def test_rotation_metadata_is_applied(tmp_path, rotation):
    coded = np.zeros((48, 64, 3), np.uint8)
    coded[:16, :32] = (255, 0, 0)  # red top-left
    path = tmp_path / f"rot{rotation}.mp4"
    _write_rotated(path, rotation, coded)
    expected = np.rot90(coded, k=(rotation // 90) % 4)  # counter-clockwise for display (= ffmpeg autorotate)
    info = probe(path)
    assert info.rotation_deg == rotation % 360
    assert (info.height, info.width) == expected.shape[:2]
    with VideoReader(path) as reader:
        image = next(iter(reader)).image
    assert image.shape == expected.shape
    assert np.abs(image.astype(int) - expected).mean() < 10


def test_max_side_px_downscales_keeping_aspect(make_clip):
    path = make_clip(width=128, height=64, frames=3)
    with VideoReader(path, max_side_px=64) as reader:
        shapes = {f.image.shape for f in reader}
    assert shapes == {(32, 64, 3)}


def test_shared_portrait_clip_is_upright(shared_videos):
    info = probe(shared_videos / "squat" / "dillonloh_squat2.mp4")
    assert (info.width, info.height) == (720, 1280) and info.portrait
    with VideoReader(info.path, max_side_px=320) as reader:
        frame = next(iter(reader))
    assert frame.image.shape == (320, 180, 3)


def test_truncated_file_yields_what_decodes(make_clip, tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "full.mp4"
    with VideoWriter(path, fps=25, width=64, height=48) as writer:  # noise: frames of similar size
        for _ in range(100):
            writer.write(rng.integers(0, 256, (48, 64, 3), dtype=np.uint8))
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    with VideoReader(cut) as reader:
        frames = list(reader)
    assert 10 < len(frames) < 100
    assert reader.truncated
    assert reader.error_message and "cut.mp4" in reader.error_message and "\n" not in reader.error_message


def test_truncated_to_nothing_raises(make_clip, tmp_path):
    data = make_clip(frames=20).read_bytes()
    cut = tmp_path / "stub.mp4"
    cut.write_bytes(data[:200])
    with pytest.raises(VideoError, match=r"could not read 'stub\.mp4' as a video"):
        list(VideoReader(cut))


def _one_line_error(path: Path) -> str:
    with pytest.raises(VideoError) as info:
        with VideoReader(path) as reader:
            list(reader)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file(tmp_path):
    assert "not found" in _one_line_error(tmp_path / "nope.mp4")


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in _one_line_error(path)


def test_text_renamed_mp4(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a video\n" * 20)
    assert _one_line_error(path).startswith("could not read 'notes.mp4' as a video: ")


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.mov"
    path.write_bytes(np.random.default_rng(1).integers(0, 256, 40_000, dtype=np.uint8).tobytes())
    assert _one_line_error(path).startswith("could not read 'noise.mov' as a video: ")


def test_random_bytes_guessed_as_raw_h263_rejected(tmp_path):
    # FFmpeg probes these bytes as a raw H.263 elementary stream and would decode a noise frame from them.
    path = tmp_path / "noise.mp4"
    path.write_bytes(np.random.default_rng(6).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    with av.open(str(path)) as container:
        assert container.format.name == "h263"  # the premise: FFmpeg guesses a raw stream
    assert _one_line_error(path).startswith("could not read 'noise.mp4' as a video: ")


def _write_raw_h264(path: Path, frames: int = 5) -> None:
    """A container-less H.264 elementary stream (Annex B) of `frames` 64x48 frames."""
    with av.open(str(path), "w", format="h264") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_raw_stream_with_container_suffix_rejected_but_read_under_its_own_suffix(tmp_path):
    raw = tmp_path / "clip.h264"
    _write_raw_h264(raw)
    with VideoReader(raw) as reader:  # a raw stream that says what it is stays readable
        assert len(list(reader)) == 5
    renamed = tmp_path / "clip.mp4"
    renamed.write_bytes(raw.read_bytes())
    assert _one_line_error(renamed) == "could not read 'clip.mp4' as a video: no .mp4 container found " \
        "(damaged or not a video)"


def test_audio_only(tmp_path):
    path = write_audio_only(tmp_path / "voice.mp4")
    assert "no video stream (audio only)" in _one_line_error(path)


@pytest.mark.parametrize("name", ["photo.png", "photo_png.mp4"])
def test_still_image_rejected(tmp_path, name):
    path = write_png(tmp_path / name, 16, 16)
    assert "is a still image, not a video" in _one_line_error(path)


def test_gif(tmp_path):
    path = write_gif(tmp_path / "anim.gif", frames=6, step=40)
    info = probe(path)
    assert (info.codec, info.width, info.height) == ("gif", 64, 48)
    with VideoReader(path) as reader:
        frames = list(reader)
    assert len(frames) == 6
    np.testing.assert_allclose([f.timestamp_s for f in frames], np.arange(6) / 10, atol=1e-3)
    assert frames[3].image.mean() > frames[1].image.mean()


def test_early_stop_stops_thread(make_clip):
    path = make_clip(frames=60)
    before = len(_decode_threads())
    with VideoReader(path) as reader:
        for i, _ in enumerate(reader):
            if i == 1:
                break
        time.sleep(0.05)  # let the decoder fill the queue and block
    assert not reader.running
    assert len(_decode_threads()) == before
    assert reader.frames_read == 2


def test_close_without_context_manager(make_clip):
    reader = VideoReader(make_clip(frames=40))
    iterator = iter(reader)
    next(iterator)
    assert reader.running
    reader.close()
    assert not reader.running


def test_reader_iterates_once(make_clip):
    with VideoReader(make_clip(frames=2)) as reader:
        list(reader)
        with pytest.raises(RuntimeError):
            list(reader)


def test_writer_is_browser_playable_h264(tmp_path):
    path = tmp_path / "out.mp4"
    with VideoWriter(path, fps=30, width=65, height=33) as writer:  # odd sizes are padded
        for i in range(5):
            writer.write(np.full((33, 65, 3), i * 20, np.uint8))
    assert writer.codec_name in ("libx264", "h264", "libopenh264", "mpeg4")
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.width, stream.height) == (66, 34)
        assert stream.average_rate == Fraction(30)
    assert not list(tmp_path.glob("*.part.mp4"))


def test_writer_is_atomic_on_error(tmp_path):
    path = tmp_path / "result.mp4"
    path.write_bytes(b"previous")
    with pytest.raises(RuntimeError, match="boom"):
        with VideoWriter(path, fps=10, width=32, height=32) as writer:
            writer.write(np.zeros((32, 32, 3), np.uint8))
            assert list(tmp_path.glob("*.part.mp4"))  # in progress: a temp file next to the target
            raise RuntimeError("boom")
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.mp4"]


def test_writer_target_appears_only_on_close(tmp_path):
    path = tmp_path / "late.mp4"
    writer = VideoWriter(path, fps=10, width=32, height=32)
    writer.write(np.zeros((32, 32, 3), np.uint8))
    assert not path.exists()
    writer.close()
    assert path.exists() and probe(path).frame_count == 1


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_writer_output_has_normal_permissions(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        with VideoWriter(tmp_path / "annotated.mp4", fps=10, width=32, height=32) as writer:
            writer.write(np.zeros((32, 32, 3), np.uint8))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "annotated.mp4").stat().st_mode) == mode


def test_writer_rejects_wrong_shape(tmp_path):
    with VideoWriter(tmp_path / "x.mp4", fps=10, width=32, height=32) as writer:
        with pytest.raises(ValueError, match="expected uint8 image"):
            writer.write(np.zeros((16, 32, 3), np.uint8))
        writer.write(np.zeros((32, 32, 3), np.uint8))


@pytest.mark.parametrize(
    ("name", "codec"),
    [("c.mov", "libx264"), ("c.mkv", "libx264"), ("c.avi", "mpeg4"), ("c.webm", "libvpx-vp9")],
)
def test_other_containers(tmp_path, name, codec):
    path = tmp_path / name
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 40, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    with VideoReader(path) as reader:
        frames = list(reader)
    assert len(frames) == 5 and frames[0].image.shape == (48, 64, 3)
    np.testing.assert_allclose([f.timestamp_s for f in frames], np.arange(5) / 10, atol=2e-3)


def test_shared_avi_and_gif(shared_videos):
    for rel in ("squat/kaiakol_correct_001.avi", "bird_dog/colemitchell_bird_dog.gif"):
        info = probe(shared_videos / rel)
        assert info.width > 0 and info.fps > 0
        with VideoReader(info.path) as reader:
            frame = next(iter(reader))
        assert frame.image.shape == (info.height, info.width, 3)


def test_reader_gives_thumbnails_only_when_asked(make_clip):
    clip = make_clip(frames=4, fps=10.0, width=160, height=120)
    with VideoReader(clip) as reader:
        plain = list(reader)
    with VideoReader(clip, thumbnails=True) as reader:
        with_thumbs = list(reader)
    assert all(f.thumbnail is None for f in plain)
    for p, f in zip(plain, with_thumbs, strict=True):
        np.testing.assert_array_equal(f.thumbnail, thumbnail(p.image))


def test_a_repeated_timestamp_is_written_just_after_the_previous_frame(tmp_path):
    """A damaged file can repeat a frame's timestamp (found by the fuzz test); the annotated copy still closes."""
    from coach.video import VideoReader, VideoWriter

    out = tmp_path / "dup.mp4"
    with VideoWriter(out, fps=10.0, width=32, height=32) as writer:
        for t in (0.0, 0.1, 0.2, 0.2, 0.15, 0.4):
            writer.write(np.zeros((32, 32, 3), np.uint8), t)
    with VideoReader(out) as reader:
        times = [f.timestamp_s for f in reader]
    assert len(times) == 6 and bool(np.all(np.diff(times) > 0))


def test_a_cut_file_says_how_many_frames_were_decoded_not_how_many_were_analysed(tmp_path, make_clip):
    # the line said "stopped decoding after 399 frames" for 797 decoded frames: the count of those analysed
    clip = make_clip(frames=60, fps=30.0, width=160, height=120)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: int(clip.stat().st_size * 0.7)])
    with VideoReader(cut, min_interval_s=1 / 15) as reader:
        analysed = sum(1 for _ in reader)
    assert reader.truncated and reader.error_message is not None
    assert reader.frames_decoded > analysed
    assert f"stopped decoding after {reader.frames_decoded} frames" in reader.error_message
