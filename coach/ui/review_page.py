"""Review a recorded video: upload or pick a sample, see reps, warnings, chart and the annotated video."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from coach.exercises import Group, NotAnalyzedYet, in_group, spec_of
from coach.history import file_key, not_saved_reason
from coach.labels import NO, YES, exercise_title, holds_timed, measure_heading, measure_text, set_advice
from coach.outputs import process_alive
from coach.pipeline import review
from coach.pose import ModelError
from coach.report import Report, to_csv, to_json
from coach.suggest import PoseLog, Suggestion, guess_exercise, suggest_exercise
from coach.thresholds import range_text
from coach.types import HOLD_EXERCISES, Exercise, FunctionalSetup
from coach.ui import functional_view
from coach.ui import settings as prefs
from coach.ui.charts import angle_chart
from coach.ui.style import big, explain_refused_upload, html_table, plain, scroll_into_view
from coach.video import VideoError

VIDEO_TYPES = ("mp4", "mov", "m4v", "avi", "webm", "mkv", "gif")
RESULT_KEY = "review_result"
SCROLL_KEY = "review_scroll"
"""Session key: a new result to bring into view once (the count is below the picker at 1280×800)."""
AGAIN_KEY = "review_again_as"
"""Session key: the exercise to review the same video again as (set by the "Review again as …" button)."""
SAMPLES_DIR = Path(os.environ.get("COACH_SAMPLES_DIR") or Path(__file__).resolve().parents[2] / "sample_videos")


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """What the page keeps of one review (the temporary files are already gone)."""

    report: Report
    name: str
    annotated: bytes | None
    pdf: bytes
    session_id: int | None
    suggestion: Suggestion | None = None
    not_saved: str | None = None
    """Why the review was not stored in the history (a sample, no rep, another exercise fits), if so."""
    recognised: bool = False
    """The exercise was recognised by the coach ("Let the coach tell"), not chosen."""


def make_estimator() -> Any:
    """The pose estimator for a file review, the CLI's (`coach.pose.review_estimator`; tests patch this boundary)."""
    from coach.pose import review_estimator

    return review_estimator()


def sample_videos() -> list[Path]:
    """Video files in the samples folder (empty when there is none)."""
    if not SAMPLES_DIR.is_dir():
        return []
    return sorted(p for p in SAMPLES_DIR.iterdir() if p.is_file() and p.suffix.lower().lstrip(".") in VIDEO_TYPES)


def safe_suffix(name: str) -> str:
    """The upload's extension if it is a known video type, else ".video" (the name is never a path)."""
    ext = Path(name).suffix.lower().lstrip(".")
    return f".{ext}" if ext in VIDEO_TYPES else ".video"


REP_COLUMNS = ("Rep", "What the coach saw", "Counted", "Time (s)")
"""The rep table's first columns: the warning is read first (a phone shows the first columns)."""


def rep_frame(report: Report) -> pd.DataFrame:
    """The per-rep table in words: the warnings (or "Good") first, then counted, times (s) and the angles that
    matter (whole degrees); "not measured" where the camera could not see a measure, never "None"."""
    names = [k for k in spec_of(report.exercise).columns if any(k in r.metrics for r in report.reps)]
    headings = [measure_heading(k) for k in names]
    rows = []
    for r in report.reps:
        saw = " ".join(f"{w.message} {w.cue}" for w in r.warnings) or "Good"
        row = [str(r.index), saw, YES if r.complete else f"{NO} (not a full rep)",
               f"{r.start_s:.1f} to {r.end_s:.1f}", *[measure_text(k, r.metrics.get(k), unit=False) for k in names]]
        rows.append(row)
    return pd.DataFrame(rows, columns=[*REP_COLUMNS, *headings])


