"""Organisation settings, readiness with blockers and the adjusted figure, strict CAPA."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from core.db import Database
from core.models import ChangeRecord, Nonconformity
from core.rules import readiness_percent

TODAY = datetime.now(UTC).date()
ORG = "northshire-water"
HEADERS = {"X-Org-ID": ORG}


@pytest.fixture
def org(client: FlaskClient) -> str:
    created = client.post("/v1/orgs", json={"id": ORG, "name": "Northshire Water"})
    assert created.status_code == 201, created.json
    return ORG


def _patch(client: FlaskClient, body: dict[str, Any]) -> Any:
    return client.patch(f"/v1/orgs/{ORG}", json=body, headers=HEADERS)


def test_settings_have_defaults_and_change_one_at_a_time(client: FlaskClient, org: str) -> None:
    found = client.get(f"/v1/orgs/{org}", headers=HEADERS).json
    assert found["settings"] == {
        "certification_date": None,
        "readiness_target": 80,
        "capa_strict": False,
    }
    changed = _patch(client, {"settings": {"certification_date": "2027-03-15"}})
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "Northshire Water"
    assert changed.json["settings"] == {
        "certification_date": "2027-03-15",
        "readiness_target": 80,
        "capa_strict": False,
    }
    both = _patch(client, {"name": "Northshire Water plc", "settings": {"readiness_target": 90}})
    assert both.json["name"] == "Northshire Water plc"
    assert both.json["settings"]["readiness_target"] == 90
    assert both.json["settings"]["certification_date"] == "2027-03-15"
    cleared = _patch(client, {"settings": {"certification_date": None, "capa_strict": True}})
    assert cleared.json["settings"] == {
        "certification_date": None,
        "readiness_target": 90,
        "capa_strict": True,
    }
    history = client.get(f"/history?entity=organization&entity_id={org}", headers=HEADERS).json
    assert [row["action"] for row in history] == ["create", "update", "update", "update"]
    assert history[-1]["after"]["settings"]["capa_strict"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"readiness_target": 101}, "readiness_target"),
        ({"readiness_target": -1}, "readiness_target"),
        ({"readiness_target": 80.5}, "readiness_target"),
        ({"capa_strict": "yes"}, "capa_strict"),
        ({"certification_date": "2027-02-30"}, "certification_date"),
        ({"currency": "EUR"}, "currency"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    client: FlaskClient, org: str, change: dict[str, Any], field: str
) -> None:
    refused = _patch(client, {"settings": change})
    assert refused.status_code == 422, refused.json
    assert field in refused.json["errors"]["json"]["settings"]
    assert client.get(f"/v1/orgs/{org}", headers=HEADERS).json["settings"]["readiness_target"] == 80


def test_a_patch_naming_nothing_is_refused(client: FlaskClient, org: str) -> None:
    answer = _patch(client, {})
    assert answer.status_code == 422
    assert answer.json["message"] == "The request names no field to change"


def _assess(client: FlaskClient, clause_id: str, status: str) -> None:
    answer = client.post(
        "/assessments", json={"clause_id": clause_id, "status": status}, headers=HEADERS
    )
    assert answer.status_code == 201, answer.json


def _finding(client: FlaskClient, clause_id: str, severity: str, **extra: Any) -> int:
    answer = client.post(
        "/nonconformities",
        json={
            "description": f"{severity} on {clause_id}",
            "severity": severity,
            "clause_id": clause_id,
            **extra,
        },
        headers=HEADERS,
    )
    assert answer.status_code == 201, answer.json
    return int(answer.json["id"])


def test_readiness_lists_blockers_and_adjusts_for_them(client: FlaskClient, org: str) -> None:
    _assess(client, "6.2.1", "Compliant")
    _assess(client, "9.1", "Compliant")
    _assess(client, "10.2", "Compliant")
    _assess(client, "8.1", "Partial")
    late = (TODAY - timedelta(days=3)).isoformat()
    soon = (TODAY + timedelta(days=10)).isoformat()
    tenth = _finding(client, "10.2", "Critical", due_date=late)
    sixth = _finding(client, "6.2.1", "Major", due_date=soon)
    sixth_again = _finding(client, "6.2.1", "Critical")
    partial = _finding(client, "8.1", "Major")  # a blocked Partial still scores 0.5
    _finding(client, "9.1", "Minor")  # minor findings do not block
    _finding(client, "9", "Major")  # nor findings on a group heading
    closed = _finding(client, "7.2", "Major")
    client.patch(f"/nonconformities/{closed}", json={"status": "Closed"}, headers=HEADERS)
    _patch(
        client,
        {
            "settings": {
                "certification_date": (TODAY + timedelta(days=45)).isoformat(),
                "readiness_target": 85,
            }
        },
    )

    body = client.get("/v1/kpi/readiness", headers=HEADERS).json
    leaves = body["applicable"]
    assert body["percent"] == readiness_percent(1 + 1 + 1 + 0.5, leaves)
    assert body["adjusted_percent"] == readiness_percent(0.5 + 1 + 0.5 + 0.5, leaves)
    assert body["target"] == 85 and body["days_to_certification"] == 45
    assert body["blockers"] == [
        {
            "clause_id": "6.2.1",
            "nonconformity_id": sixth,
            "severity": "Major",
            "due_date": soon,
            "overdue": False,
        },
        {
            "clause_id": "6.2.1",
            "nonconformity_id": sixth_again,
            "severity": "Critical",
            "due_date": None,
            "overdue": False,
        },
        {
            "clause_id": "8.1",
            "nonconformity_id": partial,
            "severity": "Major",
            "due_date": None,
            "overdue": False,
        },
        # Natural clause order: 10.2 after 8.1, not before it as text would sort.
        {
            "clause_id": "10.2",
            "nonconformity_id": tenth,
            "severity": "Critical",
            "due_date": late,
            "overdue": True,
        },
    ]
    # Every key the first generation answered keeps its meaning.
    assert {"percent", "assessed", "applicable", "by_clause_group"} <= set(body)
    other = client.get("/kpi/readiness", headers={"X-Org-ID": "someone-else"}).json
    assert other["blockers"] == [] and other["days_to_certification"] is None
    assert other["target"] == 80


def _move(client: FlaskClient, nc: int, body: dict[str, Any]) -> Any:
    return client.patch(f"/nonconformities/{nc}", json=body, headers=HEADERS)


def test_strict_capa_asks_for_the_evidence_of_each_move(client: FlaskClient, org: str) -> None:
    _patch(client, {"settings": {"capa_strict": True}})
    nc = _finding(client, "7.5.3", "Major")
    refusals = [
        ({"state": "Action"}, "Moving to Action needs root_cause"),
        ({"state": "Analysis"}, None),
        ({"state": "Action", "root_cause": ""}, "Moving to Action needs root_cause"),
        ({"state": "Action", "root_cause": "Log retention not configured"}, None),
        ({"state": "Verification"}, "Moving to Verification needs corrective_action"),
        ({"state": "Verification", "corrective_action": "Retention set to 7 years"}, None),
        ({"state": "Closed"}, "Closing needs verified_by and verified_on"),
        ({"status": "Closed"}, "Closing needs verified_by and verified_on"),
        (
            {"state": "Closed", "verified_by": "auditor@example.com"},
            "Closing needs verified_by and verified_on",
        ),
    ]
    for change, refusal in refusals:
        answer = _move(client, nc, change)
        if refusal is None:
            assert answer.status_code == 200, (change, answer.json)
        else:
            assert answer.status_code == 409, (change, answer.json)
            assert answer.json["message"] == refusal
    stored = client.get(f"/nonconformities/{nc}", headers=HEADERS).json
    assert stored["state"] == "Verification" and stored["verified_by"] is None
    closed = _move(
        client,
        nc,
        {"state": "Closed", "verified_by": "auditor@example.com", "verified_on": TODAY.isoformat()},
    )
    assert closed.status_code == 200 and closed.json["status"] == "Closed"


def test_without_strict_capa_moves_need_nothing_recorded(client: FlaskClient, org: str) -> None:
    nc = _finding(client, "7.5.3", "Major")
    for state in ("Action", "Verification", "Closed"):
        answer = _move(client, nc, {"state": state})
        assert answer.status_code == 200, (state, answer.json)
    assert date.fromisoformat(answer.json["closed_date"]) == TODAY


def _backdate(database: Database, entity: str, entity_id: int, days_ago: list[int]) -> None:
    """Move a record's change records (oldest first) to the given days ago, at noon UTC."""
    with database.session() as session:
        rows = session.scalars(
            select(ChangeRecord)
            .where(ChangeRecord.entity == entity, ChangeRecord.entity_id == str(entity_id))
            .order_by(ChangeRecord.id)
        ).all()
        assert len(rows) == len(days_ago), [row.action for row in rows]
        for row, ago in zip(rows, days_ago, strict=True):
            row.at = datetime.combine(TODAY - timedelta(days=ago), time(12), tzinfo=UTC)
        session.commit()


