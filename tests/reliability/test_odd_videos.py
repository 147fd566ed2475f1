"""Videos that decode but are unusual: truncated, one frame, GIF, 4K, rotated, variable frame rate.

The pose model is replaced by a ConstantEstimator (these tests are about decoding and the CLI);
the notice tests in test_notices.py run the real model.
"""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
from reliability_helpers import notices, run_cli

from coach.pipeline import MAX_SIDE_PX
from tests.media import write_gif


def _review_json(path: Path, tmp_path: Path, capsys, *extra: str) -> tuple[int, str, str, dict]:
    out_json = tmp_path / "report.json"
    rc, out, err = run_cli(["review", str(path), "-e", "squat", "-q", "--json", str(out_json), *extra], capsys)
    assert "Traceback" not in err
    data = json.loads(out_json.read_text()) if out_json.exists() else {}
    return rc, out, err, data


def test_truncated_mp4_reviews_what_decodes(tmp_path, capsys, make_clip, constant_estimator):
    full = make_clip("full.mp4", frames=120, fps=20.0, width=160, height=120)
    cut = tmp_path / "cut.mp4"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) * 6 // 10])  # faststart: moov first, so the media data is cut short
    rc, out, err, report = _review_json(cut, tmp_path, capsys)
    assert rc == 0, err
    kinds = notices(tmp_path / "report.json")
    assert "truncated" in kinds and "cut short" in kinds["truncated"]
    assert 0 < report["frames"]["total"] < 120
    assert "Note (video cut short)" in out


def test_one_frame_video(tmp_path, capsys, make_clip, constant_estimator):
    path = make_clip("one.mp4", frames=1)
    rc, _, err, report = _review_json(path, tmp_path, capsys)
    assert rc == 0, err
    assert report["frames"]["total"] == 1
    assert "no_reps" in {n["kind"] for n in report["notices"]} or report["reps"] == []


def test_gif(tmp_path, capsys, constant_estimator):
    path = write_gif(tmp_path / "loop.gif", frames=12)
    rc, _, err, report = _review_json(path, tmp_path, capsys)
    assert rc == 0, err
    assert report["frames"]["total"] == 12


def test_4k_is_scaled_down_before_pose(tmp_path, capsys, make_clip, constant_estimator):
    path = make_clip("uhd.mp4", frames=3, fps=10.0, width=3840, height=2160)
    rc, _, err, report = _review_json(path, tmp_path, capsys)
    assert rc == 0, err
    assert (report["video"]["width"], report["video"]["height"]) == (3840, 2160)
    assert constant_estimator.sizes and all(max(w, h) <= MAX_SIDE_PX for w, h in constant_estimator.sizes)
    assert constant_estimator.sizes[0] == (1280, 720)


def test_rotated_phone_clip_is_upright(tmp_path, capsys, constant_estimator):
    path = tmp_path / "phone.mp4"
    coded = np.zeros((48, 64, 3), np.uint8)  # landscape as coded; the display matrix turns it to portrait
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.set_display_rotation(90)
        for _ in range(5):
            for packet in stream.encode(av.VideoFrame.from_ndarray(coded, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    rc, _, err, report = _review_json(path, tmp_path, capsys)
    assert rc == 0, err
    assert report["video"]["rotation_deg"] == 90
    assert (report["video"]["width"], report["video"]["height"]) == (48, 64)
    assert constant_estimator.sizes[0] == (48, 64)


def test_variable_frame_rate_keeps_timestamps(tmp_path, capsys, make_clip, constant_estimator):
    from coach.pipeline import ANALYSIS_MAX_FPS

    times = [0.0, 0.04, 0.08, 0.2, 0.25, 0.5, 0.52, 0.9, 1.0, 1.6]
    path = make_clip("vfr.mp4", timestamps=times)
    rc, _, err, report = _review_json(path, tmp_path, capsys)
    assert rc == 0, err
    # Pose runs on the real timestamps; the analysis rate cap (15/s: one frame per 1/15 s = 0.067 s) skips
    # 0.04 s (0.04 after 0.0), 0.25 s (0.05 after 0.2) and 0.52 s (0.02 after 0.5).
    assert ANALYSIS_MAX_FPS == 15.0
    analysed = [t for t in times if t not in (0.04, 0.25, 0.52)]
    assert np.allclose(constant_estimator.calls, analysed, atol=0.002)
    assert report["frames"]["total"] == len(analysed)