def run_review(path: Path, exercise: Exercise, settings: prefs.Settings, work: Path, bar: Any,
               setup: FunctionalSetup | None = None) -> tuple[Report, bytes | None, Suggestion | None]:
    """Run the review on a worker thread, updating `bar` from this thread; returns the report, the annotated
    video and, when the chosen exercise found no rep or looked wrong, a better-fitting exercise (or None).
    `setup`: the person's age, sex and height for the functional tests."""
    annotated = work / "annotated.mp4"
    share = [0.0]
    lock = threading.Lock()
    log = PoseLog()

    def progress(x: float) -> None:
        with lock:
            share[0] = x

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-review") as pool:
        fut: Future[Report] = pool.submit(review, path, exercise, thresholds=settings.thresholds,
                                          target=settings.target, annotated=annotated, progress=progress,
                                          estimator_factory=make_estimator, on_pose=log.append, setup=setup)
        while not fut.done():
            with lock:
                x = share[0]
            bar.progress(min(1.0, x), text=f"Looking at the video… {100 * x:.0f}%")
            time.sleep(0.25)
        report = fut.result()
    hint = suggest_exercise(report, log.frames, settings.thresholds)
    bar.progress(1.0, text="Done")
    video = annotated.read_bytes() if annotated.exists() else None
    return report, video, hint


def set_numbers(report: Report) -> dict[int, int]:
    """Rep index → set number (0 for reps outside any set)."""
    out: dict[int, int] = {}
    for s in report.session.sets:
        for r in report.reps:
            if r.complete and s.start_s <= r.start_s <= s.end_s:
                out[r.index] = s.index
    return out


log = logging.getLogger(__name__)

NEXT_STEP = ("What to do: choose the original video from your phone or camera (for example an .mp4 or .mov "
             "file), or film the exercise again.")
"""The next step after a video could not be reviewed, in plain words."""
CODE_FAULT = ("Could not review this video because of a fault in the coach, not in your video, and nothing was "
              "removed. What to do: press the review button again; if it happens again, tell whoever set up the "
              "coach for you (the details are in its log).")
"""What the person sees when a review fails for a reason that is not the video's (a bug)."""
DISK_FULL = ("Could not review this video: this computer's disk is full. Free some space (delete files you no "
             "longer need) and try again.")
"""What a full disk during a review reads (the video is fine: choosing another would not help)."""
_DECODER_WORDS = {"Invalid data found when processing input": "the file is damaged or is not a video"}
"""Decoder messages → plain words."""


def plain_reason(text: str) -> str:
    """A video error in plain words (the decoder's own phrases translated), without a trailing full stop."""
    for a, b in _DECODER_WORDS.items():
        text = text.replace(a, b)
    return text.rstrip(". ")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


WORK_PREFIX = "coach-review-"
"""Each review's private temporary folder (the upload's copy) starts with this, in the system's temp folder."""
OWNER_FILE = "owner.pid"


def sweep_leftovers(tmp: Path | None = None) -> int:
    """Remove review folders left by a killed app (their owner process is gone); returns how many."""
    removed = 0
    for work in Path(tmp or tempfile.gettempdir()).glob(WORK_PREFIX + "*"):
        try:
            pid = int((work / OWNER_FILE).read_text())
        except (OSError, ValueError):
            pid = 0  # no owner recorded (an older app): its owner is gone once it is this old
            try:
                if time.time() - work.stat().st_mtime < 3600:
                    continue
            except OSError:
                continue
        if pid and process_alive(pid):
            continue
        shutil.rmtree(work, ignore_errors=True)
        removed += not work.exists()
    return removed


def refused_upload_text(cap_mb: float) -> str:
    """The one line under the upload box when the browser refused a file over `cap_mb` (MB)."""
    return (f"This video is bigger than {prefs.mb_text(cap_mb)}, too big for this page. Trim it, or review it "
            "on this computer from the command line, which has no size limit: "
            ".venv/bin/coach review VIDEO --exercise squat (see the README).")


