"""Module structure: every module imports on its own, there is no import cycle, and the report needs no PyAV."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for p in (ROOT / "coach").rglob("*.py"))


def _imports(module: str) -> set[str]:
    """The coach modules `module` imports (at any level of its file, also inside functions)."""
    path = ROOT / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            base = node.module
            names = [f"{base}.{a.name}" for a in node.names]
            out.update(n for n in [base, *names] if n in MODULES)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in MODULES)
    out.discard(module)
    return out


def _top_level_imports(module: str) -> set[str]:
    """The coach modules `module` imports when it is itself imported (module level, not inside functions)."""
    path = ROOT / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    out: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.update(n for n in [node.module, *(f"{node.module}.{a.name}" for a in node.names)] if n in MODULES)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in MODULES)
    out.discard(module)
    return out


def test_no_module_level_import_cycle() -> None:
    # A module's own packages are imported before it anyway (`from coach.synth import x` in coach.synth.y).
    graph = {m: {n for n in _top_level_imports(m) if not m.startswith(n + ".")} for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycle = [*stack[stack.index(n):], n]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in MODULES:
        if m not in state:
            visit(m)


def test_features_and_view_do_not_import_each_other() -> None:
    assert "coach.features" not in _imports("coach.view")


@pytest.mark.parametrize("module", [m for m in MODULES if not m.startswith("coach.ui")])
def test_each_module_imports_on_its_own(module: str) -> None:
    importlib.import_module(module)


def test_the_report_needs_no_video_library() -> None:
    code = "import sys, coach.report, coach.pdf; print('av' in sys.modules, 'mediapipe' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.stdout.split() == ["False", "False"]
