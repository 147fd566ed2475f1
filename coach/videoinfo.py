"""What a video file holds (no decoding library needed: the report and the history read it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What a video file holds.

    Attributes:
        path: The file.
        duration_s: Duration, s (0.0 when unknown).
        fps: Average frame rate, frames/s (0.0 when unknown).
        width: Upright frame width (after rotation), px.
        height: Upright frame height (after rotation), px.
        rotation_deg: Counter-clockwise display rotation applied to coded frames, degrees (0/90/180/270).
        frame_count: Estimated number of frames (may be 0 when the container does not say).
        codec: Video codec name (e.g. "h264").
    """

    path: Path
    duration_s: float
    fps: float
    width: int
    height: int
    rotation_deg: int
    frame_count: int
    codec: str

    @property
    def portrait(self) -> bool:
        """True when the upright frame is taller than wide."""
        return self.height > self.width