def _review_and_store(source: Path | None, upload: Any, picked: Exercise | None, settings: prefs.Settings,
                      alert: Any = st, setup: FunctionalSetup | None = None) -> None:
    """Review the sample or upload as `picked` (None: recognise the exercise) and keep the result, with the
    person as given (`setup`) for a functional exercise. A problem is one line in `alert` (a slot next to the
    Review button, where the eye is)."""
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
    os.chmod(work, 0o700)
    (work / OWNER_FILE).write_text(str(os.getpid()))
    try:
        if upload is not None:
            size_mb, cap = upload.size / 1e6, prefs.max_upload_mb()
            if size_mb > cap:
                alert.error(f"This file is {prefs.mb_text(size_mb)}; the limit is {prefs.mb_text(cap)}. "
                         "Trim the video or record a shorter one.")
                return
            path = work / f"upload{safe_suffix(upload.name)}"
            with open(path, "wb") as fh:
                shutil.copyfileobj(upload, fh)
            name = upload.name
        else:
            assert source is not None
            path, name = source, source.name
        shown = Path(name.replace("\\", "/")).name or "the video"
        bar = st.progress(0.0, text="Starting…")
        try:
            first = picked or guess_exercise(name) or settings.exercise
            report, video, hint = run_review(path, first, settings, work, bar, setup)
            if picked is None and hint is not None:  # recognising: the movement fits another exercise better
                report, video, hint = run_review(path, hint.exercise, settings, work, bar, setup)
            exercise = report.exercise
            from coach.pdf import report_pdf

            pdf = report_pdf(report, title=f"Review of {name}", thresholds=settings.thresholds)
        except Exception as exc:  # bad file, model missing, disk full, a bug: one line, the app keeps going
            bar.empty()
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
                alert.error(DISK_FULL)
                return
            known = isinstance(exc, (VideoError, ModelError, NotAnalyzedYet))
            text = plain(plain_reason(_one_line(exc)).replace(f"'{path.name}'", f"'{shown}'"))
            if not known:  # a fault in the coach: the person gets plain words, the log gets the traceback
                log.exception("review of %s failed", shown)
            alert.error(f"Could not review this video: {text}. {NEXT_STEP}" if known else CODE_FAULT)
            return
        recognised = picked is None
        sid = None
        hist = prefs.get_history()
        holds = report.session.analysis.holds
        why_not = not_saved_reason(is_sample=upload is None, complete_reps=report.complete_reps,
                                   other_fits=hint is not None, history_open=hist is not None, holds=len(holds))
        if hist is not None and why_not is None:
            t = settings.target
            try:
                sid = hist.save_reviewed(exercise.value, report.reps, set_numbers(report), title=name,
                                         target_min=t.reps_min, target_max=t.reps_max,
                                         strictness=settings.strictness.value, source_key=file_key(path),
                                         test=report.session.analysis.test, holds=holds,
                                         person=setup if functional_view.is_functional(exercise) else None)
            except Exception as exc:  # the review is still shown and can be downloaded
                why_not = f"Not saved to your history: {plain(_one_line(exc))}"
                st.warning(f"The review could not be saved to your history: {plain(_one_line(exc))}")
        st.session_state[RESULT_KEY] = ReviewResult(report, name, video, pdf, sid, hint, why_not,
                                                    recognised)
        st.session_state[SCROLL_KEY] = True
    finally:
        shutil.rmtree(work, ignore_errors=True)


AUTO = "auto"
"""The picker's "Let the coach tell" choice: the exercise is recognised from the movement."""
PICK_KEY = "review_choice"
"""Session key: the review's exercise (an `Exercise` value, or AUTO), whichever widget or button set it."""
KIND_KEY = "review_kind"
"""The first radio: "Let the coach tell", or one of the registry's groups (`coach.exercises.Group` names)."""
LAST_KEY = "review_last_in_group"
"""Session key: group → the exercise chosen last in it (offered again when the group is chosen again)."""


def group_key(group: Group) -> str:
    """The radio of one group's exercises ("review_exercise", "review_test")."""
    return f"review_{group.name.lower()}"


def _picked_kind() -> None:
    """The first radio changed: recognise, or the group's exercise chosen last (else its first)."""
    kind = st.session_state[KIND_KEY]
    if kind == AUTO:
        st.session_state[PICK_KEY] = AUTO
        return
    group = Group[kind]
    st.session_state[PICK_KEY] = st.session_state.get(LAST_KEY, {}).get(group) or in_group(group)[0].value


