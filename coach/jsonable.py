"""JSON-ready values: NaN (a measure that could not be taken) becomes null."""

from __future__ import annotations

import math
from typing import Any


def nan_to_none(value: Any) -> Any:
    """`value` with every NaN float, also inside dicts, lists and tuples, replaced by None."""
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {k: nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [nan_to_none(v) for v in value]
    return value
