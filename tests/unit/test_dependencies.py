"""The dependency rule between the top-level packages, read from the imports.

core/ is framework-free (usable from the CLI, tests and workers); web/ is what both
doors share and knows neither; api/ and dashboard/ never import each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import REPO_ROOT

WEB_FRAMEWORKS = ("flask", "dash", "werkzeug", "flask_smorest", "marshmallow", "plotly")
# package -> the top-level names it must never import
FORBIDDEN = {
    "core": (*WEB_FRAMEWORKS, "web", "api", "dashboard", "server"),
    "web": ("api", "dashboard", "server", "dash"),
    "api": ("dashboard", "server"),
    "dashboard": ("api", "server"),
}


def imported_modules(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_packages_import_only_what_the_layers_allow(package: str) -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {module}"
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert offenders == []


def test_the_rule_is_checked_on_real_imports() -> None:
    found = {module.split(".")[0] for module in imported_modules(REPO_ROOT / "server.py")}
    assert {"api", "web", "core"} <= found
