"""The review report: a stable JSON schema, CSV rows and a plain-text rep table.

JSON keys are stable (schema_version 1): later versions add keys, never rename them.
Files are written atomically (temporary file + rename), so a crash never leaves half a report.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from typing import Any

from coach.jsonable import nan_to_none
from coach.labels import (
    HOLD_END_WORDS,
    NO,
    SET_VERDICT_WORDS,
    STANCE_WORDS,
    TABLE_MEASURES,
    TEST_WORDS,
    UNIT_WORDS,
    VERDICT_WORDS,
    YES,
    exercise_title,
    hold_sentence,
    measure_heading,
    measure_text,
    measure_words,
    notice_words,
    table_measures,
    test_sentence,
    warning_words,
)
from coach.outputs import write_text
from coach.session import SessionResult
from coach.thresholds import range_text
from coach.types import HOLD_EXERCISES, Exercise, FunctionalTest, Hold, Rep
from coach.videoinfo import VideoInfo

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Report:
    """A reviewed video: its info, the exercise and the session result."""

    video: VideoInfo
    exercise: Exercise
    session: SessionResult
    truncated: bool = False

    @property
    def reps(self) -> tuple[Rep, ...]:
        """All reps, complete or not."""
        return self.session.analysis.reps

    @property
    def complete_reps(self) -> int:
        """Number of complete reps."""
        return sum(r.complete for r in self.reps)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        s = self.session
        v = self.video
        return {
            "schema_version": SCHEMA_VERSION,
            "video": {"path": str(v.path), "duration_s": v.duration_s, "fps": v.fps, "width": v.width,
                      "height": v.height, "rotation_deg": v.rotation_deg},
            "exercise": self.exercise.value,
            "view": s.analysis.view.value,
            "reps": [rep_to_dict(r) for r in self.reps],
            "sets": [{"index": st.index, "start_s": st.start_s, "end_s": st.end_s, "reps": st.reps,
                      "target_min": st.target_min, "target_max": st.target_max, "verdict": st.verdict.value}
                     for st in s.sets],
            "notices": [{"kind": n.kind.value, "message": n.message} for n in s.notices],
            "frames": {"total": s.frames_total, "with_person": s.frames_with_person},
            "reps_by_side": self.reps_by_side(),
            "holds": [hold_to_dict(h) for h in s.analysis.holds],
            "test": test_to_dict(s.analysis.test),
        }

    def reps_by_side(self) -> dict[str, int]:
        """Complete reps per worked side (bird-dog: "left" = left arm + right leg); empty when sides do not apply."""
        out: dict[str, int] = {}
        for r in self.reps:
            if r.complete and r.side is not None:
                out[r.side.value] = out.get(r.side.value, 0) + 1
        return out


def rep_to_dict(r: Rep) -> dict[str, Any]:
    """One rep as JSON-ready data (NaN becomes null)."""
    return {
        "index": r.index,
        "start_s": r.start_s,
        "end_s": r.end_s,
        "complete": r.complete,
        "side": r.side.value if r.side else None,
        "metrics": {k: nan_to_none(v) for k, v in r.metrics.items()},
        "warnings": [{"kind": w.kind.value, "time_s": w.time_s, "value": w.value, "threshold": w.threshold,
                      "unit": w.unit, "message": w.message, "cue": w.cue} for w in r.warnings],
    }


def hold_to_dict(h: Hold) -> dict[str, Any]:
    """One timed hold as JSON-ready data (seconds; sway metrics in cm, NaN becomes null)."""
    return {"index": h.index, "stance": h.stance.value, "leg": h.leg.value if h.leg else None, "start_s": h.start_s,
            "end_s": h.end_s, "duration_s": h.duration_s, "ended_by": h.ended_by.value,
            "metrics": {k: nan_to_none(v) for k, v in h.metrics.items()}}


def test_to_dict(test: FunctionalTest | None) -> dict[str, Any] | None:
    """A functional test's result as JSON-ready data (None when the exercise is not a test)."""
    if test is None:
        return None
    return {"name": test.name, "score": test.score, "unit": test.unit, "norm": test.norm,
            "verdict": test.verdict.value}


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write text to `path` safely (`coach.outputs.write_text`: atomic for files, through for devices)."""
    write_text(path, text)


def to_json(report: Report) -> str:
    """The report as JSON text."""
    return json.dumps(report.to_dict(), indent=2, allow_nan=False)


def to_csv(report: Report) -> str:
    """One row per rep for a person and their physiotherapist: headings in words with units, times in s, the
    measures in whole units ("not measured" when not seen), counted yes/no, warnings in words and what to do; for a
    hold exercise one row per hold (stance, leg, times, how it ended, sway). A test's score follows as a last row.
    (`to_json` keeps the stable keys for programs.)"""
    buf = io.StringIO()
    w = csv.writer(buf)
    holds = report.session.analysis.holds
    if holds or report.exercise in HOLD_EXERCISES:
        names = sorted({k for h in holds for k in h.metrics}, key=_measure_order)
        w.writerow(["Hold", "Stance", "Leg", "Start (s)", "End (s)", "Held (s)", "How it ended",
                    *[measure_heading(k) for k in names]])
        for h in holds:
            w.writerow([h.index, STANCE_WORDS[h.stance], h.leg.value if h.leg else "", f"{h.start_s:.1f}",
                        f"{h.end_s:.1f}", f"{h.duration_s:.1f}", HOLD_END_WORDS[h.ended_by],
                        *[measure_text(k, h.metrics.get(k), unit=False) for k in names]])
        _test_row(w, report)
        return buf.getvalue()
    names = sorted({k for r in report.reps for k in r.metrics}, key=_measure_order)
    w.writerow(["Rep", "Start (s)", "End (s)", "Counted", "Side", *[measure_heading(k) for k in names],
                "Warnings", "What to do"])
    for r in report.reps:
        w.writerow([r.index, f"{r.start_s:.1f}", f"{r.end_s:.1f}", YES if r.complete else NO,
                    r.side.value if r.side else "", *[measure_text(k, r.metrics.get(k), unit=False) for k in names],
                    "; ".join(warning_words(x.kind) for x in r.warnings) or "none",
                    " ".join(x.cue for x in r.warnings)])
    _test_row(w, report)
    return buf.getvalue()


def _measure_order(key: str) -> tuple[int, str]:
    """Table measures first, in their order, then the rest by name."""
    return (TABLE_MEASURES.index(key), "") if key in TABLE_MEASURES else (len(TABLE_MEASURES), key)


def _test_row(w: Any, report: Report) -> None:
    """The test's result as one last row: Test, its name, score, unit, verdict (nothing when not a test)."""
    test = report.session.analysis.test
    if test is not None:
        w.writerow(["Test", TEST_WORDS.get(test.name, test.name), f"{test.score:g}",
                    UNIT_WORDS.get(test.unit, test.unit), VERDICT_WORDS[test.verdict]])


