"""CLI sub-commands, one module each."""

from __future__ import annotations


def exercise_choices() -> list[str]:
    """The `--exercise` values: the exercise registry's, in its order (`coach.exercises.REGISTRY`)."""
    from coach.exercises import REGISTRY

    return [e.value for e in REGISTRY]
