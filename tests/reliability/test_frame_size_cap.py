"""A decompression bomb (#19 item 8): frames larger than 8K are refused from the header, before decoding."""

from __future__ import annotations

import subprocess
import sys

from reliability_helpers import assert_one_line_error, run_cli

from coach.video import MAX_FRAME_PIXELS, VideoReader
from tests.media import write_huge_frame_header

MESSAGE = "'huge.mov' has frames of 16000×16000 pixels, larger than the coach reads"


def test_frames_over_8k_are_refused_with_one_line(tmp_path, capsys):
    path = write_huge_frame_header(tmp_path / "huge.mov")
    assert path.stat().st_size < 10_000
    rc, _, err = run_cli(["review", str(path), "-e", "squat", "-q"], capsys)
    line = assert_one_line_error(rc, err)
    assert MESSAGE in line


def test_8k_itself_is_read(tmp_path):
    path = write_huge_frame_header(tmp_path / "uhd.mov", side_px=4320)  # 4320 × 4320 < 7680 × 4320
    assert 4320 * 4320 <= MAX_FRAME_PIXELS
    try:
        with VideoReader(path, max_side_px=640) as reader:
            list(reader)
    except Exception as exc:  # the patched JPEG data does not decode; the point is that it is not refused
        assert "larger than the coach reads" not in str(exc)


CHILD = """
import sys
from coach.bench import peak_rss_mb
from coach.cli import main
rc = main(sys.argv[1:])
print(int(peak_rss_mb()))  # this process's own peak resident memory, MiB
sys.exit(rc)
"""


def test_the_refusal_happens_before_decoding_memory_stays_low(tmp_path):
    path = write_huge_frame_header(tmp_path / "huge.mov")
    proc = subprocess.run([sys.executable, "-c", CHILD, "review", str(path), "-e", "squat", "-q"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert MESSAGE in proc.stderr and "Traceback" not in proc.stderr
    peak_mib = int(proc.stdout.split()[-1])
    assert peak_mib < 400, f"peak {peak_mib} MiB"  # one 16000 × 16000 RGB frame alone is 732 MiB