def _picked_exercise(group: Group) -> None:
    st.session_state[PICK_KEY] = st.session_state[group_key(group)]


def _exercise_choice(settings: prefs.Settings) -> Exercise | None:
    """The review's exercise picker, grouped so it stays short on a phone: "Let the coach tell" (the default),
    "Exercises" or "Balance and fitness tests", then that group's exercises; None means recognise it. After a
    recognised review the first choice reads "Let the coach tell (found: …)", so it always names what was
    reviewed."""
    choice = st.session_state.setdefault(PICK_KEY, AUTO)
    group = None if choice == AUTO else spec_of(choice).group
    st.session_state[KIND_KEY] = AUTO if group is None else group.name  # follow a sample or "Review again as"
    if group is not None:
        st.session_state[group_key(group)] = choice
        st.session_state.setdefault(LAST_KEY, {})[group] = choice  # a hidden radio's own state is dropped
    result: ReviewResult | None = st.session_state.get(RESULT_KEY)
    found = result.report.exercise if result is not None and result.recognised else None

    def kind_label(value: str) -> str:
        if value == AUTO:
            return f"Let the coach tell (found: {exercise_title(found)})" if found else "Let the coach tell"
        return Group[value].value

    st.radio("Exercise", [AUTO, *(g.name for g in Group)], format_func=kind_label, key=KIND_KEY,
             horizontal=True, on_change=_picked_kind)
    if group is None:
        return None
    st.radio(group.value, [e.value for e in in_group(group)], format_func=exercise_title, key=group_key(group),
             horizontal=True, on_change=_picked_exercise, args=(group,))
    ex = Exercise(choice)
    if ex is not settings.exercise:  # the live page starts on the exercise chosen last
        prefs.set_settings(replace(settings, exercise=ex))
    return ex


_SWEPT = False


def sweep_once() -> None:
    """At app start (once per process): a killed earlier run's copies of people's videos are removed."""
    global _SWEPT
    if not _SWEPT:
        _SWEPT = True
        sweep_leftovers()


def render() -> None:
    """The review page."""
    settings = prefs.settings_panel()
    st.title("Review a video")
    st.write("Film yourself from the side, whole body in view. Then choose the video here.")
    samples = sample_videos()
    sources = ["Upload a video", "Use a sample video"] if samples else ["Upload a video"]
    how = st.radio("Video", sources, horizontal=True, key="review_source", label_visibility="collapsed")
    upload, sample = None, None
    if how == "Upload a video":
        upload = st.file_uploader(f"Choose a video (up to {prefs.mb_text(prefs.max_upload_mb())})",
                                  type=list(VIDEO_TYPES), key="review_upload")
        explain_refused_upload(refused_upload_text(prefs.max_upload_mb()))
    else:
        sample = st.selectbox("Sample video", samples, format_func=lambda p: p.name, key="review_sample")
    hint = guess_exercise(upload.name if upload is not None else sample.name if sample is not None else "")
    if hint is not None and st.session_state.get("review_hint") != hint:  # a file named after its exercise
        st.session_state["review_hint"] = hint
        st.session_state[PICK_KEY] = hint.value
    again = st.session_state.pop(AGAIN_KEY, None)
    if again is not None:  # "Review again as …" was pressed: switch the exercise, then review
        st.session_state[PICK_KEY] = again
    exercise = _exercise_choice(settings)
    setup = (functional_view.person_setup(exercise) if exercise is not None else None) or \
        functional_view.remembered_setup()  # recognising: the person as given last, for a test it finds
    ready = upload is not None or sample is not None
    alert = st.container()
    if st.button("Review this video", type="primary", disabled=not ready, key="review_go") or (again and ready):
        st.session_state.pop(RESULT_KEY, None)
        _review_and_store(sample, upload, exercise, prefs.get_settings(), alert, setup)
        if RESULT_KEY not in st.session_state:  # the one-line error is beside the button: show it
            with alert:
                scroll_into_view('[data-testid="stAlert"]')
        if exercise is None and RESULT_KEY in st.session_state:
            st.rerun()  # so the picker above reads "Let the coach tell (found: …)"
    result: ReviewResult | None = st.session_state.get(RESULT_KEY)
    if result is not None:
        show_result(result, prefs.get_settings())
        if st.session_state.pop(SCROLL_KEY, False):
            scroll_into_view('[data-testid="review-count"]', "start")  # the count at the top, the rep table below it


