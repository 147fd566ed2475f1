"""Altair charts for the review and history pages (data prep is pure and tested)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from coach.exercises import spec_of
from coach.labels import warning_words
from coach.session import SeriesPoint
from coach.thresholds import Thresholds
from coach.types import Exercise, Rep

MAX_POINTS = 1500
AXIS: dict[str, Any] = {"labelFontSize": 18, "titleFontSize": 18, "labelColor": "#000", "titleColor": "#000",
                        "labelAngle": 0, "labelOverlap": "parity", "titleLimit": 0}
DARK_COLOURS = ["#0b3d91", "#a00000", "#145a32", "#5a2d82", "#7a4b00", "#000000"]
"""Line colours at least 3:1 against white (each line also has its own point shape)."""
LEGEND: dict[str, Any] = {"labelFontSize": 18, "labelColor": "#000", "labelLimit": 0, "symbolSize": 160}
"""Every chart's axes: large black words, read without tilting the head (dates level, thinned when crowded)."""


def series_frame(series: Sequence[SeriesPoint]) -> pd.DataFrame:
    """Time (s) and depth signal (deg), thinned to at most MAX_POINTS rows; NaN rows dropped."""
    step = max(1, math.ceil(len(series) / MAX_POINTS))
    rows = [{"time_s": p.time_s, "angle_deg": p.signal_deg} for p in series[::step] if not math.isnan(p.signal_deg)]
    return pd.DataFrame(rows, columns=["time_s", "angle_deg"])


def warning_frame(reps: Sequence[Rep]) -> pd.DataFrame:
    """One row per warning: time (s), rep, plain-words message."""
    rows = [{"time_s": w.time_s if not math.isnan(w.time_s) else r.start_s, "rep": r.index,
             "warning": warning_words(w.kind), "message": w.message}
            for r in reps for w in r.warnings]
    return pd.DataFrame(rows, columns=["time_s", "rep", "warning", "message"])


def angle_chart(series: Sequence[SeriesPoint], reps: Sequence[Rep], exercise: Exercise,
                thresholds: Thresholds | None = None) -> alt.LayerChart:
    """The depth angle over time, the counting band shaded, warnings as red rules."""
    data = series_frame(series)
    spec = spec_of(exercise)
    band = spec.band(thresholds)
    name = spec.signal_words
    top = max(float(data["angle_deg"].max()) if len(data) else 0.0, band.depth_deg) + 10.0
    t_end = float(data["time_s"].max()) if len(data) else 1.0
    band_df = pd.DataFrame([{"t0": 0.0, "t1": t_end, "y0": band.depth_deg, "y1": top,
                             "label": "deep enough to count"}])
    layers: list[Any] = [
        alt.Chart(band_df).mark_rect(opacity=0.15, color="#1a7f37").encode(
            x="t0:Q", x2="t1:Q", y="y0:Q", y2="y1:Q", tooltip=["label:N"]),
        alt.Chart(data).mark_line(strokeWidth=3, color="#0b3d91").encode(
            x=alt.X("time_s:Q", title="time (s)"), y=alt.Y("angle_deg:Q", title=name),
            tooltip=[alt.Tooltip("time_s:Q", format=".1f"), alt.Tooltip("angle_deg:Q", format=".0f")]),
    ]
    warn = warning_frame(reps)
    if len(warn):
        layers.append(alt.Chart(warn).mark_rule(color="#c00000", strokeWidth=3, strokeDash=[6, 3]).encode(
            x="time_s:Q", tooltip=["rep:Q", "warning:N", "message:N"]))
    return alt.layer(*layers).properties(height=320).configure_axis(**AXIS)


def weekly_chart(rows: Sequence[dict[str, Any]], target_min: int = 2, target_max: int = 3) -> alt.LayerChart:
    """Sessions per week as bars, with the 2–3 a week guidance band."""
    data = pd.DataFrame(rows, columns=["week", "sessions"])
    band = pd.DataFrame([{"y0": target_min, "y1": target_max}])
    bars = alt.Chart(data).mark_bar(color="#0b3d91").encode(
        x=alt.X("week:N", title="week starting"),
        y=alt.Y("sessions:Q", title="sessions", axis=alt.Axis(tickMinStep=1, format="d")))
    guide = alt.Chart(band).mark_rect(opacity=0.2, color="#1a7f37").encode(y="y0:Q", y2="y1:Q")
    return alt.layer(guide, bars).properties(height=260).configure_axis(**AXIS)


def over_time_chart(data: pd.DataFrame, x: str, y: str, series: str | None = None, *, line_at: float | None = None,
                    line_label: str = "", height: int = 260, whole: bool = True) -> alt.LayerChart:
    """A measure over the weeks (`x` a date column, `y` a number column), one line per `series` value with
    points that differ in shape as well as colour (a single result still shows), and an optional dashed
    line at `line_at` (a norm or a target) named `line_label`. `whole`: the measure is counted (ticks 1 apart
    at least, never 0.5 reps)."""
    axis = alt.Axis(tickMinStep=1) if whole else alt.Axis()
    enc: dict[str, Any] = {"x": alt.X(f"{x}:N", title=x), "y": alt.Y(f"{y}:Q", title=y, axis=axis),
                           "tooltip": [f"{x}:N", f"{y}:Q", *([f"{series}:N"] if series else [])]}
    if series:
        enc["color"] = alt.Color(f"{series}:N", scale=alt.Scale(range=DARK_COLOURS),
                                 legend=alt.Legend(orient="bottom", columns=1, title=None))
        enc["shape"] = alt.Shape(f"{series}:N", legend=None)
    layers: list[Any] = [alt.Chart(data).mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=140, filled=True))
                         .encode(**enc)]
    if line_at is not None:
        rule = pd.DataFrame([{"at": line_at, "label": line_label}])
        layers.append(alt.Chart(rule).mark_rule(color="#a00000", strokeWidth=2, strokeDash=[8, 4]).encode(
            y="at:Q", tooltip=["label:N"]))
        layers.append(alt.Chart(rule).mark_text(align="left", dy=-10, x=4, fontSize=18, color="#a00000").encode(
            y="at:Q", text="label:N"))
    lines = data[series].nunique() if series else 0  # the legend below takes a line each: the plot keeps its height
    return (alt.layer(*layers).properties(height=height + 34 * lines).configure_axis(**AXIS)
            .configure_legend(**LEGEND))
