"""Command-line entry point: `coach review|synth|eval|bench`.

Each command lives in its own module exposing `register(subparsers)`, which adds a parser whose
default `func(args) -> int` runs the command and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return 130
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
