"""Pure domain rules: enumerations, the maturity scale, readiness scoring, clause order."""

from __future__ import annotations

import re
from typing import Final

ASSESSMENT_STATUSES: Final = ("Compliant", "Partial", "Noncompliant", "NotApplicable")
NOT_ASSESSED: Final = "NotAssessed"

MATURITY_MIN: Final = 0
MATURITY_MAX: Final = 5
MATURITY_LEVELS: Final = {
    0: "Innocent",
    1: "Aware",
    2: "Developing",
    3: "Competent",
    4: "Optimizing",
    5: "Excellent",
}

# Readiness credit of a leaf clause's latest assessment; unassessed leaves score 0
# and NotApplicable leaves leave the denominator.
READINESS_SCORES: Final = {"Compliant": 1.0, "Partial": 0.5, "Noncompliant": 0.0}

CLAUSE_GROUPS: Final = ("4", "5", "6", "7", "8", "9", "10")

IDENTIFIER = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def is_identifier(value: str) -> bool:
    """Org ids and request ids: 1-64 characters of letters, digits, '.', '_' or '-'."""
    return bool(IDENTIFIER.match(value))


def clause_sort_key(clause_id: str) -> str:
    """Zero-padded key so that "4.2" sorts before "4.10" as text."""
    return ".".join(f"{int(part):03d}" for part in clause_id.split("."))


def clause_level(clause_id: str) -> int:
    return clause_id.count(".") + 1


def readiness_percent(score_sum: float, applicable: int) -> float:
    """Mean credit over applicable leaves as a percentage with one decimal."""
    if applicable <= 0:
        return 0.0
    return round(100.0 * score_sum / applicable, 1)


def maturity_name(level: int | None) -> str:
    return "Not rated" if level is None else f"{level} {MATURITY_LEVELS[level]}"
