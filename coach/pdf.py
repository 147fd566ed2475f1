"""A printable PDF of a reviewed session (sets, reps, warnings and the angle chart), made with fpdf2.

The chart is drawn with PDF lines, so no image library or browser is needed. Text uses the core
Helvetica font; characters it cannot show are replaced by plain equivalents.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from fpdf import FPDF

from coach.exercises import spec_of
from coach.labels import (
    NO,
    YES,
    hold_sentence,
    measure_heading,
    measure_text,
    set_advice,
    table_measures,
    test_sentence,
    warning_words,
)
from coach.report import Report
from coach.session import SeriesPoint
from coach.thresholds import CounterThresholds, Thresholds, range_text

_PLAIN = {"–": "-", "—": "-", "→": "->", "’": "'", "‘": "'", "“": '"', "”": '"', "×": "x", "…": "..."}


def plain(text: str) -> str:
    """Text the core PDF fonts can show (Latin-1), with common typographic characters spelt plainly."""
    for a, b in _PLAIN.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


def report_pdf(report: Report, *, title: str = "Exercise review", thresholds: Thresholds | None = None) -> bytes:
    """The report as PDF bytes; the chart's counting band is the exercise's under `thresholds` (the ones the
    review used; default the standard ones) and its axis words are the exercise's (the registry's)."""
    spec = spec_of(report.exercise)
    band: CounterThresholds | None = spec.band(thresholds or Thresholds())
    signal_name = spec.signal_words
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 12, plain(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    ex = spec_of(report.exercise).name
    pdf.multi_cell(0, 7, plain(f"{ex.capitalize()}: {report.complete_reps} complete reps, filmed from the "
                               f"{report.session.analysis.view.value}, {report.video.duration_s:.0f} s of "
                               f"video."), new_x="LMARGIN", new_y="NEXT")
    _functional(pdf, report)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, "Sets", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    if not report.session.sets:
        pdf.cell(0, 7, "No complete set.", new_x="LMARGIN", new_y="NEXT")
    for s in report.session.sets:
        pdf.multi_cell(0, 7, plain(f"Set {s.index}: {s.reps} reps (target {range_text(s.target_min, s.target_max)}). "
                                   f"{set_advice(report.exercise, s.verdict)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _rep_table(pdf, report)
    if report.session.notices:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 15)
        pdf.cell(0, 9, "Notes", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        for n in report.session.notices:
            pdf.multi_cell(0, 7, plain("- " + n.message), new_x="LMARGIN", new_y="NEXT")
    if report.session.series:
        if pdf.get_y() > 190:
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 15)
        pdf.cell(0, 9, plain(f"{signal_name.capitalize()} over time"), new_x="LMARGIN", new_y="NEXT")
        draw_chart(pdf, report.session.series, [w.time_s for r in report.reps for w in r.warnings], band,
                   x=pdf.l_margin, y=pdf.get_y() + 2, w=pdf.epw, h=70)
    return bytes(pdf.output())


def _functional(pdf: FPDF, report: Report) -> None:
    """The test result and the holds, in words (balance and functional exercises only)."""
    analysis = report.session.analysis
    if analysis.test is None and not analysis.holds:
        return
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, "Test result" if analysis.test is not None else "Holds", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    if analysis.test is not None:
        pdf.multi_cell(0, 7, plain(test_sentence(analysis.test)), new_x="LMARGIN", new_y="NEXT")
    for hold in analysis.holds:
        pdf.multi_cell(0, 7, plain(hold_sentence(hold)), new_x="LMARGIN", new_y="NEXT")


def _rep_table(pdf: FPDF, report: Report) -> None:
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, "Reps", new_x="LMARGIN", new_y="NEXT")
    names = table_measures([r.metrics for r in report.reps])[:3]
    widths = [14, 24, 22, *([40] * len(names))]
    pdf.set_font("Helvetica", "B", 11)
    for text, w in zip(["Rep", "Time (s)", "Counted", *[measure_heading(n) for n in names]],
                       widths, strict=True):
        pdf.cell(w, 8, plain(text), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 11)
    for r in report.reps:
        cells = [str(r.index), f"{r.start_s:.1f}", YES if r.complete else NO,
                 *[measure_text(n, r.metrics.get(n)) for n in names]]
        for text, w in zip(cells, widths, strict=True):
            pdf.cell(w, 8, text, border=1)
        pdf.ln()
        for warn in r.warnings:
            pdf.set_text_color(170, 0, 0)
            pdf.multi_cell(0, 6, plain(f"   Warning ({warning_words(warn.kind).lower()}): {warn.message} {warn.cue}"),
                           new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
    if not report.reps:
        pdf.cell(0, 7, "No reps were seen.", new_x="LMARGIN", new_y="NEXT")


def draw_chart(pdf: FPDF, series: Sequence[SeriesPoint], warn_times: Sequence[float],
               band: CounterThresholds | None, *, x: float, y: float, w: float, h: float) -> None:
    """The depth signal as a polyline, the counting band shaded and warnings as red lines."""
    pts = [(p.time_s, p.signal_deg) for p in series if not math.isnan(p.signal_deg)]
    t0 = series[0].time_s
    t1 = max(series[-1].time_s, t0 + 1e-6)
    vmax = max([v for _, v in pts] + [band.depth_deg if band else 0.0, 10.0]) + 5.0
    vmin = min([v for _, v in pts] + [0.0])

    def px(t: float) -> float:
        return x + (t - t0) / (t1 - t0) * w

    def py(v: float) -> float:
        return y + h - (v - vmin) / (vmax - vmin) * h

    if band is not None:
        pdf.set_fill_color(215, 240, 220)
        pdf.rect(x, py(vmax), w, py(band.depth_deg) - py(vmax), style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.rect(x, y, w, h)
    pdf.set_draw_color(190, 0, 0)
    pdf.set_line_width(0.6)
    for t in warn_times:
        if not math.isnan(t):
            pdf.line(px(t), y, px(t), y + h)
    pdf.set_draw_color(11, 61, 145)
    pdf.set_line_width(0.5)
    step = max(1, len(pts) // 800)
    thin = pts[::step]
    for (ta, va), (tb, vb) in itertools.pairwise(thin):
        if tb - ta < 1.0:
            pdf.line(px(ta), py(va), px(tb), py(vb))
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(0, 0, 0)
    pdf.text(x, y + h + 4, f"{t0:.0f} s")
    pdf.text(x + w - 10, y + h + 4, f"{t1:.0f} s")
    pdf.text(x + 1, y + 4, plain(f"{vmax:.0f}°"))
    pdf.text(x + 1, y + h - 1, plain(f"{vmin:.0f}°"))
    pdf.set_y(y + h + 6)
    pdf.multi_cell(0, 5, "Green: deep enough to count a rep. Red lines: warnings.", new_x="LMARGIN", new_y="NEXT")
