"""History database: migrations, WAL, damaged file set aside, delete, export, weekly numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.history import MIGRATIONS, SCHEMA_VERSION, History, HistoryError, default_db_path, week_start
from coach.history_export import export_csv, export_json
from coach.types import FormWarning, Rep, WarningKind


def rep(i: int, warned: bool = False) -> Rep:
    warns = (FormWarning(WarningKind.SPINAL_FLEXION, i + 0.5, 30.0, 20.0, "deg", "Your back rounded.",
                         "Chest proud."),) if warned else ()
    return Rep(i, float(i), i + 0.9, True, metrics={"knee_flexion_deg": 90.0 + i, "twist_deg": float("nan")},
               warnings=warns)


def test_new_database_is_wal_and_current(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    assert h.journal_mode == "wal"
    assert h.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    assert h.set_aside is None
    assert h.sessions() == []


def test_migrates_a_version_1_database_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    con.execute("INSERT INTO sessions (started_at, exercise, source) VALUES ('2026-01-05T10:00:00', 'squat', 'live')")
    con.execute("INSERT INTO reps (session_id, rep_index, start_s, end_s, complete) VALUES (1, 1, 0, 1, 1)")
    con.commit()
    con.close()
    h = History(path)
    assert h.schema_version == SCHEMA_VERSION
    [s] = h.sessions()
    assert (s.exercise, s.reps, s.load_kg, s.strictness) == ("squat", 1, None, "standard")


def test_damaged_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    junk = b"this is not a database at all\n" * 200
    path.write_bytes(junk)
    h = History(path)
    assert h.set_aside is not None and h.set_aside.exists()
    assert h.set_aside.read_bytes() == junk  # kept byte for byte
    assert h.set_aside.name.startswith("h.sqlite3.damaged-")
    assert h.sessions() == [] and h.schema_version == SCHEMA_VERSION


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer version"):
        History(path)
    assert path.read_bytes() == before


def test_reps_sessions_delete_and_export(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    a = h.start_session("squat", "live", started_at="2026-11-23T09:00:00+00:00")
    for i in (1, 2, 3):
        h.add_rep(a, rep(i, warned=i == 2), set_index=1 if i < 3 else 2)
    b = h.save_reviewed("deadlift", [rep(1)], {1: 1}, title="clip.mp4", target_min=8, target_max=12)
    h.set_load(b, 20.0)
    rows = {s.id: s for s in h.sessions()}
    assert (rows[a].reps, rows[a].sets, rows[a].warnings) == (3, 2, 1)
    assert (rows[b].source, rows[b].title, rows[b].load_kg) == ("review", "clip.mp4", 20.0)
    reps = h.reps(a)
    assert [r["rep"] for r in reps] == [1, 2, 3]
    assert reps[0]["metrics"] == {"knee_flexion_deg": 91.0, "twist_deg": None}  # NaN stored as null
    assert reps[1]["warnings"][0]["kind"] == "spinal_flexion"

    data = json.loads(export_json(h))
    assert [s["exercise"] for s in data["sessions"]] == ["squat", "deadlift"]
    assert len(data["sessions"][0]["reps"]) == 3
    table = list(csv.DictReader(io.StringIO(export_csv(h))))
    assert len(table) == 4 and table[1]["Warnings"] == "Back rounding" and table[0]["Warnings"] == "none"
    assert table[0]["Measures"] == "Knee bend 91°; Twist not measured" and table[0]["Counted"] == "yes"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bTrue\b|\bNone\b", export_csv(h))  # words, never keys

    assert h.delete_session(a) is True
    assert h.delete_session(a) is False
    assert [s.id for s in h.sessions()] == [b]
    with sqlite3.connect(h.path) as con:
        assert con.execute("SELECT COUNT(*) FROM reps WHERE session_id = ?", (a,)).fetchone()[0] == 0


def test_weekly_progress_and_sessions_per_week(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    for day, n, warned in (("2026-11-16", 8, 2), ("2026-11-18", 10, 0), ("2026-11-24", 9, 3)):
        sid = h.start_session("squat", "live", started_at=f"{day}T10:00:00+00:00")
        for i in range(1, n + 1):
            h.add_rep(sid, rep(i, warned=i <= warned))
    h.start_session("squat", "live", started_at="2026-11-25T10:00:00+00:00")  # no reps: not a session done
    weeks = h.weekly_progress()
    assert [(w["week"], w["sessions"], w["reps"]) for w in weeks] == [("2026-11-16", 2, 18), ("2026-11-23", 1, 9)]
    assert weeks[0]["warnings_per_rep"] == round(2 / 18, 2)
    assert h.sessions_per_week() == [{"week": "2026-11-16", "sessions": 2}, {"week": "2026-11-23", "sessions": 1}]


def test_week_start_is_monday() -> None:
    assert week_start("2026-11-29T23:00:00+01:00") == "2026-11-23"  # a Sunday
    assert week_start("2026-11-23T00:00:00") == "2026-11-23"


def test_data_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "history.sqlite3"
    monkeypatch.delenv("COACH_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "bone-safe-coach" / "history.sqlite3"


def test_two_instances_share_one_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    writer, reader = History(path), History(path)
    sid = writer.start_session("squat", "live")
    writer.add_rep(sid, rep(1))
    assert reader.sessions()[0].reps == 1


def test_a_full_disk_at_start_keeps_a_healthy_history_and_says_so(tmp_path: Path, monkeypatch) -> None:
    from coach import history as history_module
    from coach.history import HistoryUnavailable

    db = tmp_path / "history.sqlite3"
    first = History(db)
    first.start_session("squat", "live")
    before = db.read_bytes()
    real_connect = sqlite3.connect

    def full(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        con.close()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(history_module.sqlite3, "connect", full)
    with pytest.raises(HistoryUnavailable, match="Nothing was removed"):
        History(db)
    monkeypatch.setattr(history_module.sqlite3, "connect", real_connect)
    assert sorted(p.name for p in tmp_path.iterdir() if "damaged" in p.name) == []
    assert db.read_bytes() == before
    assert len(History(db).sessions()) == 1  # once space is back, the same history opens


_OPEN_EACH = """
import json, sys
from coach.history import History
out = {}
for name in sys.argv[1:]:
    try:
        History(name)
        out[name] = "opened"
    except Exception as exc:
        out[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(out))
