"""Bad or unusual media files made at test time (nothing third-party): audio only, a still image, a GIF."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np


def write_audio_only(path: Path) -> Path:
    """One second of a 440 Hz tone, AAC in an mp4 container, no video stream."""
    rate = 44100
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("aac", rate=rate)
        stream.layout = "mono"
        samples = (0.2 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate)).astype(np.float32)[None, :]
        for start in range(0, rate, 1024):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples[:, start:start + 1024]), format="fltp",
                                               layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_png(path: Path, width: int = 64, height: int = 48) -> Path:
    """A still PNG image (left half light), written whatever the file's suffix."""
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 2] = 200
    with av.open(str(path), "w", format="image2") as container:
        stream = container.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = width, height, "rgb24"
        for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_gif(path: Path, frames: int, step: int = 20, width: int = 64, height: int = 48) -> Path:
    """An animated GIF at 10 frames/s whose grey level rises by `step` each frame."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("gif", rate=10)
        stream.width, stream.height, stream.pix_fmt = width, height, "rgb8"
        for i in range(frames):
            image = np.full((height, width, 3), i * step, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_huge_frame_header(path: Path, side_px: int = 16000, frames: int = 5) -> Path:
    """A 2 kB MJPEG .mov whose headers (container and every JPEG) claim side_px × side_px frames: a
    decompression bomb's header, made without ever holding such a frame (16 × 16 frames, sizes patched)."""
    import struct

    with av.open(str(path), "w", format="mov") as container:
        stream = container.add_stream("mjpeg", rate=10)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "yuvj420p"
        for i in range(frames):
            image = np.full((16, 16, 3), i * 40, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    data = bytearray(path.read_bytes())
    size = struct.pack(">HH", side_px, side_px)
    at = data.find(b"\xff\xc0")  # each JPEG's start-of-frame: marker, length (2), precision (1), height, width
    while at != -1:
        data[at + 5:at + 9] = size
        at = data.find(b"\xff\xc0", at + 2)
    entry = data.find(b"jpeg")  # the sample entry: type, reserved (6), index (2), version/rev/vendor/quality (16)
    data[entry + 4 + 24:entry + 4 + 28] = size
    tkhd = data.find(b"tkhd")
    end = tkhd - 4 + struct.unpack(">I", data[tkhd - 4:tkhd])[0]
    data[end - 8:end] = struct.pack(">II", side_px << 16, side_px << 16)
    path.write_bytes(bytes(data))
    return path


def write_animated_webp(path: Path, frames: int = 4) -> Path:
    """An animated WebP (libwebp_anim), 32 × 32 px at 5 frames/s, grey rising each frame."""
    with av.open(str(path), "w", format="webp") as container:
        stream = container.add_stream("libwebp_anim", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for i in range(frames):
            image = np.full((32, 32, 3), 40 + i * 50, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
