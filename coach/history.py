"""Local exercise history in SQLite: sessions, reps and their warnings, holds, test results, weekly progress
(the whole history as one file: `coach.history_export`).

The database lives in the user's data folder ($COACH_DATA_DIR, else ~/.local/share/bone-safe-coach),
in WAL mode so the live page can write reps while the history page reads. The schema is versioned
with PRAGMA user_version and migrated step by step. A damaged file is never overwritten: it is
renamed aside and reported (`History.set_aside`), and a fresh database is started.

Every method opens its own short-lived connection, so one `History` can be shared between the
Streamlit thread and the webcam callback thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.thresholds import SITTING_GAP_H
from coach.types import FunctionalSetup, FunctionalTest, Hold, Rep

DB_NAME = "history.sqlite3"
APP_DIR_NAME = "bone-safe-coach"

MIGRATIONS: tuple[str, ...] = (
    # 0 → 1: sessions and reps
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        exercise TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('live', 'review')),
        title TEXT NOT NULL DEFAULT '',
        target_min INTEGER NOT NULL DEFAULT 8,
        target_max INTEGER NOT NULL DEFAULT 12
    );
    CREATE TABLE reps (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        rep_index INTEGER NOT NULL,
        set_index INTEGER NOT NULL DEFAULT 1,
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        complete INTEGER NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',
        warnings TEXT NOT NULL DEFAULT '[]',
        warning_count INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX reps_session ON reps(session_id);
    """,
    # 1 → 2: the load lifted (kg, optional) and the strictness used
    """
    ALTER TABLE sessions ADD COLUMN load_kg REAL;
    ALTER TABLE sessions ADD COLUMN strictness TEXT NOT NULL DEFAULT 'standard';
    """,
    # 2 → 3: a fingerprint of the reviewed file, so a second review of the same file replaces the first
    """
    ALTER TABLE sessions ADD COLUMN source_key TEXT NOT NULL DEFAULT '';
    """,
    # 3 → 4: functional test results (the 30-second chair stand, the balance test), with the norm they met
    """
    CREATE TABLE tests (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        score REAL NOT NULL,
        unit TEXT NOT NULL,
        verdict TEXT NOT NULL,
        norm TEXT NOT NULL DEFAULT 'null'
    );
    CREATE INDEX tests_session ON tests(session_id);
    """,
    # 4 → 5: timed holds (single-leg stands, the balance test's stages) and the person's age, sex and height
    """
    CREATE TABLE holds (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        hold_index INTEGER NOT NULL,
        stance TEXT NOT NULL,
        leg TEXT,
        start_s REAL NOT NULL,
        end_s REAL NOT NULL,
        ended_by TEXT NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX holds_session ON holds(session_id);
    ALTER TABLE sessions ADD COLUMN age INTEGER;
    ALTER TABLE sessions ADD COLUMN sex TEXT;
    ALTER TABLE sessions ADD COLUMN height_cm REAL;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(Exception):
    """The history database cannot be used; str() is one line."""


class HistoryUnavailable(HistoryError):
    """The history file is fine but cannot be used now (disk full, read-only folder, busy): kept, tried again."""


def default_data_dir() -> Path:
    """$COACH_DATA_DIR, else $XDG_DATA_HOME/bone-safe-coach, else ~/.local/share/bone-safe-coach."""
    env = os.environ.get("COACH_DATA_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / APP_DIR_NAME


def default_db_path() -> Path:
    """Where the history database lives by default."""
    return default_data_dir() / DB_NAME


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One stored session with its totals."""

    id: int
    started_at: str
    exercise: str
    source: str
    title: str
    load_kg: float | None
    strictness: str
    target_min: int
    target_max: int
    reps: int
    sets: int
    warnings: int
    holds: int = 0
    age: int | None = None
    sex: str | None = None
    height_cm: float | None = None
    """The person as given for this session (functional exercises), None when not given."""

    @property
    def person(self) -> dict[str, Any]:
        """Age (years), sex and height (cm) as given, JSON-ready (None when not given)."""
        return {"age": self.age, "sex": self.sex, "height_cm": self.height_cm}


