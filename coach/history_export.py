"""The whole history as one file: JSON for programs (every session with the person as given, its reps, holds and
test results, stable keys) and CSV, one row per rep in words, for a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from coach.history import SCHEMA_VERSION, History, now_iso
from coach.labels import NO, YES, exercise_title, measure_text, measure_words, warning_words
from coach.types import WarningKind


def export_json(hist: History) -> str:
    """Everything, as JSON text: each session with the person as given, its reps, holds and test results."""
    sessions: list[dict[str, Any]] = []
    data = {"schema_version": SCHEMA_VERSION, "exported_at": now_iso(), "sessions": sessions}
    for s in reversed(hist.sessions()):
        sessions.append({"id": s.id, "started_at": s.started_at, "exercise": s.exercise, "source": s.source,
                         "title": s.title, "load_kg": s.load_kg, "strictness": s.strictness,
                         "target_min": s.target_min, "target_max": s.target_max, "person": s.person,
                         "reps": hist.reps(s.id), "holds": hist.holds(s.id), "tests": hist.tests(s.id)})
    return json.dumps(data, indent=2)


CSV_HEADINGS = ("Session", "Started", "Exercise", "How", "Title", "Load (kg)", "Age", "Sex", "Height (cm)", "Set",
                "Rep", "Start (s)", "End (s)", "Counted", "Measures", "Warnings")
"""The reps CSV's headings, in words (a spreadsheet for the person and their physiotherapist)."""
SEX_WORDS = {"female": "woman", "male": "man"}


def export_csv(hist: History) -> str:
    """One row per rep, in words, with its session's columns (the person's age, sex and height as given; empty when
    not given): the measures as "Knee bend 95°; Back rounding 0°", counted yes or no, the warnings named."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADINGS)
    for s in reversed(hist.sessions()):
        person = ["" if s.age is None else s.age, SEX_WORDS.get(s.sex or "", ""),
                  "" if s.height_cm is None else f"{s.height_cm:g}"]
        how = "with the camera" if s.source == "live" else "video review"
        for r in hist.reps(s.id):
            measures = "; ".join(f"{measure_words(k)} {measure_text(k, v)}" for k, v in r["metrics"].items())
            warned = "; ".join(_warning_name(x["kind"]) for x in r["warnings"]) or "none"
            w.writerow([s.id, s.started_at.replace("T", " ")[:16], exercise_title(s.exercise), how, s.title,
                        "" if s.load_kg is None else f"{s.load_kg:g}", *person, r["set"], r["rep"],
                        f"{r['start_s']:.1f}", f"{r['end_s']:.1f}", YES if r["complete"] else NO, measures, warned])
    return buf.getvalue()


def _warning_name(kind: str) -> str:
    """A stored warning kind in words (a kind this version does not know reads "a form warning")."""
    try:
        return warning_words(WarningKind(kind))
    except ValueError:
        return "a form warning"
