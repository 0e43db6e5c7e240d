"""Readiness and the heatmap's cells against an independent calculation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import Database
from core.models import Assessment
from core.queries.clause_status import clause_statuses
from core.queries.readiness import readiness

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def add(
    database: Database,
    org: str,
    clause: str,
    status: str,
    *,
    at: int,
    maturity: int | None = None,
    target: int | None = None,
    owner: str | None = None,
) -> None:
    with database.session() as session:
        session.add(
            Assessment(
                org_id=org,
                clause_id=clause,
                status=status,
                maturity=maturity,
                target_maturity=target,
                owner=owner,
                created_at=T0 + timedelta(days=at),
                updated_at=T0 + timedelta(days=at),
            )
        )
        session.commit()


def test_empty_organisation_is_zero_ready(database: Database) -> None:
    result = readiness(database, "nobody")
    assert result.percent == 0.0 and result.assessed == 0 and result.applicable == 38
    assert [g.group_id for g in result.groups] == ["4", "5", "6", "7", "8", "9", "10"]
    assert [g.applicable for g in result.groups] == [7, 3, 7, 9, 3, 6, 3]


def test_latest_assessment_counts_and_not_applicable_leaves_the_denominator(
    database: Database,
) -> None:
    add(database, "acme", "4.1", "Noncompliant", at=1, maturity=1, target=3)
    add(database, "acme", "4.1", "Compliant", at=5, maturity=3, target=4)  # latest wins
    add(database, "acme", "4.2", "Partial", at=2, maturity=2, target=4)
    add(database, "acme", "4.3", "NotApplicable", at=2)
    add(database, "acme", "5.1", "Compliant", at=3, maturity=4, target=4)
    add(database, "acme", "5.2", "Compliant", at=9)
    add(database, "acme", "5.2", "Noncompliant", at=9)  # same time: higher id wins
    add(database, "other", "4.2", "Compliant", at=1)  # another org never counts

    result = readiness(database, "acme")
    groups = {g.group_id: g for g in result.groups}
    # Group 4: 7 leaves, 4.3 not applicable -> 6 applicable; 4.1 = 1, 4.2 = 0.5.
    assert groups["4"].applicable == 6 and groups["4"].assessed == 2
    assert groups["4"].percent == round(100 * 1.5 / 6, 1)
    assert groups["4"].current_maturity == 2.5 and groups["4"].target_maturity == 4.0
    # Group 5: 3 leaves, 5.1 = 1, 5.2 latest Noncompliant = 0.
    assert groups["5"].percent == round(100 * 1 / 3, 1) and groups["5"].assessed == 2
    assert groups["6"].percent == 0.0 and groups["6"].current_maturity is None
    assert result.applicable == 37 and result.assessed == 4
    assert result.percent == round(100 * 2.5 / 37, 1)


def test_heatmap_cells_carry_latest_status_maturity_and_owner(database: Database) -> None:
    add(database, "acme", "6.2.1", "Partial", at=1, maturity=2, target=4, owner="old")
    add(database, "acme", "6.2.1", "Compliant", at=2, maturity=3, target=4, owner="ana")
    cells = clause_statuses(database, "acme")
    assert len(cells) == 38
    by_id = {cell.clause_id: cell for cell in cells}
    samp = by_id["6.2.1"]
    assert (samp.status, samp.maturity, samp.target_maturity, samp.owner) == (
        "Compliant",
        3,
        4,
        "ana",
    )
    assert samp.group_id == "6" and samp.group_title == "Planning"
    assert by_id["4.1"].status is None
    assert clause_statuses(database, "other")[0].status is None