def now_iso() -> str:
    """Now, local time with its offset, to the second (ISO 8601)."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _clean(x: Any) -> Any:
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    return x


def _warnings_json(rep: Rep) -> str:
    return json.dumps([{"kind": w.kind.value, "time_s": _clean(w.time_s), "value": _clean(w.value),
                        "threshold": _clean(w.threshold), "unit": w.unit, "message": w.message, "cue": w.cue}
                       for w in rep.warnings])


class History:
    """The history database at `path` (created, migrated or set aside as needed on first use)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.set_aside: Path | None = None
        """Where a damaged database was moved, if one was found when opening."""
        self.skipped_rows: set[int] = set()
        """Ids of rep rows that could not be read (damaged): left out of what is shown and exported."""
        self._open()

    # --- opening, migrating, damage -----------------------------------------------------------
    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._migrate()
            except sqlite3.OperationalError:  # busy, full, read-only: the file is fine, it cannot be written now
                raise
            except sqlite3.DatabaseError:  # only a file that is not a database or fails the integrity check
                self.set_aside = self._set_aside()
                self._migrate()
        except (sqlite3.OperationalError, OSError) as exc:  # also a folder that cannot be made or written: kept
            why = exc.strerror.lower() if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise HistoryUnavailable(f"your history cannot be opened just now ({why}). Nothing was removed; the "
                                     "coach tries again on the next page.") from exc

    def _set_aside(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        os.replace(self.path, target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.replace(side, target.with_name(target.name + suffix))
        return target

    def _migrate(self) -> None:
        con = sqlite3.connect(self.path, timeout=10.0)
        try:
            check = con.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check[0] if check else 'no answer'}")
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise HistoryError(f"history database '{self.path}' was written by a newer version "
                                   f"(schema {version}, this app knows {SCHEMA_VERSION}); it was left untouched")
            con.execute("PRAGMA journal_mode=WAL")
            for step in range(version, SCHEMA_VERSION):
                con.executescript("BEGIN;" + MIGRATIONS[step] + f"PRAGMA user_version = {step + 1};COMMIT;")
        finally:
            con.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10.0)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys = ON")
        try:
            with con:
                yield con
        finally:
            con.close()

    @property
    def journal_mode(self) -> str:
        """The database's journal mode ("wal")."""
        with self._connect() as con:
            return str(con.execute("PRAGMA journal_mode").fetchone()[0])

    @property
    def schema_version(self) -> int:
        """PRAGMA user_version."""
        with self._connect() as con:
            return int(con.execute("PRAGMA user_version").fetchone()[0])

    # --- writing ------------------------------------------------------------------------------
    def start_session(self, exercise: str, source: str, *, title: str = "", target_min: int = 8,
                      target_max: int = 12, load_kg: float | None = None, strictness: str = "standard",
                      started_at: str | None = None, person: FunctionalSetup | None = None) -> int:
        """A new session; returns its id. `person`: the age, sex and height given for a functional exercise."""
        p = person or FunctionalSetup()
        with self._connect() as con:
            cur = con.execute(
                "INSERT INTO sessions (started_at, exercise, source, title, target_min, target_max, load_kg,"
                " strictness, age, sex, height_cm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (started_at or now_iso(), exercise, source, title, target_min, target_max, load_kg, strictness,
                 p.age, p.sex, p.height_cm))
            return int(cur.lastrowid or 0)

    def add_rep(self, session_id: int, rep: Rep, set_index: int = 1) -> None:
        """Store one rep (called as each rep completes)."""
        metrics = json.dumps({k: _clean(v) for k, v in rep.metrics.items()})
        with self._connect() as con:
            con.execute(
                "INSERT INTO reps (session_id, rep_index, set_index, start_s, end_s, complete, metrics, warnings,"
                " warning_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, rep.index, set_index, rep.start_s, rep.end_s, int(rep.complete), metrics,
                 _warnings_json(rep), len(rep.warnings)))

    def add_test(self, session_id: int, test: FunctionalTest) -> None:
        """Store a functional test's result (score, verdict and the norm it was compared with)."""
        with self._connect() as con:
            con.execute("INSERT INTO tests (session_id, name, score, unit, verdict, norm) VALUES (?, ?, ?, ?, ?, ?)",
                        (session_id, test.name, test.score, test.unit, test.verdict.value,
                         json.dumps({k: _clean(v) for k, v in (test.norm or {}).items()})))

    def add_hold(self, session_id: int, hold: Hold) -> None:
        """Store one timed hold (its stance, standing leg, span, how it ended and its sway measures)."""
        with self._connect() as con:
            con.execute(
                "INSERT INTO holds (session_id, hold_index, stance, leg, start_s, end_s, ended_by, metrics)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (session_id, hold.index, hold.stance.value, hold.leg.value if hold.leg else None, hold.start_s,
                 hold.end_s, hold.ended_by.value, json.dumps({k: _clean(v) for k, v in hold.metrics.items()})))

    def test_results(self, name: str | None = None) -> list[dict[str, Any]]:
        """Every stored result of the test `name` (None: of every test), oldest first: started_at, exercise,
        name, score, unit, verdict, norm and the person (age, sex, height_cm) as given then."""
        where, args = ("WHERE t.name = ?", (name,)) if name is not None else ("", ())
        with self._connect() as con:
            rows = con.execute(
                "SELECT s.started_at, s.exercise, s.age, s.sex, s.height_cm, t.session_id, t.name, t.score, t.unit,"
                f" t.verdict, t.norm FROM tests t JOIN sessions s ON s.id = t.session_id {where}"
                " ORDER BY s.started_at, t.id", args).fetchall()
        return [{"started_at": r["started_at"], "session_id": r["session_id"], "exercise": r["exercise"],
                 "name": r["name"], "score": r["score"], "unit": r["unit"], "verdict": r["verdict"],
                 "norm": json.loads(r["norm"]) or {},
                 "person": {"age": r["age"], "sex": r["sex"], "height_cm": r["height_cm"]}} for r in rows]

    def tests(self, session_id: int) -> list[dict[str, Any]]:
        """The test results of one session, as the report's `test`: name, score, unit, norm, verdict."""
        return [{k: t[k] for k in ("name", "score", "unit", "norm", "verdict")}
                for t in self.test_results() if t["session_id"] == session_id]

    def holds(self, session_id: int) -> list[dict[str, Any]]:
        """The holds of one session, in order, as the report's `holds` (index, stance, leg, start_s, end_s,
        duration_s, ended_by) plus their sway `metrics` (cm)."""
        with self._connect() as con:
            rows = con.execute("SELECT * FROM holds WHERE session_id = ? ORDER BY hold_index, id",
                               (session_id,)).fetchall()
        return [_hold_dict(r) for r in rows]

    def hold_results(self) -> list[dict[str, Any]]:
        """Every stored hold, oldest first, with its session's started_at, exercise and person."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT h.*, s.started_at, s.exercise, s.age, s.sex, s.height_cm FROM holds h JOIN sessions s ON"
                " s.id = h.session_id ORDER BY s.started_at, s.id, h.hold_index, h.id").fetchall()
        return [{"started_at": r["started_at"], "session_id": r["session_id"], "exercise": r["exercise"],
                 "person": {"age": r["age"], "sex": r["sex"], "height_cm": r["height_cm"]}, **_hold_dict(r)}
                for r in rows]

    def save_reviewed(self, exercise: str, reps: Sequence[Rep], set_of: dict[int, int], *, title: str,
                      target_min: int, target_max: int, strictness: str = "standard",
                      load_kg: float | None = None, source_key: str = "", test: FunctionalTest | None = None,
                      holds: Sequence[Hold] = (), person: FunctionalSetup | None = None) -> int:
        """Store a reviewed file as one session (its reps, holds and test result, and the person as given);
        `set_of` maps rep index → set number.

        A non-empty `source_key` (a fingerprint of the file) replaces any earlier review of the same file.
        """
        if source_key:
            with self._connect() as con:
                old = [r[0] for r in con.execute(
                    "SELECT id FROM sessions WHERE source = 'review' AND source_key = ?", (source_key,))]
            for old_id in old:
                self.delete_session(old_id)
        sid = self.start_session(exercise, "review", title=title, target_min=target_min, target_max=target_max,
                                 strictness=strictness, load_kg=load_kg, person=person)
        if source_key:
            with self._connect() as con:
                con.execute("UPDATE sessions SET source_key = ? WHERE id = ?", (source_key, sid))
        for rep in reps:
            self.add_rep(sid, rep, set_of.get(rep.index, 0))
        for hold in holds:
            self.add_hold(sid, hold)
        if test is not None:
            self.add_test(sid, test)
        return sid

    def set_load(self, session_id: int, load_kg: float | None) -> None:
        """Record the load lifted in a session (kg), or clear it."""
        with self._connect() as con:
            con.execute("UPDATE sessions SET load_kg = ? WHERE id = ?", (load_kg, session_id))

    def delete_session(self, session_id: int) -> bool:
        """Delete a session with its reps, holds and test results; False when there was no such session."""
        with self._connect() as con:
            for table in ("reps", "holds", "tests"):
                con.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
            cur = con.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
            return cur.rowcount > 0

    # --- reading ------------------------------------------------------------------------------
    def sessions(self) -> list[SessionRow]:
        """All sessions, newest first, with their totals (complete reps, sets, warnings)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT s.*, "
                " COALESCE(SUM(r.complete), 0) AS n_reps,"
                " COUNT(DISTINCT CASE WHEN r.complete THEN r.set_index END) AS n_sets,"
                " COALESCE(SUM(r.warning_count), 0) AS n_warn,"
                " (SELECT COUNT(*) FROM holds h WHERE h.session_id = s.id) AS n_holds"
                " FROM sessions s LEFT JOIN reps r ON r.session_id = s.id"
                " GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC").fetchall()
        return [SessionRow(r["id"], r["started_at"], r["exercise"], r["source"], r["title"], r["load_kg"],
                           r["strictness"], r["target_min"], r["target_max"], int(r["n_reps"]), int(r["n_sets"]),
                           int(r["n_warn"]), int(r["n_holds"]), r["age"], r["sex"], r["height_cm"]) for r in rows]

    def reps(self, session_id: int) -> list[dict[str, Any]]:
        """The reps of one session, in order."""
        with self._connect() as con:
            rows = con.execute("SELECT * FROM reps WHERE session_id = ? ORDER BY rep_index, id",
                               (session_id,)).fetchall()
        out = []
        for r in rows:
            try:
                out.append(self._rep_dict(r))
            except (ValueError, TypeError):  # a damaged row: skipped, counted, the rest still shows and exports
                self.skipped_rows.add(int(r["id"]))
        return out

    @staticmethod
    def _rep_dict(r: sqlite3.Row) -> dict[str, Any]:
        return {"rep": r["rep_index"], "set": r["set_index"], "start_s": float(r["start_s"]),
                "end_s": float(r["end_s"]), "complete": bool(r["complete"]), "metrics": json.loads(r["metrics"]),
                "warnings": json.loads(r["warnings"])}

    def sittings(self, gap_h: float = SITTING_GAP_H) -> list[list[SessionRow]]:
        """Sessions with a complete rep or a hold grouped into sittings, oldest first: a session starting less
        than `gap_h` hours after the previous one joins its sitting (sets and reviews of one morning count once)."""
        done = sorted((s for s in self.sessions() if s.reps or s.holds), key=lambda s: (_instant(s.started_at), s.id))
        out: list[list[SessionRow]] = []
        last: dt.datetime | None = None
        for s in done:
            at = _instant(s.started_at)
            if last is None or (at - last).total_seconds() >= gap_h * 3600.0:
                out.append([])
            out[-1].append(s)
            last = at
        return out

    def weekly_progress(self) -> list[dict[str, Any]]:
        """Per exercise and ISO week (Monday date): sittings with that exercise, sets, reps, holds, top load,
        warnings per rep. Sessions with no complete rep and no hold are left out."""
        weeks: dict[tuple[str, str], dict[str, Any]] = {}
        for sitting in self.sittings():
            week = week_start(sitting[0].started_at)
            for exercise in dict.fromkeys(s.exercise for s in sitting):
                w = weeks.setdefault((exercise, week), {"exercise": exercise, "week": week, "sessions": 0,
                                                        "sets": 0, "reps": 0, "holds": 0, "warnings": 0,
                                                        "load_kg": None})
                w["sessions"] += 1
                for s in sitting:
                    if s.exercise != exercise:
                        continue
                    w["sets"] += s.sets
                    w["reps"] += s.reps
                    w["holds"] += s.holds
                    w["warnings"] += s.warnings
                    if s.load_kg is not None:
                        w["load_kg"] = max(w["load_kg"] or 0.0, s.load_kg)
        out = sorted(weeks.values(), key=lambda w: (w["exercise"], w["week"]))
        for w in out:
            w["warnings_per_rep"] = round(w["warnings"] / w["reps"], 2) if w["reps"] else 0.0
        return out

    def sessions_per_week(self) -> list[dict[str, Any]]:
        """Sittings (see `sittings`) per ISO week of their start, all exercises, oldest first."""
        counts: dict[str, int] = {}
        for sitting in self.sittings():
            week = week_start(sitting[0].started_at)
            counts[week] = counts.get(week, 0) + 1
        return [{"week": k, "sessions": v} for k, v in sorted(counts.items())]


