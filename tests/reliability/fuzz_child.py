"""Child process of test_fuzz.py: review each file given on stdin (one path a line) in-process with a model-free
estimator (every third with an annotated copy) and print one JSON line per file: exit code, stderr lines,
whether a JSON report was written, seconds.
A file that takes longer than FUZZ_CASE_TIMEOUT_S is recorded as a hang (SIGALRM). Last line: peak memory, MiB."""

from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reliability_helpers import ConstantEstimator

import coach.pose
from coach.bench import peak_rss_mb
from coach.cli import main

FUZZ_CASE_TIMEOUT_S = 30
ANNOTATED_EVERY = 3
"""Every third file is also written as an annotated copy."""


class Hang(BaseException):
    """A case ran past FUZZ_CASE_TIMEOUT_S."""


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def run_case(path: Path, annotated: bool) -> dict[str, object]:
    """Review one file (with an annotated copy when asked); what the user would see."""
    out_json = path.with_suffix(".report.json")
    extra = ["--annotated", str(path.with_suffix(".annotated.mp4"))] if annotated else []
    err = io.StringIO()
    start = time.monotonic()
    signal.alarm(FUZZ_CASE_TIMEOUT_S)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rc: int | str = main(["review", str(path), "-e", "squat", "-q", "--json", str(out_json), *extra])
    except Hang:
        rc = "hang"
    except BaseException as exc:
        rc = f"raised {type(exc).__name__}: {exc}"
    finally:
        signal.alarm(0)
    report_ok = False
    if out_json.exists():
        with contextlib.suppress(ValueError):
            report_ok = "reps" in json.loads(out_json.read_text())
        out_json.unlink()
    path.with_suffix(".annotated.mp4").unlink(missing_ok=True)
    return {"path": path.name, "rc": rc, "err": [ln for ln in err.getvalue().splitlines() if ln.strip()],
            "report": report_ok, "s": round(time.monotonic() - start, 2)}


def run() -> None:
    """Review every path on stdin, then print the peak memory."""
    coach.pose.review_estimator = lambda with_mask=True, track_one=None: ConstantEstimator()  # type: ignore
    signal.signal(signal.SIGALRM, _alarm)
    for i, line in enumerate(sys.stdin):
        if line.strip():
            print(json.dumps(run_case(Path(line.strip()), annotated=i % ANNOTATED_EVERY == 0)), flush=True)
    print(json.dumps({"peak_mib": int(peak_rss_mb())}), flush=True)


if __name__ == "__main__":
    run()
