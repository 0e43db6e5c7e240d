"""Organisation settings, readiness with blockers and the adjusted figure, strict CAPA."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

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
