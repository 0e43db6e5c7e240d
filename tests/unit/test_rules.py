from __future__ import annotations

import pytest

from core.caller import Caller
from core.rules import (
    clause_level,
    clause_sort_key,
    is_identifier,
    maturity_name,
    readiness_percent,
)


def test_clause_order_is_natural() -> None:
    ids = ["4.10", "10", "4.2", "4", "4.5.1", "9.3.3", "4.5"]
    assert sorted(ids, key=clause_sort_key) == ["4", "4.2", "4.5", "4.5.1", "4.10", "9.3.3", "10"]
    assert [clause_level(i) for i in ("4", "4.5", "4.5.1")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("score", "applicable", "expected"),
    [(0, 0, 0.0), (1.5, 6, 25.0), (2.5, 37, 6.8), (3, 3, 100.0)],
)
def test_readiness_percent(score: float, applicable: int, expected: float) -> None:
    assert readiness_percent(score, applicable) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("acme", True),
        ("a.b_c-9", True),
        ("x" * 64, True),
        ("", False),
        ("x" * 65, False),
        ("a b", False),
        ("a/b", False),
        ("ünï", False),
        ("acme\n", False),
    ],
)
def test_identifiers(value: str, ok: bool) -> None:
    assert is_identifier(value) is ok


def test_roles_are_ordered() -> None:
    assert Caller("o", role="platform-admin").has_role("admin")
    assert not Caller("o", role="admin").has_role("platform-admin")
    assert Caller("o", role="admin").has_role("editor")
    assert Caller("o", role="editor").has_role("viewer")
    assert not Caller("o", role="viewer").has_role("editor")


def test_maturity_names() -> None:
    assert maturity_name(None) == "Not rated"
    assert maturity_name(3) == "3 Competent"
