"""`coach eval`: review every labelled clip of a folder and compare with its labels.

Reads DIR/labels.csv (columns file, exercise, reps, form, faults; see ../shared/videos/README.md),
reviews each clip with `coach.pipeline.review` (the one code path) and scores rep counts and the
spine-fault warnings. Poses come from the production estimator (`coach.pose.review_estimator`, the one the
file review uses) and are cached per clip (keyed by the file's sha256, the pose model's sha256, the
estimator configuration and the cache format), so re-running after an analyzer change only replays the poses.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from coach import pipeline
from coach.pipeline import MAX_SIDE_PX, RecordedPoses, review
from coach.report import Report
from coach.thresholds import Thresholds
from coach.types import Exercise, PoseFrame, WarningKind

CACHE_FORMAT = 4
"""Bump when the cached pose record changes shape or the frames given to the model change (2: frames larger
than MAX_SIDE_PX are downscaled by area averaging; 3: each frame's luma thumbnail for camera cuts; 4: the
thumbnail samples every 16th pixel)."""

DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bone-safe-coach" / "eval"
"""Where pose results are cached by default."""

SCORED_FAULTS: tuple[WarningKind, ...] = (
    WarningKind.SPINAL_FLEXION,
    WarningKind.TWIST,
    WarningKind.LUMBAR_HYPEREXTENSION,
    WarningKind.HIPS_RISE_FIRST,
)
"""Fault kinds scored for recall and false alarms."""

MASK_FLOOR = 0.02
"""Mask values below this are dropped from the cached crop (background)."""


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One labelled clip: path, exercise, complete reps (None = not labelled), form and faults."""

    file: str
    exercise: str
    reps: int | None
    form: str
    faults: tuple[str, ...]


def load_labels(folder: str | os.PathLike[str]) -> list[LabelRow]:
    """The rows of FOLDER/labels.csv (faults with a trailing '?' are kept as uncertain, '?' included)."""
    out: list[LabelRow] = []
    with (Path(folder) / "labels.csv").open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            reps = (row.get("reps") or "").strip()
            faults = tuple(f.strip() for f in (row.get("faults") or "").split(";") if f.strip())
            out.append(LabelRow(row["file"], row["exercise"].strip(), int(reps) if reps else None,
                                (row.get("form") or "").strip(), faults))
    return out


# --- pose cache -----------------------------------------------------------------------------------
def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pack_mask(mask: np.ndarray | None) -> tuple[int, int, int, int, bytes] | None:
    """Crop the mask to its foreground box, quantise to uint8 and compress: (y0, x0, h, w, data)."""
    if mask is None:
        return None
    fg = mask >= MASK_FLOOR
    rows, cols = np.flatnonzero(fg.any(axis=1)), np.flatnonzero(fg.any(axis=0))
    if rows.size == 0:
        return (0, 0, 0, 0, b"")
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    crop = np.rint(np.clip(mask[y0:y1, x0:x1], 0.0, 1.0) * 255.0).astype(np.uint8)
    return (y0, x0, y1 - y0, x1 - x0, zlib.compress(crop.tobytes(), 6))


def _unpack_mask(packed: tuple[int, int, int, int, bytes] | None, width: int, height: int) -> np.ndarray | None:
    if packed is None:
        return None
    y0, x0, h, w, data = packed
    mask = np.zeros((height, width), dtype=np.float32)
    if h and w:
        crop = np.frombuffer(zlib.decompress(data), dtype=np.uint8).reshape(h, w)
        mask[y0:y0 + h, x0:x0 + w] = crop.astype(np.float32) / 255.0
    return mask


def _record_of(pose: PoseFrame) -> dict[str, Any]:
    """A compact copy of a pose frame for the cache (float32 landmarks, the mask cropped and compressed)."""
    return {
        "t": pose.timestamp_s, "w": pose.width, "h": pose.height, "det": pose.detected,
        "lm": pose.landmarks.astype(np.float32), "world": pose.world.astype(np.float32),
        "mask": _pack_mask(pose.mask), "people": pose.people, "light": pose.brightness, "thumb": pose.thumbnail,
    }


def _frame_of(d: dict[str, Any]) -> PoseFrame:
    return PoseFrame(timestamp_s=d["t"], width=d["w"], height=d["h"], detected=d["det"],
                     landmarks=d["lm"].astype(np.float64), world=d["world"].astype(np.float64),
                     mask=_unpack_mask(d["mask"], d["w"], d["h"]), people=d["people"], brightness=d["light"],
                     thumbnail=d["thumb"])


class _Replay(Sequence[PoseFrame]):
    """Cached frames, unpacked one at a time (a full-size mask per frame would not fit in memory)."""

    def __init__(self, frames: list[dict[str, Any]]) -> None:
        self._frames = frames

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, i: int) -> PoseFrame:  # type: ignore[override]
        return _frame_of(self._frames[i])


