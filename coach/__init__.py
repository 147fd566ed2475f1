"""Bone-safe form coach: rep counting and spine-safety warnings from pose landmarks.

The public API (imported on first use, so `import coach` loads no video or pose library):

* `review(path, exercise, ...) -> Report`: review a video file (`coach.pipeline.review`).
* `LiveCoach(exercise, ...)`: the live coach; feed it RGB frames with `process_image(image, time_s)` and read
  `snapshot()` (count, set, warning, cue).
* The report types: `Report` (`to_json`, `to_csv`, `rep_table`), `SessionResult`, `SetSummary`, `Rep`,
  `FormWarning`, `Notice`, and the enums `Exercise`, `WarningKind`, `NoticeKind`, `View`, `SetVerdict`.
* Settings: `Thresholds`, `preset(strictness)`, `SetTarget`.
* Pose estimators: the `PoseEstimator` protocol and `EstimatorCapabilities` (to bring another model).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "review": "coach.pipeline",
    "LiveCoach": "coach.live",
    "LiveSnapshot": "coach.live",
    "Report": "coach.report",
    "to_json": "coach.report",
    "to_csv": "coach.report",
    "rep_table": "coach.report",
    "SessionResult": "coach.session",
    "SetSummary": "coach.session",
    "SetVerdict": "coach.session",
    "Rep": "coach.types",
    "FormWarning": "coach.types",
    "Notice": "coach.types",
    "Exercise": "coach.types",
    "WarningKind": "coach.types",
    "NoticeKind": "coach.types",
    "View": "coach.types",
    "PoseFrame": "coach.types",
    "Thresholds": "coach.thresholds",
    "SetTarget": "coach.thresholds",
    "preset": "coach.thresholds",
    "PoseEstimator": "coach.estimator",
    "EstimatorCapabilities": "coach.estimator",
}

__all__ = [
    "EstimatorCapabilities",
    "Exercise",
    "FormWarning",
    "LiveCoach",
    "LiveSnapshot",
    "Notice",
    "NoticeKind",
    "PoseEstimator",
    "PoseFrame",
    "Rep",
    "Report",
    "SessionResult",
    "SetSummary",
    "SetTarget",
    "SetVerdict",
    "Thresholds",
    "View",
    "WarningKind",
    "preset",
    "rep_table",
    "review",
    "to_csv",
    "to_json",
]

if TYPE_CHECKING:
    from coach.estimator import EstimatorCapabilities, PoseEstimator
    from coach.live import LiveCoach, LiveSnapshot
    from coach.pipeline import review
    from coach.report import Report, rep_table, to_csv, to_json
    from coach.session import SessionResult, SetSummary, SetVerdict
    from coach.thresholds import SetTarget, Thresholds, preset
    from coach.types import Exercise, FormWarning, Notice, NoticeKind, PoseFrame, Rep, View, WarningKind


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'coach' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
