"""core/ must stay usable from the CLI, tests and workers: no web framework inside."""

from __future__ import annotations

import ast

from core.config import REPO_ROOT

FORBIDDEN = ("flask", "dash", "werkzeug", "flask_smorest", "marshmallow", "plotly")


def test_core_imports_no_web_framework() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(REPO_ROOT)}: {name}")
    assert offenders == []
