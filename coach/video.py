"""Video input and output: probe, stream upright RGB frames, write browser-playable H.264 mp4.

Decoding uses PyAV (FFmpeg). Frames are decoded on a background thread into a small bounded
queue so decoding overlaps the consumer's work and the whole video is never held in memory.
Timestamps are seconds from the container's presentation timestamps (variable frame rate is
kept), relative to the first frame. Rotation metadata (display matrix) is applied, so phone
clips come out upright.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import queue
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import cast

import av
import av.error
import numpy as np
import numpy.typing as npt

from coach.cuts import thumbnail
from coach.outputs import current_umask, final_path, is_special, raise_if_disk_full, temp_file
from coach.videoinfo import VideoInfo

log = logging.getLogger(__name__)

RGBImage = npt.NDArray[np.uint8]
"""An RGB uint8 (H, W, 3) image."""

STILL_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".heic"})
"""File suffixes rejected as still images."""

CONTAINER_SUFFIXES = frozenset(
    {".mp4", ".m4v", ".mov", ".qt", ".3gp", ".3g2", ".avi", ".mkv", ".webm", ".gif", ".mpg", ".mpeg", ".ts", ".mts",
     ".m2ts", ".flv", ".wmv", ".asf", ".ogv", ".ogg"}
)
"""File suffixes that name a container format (a file with one of them must hold that kind of container)."""

RAW_STREAM_FORMATS = frozenset(
    {"h261", "h263", "h264", "hevc", "vvc", "evc", "m4v", "mpegvideo", "cavsvideo", "avs2", "avs3", "vc1", "dirac",
     "dnxhd", "obu", "mjpeg", "mjpeg_2000", "rawvideo"}
)
"""FFmpeg demuxers for container-less elementary video streams, which FFmpeg may guess from a few bytes of any file
(random bytes often "parse" as raw H.263). Refused when the file's suffix names a container."""

MAX_FRAME_PIXELS = 7680 * 4320
"""Frames larger than this (8K UHD), px, are refused from the container's header before anything is decoded
(a 752 kB file of 16000×16000 frames needed 2.1 GB)."""

QUEUE_SIZE = 4
"""Decoded frames buffered ahead of the consumer."""

ENCODER_PREFERENCE = ("libx264", "h264", "libopenh264", "mpeg4")
"""Encoders tried in order by VideoWriter (first available wins)."""

_PUT_TIMEOUT_S = 0.1


class VideoError(Exception):
    """A video could not be opened, decoded or written; str() is a one-line explanation."""


@dataclass(frozen=True, slots=True)
class VideoFrame:
    """One decoded frame: time from the first frame, s, the upright RGB uint8 (H, W, 3) image and, when the
    reader was asked for them, its luma thumbnail (`coach.cuts.thumbnail`)."""

    timestamp_s: float
    image: npt.NDArray[np.uint8]
    thumbnail: npt.NDArray[np.uint8] | None = None