def test_readiness_as_of_replays_the_history(
    client: FlaskClient, org: str, database: Database
) -> None:
    created = client.post(
        "/assessments", json={"clause_id": "6.2.1", "status": "Partial"}, headers=HEADERS
    ).json
    finding = _finding(client, "6.2.1", "Major")
    client.patch(f"/assessments/{created['id']}", json={"status": "Compliant"}, headers=HEADERS)
    client.patch(f"/nonconformities/{finding}", json={"status": "Closed"}, headers=HEADERS)
    _assess(client, "8.1", "Compliant")
    eight = client.get("/assessments?clause_id=8.1", headers=HEADERS).json[0]["id"]
    _backdate(database, "assessment", created["id"], [10, 5])
    _backdate(database, "nonconformity", finding, [10, 2])
    _backdate(database, "assessment", eight, [2])
    # A finding written without history (an import): open from its creation to its closure.
    eight_days_ago = datetime.combine(TODAY - timedelta(days=8), time(9), tzinfo=UTC)
    with database.session() as session:
        session.execute(
            insert(Nonconformity),
            [
                {
                    "org_id": ORG,
                    "description": "Imported",
                    "severity": "Critical",
                    "status": "Closed",
                    "state": "Closed",
                    "clause_id": "7.1",
                    "closed_date": TODAY - timedelta(days=3),
                    "created_at": eight_days_ago,
                    "updated_at": eight_days_ago,
                    "version": 1,
                }
            ],
        )
        session.commit()
    leaves = client.get("/kpi/readiness", headers=HEADERS).json["applicable"]

    def as_of(days_ago: int) -> dict[str, Any]:
        day = (TODAY - timedelta(days=days_ago)).isoformat()
        answer = client.get(f"/v1/kpi/readiness?as_of={day}", headers=HEADERS)
        assert answer.status_code == 200, answer.json
        return dict(answer.json)

    before = as_of(11)
    assert (before["percent"], before["assessed"], before["blockers"]) == (0.0, 0, [])
    first = as_of(10)
    assert first["percent"] == first["adjusted_percent"] == readiness_percent(0.5, leaves)
    assert [b["nonconformity_id"] for b in first["blockers"]] == [finding]
    middle = as_of(5)
    assert middle["percent"] == readiness_percent(1.0, leaves)
    assert middle["adjusted_percent"] == readiness_percent(0.5, leaves)
    assert [b["clause_id"] for b in middle["blockers"]] == ["6.2.1", "7.1"]
    last = as_of(2)
    assert last["percent"] == last["adjusted_percent"] == readiness_percent(2.0, leaves)
    assert last["blockers"] == [] and last["assessed"] == 2
    # Today, replayed, is what the live query answers.
    assert as_of(0) == client.get("/v1/kpi/readiness", headers=HEADERS).json

    start = (TODAY - timedelta(days=10)).isoformat()
    trend = client.get(f"/v1/kpi/readiness_trend?from_date={start}&interval=week", headers=HEADERS)
    assert trend.status_code == 200, trend.json
    assert trend.json["points"] == [
        {"date": start, "percent": first["percent"], "adjusted_percent": first["percent"]},
        {
            "date": (TODAY - timedelta(days=3)).isoformat(),
            "percent": readiness_percent(1.0, leaves),
            "adjusted_percent": readiness_percent(0.5, leaves),
        },
    ]


def test_readiness_trend_defaults_and_limits(client: FlaskClient) -> None:
    default = client.get("/kpi/readiness_trend").json["points"]
    assert len(default) == 13 and default[-1]["date"] == TODAY.isoformat()
    assert date.fromisoformat(default[0]["date"]).month == TODAY.month
    backwards = client.get("/kpi/readiness_trend?from_date=2026-05-01&to_date=2026-04-01")
    assert backwards.status_code == 422
    assert backwards.json["message"] == "to_date: must not be before from_date"
    too_many = client.get("/kpi/readiness_trend?from_date=2010-01-01&interval=week")
    assert too_many.status_code == 422 and "at most 400" in too_many.json["message"]
    assert client.get("/kpi/readiness_trend?interval=day").status_code == 422
    assert client.get("/kpi/readiness?as_of=2026-02-30").status_code == 422
