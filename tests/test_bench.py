"""coach.bench and `coach bench`: the numbers are there and consistent (no timing assertions)."""

from __future__ import annotations

import json
import math

import pytest

from coach.bench import BenchResult, LiveResult, percentile_ms, trim_copy
from coach.cli import main
from coach.video import probe

REQUIRED_KEYS = {"bare_fps", "full_fps", "full_over_bare", "realtime_factor", "p50_ms", "p95_ms", "peak_rss_mb",
                 "frames", "width", "height"}


def test_percentile_ms():
    assert percentile_ms([0.010, 0.020, 0.030], 50) == pytest.approx(20.0)
    assert math.isnan(percentile_ms([], 95))


def test_json_has_the_required_keys_and_no_nan():
    result = BenchResult(bare_fps=50.0, full_fps=48.0, full_over_bare=50 / 48, realtime_factor=2.0, p50_ms=20.0,
                         p95_ms=25.0, peak_rss_mb=400.0, frames=100, width=1280, height=720,
                         live=LiveResult(30.0, 100, 90, 10, 27.0, 30.0, math.nan))
    data = result.to_json()
    assert REQUIRED_KEYS <= set(data)
    assert data["live"]["latency_p95_ms"] is None or isinstance(data["live"]["latency_p95_ms"], float)
    json.dumps(data, allow_nan=False)
    assert any("frames/s" in line for line in result.lines())


def test_trim_copy_keeps_the_first_seconds(tmp_path, make_clip):
    clip = make_clip("long.mp4", frames=60, fps=10.0)
    short = trim_copy(clip, 2.0, tmp_path)
    info = probe(short)
    assert (info.width, info.height) == (64, 48)
    assert 1.5 <= info.duration_s <= 4.5  # cut at the first key frame at or after 2 s


@pytest.mark.slow
def test_bench_cli_writes_json(tmp_path, make_clip, capsys):
    clip = make_clip("clip.mp4", frames=12, fps=10.0, width=160, height=120)
    out = tmp_path / "bench.json"
    assert main(["bench", str(clip), "--json", str(out), "--live", "--repeat", "3"]) == 0
    data = json.loads(out.read_text())
    assert REQUIRED_KEYS <= set(data)
    bare, full = data["bare_wall_s_runs"], data["full_wall_s_runs"]
    assert len(bare) == len(full) == 3
    assert data["full_over_bare"] == pytest.approx(sorted(full)[1] / sorted(bare)[1])  # medians of the runs
    assert data["frames"] == 12 and (data["width"], data["height"]) == (160, 120)
    assert data["bare_fps"] > 0 and data["full_fps"] > 0 and data["peak_rss_mb"] > 0
    assert data["live"]["offered"] == 12
    assert data["live"]["processed"] + data["live"]["dropped"] == 12
    printed = capsys.readouterr().out
    assert "full / bare" in printed and "real time" in printed and "medians of 3 runs" in printed


def test_bench_cli_bad_input_is_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert main(["bench", str(empty)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("coach: ")
    assert main(["bench", str(empty), "--repeat", "0"]) == 2
    assert capsys.readouterr().err.strip() == "coach: --repeat must be at least 1"


def test_bench_json_onto_its_video_is_refused_before_the_runs(tmp_path, make_clip, capsys, monkeypatch):
    import coach.batch_bench
    import coach.bench

    def ran(*args, **kwargs):
        raise AssertionError("the benchmark ran: its JSON would have replaced the video")

    monkeypatch.setattr(coach.bench, "run_bench", ran)
    monkeypatch.setattr(coach.batch_bench, "bench_batch", ran)
    clip = make_clip("clip.mp4", frames=4)
    before = clip.read_bytes()
    assert main(["bench", str(clip), "--json", str(clip)]) == 2
    assert capsys.readouterr().err == (f"coach: --json '{clip}' is the input '{clip}': choose another file name so "
                                       "nothing is overwritten\n")
    assert main(["bench", "--batch", str(tmp_path), "--no-ray", "--json", str(clip)]) == 2
    assert "is the input" in capsys.readouterr().err
    assert clip.read_bytes() == before
