"""Command-line entry point: `coach review|synth|eval|bench`.

Each command lives in its own module exposing `register(subparsers)`, which adds a parser whose
default `func(args) -> int` runs the command and returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

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


if __name__ == "__main__":
    sys.exit(main())
