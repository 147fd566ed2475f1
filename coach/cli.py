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
        if os.environ.get(DEBUG_ENV_VAR) == "1":
            raise
        print(f"coach: {one_line_error(exc)} (set {DEBUG_ENV_VAR}=1 for details)", file=sys.stderr)
        return 1


def one_line_error(exc: BaseException, limit: int = 300) -> str:
    """An unexpected exception as one short line: 'unexpected error (Type): message'."""
    text = " ".join(str(exc).split())[:limit]
    name = type(exc).__name__
    return f"unexpected error ({name}): {text}" if text else f"unexpected error ({name})"


if __name__ == "__main__":
    sys.exit(main())