def _check_file(path: Path) -> None:
    """Raise VideoError for problems visible without decoding (missing, empty, still image)."""
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise VideoError(f"'{path}' is a symbolic link that points back to itself, not a video file") from None
        if path.is_symlink():
            raise VideoError(f"'{path}' is a link to a file that does not exist: '{os.readlink(path)}'") from None
        raise VideoError(f"video file not found: '{path}'") from None
    if stat.S_ISDIR(st.st_mode):
        raise VideoError(f"'{path}' is a directory, not a video file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or \
            stat.S_ISBLK(st.st_mode) else "not a regular file"
        raise VideoError(f"'{path}' is {kind}, not a video file: save the video to a file first")
    if st.st_size == 0:
        raise VideoError(f"video file '{path.name}' is empty (0 bytes)")
    if path.suffix.lower() in STILL_IMAGE_SUFFIXES:
        raise _image_error(path)


def _animated_webp(path: Path) -> bool:
    """True for a WebP file whose extended header (VP8X) says it is animated."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(21)
    except OSError:
        return False
    return head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X" and len(head) == 21 and bool(head[20] & 0x02)


def _image_error(path: Path) -> VideoError:
    """The one line for an image given as a video: an animated WebP says so, any other is a still image."""
    if _animated_webp(path):
        return VideoError(f"'{path.name}' is an animated WebP image, which the coach cannot read: save it as a "
                          f"video (mp4) first")
    return VideoError(f"'{path.name}' is a still image, not a video")


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (FFmpeg errors: just the reason, no errno or path)."""
    if isinstance(exc, av.error.MemoryError):  # FFmpeg's ENOMEM for a size no memory could hold
        return "its data is damaged (it gives sizes no video has)"
    reason = getattr(exc, "strerror", None) if isinstance(exc, av.error.FFmpegError) else None
    text = " ".join(str(reason or exc).split())
    return text or type(exc).__name__


def _open_reason(exc: BaseException) -> str:
    """Why a file could not be opened, in words for its owner (FFmpeg's "Cannot allocate memory" for a header
    that asks for an impossible size is no shortage of memory)."""
    if isinstance(exc, av.error.MemoryError):
        return "its header is damaged (it gives sizes no video has)"
    if isinstance(exc, av.error.EOFError):
        return "the file ends inside its header (cut short or damaged)"
    return _one_line(exc)


def _open(path: Path) -> tuple[av.container.InputContainer, av.video.stream.VideoStream]:
    """Open `path` with PyAV and return the container and its first video stream."""
    _check_file(path)
    try:  # text in the header that is not UTF-8 (a camera's name in Latin-1) is no reason to refuse the video
        container = av.open(str(path), mode="r", metadata_errors="replace")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise VideoError(f"could not read '{path.name}' as a video: {_open_reason(exc)}") from exc
    try:
        fmt = container.format.name
        if fmt == "image2" or fmt.endswith("_pipe"):
            raise _image_error(path)
        if fmt in RAW_STREAM_FORMATS and path.suffix.lower() in CONTAINER_SUFFIXES:
            raise VideoError(
                f"could not read '{path.name}' as a video: no {path.suffix.lower()} container found "
                f"(damaged or not a video)"
            )
        if not container.streams.video:
            if container.streams.audio:
                raise VideoError(f"'{path.name}' has no video stream (audio only)")
            raise VideoError(
                f"could not read '{path.name}' as a video: no streams found (truncated or not a video)"
            )
        stream = container.streams.video[0]
        ctx = stream.codec_context  # None when FFmpeg knows no decoder for the stream
        if ctx is None:
            raise VideoError(f"could not read '{path.name}' as a video: its video format is unknown (damaged?)")
        _check_size(path, ctx.width, ctx.height)
        stream.thread_type = "AUTO"
    except BaseException:
        container.close()
        raise
    return container, stream


def _check_size(path: Path, width: int, height: int) -> None:
    """Raise VideoError when a frame of width × height px is larger than MAX_FRAME_PIXELS."""
    if width * height > MAX_FRAME_PIXELS:
        raise VideoError(
            f"'{path.name}' has frames of {width}×{height} pixels, larger than the coach reads "
            f"(8K, {MAX_FRAME_PIXELS / 1e6:.0f} megapixels): save the video at a smaller size"
        )


def _rotation(frame: av.VideoFrame) -> int:
    """Counter-clockwise display rotation of a decoded frame, snapped to 0/90/180/270 degrees."""
    try:
        deg = int(frame.rotation)
    except (AttributeError, TypeError, ValueError):
        return 0
    return (round(deg / 90) * 90) % 360


def _upright(image: npt.NDArray[np.uint8], rotation_deg: int) -> npt.NDArray[np.uint8]:
    """Rotate a coded image counter-clockwise by `rotation_deg` (multiple of 90) for display."""
    k = (rotation_deg // 90) % 4
    if k == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, k=k))


