"""Command-line entry point: `coach review|synth|eval|bench`.

Each command lives in its own module exposing `register(subparsers)`, which adds a parser whose
default `func(args) -> int` runs the command and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading

DEBUG_ENV_VAR = "COACH_DEBUG"
"""Set to 1 to see the full traceback of an unexpected error."""

_COMMAND_MODULES = (
    "coach.commands.review",
    "coach.commands.synth",
    "coach.commands.evaluate",
    "coach.commands.accuracy",
    "coach.commands.bench",
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available sub-command."""
    parser = argparse.ArgumentParser(prog="coach", description="Bone-safe exercise form coach.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C, so every temporary output is removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _stop_on_signals() -> dict[int, object]:
    """Turn SIGTERM and SIGHUP into `Stopped` (main thread only); returns the handlers they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (130 Ctrl-C, 128 + the signal for SIGTERM/SIGHUP)."""
    args = build_parser().parse_args(argv)
    _log_to_stderr()
    previous = _stop_on_signals()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
    except Stopped as stop:
        print(f"coach: stopped ({signal.Signals(stop.signum).name}); no half-written output was left",
              file=sys.stderr)
        return 128 + stop.signum
    except Exception as exc:  # never a traceback for the user; COACH_DEBUG=1 shows it
        expected = expected_error(exc)
        if expected is not None:
            message, code = expected
            print(f"coach: {message}", file=sys.stderr)
            return code
        if os.environ.get(DEBUG_ENV_VAR) == "1":
            raise
        print(f"coach: {one_line_error(exc)} (set {DEBUG_ENV_VAR}=1 for details)", file=sys.stderr)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


class _CoachLines(logging.StreamHandler):
    """The coach's warnings (e.g. the reader's "cut short" line) as `coach: …` lines on stderr."""


def _log_to_stderr() -> None:
    """Send the `coach` loggers' warnings to the current stderr, each line starting with `coach: `."""
    logger = logging.getLogger("coach")
    for old in [h for h in logger.handlers if isinstance(h, _CoachLines)]:
        logger.removeHandler(old)
    handler = _CoachLines(sys.stderr)
    handler.setFormatter(logging.Formatter("coach: %(message)s"))
    handler.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False


def expected_error(exc: BaseException) -> tuple[str, int] | None:
    """(one-line message, exit code) for the errors users cause: 2 bad input or file, 3 exercise not analyzed."""
    from coach.exercises import NotAnalyzedYet
    from coach.outputs import OutputError
    from coach.pose import ModelError
    from coach.video import VideoError

    if isinstance(exc, NotAnalyzedYet):
        return str(exc), 3
    if isinstance(exc, VideoError | ModelError | OutputError):
        return str(exc), 2
    if isinstance(exc, OSError):  # e.g. an output folder that is not writable, or a full disk
        where = f" ('{exc.filename}')" if exc.filename else ""
        return f"file error: {exc.strerror or exc}{where}", 2
    return None


def one_line_error(exc: BaseException, limit: int = 300) -> str:
    """An unexpected exception as one short line: 'unexpected error (Type): message'."""
    text = " ".join(str(exc).split())[:limit]
    name = type(exc).__name__
    return f"unexpected error ({name}): {text}" if text else f"unexpected error ({name})"


if __name__ == "__main__":
    sys.exit(main())
