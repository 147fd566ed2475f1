"""Ground truth of a synthetic clip and its JSON sidecar (written atomically).

Angles are degrees, times seconds, image positions pixels (x right, y down, MediaPipe's convention of
x·width, y·height), world positions metres (x forward, y up, z the person's right; floor at y = 0).
Per-side values are {"left": …, "right": …}. Rep indices are 1-based, as in `--fault-reps`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class FrameTruth:
    """Exact values for one frame (see `coach.synth.angles` for the definitions)."""

    index: int
    time_s: float
    rep: int | None  # 1-based rep in progress, or None between reps
    phase: float  # 0 = start position, 1 = bottom/peak
    knee_flexion_deg: dict[str, float]
    hip_angle_deg: dict[str, float]
    trunk_from_vertical_deg: float
    spine_flexion_deg: float
    trunk_twist_deg: float
    knee_flexion_2d_deg: dict[str, float]
    hip_angle_2d_deg: dict[str, float]
    trunk_from_vertical_2d_deg: float
    joints_px: dict[str, list[float]]
    joints_m: dict[str, list[float]]


@dataclass(frozen=True)
class RepTruth:
    """One rep: span and bottom/peak time (s), bird-dog side, and its injected fault (if any)."""

    index: int
    start_s: float
    bottom_s: float
    end_s: float
    side: str | None
    fault: str | None  # a WarningKind value
    fault_deg: float | None
    peak_spine_flexion_deg: float
    min_spine_flexion_deg: float
    peak_abs_twist_deg: float


@dataclass(frozen=True)
class Truth:
    """Everything known about a generated clip."""

    exercise: str
    view: str
    seed: int
    width: int
    height: int
    fps: float
    n_frames: int
    duration_s: float
    tempo_s: float
    rest_s: float
    fault: str  # "none" or the --fault text
    fault_reps: list[int]
    calibration_s: list[float]  # [start, end] of the ready hold
    person_size_px: float  # larger side of the projected joints' bounding box in the first frame
    camera: dict[str, Any]
    body: dict[str, Any]
    look: dict[str, Any]
    reps: list[RepTruth]
    frames: list[FrameTruth]
    holds: list[dict[str, Any]] = field(default_factory=list)
    """Timed holds, as the report lists them: index, stance, leg, start_s, end_s, duration_s, ended_by."""
    test: dict[str, Any] | None = None
    """A functional test's exact result: name, score, unit (and verdict where it follows from the script)."""
    go_s: float | None = None
    """When the timed test starts ("Go"), s."""
    variant: str = "default"
    """How a floor exercise was done (`coach.synth.motions.Variant`)."""
    schema_version: int = SCHEMA_VERSION
    generator: str = "coach synth"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Truth:
        """Rebuild from `to_dict()` output (e.g. a loaded sidecar)."""
        fields = dict(data)
        fields["reps"] = [RepTruth(**r) for r in data["reps"]]
        fields["frames"] = [FrameTruth(**f) for f in data["frames"]]
        return cls(**fields)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the JSON sidecar atomically (temporary file + os.replace)."""
        write_json_atomic(path, self.to_dict())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Truth:
        """Read a JSON sidecar."""
        with open(path, encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))


def sidecar_path(video_path: str | os.PathLike[str]) -> Path:
    """The truth JSON path for a clip: OUT.mp4 → OUT.json."""
    return Path(video_path).with_suffix(".json")


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Dump `data` as compact JSON to `path` via a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".json.part", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