def _hold_dict(r: sqlite3.Row) -> dict[str, Any]:
    start, end = float(r["start_s"]), float(r["end_s"])
    return {"index": r["hold_index"], "stance": r["stance"], "leg": r["leg"], "start_s": start, "end_s": end,
            "duration_s": round(end - start, 3), "ended_by": r["ended_by"], "metrics": json.loads(r["metrics"])}


def file_key(path: str | os.PathLike[str], chunk_bytes: int = 1 << 20) -> str:
    """A fingerprint of a file's bytes (SHA-256 hex): the same video reviewed again has the same key."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk_bytes):
            digest.update(block)
    return digest.hexdigest()


def not_saved_reason(*, is_sample: bool, complete_reps: int, other_fits: bool,
                     history_open: bool = True, holds: int = 0) -> str | None:
    """Why a review is not stored as a session of exercise (None: it is stored), in plain words.
    `holds`: timed holds seen (a balance session has holds, not reps). `history_open` False: the history cannot
    be opened just now (full disk, read-only folder)."""
    if is_sample:
        return "Sample videos are not saved to your history."
    if complete_reps == 0 and holds == 0:
        return "Not saved to your history: no rep was counted."
    if other_fits:
        return "Not saved to your history: the video looks like another exercise. Review it again as that one."
    if not history_open:
        return ("Not saved to your history: the history cannot be opened just now. The review is shown here and "
                "can be downloaded.")
    return None


def _instant(iso: str) -> dt.datetime:
    """An ISO timestamp as an aware datetime (a naive one is read as local time)."""
    at = dt.datetime.fromisoformat(iso)
    return at if at.tzinfo is not None else at.astimezone()


def week_start(iso: str) -> str:
    """The Monday (YYYY-MM-DD) of the week an ISO timestamp falls in."""
    day = dt.datetime.fromisoformat(iso).date()
    return (day - dt.timedelta(days=day.weekday())).isoformat()
