"""The whole history as one file: JSON for programs (every session with the person as given, its reps, holds and
test results) and CSV, one row per rep, for a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from coach.history import SCHEMA_VERSION, History, now_iso


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


def export_csv(hist: History) -> str:
    """One row per rep, with its session's columns (the person's age, sex and height as given)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["session_id", "started_at", "exercise", "source", "title", "load_kg", "age", "sex",
                "height_cm", "set", "rep", "start_s", "end_s", "complete", "metrics", "warnings"])
    for s in reversed(hist.sessions()):
        person = ["" if v is None else v for v in s.person.values()]
        for r in hist.reps(s.id):
            w.writerow([s.id, s.started_at, s.exercise, s.source, s.title,
                        "" if s.load_kg is None else s.load_kg, *person, r["set"], r["rep"],
                        f"{r['start_s']:.3f}", f"{r['end_s']:.3f}", r["complete"], json.dumps(r["metrics"]),
                        ";".join(x["kind"] for x in r["warnings"])])
    return buf.getvalue()