"""


def _open_in_a_read_only_folder(folder: Path, names: list[Path]) -> dict[str, str]:
    """Open each history with `folder` read-only (a read-only bind mount for root, who ignores permissions;
    else the folder's mode), in a child process; returns name → "opened" or "TYPE: message"."""
    child = [sys.executable, "-c", _OPEN_EACH, *map(str, names)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            done = subprocess.run(child, capture_output=True, text=True, timeout=60, env=env)
        finally:
            folder.chmod(0o755)
    else:
        unshare = shutil.which("unshare")
        probe = unshare and subprocess.run([unshare, "-m", "true"], capture_output=True).returncode == 0
        if not probe:
            if os.environ.get("CI") == "true":
                pytest.fail("needs `unshare -m` (a mount namespace) to make a read-only folder as root")
            pytest.skip("needs `unshare -m` to make a read-only folder as root")
        mount = f"mount --bind '{folder}' '{folder}' && mount -o remount,ro,bind '{folder}' '{folder}' && exec \"$@\""
        done = subprocess.run([str(unshare), "-m", "sh", "-c", mount, "sh", *child], capture_output=True, text=True,
                              timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_a_read_only_history_folder_keeps_every_file_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    healthy = folder / "history.sqlite3"
    History(healthy).start_session("squat", "live")
    damaged = folder / "other.sqlite3"
    damaged.write_bytes(b"SQLite format 3\0" + b"garbage" * 500)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    names = [healthy, folder / "new.sqlite3", folder / "sub" / "history.sqlite3", damaged]
    seen = _open_in_a_read_only_folder(folder, names)
    for name in names:  # not "damaged", not a raw OSError: cannot be written now, kept, tried again
        assert seen[str(name)].startswith("HistoryUnavailable: your history cannot be opened just now ("), seen
        assert seen[str(name)].endswith("Nothing was removed; the coach tries again on the next page."), seen
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing set aside, moved or added
    assert len(History(healthy).sessions()) == 1  # writable again: the same history opens


def test_a_damaged_rep_row_is_skipped_and_the_rest_exports(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    hist = History(db)
    sid = hist.start_session("squat", "live")
    for i in (1, 2, 3):
        hist.add_rep(sid, Rep(index=i, start_s=float(i), end_s=i + 1.0, complete=True))
    with sqlite3.connect(db) as con:
        con.execute("UPDATE reps SET metrics = '{not json' WHERE rep_index = 2")
    assert [r["rep"] for r in hist.reps(sid)] == [1, 3]
    assert len(hist.skipped_rows) == 1
    exported = json.loads(export_json(hist))
    assert [r["rep"] for r in exported["sessions"][0]["reps"]] == [1, 3]
    assert len(list(csv.reader(io.StringIO(export_csv(hist))))) == 3  # header + the two readable reps


def test_a_scripted_morning_is_one_sitting_and_table_agrees_with_headline(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    # 09:00 an upload reviewed, 09:20 the same file reviewed again (replaces the first), then three live sets
    # and a live start with no rep (not exercise done).
    h.save_reviewed("squat", [rep(i) for i in range(1, 9)], {}, title="me.mp4", target_min=8, target_max=12,
                    source_key="abc")
    h.save_reviewed("squat", [rep(i) for i in range(1, 10)], {}, title="me.mp4", target_min=8, target_max=12,
                    source_key="abc")
    for minute in (30, 40, 50):
        sid = h.start_session("squat", "live", started_at=f"2026-11-24T09:{minute}:00+00:00")
        for i in range(1, 4):
            h.add_rep(sid, rep(i))
    h.start_session("squat", "live", started_at="2026-11-24T10:00:00+00:00")
    with sqlite3.connect(h.path) as con:  # the reviews' clock is now: pin them to the same morning
        con.execute("UPDATE sessions SET started_at = '2026-11-24T09:20:00+00:00' WHERE source = 'review'")
    assert [s.title for s in h.sessions() if s.source == "review"] == ["me.mp4"]  # replaced, not doubled
    assert len(h.sittings()) == 1
    assert h.sessions_per_week() == [{"week": "2026-11-23", "sessions": 1}]
    [row] = h.weekly_progress()
    assert (row["sessions"], row["reps"]) == (1, 9 + 3 * 3)


def test_sittings_split_at_the_gap(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    # 08:00 and 10:59 join (under 3 h apart); 14:00 is a new sitting; a deadlift in that sitting counts once
    for at, ex in (("08:00", "squat"), ("10:59", "squat"), ("14:00", "squat"), ("14:30", "deadlift")):
        sid = h.start_session(ex, "live", started_at=f"2026-11-24T{at}:00+00:00")
        h.add_rep(sid, rep(1))
    assert [len(s) for s in h.sittings()] == [2, 2]
    assert h.sessions_per_week() == [{"week": "2026-11-23", "sessions": 2}]
    by_ex = {w["exercise"]: w["sessions"] for w in h.weekly_progress()}
    assert by_ex == {"squat": 2, "deadlift": 1}


def test_a_review_of_another_file_is_kept(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    for key in ("a", "b", ""):
        h.save_reviewed("squat", [rep(1)], {}, title="x.mp4", target_min=8, target_max=12, source_key=key)
    h.save_reviewed("squat", [rep(1)], {}, title="x.mp4", target_min=8, target_max=12)  # no key: never replaces
    assert len(h.sessions()) == 4


def test_file_key_is_the_same_for_the_same_bytes(tmp_path: Path) -> None:
    from coach.history import file_key

    a, b, c = tmp_path / "a.mp4", tmp_path / "b.mp4", tmp_path / "c.mp4"
    a.write_bytes(b"video" * 1000)
    b.write_bytes(b"video" * 1000)
    c.write_bytes(b"video" * 999 + b"VIDEO")
    assert file_key(a) == file_key(b) != file_key(c)


@pytest.mark.parametrize(("sample", "reps", "other", "saved"), [
    (True, 9, False, False),   # a sample review is never stored
    (False, 0, False, False),  # nothing counted: not a session of exercise
    (False, 9, True, False),   # another exercise fits better: stored only once reviewed as that one
    (False, 9, False, True),   # an upload with reps, the right exercise
])
def test_which_reviews_are_stored(sample: bool, reps: int, other: bool, saved: bool) -> None:
    from coach.history import not_saved_reason

    reason = not_saved_reason(is_sample=sample, complete_reps=reps, other_fits=other)
    assert (reason is None) is saved
    assert reason is None or "_" not in reason


def test_a_review_not_saved_because_history_is_unavailable_says_so() -> None:
    from coach.history import not_saved_reason

    assert not_saved_reason(is_sample=False, complete_reps=5, other_fits=False) is None
    why = not_saved_reason(is_sample=False, complete_reps=5, other_fits=False, history_open=False)
    assert why is not None and why.startswith("Not saved to your history: the history cannot be opened just now")


def test_chair_stand_results_are_kept_with_their_norm(tmp_path) -> None:
    from coach.types import FunctionalTest, Verdict
    from coach.ui.functional_history import chair_stand_history

    hist = History(tmp_path / "h.sqlite3")
    norm = {"age_band": "70-74", "sex": "female", "below_average_under": 10}
    for day, score in (("2026-11-01", 9), ("2026-11-15", 11)):
        verdict = Verdict.BELOW_AVERAGE if score < 10 else Verdict.AVERAGE_OR_BETTER
        hist.save_reviewed("chair_stand", [], {}, title=day, target_min=8, target_max=12,
                           test=FunctionalTest("chair_stand", score, "stands", norm, verdict))
    results = hist.test_results("chair_stand")
    assert [r["score"] for r in results] == [9, 11]
    assert [r["verdict"] for r in results] == ["below_average", "average_or_better"]
    assert results[0]["norm"]["below_average_under"] == 10
    assert list(chair_stand_history(hist)["Below average under"]) == [10, 10]
    sid = hist.sessions()[0].id
    hist.delete_session(sid)
    assert len(hist.test_results("chair_stand")) == 1


def hold(i: int, stance: str = "single_leg", leg: str | None = "left", held: float = 12.5,
         ended: str = "foot_down", sway: float | None = 3.2):
    from coach.types import Hold, HoldEnd, Side, Stance

    return Hold(i, Stance(stance), Side(leg) if leg else None, 2.0 * i, 2.0 * i + held, HoldEnd(ended),
                {"sway_range_cm": sway} if sway is not None else {})


def test_holds_tests_and_the_person_are_kept_exported_and_deleted(tmp_path: Path) -> None:
    from coach.types import FunctionalSetup, FunctionalTest, Verdict

    h = History(tmp_path / "h.sqlite3")
    person = FunctionalSetup(age=72, sex="female", height_cm=163.0)
    test = FunctionalTest("balance_test", 2, "stages", {"tandem_min_s": 10.0}, Verdict.HIGHER_FALL_RISK)
    sid = h.save_reviewed("balance_test", [], {}, title="balance.mp4", target_min=8, target_max=12, test=test,
                          holds=[hold(1, "side_by_side", None, 10.0, "target_reached"),
                                 hold(2, "semi_tandem", None, 6.3, "stepped", None)], person=person)
    [s] = h.sessions()
    assert (s.reps, s.holds, s.age, s.sex, s.height_cm) == (0, 2, 72, "female", 163.0)
    assert [x["duration_s"] for x in h.holds(sid)] == [10.0, 6.3]
    assert h.holds(sid)[1] == {"index": 2, "stance": "semi_tandem", "leg": None, "start_s": 4.0, "end_s": 10.3,
                               "duration_s": 6.3, "ended_by": "stepped", "metrics": {}}
    assert [len(x) for x in h.sittings()] == [1]  # a balance session is a session done, with no rep in it

    data = json.loads(export_json(h))["sessions"][0]
    assert data["person"] == {"age": 72, "sex": "female", "height_cm": 163.0}
    assert [x["stance"] for x in data["holds"]] == ["side_by_side", "semi_tandem"]
    assert data["tests"] == [{"name": "balance_test", "score": 2.0, "unit": "stages", "norm": {"tandem_min_s": 10.0},
                              "verdict": "higher_fall_risk"}]
    results = h.test_results()
    assert results[0]["person"]["age"] == 72 and results[0]["exercise"] == "balance_test"

    h.delete_session(sid)
    assert h.hold_results() == [] and h.test_results() == []


def test_a_version_4_database_gains_holds_and_the_person(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    con = sqlite3.connect(path)
    con.executescript("".join(MIGRATIONS[:4]) + "PRAGMA user_version = 4;")
    con.execute("INSERT INTO sessions (started_at, exercise, source) VALUES ('2026-11-05T10:00:00', 'squat', 'live')")
    con.commit()
    con.close()
    h = History(path)
    [s] = h.sessions()
    assert (s.holds, s.person) == (0, {"age": None, "sex": None, "height_cm": None})
    h.add_hold(s.id, hold(1))
    assert h.sessions()[0].holds == 1


def test_the_reps_csv_carries_the_person(tmp_path: Path) -> None:
    from coach.types import FunctionalSetup

    h = History(tmp_path / "h.sqlite3")
    sid = h.start_session("chair_stand", "live", person=FunctionalSetup(age=81, sex="male"))
    h.add_rep(sid, rep(1))
    [row] = list(csv.DictReader(io.StringIO(export_csv(h))))
    assert (row["Age"], row["Sex"], row["Height (cm)"]) == ("81", "man", "")


def test_a_review_with_holds_but_no_rep_is_stored() -> None:
    from coach.history import not_saved_reason

    assert not_saved_reason(is_sample=False, complete_reps=0, other_fits=False, holds=3) is None
    assert not_saved_reason(is_sample=False, complete_reps=0, other_fits=False, holds=0) is not None
    assert not_saved_reason(is_sample=True, complete_reps=0, other_fits=False, holds=3) is not None
