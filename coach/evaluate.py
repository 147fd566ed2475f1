"""`coach eval`: review every labelled clip of a folder and compare with its labels.

Reads DIR/labels.csv (columns file, exercise, reps, form, faults; see ../shared/videos/README.md),
reviews each clip with `coach.pipeline.review` (the one code path) and scores rep counts and the
spine-fault warnings. Poses come from the production estimator (`coach.pose.review_estimator`, the one the
file review uses) and are cached per clip (`coach.pose_cache`), so re-running after an analyzer change only
replays the poses.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coach.batch import Executor
from coach.jsonable import nan_to_none
from coach.pose_cache import PoseCache, review_cached
from coach.thresholds import Thresholds
from coach.types import WarningKind

SCORED_FAULTS: tuple[WarningKind, ...] = tuple(WarningKind)
"""Fault kinds scored for recall (where labelled) and false alarms (on form=good clips): every warning kind."""

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
    rep_warnings: tuple[tuple[str, ...], ...] = ()
    """Warning kinds per complete rep, in rep order."""

    def to_dict(self) -> dict[str, Any]:
        """One per-clip row for `--json`: labels, counts, flagged kinds, per-rep spans and warnings."""
        reps = [{"start_s": a, "end_s": b, "warnings": list(w)}
                for (a, b), w in zip(self.rep_times, self.rep_warnings or [()] * len(self.rep_times), strict=True)]
        return {"file": self.label.file, "exercise": self.label.exercise, "form": self.label.form,
                "faults_labelled": list(self.label.faults), "reps_labelled": self.label.reps,
                "reps_counted": self.counted, "view": self.view, "flagged": list(self.flagged),
                "reps": reps, "max_values": {k: nan_to_none(v) for k, v in sorted(self.values.items())},
                "error": self.error}


@dataclass(frozen=True, slots=True)
class CountScore:
    """Rep-count agreement over clips with a reps label."""

    exact: float
    within_one: float
    mae: float
    n: int

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready (NaN → None)."""
        return {"exact": nan_to_none(self.exact), "within_one": nan_to_none(self.within_one),
                "mae": nan_to_none(self.mae), "n": self.n}


@dataclass(frozen=True, slots=True)
class FaultScore:
    """Recall over clips labelled with the fault; false alarms over form=good clips."""

    recall: float
    false_alarm_rate: float
    n_positive: int
    n_good: int

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready (NaN → None)."""
        return {"recall": nan_to_none(self.recall), "false_alarm_rate": nan_to_none(self.false_alarm_rate),
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
    """The `--json` document: overall and per-exercise count scores, a score per warning kind, and one row per
    clip (`clips`)."""
    exercises = sorted({r.label.exercise for r in results})
    out: dict[str, Any] = {
        "overall": count_score(results).to_dict(),
        "by_exercise": {e: count_score([r for r in results if r.label.exercise == e]).to_dict()
                        for e in exercises},
    }
    for kind in SCORED_FAULTS:
        out[kind.value] = fault_score(results, kind.value).to_dict()
    out["clips"] = [r.to_dict() for r in results]
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
                      rep_times=tuple((r.start_s, r.end_s) for r in reps), values=values,
                      rep_warnings=tuple(tuple(w.kind.value for w in r.warnings) for r in reps))


@dataclass(frozen=True, slots=True)
class _ClipTask:
    """evaluate_clip with the folder, cache and thresholds bound (picklable for local processes and Ray)."""

    folder: Path
    cache: PoseCache
    thresholds: Thresholds | None

    def __call__(self, label: LabelRow) -> ClipResult:
        return evaluate_clip(self.folder, label, self.cache, self.thresholds)


def evaluate_folder(folder: str | os.PathLike[str], *, cache: PoseCache | None = None,
             exercise: str | None = None, thresholds: Thresholds | None = None,
             on_clip: Callable[[ClipResult], None] | None = None,
             executor: Executor | None = None) -> list[ClipResult]:
    """Review every clip in FOLDER/labels.csv (optionally one exercise) and return the per-clip results, in
    the labels' order (`on_clip` gets each as it finishes; `executor`: local processes or Ray, default this
    process). Every clip uses the production estimator, so the pose cache is shared with a plain run."""
    root = Path(folder)
    cache = cache or PoseCache(None)
    labels = [label for label in load_labels(root) if exercise is None or label.exercise == exercise]
    if cache.folder is not None and labels:
        _ = cache.estimator_options  # read once here, not once per clip in each worker
    results: list[ClipResult | None] = [None] * len(labels)
    for i, res in (executor or Executor()).map(_ClipTask(root, cache, thresholds), labels):
        results[i] = res
        if on_clip is not None:
            on_clip(res)
    return [r for r in results if r is not None]


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