def estimator_config(estimator: object) -> str:
    """The options of a pose estimator that change its output, as a cache-key string."""
    fields = ("mode", "with_mask", "num_poses", "people_check_every")
    key = ",".join(f"{f}={getattr(estimator, f, None)!s}" for f in fields)
    workers = getattr(estimator, "workers", 1)  # VIDEO-mode landmarkers side by side each follow a share of the frames
    return key if workers == 1 else f"{key},workers={workers}"  # one landmarker: the keys made before `workers`


def production_estimator() -> Any:
    """The estimator the file review uses (`coach.pose.review_estimator`): the one code path."""
    from coach.pose import review_estimator

    return review_estimator()


class PoseCache:
    """Per-clip pose results on disk, keyed by file sha256 + model sha256 + estimator configuration +
    cache format + frame size + analysis rate cap (`coach.pipeline.ANALYSIS_MAX_FPS`: only the analysed
    frames are stored).

    Args:
        folder: Cache folder (None: no caching).
        estimator_factory: Makes the estimator the poses come from (default: the production one); one is
            made once to read its configuration for the key.
    """

    def __init__(self, folder: str | os.PathLike[str] | None,
                 estimator_factory: Callable[[], object] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.estimator_factory: Callable[[], object] = estimator_factory or production_estimator
        self._config: str | None = None

    @property
    def estimator_config(self) -> str:
        """`estimator_config()` of the factory's estimator (made once, then closed)."""
        if self._config is None:
            est = self.estimator_factory()
            try:
                self._config = estimator_config(est)
            finally:
                close = getattr(est, "close", None)
                if callable(close):
                    close()
        return self._config

    def _path(self, video: Path) -> Path | None:
        if self.folder is None:
            return None
        from coach.pose import MODEL_SHA256

        key = hashlib.sha256(
            f"{_file_sha256(video)}:{MODEL_SHA256}:{CACHE_FORMAT}:{MAX_SIDE_PX}:{self.estimator_config}"
            f":max_fps={pipeline.ANALYSIS_MAX_FPS}".encode()
        ).hexdigest()[:32]
        return self.folder / f"{video.stem}.{key}.pkl"

    def load(self, video: Path) -> RecordedPoses | None:
        """The cached poses of a video, or None."""
        p = self._path(video)
        if p is None or not p.is_file():
            return None
        try:
            with p.open("rb") as fh:
                data = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        return RecordedPoses(_Replay(data["frames"]), data["truncated"], data["error"])

    def save(self, video: Path, frames: list[dict[str, Any]], truncated: bool, error: str | None) -> None:
        """Store the poses of a video (atomically)."""
        p = self._path(video)
        if p is None:
            return
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=".tmp", dir=p.parent)  # one per writer
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump({"frames": frames, "truncated": truncated, "error": error}, fh,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def review_cached(video: str | os.PathLike[str], exercise: Exercise | str, cache: PoseCache,
                  thresholds: Thresholds | None = None,
                  estimator_factory: Callable[[], object] | None = None) -> Report:
    """`review()` a clip, replaying cached poses when there are some and caching them when not.

    The poses come from `estimator_factory`, default the cache's (the production estimator)."""
    path = Path(video)
    if estimator_factory is not None and estimator_factory is not cache.estimator_factory:
        cache = PoseCache(cache.folder, estimator_factory)
    recorded = cache.load(path)
    if recorded is not None:
        return review(path, exercise, thresholds=thresholds, recorded=recorded)
    frames: list[dict[str, Any]] = []
    report = review(path, exercise, thresholds=thresholds, estimator_factory=cache.estimator_factory,
                    on_pose=lambda pose: frames.append(_record_of(pose)))
    error = next((n.message for n in report.session.notices if n.kind.value == "truncated"), None)
    cache.save(path, frames, report.truncated, error)
    return report


# --- scoring --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClipResult:
    """One clip's outcome: counted reps, flagged fault kinds, view, or the error that stopped it."""

    label: LabelRow
    counted: int | None = None
    flagged: tuple[str, ...] = ()
    view: str = ""
    error: str | None = None
    rep_times: tuple[tuple[float, float], ...] = ()
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CountScore:
    """Rep-count agreement over clips with a reps label."""

    exact: float
    within_one: float
    mae: float
    n: int

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready (NaN → None)."""
        return {k: (None if isinstance(v, float) and math.isnan(v) else v)  # type: ignore[misc]
                for k, v in (("exact", self.exact), ("within_one", self.within_one), ("mae", self.mae),
                             ("n", self.n))}


@dataclass(frozen=True, slots=True)
class FaultScore:
    """Recall over clips labelled with the fault; false alarms over form=good clips."""

    recall: float
    false_alarm_rate: float
    n_positive: int
    n_good: int

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready (NaN → None)."""
        return {"recall": None if math.isnan(self.recall) else self.recall,
                "false_alarm_rate": None if math.isnan(self.false_alarm_rate) else self.false_alarm_rate,
                "n_positive": self.n_positive, "n_good": self.n_good}


def count_score(results: Iterable[ClipResult]) -> CountScore:
    """exact / within-one shares and mean absolute error of counted vs labelled reps (errors count as 0)."""
    errs = [abs((r.counted or 0) - r.label.reps) for r in results if r.label.reps is not None]
    if not errs:
        return CountScore(math.nan, math.nan, math.nan, 0)
    n = len(errs)
    return CountScore(sum(e == 0 for e in errs) / n, sum(e <= 1 for e in errs) / n, sum(errs) / n, n)


def fault_score(results: Sequence[ClipResult], kind: str) -> FaultScore:
    """Recall of `kind` over clips labelled with it, false-alarm rate over form=good clips."""
    pos = [r for r in results if kind in r.label.faults]
    good = [r for r in results if r.label.form == "good"]
    recall = sum(kind in r.flagged for r in pos) / len(pos) if pos else math.nan
    fa = sum(kind in r.flagged for r in good) / len(good) if good else math.nan
    return FaultScore(recall, fa, len(pos), len(good))


def summary(results: Sequence[ClipResult]) -> dict[str, Any]:
    """The `--json` document: overall and per-exercise count scores, and a score per scored fault."""
    exercises = sorted({r.label.exercise for r in results})
    out: dict[str, Any] = {
        "overall": count_score(results).to_dict(),
        "by_exercise": {e: count_score([r for r in results if r.label.exercise == e]).to_dict()
                        for e in exercises},
    }
    for kind in SCORED_FAULTS:
        out[kind.value] = fault_score(results, kind.value).to_dict()
    return out


def evaluate_clip(folder: Path, label: LabelRow, cache: PoseCache,
                  thresholds: Thresholds | None = None) -> ClipResult:
    """Review one labelled clip; any failure becomes the row's error."""
    try:
        report = review_cached(folder / label.file, label.exercise, cache, thresholds)
    except Exception as exc:  # an unreadable clip is a row with its error, not a crash
        return ClipResult(label, error=f"{type(exc).__name__}: {' '.join(str(exc).split())[:160]}")
    reps = [r for r in report.reps if r.complete]
    flagged = tuple(sorted({w.kind.value for r in reps for w in r.warnings}))
    values: dict[str, float] = {}
    for r in reps:
        for k, v in r.metrics.items():
            if not math.isnan(v):
                values[k] = max(values.get(k, -math.inf), v)
    return ClipResult(label, counted=len(reps), flagged=flagged, view=report.session.analysis.view.value,
                      rep_times=tuple((r.start_s, r.end_s) for r in reps), values=values)


def evaluate(folder: str | os.PathLike[str], *, cache: PoseCache | None = None,
             exercise: str | None = None, thresholds: Thresholds | None = None,
             on_clip: Callable[[ClipResult], None] | None = None) -> list[ClipResult]:
    """Review every clip in FOLDER/labels.csv (optionally one exercise) and return the per-clip results."""
    root = Path(folder)
    cache = cache or PoseCache(None)
    results = []
    for label in load_labels(root):
        if exercise is not None and label.exercise != exercise:
            continue
        res = evaluate_clip(root, label, cache, thresholds)
        results.append(res)
        if on_clip is not None:
            on_clip(res)
    return results


def _f(x: float | int | None, pct: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * x:.0f}%" if pct else (f"{x:.2f}" if isinstance(x, float) else str(x))


def clip_line(r: ClipResult) -> str:
    """One table row: clip, exercise, labelled vs counted reps, faults labelled vs flagged."""
    want = "-" if r.label.reps is None else str(r.label.reps)
    if r.error is not None:
        return f"{r.label.file:<44} {r.label.exercise:<15} {want:>4} {'ERR':>4}  {r.error}"
    got = str(r.counted)
    mark = " " if r.label.reps is None or r.label.reps == r.counted else "*"
    labelled = ";".join(r.label.faults) or "-"
    flagged = ";".join(r.flagged) or "-"
    return (f"{r.label.file:<44} {r.label.exercise:<15} {want:>4} {got:>4}{mark} {r.view:<8} "
            f"{r.label.form:<10} {labelled:<24} {flagged}")


TABLE_HEADER = (f"{'clip':<44} {'exercise':<15} {'want':>4} {'got':>4}  {'view':<8} {'form':<10} "
                f"{'faults labelled':<24} flagged")


def summary_text(doc: dict[str, Any]) -> str:
    """The summary as plain text."""
    lines = []
    o = doc["overall"]
    lines.append(f"overall: exact {_f(o['exact'], True)}, within one {_f(o['within_one'], True)}, "
                 f"MAE {_f(o['mae'])}, n={o['n']}")
    for ex, s in doc["by_exercise"].items():
        lines.append(f"  {ex:<15} exact {_f(s['exact'], True)}, within one {_f(s['within_one'], True)}, "
                     f"MAE {_f(s['mae'])}, n={s['n']}")
    for kind in SCORED_FAULTS:
        s = doc[kind.value]
        lines.append(f"{kind.value:<22} recall {_f(s['recall'], True)} (n={s['n_positive']}), "
                     f"false alarms {_f(s['false_alarm_rate'], True)} (n good={s['n_good']})")
    return "\n".join(lines)
