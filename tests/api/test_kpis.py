"""KPI numbers against an independent calculation on a known data set."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.db import Database
from core.models import Assessment, Audit, Nonconformity
from core.queries.periods import months_between

AS_OF = date(2026, 6, 15)
SEVERITIES = ("Minor", "Major", "Critical")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 30, tzinfo=UTC)


def tracked(org: str, day: date) -> dict[str, Any]:
    return {"org_id": org, "created_at": at(day), "updated_at": at(day), "version": 1}


@pytest.fixture
def known(database: Database) -> list[dict[str, Any]]:
    """150 nonconformities over 2025-26 in 'acme', 20 in 'other', plus audits, assessments."""
    rng = random.Random(4)
    rows: list[dict[str, Any]] = []
    with database.session() as session:
        for org, count in (("acme", 150), ("other", 20)):
            for _ in range(count):
                created = date(2025, 1, 1) + timedelta(days=rng.randint(0, 520))
                status = rng.choice(("Open", "InProgress", "Closed"))
                closed = (
                    created + timedelta(days=rng.randint(0, 90)) if status == "Closed" else None
                )
                row = {
                    "org": org,
                    "created": created,
                    "severity": rng.choice(SEVERITIES),
                    "status": status,
                    "due": created + timedelta(days=rng.choice((10, 30, 60, 400))),
                    "closed": closed,
                }
                rows.append(row)
                session.add(
                    Nonconformity(
                        **tracked(org, created),
                        description="x",
                        severity=row["severity"],
                        status=status,
                        state="Closed" if status == "Closed" else "Action",
                        due_date=row["due"],
                        closed_date=closed,
                    )
                )
            for index, status in enumerate(("Planned", "Completed", "Completed", "Cancelled")):
                session.add(
                    Audit(
                        **tracked(org, date(2025, 3 + index, 1)),
                        title="a",
                        status=status,
                        scope_clause_ids=[],
                    )
                )
            for index, status in enumerate(("Compliant", "Partial", "Partial")):
                session.add(
                    Assessment(
                        **tracked(org, date(2025, 5, 1 + index)), clause_id="4.1", status=status
                    )
                )
        session.commit()
    return rows


def acme(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if row["org"] == "acme"]


ACME = {"X-Org-ID": "acme"}


def test_overview_counts(client: FlaskClient, known: list[dict[str, Any]]) -> None:
    body = client.get(f"/kpi/overview?as_of={AS_OF}", headers=ACME).json
    mine = acme(known)
    ncs = body["nonconformities"]
    assert ncs["total"] == 150
    assert ncs["by_status"] == {
        s: sum(r["status"] == s for r in mine) for s in ("Open", "InProgress", "Closed")
    }
    assert ncs["by_severity"] == {s: sum(r["severity"] == s for r in mine) for s in SEVERITIES}
    assert ncs["overdue"] == sum(r["status"] != "Closed" and r["due"] < AS_OF for r in mine)
    assert body["audits"] == {
        "total": 4,
        "by_status": {"Planned": 1, "InProgress": 0, "Completed": 2, "Cancelled": 1},
    }
    assert body["assessments"]["by_status"] == {
        "Compliant": 1,
        "Partial": 2,
        "Noncompliant": 0,
        "NotApplicable": 0,
    }
    assert body["readiness"]["percent"] == round(100 * 0.5 / 38, 1)
    assert set(body["readiness"]["by_clause_group"]) == {"4", "5", "6", "7", "8", "9", "10"}
    assert body["generated_at"].endswith("+00:00")


def test_overview_date_window_and_as_of(client: FlaskClient, known: list[dict[str, Any]]) -> None:
    start, end, as_of = date(2025, 4, 1), date(2025, 9, 30), date(2025, 8, 1)
    body = client.get(
        f"/v1/kpi/overview?created_from={start}&created_to={end}&as_of={as_of}", headers=ACME
    ).json
    window = [r for r in acme(known) if start <= r["created"] <= end]
    assert body["nonconformities"]["total"] == len(window)
    assert body["nonconformities"]["overdue"] == sum(
        r["status"] != "Closed" and r["due"] < as_of for r in window
    )
    assert body["audits"]["total"] == 3  # April, May, June
    bad = client.get("/kpi/overview?created_from=2025-05-01&created_to=2025-04-01")
    assert bad.status_code == 422 and "created_to" in bad.json["message"]


def test_empty_organisation_lists_every_value_as_zero(client: FlaskClient, known: Any) -> None:
    body = client.get("/kpi/overview", headers={"X-Org-ID": "nobody"}).json
    assert body["nonconformities"] == {
        "total": 0,
        "overdue": 0,
        "by_status": {"Open": 0, "InProgress": 0, "Closed": 0},
        "by_severity": {"Minor": 0, "Major": 0, "Critical": 0},
    }
    assert body["audits"]["by_status"] == dict.fromkeys(
        ("Planned", "InProgress", "Completed", "Cancelled"), 0
    )


@pytest.mark.parametrize("severity", [None, "Major"])
def test_trends_match_an_independent_count(
    client: FlaskClient, known: list[dict[str, Any]], severity: str | None
) -> None:
    start, end = date(2024, 11, 1), date(2026, 8, 31)
    query = f"from_date={start}&to_date={end}" + (f"&severity={severity}" if severity else "")
    body = client.get(f"/kpi/nc_trends?{query}", headers=ACME).json
    rows = [r for r in acme(known) if severity in (None, r["severity"])]
    assert body["months"] == months_between(start, end) and len(body["months"]) == 22
    opened = Counter(f"{r['created']:%Y-%m}" for r in rows)
    closed = Counter(f"{r['closed']:%Y-%m}" for r in rows if r["closed"])
    assert body["opened"] == {m: opened.get(m, 0) for m in body["months"]}
    assert body["closed"] == {m: closed.get(m, 0) for m in body["months"]}
    assert body["opened"]["2024-11"] == 0 and body["opened"]["2026-08"] == 0  # zero months


def test_trends_default_to_the_last_twelve_months(client: FlaskClient) -> None:
    body = client.get("/kpi/nc_trends").json
    today = datetime.now(UTC).date()
    assert len(body["months"]) == 12 and body["months"][-1] == f"{today:%Y-%m}"
    assert set(body["opened"].values()) == {0}
    assert client.get("/kpi/nc_trends?from_date=2026-05-01&to_date=2026-01-01").status_code == 422
    assert client.get("/kpi/nc_trends?severity=Huge").status_code == 422
    assert client.get("/kpi/nc_trends?from_date=1900-01-01&to_date=2026-01-01").status_code == 422


@pytest.mark.parametrize("days", [0, 30, 200])
def test_overdue_list(client: FlaskClient, known: list[dict[str, Any]], days: int) -> None:
    body = client.get(
        f"/kpi/overdue_nonconformities?as_of={AS_OF}&days={days}&limit=200", headers=ACME
    ).json
    expected = sorted(
        (
            (AS_OF - r["due"]).days
            for r in acme(known)
            if r["status"] != "Closed" and r["due"] < AS_OF and (AS_OF - r["due"]).days >= days
        ),
        reverse=True,
    )
    assert body["count"] == len(expected)
    assert [item["days_overdue"] for item in body["items"]] == expected
    assert all(item["status"] != "Closed" for item in body["items"])
    assert client.get("/kpi/overdue_nonconformities?days=-1").status_code == 422


def test_kpis_are_isolated_by_organisation(
    client: FlaskClient, known: list[dict[str, Any]]
) -> None:
    other = [r for r in known if r["org"] == "other"]
    body = client.get(f"/kpi/overview?as_of={AS_OF}", headers={"X-Org-ID": "other"}).json
    assert body["nonconformities"]["total"] == len(other) == 20
    trends = client.get(
        "/kpi/nc_trends?from_date=2025-01-01&to_date=2026-06-30", headers={"X-Org-ID": "other"}
    ).json
    assert sum(trends["opened"].values()) == 20
    overdue = client.get(
        f"/kpi/overdue_nonconformities?as_of={AS_OF}", headers={"X-Org-ID": "other"}
    ).json
    assert overdue["count"] == sum(r["status"] != "Closed" and r["due"] < AS_OF for r in other)


def test_readiness_route(client: FlaskClient, known: Any) -> None:
    body = client.get("/kpi/readiness", headers=ACME).json
    assert body["applicable"] == 38 and body["assessed"] == 1
    assert body["by_clause_group"]["4"]["percent"] == round(100 * 0.5 / 7, 1)