def _scaled_size(width: int, height: int, max_side_px: int | None) -> tuple[int, int]:
    """(width, height) shrunk so the longer side is at most `max_side_px` (never enlarged), px."""
    if max_side_px is None or max(width, height) <= max_side_px:
        return width, height
    scale = max_side_px / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Describe a video file (decodes only the first frame, to learn its rotation).

    Raises:
        VideoError: missing, empty, not a video, still image, no video stream, or undecodable.
    """
    if not str(path).strip():
        raise VideoError("no video file given: name the file to review")
    path = Path(path)
    container, stream = _open(path)
    try:
        first = _first_frame(path, container, stream)
        rotation = _rotation(first)
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        else:
            duration = 0.0
        frame_count = int(stream.frames or 0)
        if frame_count == 0 and fps > 0 and duration > 0:
            frame_count = round(duration * fps)
        return VideoInfo(
            path=path,
            duration_s=duration,
            fps=fps,
            width=width,
            height=height,
            rotation_deg=rotation,
            frame_count=frame_count,
            codec=stream.codec_context.name,
        )
    finally:
        container.close()


def _first_frame(path: Path, container: av.container.InputContainer,
                 stream: av.video.stream.VideoStream) -> av.VideoFrame:
    """The first frame that decodes: damaged packets before it are skipped, as the reader skips them (a glitch
    in the first second is no reason to refuse the video). VideoError when no frame decodes."""
    error: BaseException | None = None
    bad = 0
    try:
        for packet in container.demux(stream):  # the last, empty packet flushes the decoder
            try:
                frames = packet.decode()
            except (av.error.FFmpegError, ValueError) as exc:
                error, bad = exc, bad + 1
                if bad > MAX_BAD_PACKETS:
                    break
                continue
            if frames:
                return frames[0]
    except av.error.FFmpegError as exc:  # the container itself cannot be read on
        error = exc
    reason = _open_reason(error) if error is not None else "no frame could be decoded"
    raise VideoError(f"could not read '{path.name}' as a video: {reason}") from error


@dataclass(frozen=True, slots=True)
class _End:
    """Queue sentinel: decoding finished; `error` is set when it stopped on a decode error."""

    error: str | None = None


TIMESTAMP_SLACK_S = 1e-3
"""Timestamp rounding slack when comparing a gap between frames with an interval, s."""

MAX_BAD_PACKETS = 10_000
"""Undecodable packets skipped before a file counts as unreadable from there on."""

GAP_FRAMES = 1.5
"""A gap between frames longer than this many frame intervals, after a skipped packet, counts as lost time."""

GAP_WINDOW_FRAMES = 16
"""Gaps count as lost for this many frames after a skipped packet (threaded decoders give frames out late)."""

CUT_SHORT_FRAMES = 2.0
"""A file whose last frame ends more than this many frame intervals before its stated duration is cut short."""

CUT_SHORT_MIN_S = 0.1
"""... and more than this, s (containers round durations)."""


class VideoReader:
    """Iterate upright RGB frames of a video, decoded on a background thread.

    Use as a context manager (or call close()); stopping early stops the thread and closes the file.
    After iteration, `truncated` is True if decoding stopped on an error or the frames end before the stated
    duration (`error_message` says why) after at least one frame; damaged packets mid-file are skipped and the
    time they cost is `lost_s`; if no frame decodes at all, iteration raises VideoError.

    Args:
        path: Video file.
        max_side_px: If given, frames are downscaled so their longer side is at most this, px.
        min_interval_s: Frames less than this after the last one yielded are decoded (later frames depend on
            them) but neither converted to RGB nor yielded, s (0: every frame). Converting and scaling a
            1080p frame costs more CPU than decoding it.
        thumbnails: Also give each frame its luma thumbnail (camera cuts), taken on the decoding thread while
            the new image is still in the CPU cache (a quarter of the cost of taking it later).
    """

    def __init__(self, path: str | os.PathLike[str], max_side_px: int | None = None,
                 min_interval_s: float = 0.0, thumbnails: bool = False) -> None:
        self.path = Path(path)
        self.info = probe(self.path)
        self.max_side_px = max_side_px
        self.min_interval_s = min_interval_s
        self.thumbnails = thumbnails
        self.truncated = False
        self.error_message: str | None = None
        self.frames_read = 0
        self.frames_decoded = 0
        """Frames decoded so far, including those skipped by `min_interval_s`."""
        self.lost_s = 0.0
        """Video time lost to damaged data that was skipped (gaps between frame timestamps), s."""
        self.bad_packets = 0
        """Packets that could not be decoded and were skipped."""
        self._queue: queue.Queue[VideoFrame | _End] = queue.Queue(maxsize=QUEUE_SIZE)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = False

    # -- context manager -------------------------------------------------------------------

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    @property
    def running(self) -> bool:
        """True while the decoding thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        """Stop the decoding thread (if any) and release the file. Idempotent."""
        self._stop.set()
        thread = self._thread
        if thread is None:
            return
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                while True:
                    self._queue.get_nowait()
            thread.join(timeout=0.05)
        self._thread = None

    # -- iteration -------------------------------------------------------------------------

    def __iter__(self) -> Iterator[VideoFrame]:
        if self._started:
            raise RuntimeError("a VideoReader can be iterated only once")
        self._started = True
        self._thread = threading.Thread(target=self._decode, name=f"decode:{self.path.name}", daemon=True)
        self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, _End):
                    if item.error is not None:
                        if self.frames_read == 0:
                            raise VideoError(f"could not read '{self.path.name}' as a video: {item.error}")
                        self.truncated = True
                        self.error_message = (
                            f"'{self.path.name}' stopped decoding after {self.frames_decoded} frames "
                            f"(file truncated or damaged): {item.error}"
                        )
                        log.warning("%s", self.error_message)
                    elif self.frames_read == 0:
                        raise VideoError(f"could not read '{self.path.name}' as a video: no frame decoded")
                    return
                self.frames_read += 1
                yield item
        finally:
            self.close()

    def _put(self, item: VideoFrame | _End) -> bool:
        """Hand an item to the consumer; False if the reader was closed meanwhile."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_PUT_TIMEOUT_S)
                return True
            except queue.Full:
                continue
        return False

    def _decode(self) -> None:
        """Thread body: decode frames into the queue until the end, an error, or close().

        A packet that does not decode (damaged data mid-file) is skipped and decoding goes on; the time it
        cost shows as a gap between frame timestamps and adds up in `lost_s`."""
        error: str | None = None
        try:
            container, stream = _open(self.path)
        except VideoError as exc:
            self._put(_End(str(exc)))
            return
        try:
            first_pts: int | None = None
            time_base = stream.time_base or Fraction(1, 1)
            fps = self.info.fps or 30.0
            frame_s = 1.0 / fps
            index = 0
            last_kept_s = -math.inf
            last_t: float | None = None
            last_bad_index = -math.inf  # frames decoded when a packet was last skipped
            for packet in container.demux(stream):
                if self._stop.is_set():
                    return
                try:
                    decoded = packet.decode()
                except (av.error.FFmpegError, ValueError) as exc:
                    self.bad_packets += 1
                    last_bad_index = index
                    if self.bad_packets > MAX_BAD_PACKETS:
                        raise
                    log.debug("skipped a packet of %s: %s", self.path.name, _one_line(exc))
                    continue
                for frame in decoded:
                    _check_size(self.path, frame.width, frame.height)  # a stream may change size mid-file
                    if frame.pts is not None:
                        if first_pts is None:
                            first_pts = frame.pts
                            if self.bad_packets and stream.start_time is not None and stream.start_time < first_pts:
                                first_pts = stream.start_time  # damaged from the start: the video's own clock
                        t = float((frame.pts - first_pts) * time_base)
                    else:
                        t = index / fps
                    if last_t is None and self.bad_packets and t > GAP_FRAMES * frame_s:
                        self.lost_s += t  # the seconds before the first frame that decodes
                    if last_t is not None and index - last_bad_index <= GAP_WINDOW_FRAMES \
                            and t - last_t > GAP_FRAMES * frame_s:
                        self.lost_s += t - last_t - frame_s
                    last_t = t
                    index += 1
                    self.frames_decoded = index
                    if t - last_kept_s < self.min_interval_s - TIMESTAMP_SLACK_S:
                        continue
                    last_kept_s = t
                    if not self._put(self._convert(frame, t)):
                        return
            if self.info.duration_s > 0 and last_t is not None:
                # A file cut short inside the media data can end "cleanly" without an error.
                missing_s = self.info.duration_s - (last_t + frame_s)
                if missing_s > max(CUT_SHORT_FRAMES * frame_s, CUT_SHORT_MIN_S):
                    error = f"decoding ended at {last_t + frame_s:.2f} s of {self.info.duration_s:.2f} s"
        except (av.error.FFmpegError, ValueError, MemoryError) as exc:
            error = _one_line(exc)
        except VideoError as exc:
            error = str(exc)
        finally:
            container.close()
        self._put(_End(error))

    def _convert(self, frame: av.VideoFrame, t: float) -> VideoFrame:
        """A decoded frame as an upright (scaled) RGB VideoFrame at `t` s, with its thumbnail if asked."""
        rotation = _rotation(frame)
        w, h = _scaled_size(frame.width, frame.height, self.max_side_px)
        if (w, h) != (frame.width, frame.height):  # area averaging: the fastest and sharpest downscale
            image = cast(RGBImage, frame.reformat(width=w, height=h, format="rgb24",
                                                  interpolation="AREA").to_ndarray())
        else:
            image = cast(RGBImage, frame.to_ndarray(format="rgb24"))
        image = _upright(image, rotation)
        thumb = thumbnail(image) if self.thumbnails else None
        return VideoFrame(timestamp_s=t, image=image, thumbnail=thumb)


def _time_base(codec_name: str) -> Fraction:
    """Encoder time base: 1/90000 s for H.264 (keeps VFR timestamps); MPEG-4 part 2 allows < 65536."""
    return Fraction(1, 90000) if "264" in codec_name else Fraction(1, 30000)


_ENCODER_CACHE: dict[str, bool] = {}


def _encoder_works(name: str) -> bool:
    """True if encoder `name` exists and opens for a small yuv420p stream (cached)."""
    if name not in _ENCODER_CACHE:
        try:
            ctx = cast("av.video.codeccontext.VideoCodecContext", av.CodecContext.create(name, "w"))
            ctx.width, ctx.height, ctx.pix_fmt = 64, 64, "yuv420p"
            ctx.time_base = _time_base(name)
            ctx.framerate = Fraction(25)
            ctx.open()
            _ENCODER_CACHE[name] = True
        except (av.error.FFmpegError, ValueError, OSError):
            _ENCODER_CACHE[name] = False
    return _ENCODER_CACHE[name]


def _pick_encoder() -> str:
    """The first encoder in ENCODER_PREFERENCE that this PyAV build can open."""
    for name in ENCODER_PREFERENCE:
        if _encoder_works(name):
            return name
    tried = ", ".join(ENCODER_PREFERENCE)
    raise VideoError(f"no usable video encoder in this PyAV build (tried {tried})")


class VideoWriter:
    """Write RGB frames to an H.264 (yuv420p) mp4 that browsers can play.

    Frames go to a temporary file next to `path`, which replaces `path` atomically on a
    successful close(); on an exception inside the `with` block the temporary file is deleted.
    Odd widths/heights are padded by 1 px (edge pixels repeated), as yuv420p needs even sizes.

    Args:
        path: Output .mp4 path.
        fps: Nominal frame rate, frames/s.
        width: Frame width, px.
        height: Frame height, px.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float, width: int, height: int) -> None:
        if fps <= 0 or width <= 0 or height <= 0:
            raise VideoError(f"bad video size/rate: {width}x{height} at {fps} fps")
        if Path(path).is_dir():
            raise VideoError(f"'{path}' is a folder: give a file name for the video")
        if is_special(path):
            raise VideoError(f"'{path}' is not a regular file: an annotated video can only be written to a file")
        self.path = final_path(path)
        self.fps = float(fps)
        self.width = int(width)
        self.height = int(height)
        self.codec_name = _pick_encoder()
        self._pad_w = self.width % 2
        self._pad_h = self.height % 2
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = temp_file(self.path.parent, ".part.mp4")
        self._frames = 0
        self._last_pts = -1
        self._closed = False
        try:
            self._container = av.open(
                str(self._tmp), mode="w", format="mp4", options={"movflags": "+faststart"}
            )
            rate = Fraction(self.fps).limit_denominator(1001)
            stream = cast("av.VideoStream", self._container.add_stream(self.codec_name, rate=rate))
            stream.width = self.width + self._pad_w
            stream.height = self.height + self._pad_h
            stream.pix_fmt = "yuv420p"
            self._tb = _time_base(self.codec_name)
            stream.codec_context.time_base = self._tb
            if self.codec_name in ("libx264", "h264"):
                stream.codec_context.options = {"preset": "veryfast", "crf": "23", "profile": "high"}
            self._stream = stream
        except BaseException:
            self._discard()
            raise

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    @property
    def frames_written(self) -> int:
        """Number of frames written so far."""
        return self._frames

    def write(self, image_rgb: npt.NDArray[np.uint8], timestamp_s: float | None = None) -> None:
        """Append one RGB uint8 (height, width, 3) frame.

        Args:
            image_rgb: The frame, at the size given to the constructor.
            timestamp_s: Presentation time, s (default: frame index / fps). One not after the previous frame's
                (a damaged file's repeated timestamp) is moved just after it.
        """
        if self._closed:
            raise VideoError(f"VideoWriter for '{self.path.name}' is closed")
        if image_rgb.shape != (self.height, self.width, 3) or image_rgb.dtype != np.uint8:
            raise ValueError(
                f"expected uint8 image of shape {(self.height, self.width, 3)}, "
                f"got {image_rgb.dtype} {image_rgb.shape}"
            )
        if self._pad_w or self._pad_h:
            image_rgb = np.pad(image_rgb, ((0, self._pad_h), (0, self._pad_w), (0, 0)), mode="edge")
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(image_rgb), format="rgb24")
        t = self._frames / self.fps if timestamp_s is None else float(timestamp_s)
        frame.time_base = self._tb
        frame.pts = self._last_pts = max(round(t / self._tb), self._last_pts + 1)  # the muxer needs them rising
        frame.duration = round(1 / (self.fps * self._tb))
        try:
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
        except OSError as exc:  # a full disk reads "disk full", naming the output, not its temporary file
            raise_if_disk_full(exc, self.path)
            raise
        self._frames += 1

    def close(self) -> None:
        """Flush the encoder and move the finished file into place. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
        except BaseException as exc:
            self._discard()
            if isinstance(exc, OSError):
                raise_if_disk_full(exc, self.path)
            raise
        # mkstemp creates the file private (0600); a finished video gets the usual mode (0666 minus umask).
        os.chmod(self._tmp, 0o666 & ~current_umask())
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        """Stop writing and delete the temporary file; `path` is left untouched."""
        if self._closed:
            return
        self._closed = True
        self._discard()

    def _discard(self) -> None:
        container = getattr(self, "_container", None)
        if container is not None:
            with contextlib.suppress(Exception):
                container.close()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()