def rep_table(report: Report) -> str:
    """A plain-text table of reps and warnings for the terminal."""
    lines = [f"{exercise_title(report.exercise)}: {report.complete_reps} complete reps "
             f"({report.session.analysis.view.value} view, {report.video.duration_s:.1f} s)"]
    lines.append(f"{'rep':>4} {'start s':>8} {'end s':>7} {'done':>5} {'side':>5}  measures / warnings")
    names = table_measures([r.metrics for r in report.reps])
    for r in report.reps:
        metrics = ", ".join(f"{measure_words(k)} {measure_text(k, r.metrics.get(k))}" for k in names)
        lines.append(f"{r.index:>4} {r.start_s:>8.2f} {r.end_s:>7.2f} {YES if r.complete else NO:>5} "
                     f"{r.side.value if r.side else '-':>5}  {metrics}")
        for w in r.warnings:
            lines.append(f"{'':>33}! {warning_words(w.kind)}: {w.message} {w.cue}")
    for st in report.session.sets:
        target = range_text(st.target_min, st.target_max, ascii_only=True)
        lines.append(f"Set {st.index}: {st.reps} reps (target {target}), {SET_VERDICT_WORDS[st.verdict]}.")
    for h in report.session.analysis.holds:
        lines.append(f"{hold_sentence(h)} ({h.start_s:.2f}-{h.end_s:.2f} s)")
    test = report.session.analysis.test
    if test is not None:
        lines.append(test_sentence(test))
    for n in report.session.notices:
        lines.append(f"Note ({notice_words(n.kind).lower()}): {n.message}")
    return "\n".join(lines)
