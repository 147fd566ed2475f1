"""Size limits that keep the code readable: no class over 300 lines, no function over 80, anywhere in coach/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "coach"
MAX_CLASS_LINES = 300
MAX_FUNCTION_LINES = 80


def _oversized(root: Path = ROOT) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            limit = (MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else
                     MAX_FUNCTION_LINES if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None)
            if limit is not None and (node.end_lineno or node.lineno) - node.lineno + 1 > limit:
                out.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name}")  # type: ignore[attr-defined]
    return out


def test_no_class_over_300_lines_and_no_function_over_80() -> None:
    assert _oversized() == []


def test_the_check_finds_a_long_function_and_a_long_class(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(f"def short():\n    pass\n\n\ndef f():\n{body}\n\n\nclass C:\n"
                                          + "\n".join(f"    y{i} = {i}" for i in range(MAX_CLASS_LINES)) + "\n")
    assert _oversized(tmp_path / "pkg") == ["pkg/m.py:5 f", "pkg/m.py:88 C"]
