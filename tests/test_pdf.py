"""PDF report: a readable document with sets, reps, warnings and a drawn chart."""

from __future__ import annotations

import dataclasses
import re
import zlib
from pathlib import Path

from coach.calibration import Neutral
from coach.exercises import AnalysisResult, spec_of
from coach.pdf import plain, report_pdf
from coach.report import Report
from coach.session import SeriesPoint, SessionResult, SetSummary, SetVerdict
from coach.thresholds import Thresholds
from coach.types import (
    Exercise,
    FormWarning,
    FunctionalTest,
    Hold,
    HoldEnd,
    Notice,
    NoticeKind,
    Rep,
    Stance,
    Verdict,
    View,
    WarningKind,
)
from coach.videoinfo import VideoInfo


def make_report(with_series: bool = True) -> Report:
    warn = FormWarning(WarningKind.SPINAL_FLEXION, 2.0, 31.0, 20.0, "deg", "Your back rounded about 31° beyond "
                       "your neutral.", "Keep your chest proud – sit back.")
    reps = (Rep(1, 1.0, 3.0, True, metrics={"knee_flexion_deg": 95.0}, warnings=(warn,)),
            Rep(2, 4.0, 6.0, True, metrics={"knee_flexion_deg": 88.0}))
    analysis = AnalysisResult(Exercise.SQUAT, reps, View.SIDE, (), Neutral())
    series = tuple(SeriesPoint(i / 10, 45 + 45 * ((i % 30) / 30), {}, 0) for i in range(70)) if with_series else ()
    session = SessionResult(analysis, (SetSummary(1, 1.0, 6.0, 2, 8, 12, SetVerdict.BELOW),),
                            (Notice(NoticeKind.TOO_DARK, "The video is very dark."),), 70, 70, series)
    info = VideoInfo(path=Path("x.mp4"), duration_s=7.0, fps=10.0, width=64, height=48, rotation_deg=0,
                     frame_count=70, codec="h264")
    return Report(info, Exercise.SQUAT, session)


def pdf_text(data: bytes) -> bytes:
    """The PDF's page text (fpdf2 compresses page streams by default)."""
    return b"".join(zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S)
                    if m[:1] == b"x")


def test_pdf_is_a_pdf_with_the_content() -> None:
    data = report_pdf(make_report(), title="Review of clip.mp4", thresholds=Thresholds())
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 1500
    text = pdf_text(data)
    assert b"Test result" not in text and b"Holds" not in text
    for needle in (b"Set 1: 2 reps", b"Your back rounded", b"The video is very dark", b"Reps"):
        assert needle in text, needle
    # The chart is named by the exercise (the registry's words), whoever makes the PDF (app, CLI, batch).
    words = spec_of(make_report().exercise).signal_words.capitalize()  # "Knee bend (°)"; PDF escapes brackets
    assert f"{words} over time".replace("(", "\\(").replace(")", "\\)").encode("latin-1") in text
    assert b"Angle (deg)" not in text


def test_pdf_without_series_or_reps() -> None:
    r = make_report(with_series=False)
    assert report_pdf(r).startswith(b"%PDF-")


def test_plain_spells_out_typographic_characters() -> None:
    assert plain("8–12 × 2 → ok …") == "8-12 x 2 -> ok ..."
    assert plain("45°") == "45°"
    assert plain("日本") == "??"


def test_pdf_gives_the_test_result_and_the_holds_in_words() -> None:
    base = make_report(with_series=False)
    test = FunctionalTest("balance_test", 2, "stages", None, Verdict.HIGHER_FALL_RISK)
    holds = (Hold(1, Stance.SIDE_BY_SIDE, None, 1.0, 11.0, HoldEnd.TARGET_REACHED),
             Hold(2, Stance.TANDEM, None, 12.0, 16.2, HoldEnd.STEPPED))
    analysis = dataclasses.replace(base.session.analysis, exercise=Exercise.BALANCE_TEST, reps=(), holds=holds,
                                   test=test)
    report = dataclasses.replace(base, exercise=Exercise.BALANCE_TEST,
                                 session=dataclasses.replace(base.session, analysis=analysis, sets=()))
    text = pdf_text(report_pdf(report))
    for needle in (b"Test result", b"4-stage balance test: 2 stages held. A higher risk of falling",
                   b"Hold 2: one foot in front of the other, heel to toe, 4.2 s. A foot moved."):
        assert needle in text, needle


JARGON = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|(?i:hip flexion|lean back|spinal flexion|trunk from vertical)|-0 deg|"
                    r"\bTrue\b|\bFalse\b|\bNone\b|\bnan\b")
"""What a person and their physiotherapist should never read: variable names, anatomy jargon, "-0 deg", True."""


def test_the_pdf_and_the_csv_are_written_for_the_person() -> None:
    from coach.report import to_csv

    report = make_report()
    text = pdf_text(report_pdf(report, title="Review of clip.mp4", thresholds=Thresholds()))
    words = b" ".join(re.findall(rb"\((.*?)\)\s*Tj", text)).decode("latin-1")
    assert "Back rounding" in words or "back rounded" in words.lower()
    assert not JARGON.findall(words), JARGON.findall(words)
    table = to_csv(report)
    head, *rows = table.splitlines()
    assert head.startswith("Rep,Start (s),End (s),Counted") and "Knee bend" in head
    assert not JARGON.findall(table), JARGON.findall(table)
    assert rows[0].split(",")[3] == "yes"