def show_result(result: ReviewResult, settings: prefs.Settings) -> None:
    """Reps, sets, warnings, the chart, the video and the downloads."""
    report = result.report
    n = report.complete_reps
    warned = sum(1 for r in report.reps if r.warnings)
    if report.exercise in HOLD_EXERCISES:  # a balance exercise is timed holds, never "0 reps counted"
        big(holds_timed(len(report.session.analysis.holds)), "big", "review-count")
    else:
        big(f"{spec_of(report.exercise).count_text(n)} counted", "big", "review-count")
    if warned:
        big(f"{warned} rep{'s' if warned != 1 else ''} with a warning", "warn", "review-warned")
    elif n:
        big("No warnings: well done.", "ok")
    if result.suggestion is not None:
        hint = result.suggestion
        st.warning(f"This looks more like a **{hint.name}**: {hint.reps} complete "
                   f"rep{'s' if hint.reps != 1 else ''} that way.")
        if st.button(f"Review again as a {hint.name}", type="primary", key="review_again"):
            st.session_state[AGAIN_KEY] = hint.exercise.value
            st.rerun()
    functional_view.show_results(report)
    table = rep_frame(report)
    if len(table):  # right below the count: both in one screen once the page scrolls to the count
        st.subheader("Reps")
        st.markdown(html_table(list(table.columns), table.values.tolist(), flag_column=REP_COLUMNS[1],
                               test_id="rep-table"), unsafe_allow_html=True)
    for s in report.session.sets:
        st.markdown(f"**Set {s.index}: {s.reps} reps** (target {range_text(s.target_min, s.target_max)}). "
                    f"{set_advice(report.exercise, s.verdict)}")
    if result.recognised:
        st.info(f"The coach recognised this as: **{exercise_title(report.exercise)}**. Not right? Choose the "
                "exercise above and press Review again.")
    for note in report.session.notices:
        st.info(note.message)
    start = 0
    if len(table):
        reps = list(report.reps)
        labels = ["the start", *[f"rep {r.index} ({r.start_s:.0f} s)" for r in reps]]
        pick = st.selectbox("Play the video from", range(len(labels)), format_func=lambda i: labels[i],
                            index=0, key="play_from")
        start = int(max(0.0, reps[pick - 1].start_s - 0.5)) if pick else 0
    if result.annotated:
        left, _ = st.columns([3, 2])
        left.video(result.annotated, format="video/mp4", start_time=start)
    if report.session.series and not functional_view.is_functional(report.exercise):
        st.subheader("Angle over time")
        st.altair_chart(angle_chart(report.session.series, report.reps, report.exercise, settings.thresholds),
                        width="stretch")
        st.caption("Green band: deep enough to count. Red dashed lines: warnings.")
    stem = Path(result.name).stem or "review"
    st.subheader("Keep or share this review")
    cols = st.columns(2)
    cols[0].download_button("PDF report", result.pdf, f"{stem}.pdf", "application/pdf", key="dl_pdf",
                            help="A printable page for you or your physiotherapist.", width="stretch")
    cols[1].download_button("Table of reps (CSV)", to_csv(report), f"{stem}.csv", "text/csv", key="dl_csv",
                            help="Opens in a spreadsheet.", width="stretch")
    if result.annotated:
        cols[0].download_button("Video with drawings", result.annotated, f"{stem}.annotated.mp4", "video/mp4",
                                key="dl_video", width="stretch")
    cols[1].download_button("All data (JSON)", to_json(report), f"{stem}.json", "application/json",
                            key="dl_json", help="For other programs.", width="stretch")
    if result.session_id is not None:
        st.caption("Saved to your history.")
    elif result.not_saved:
        st.caption(result.not_saved)
