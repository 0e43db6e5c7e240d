"""Nonconformities: CAPA moves over HTTP, closure rules, references, filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.rules import NC_STATES, NC_TRANSITIONS

NEW = {"description": "Pump criticality not reviewed", "severity": "Major"}


def create(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    response = client.post("/nonconformities", json={**NEW, **fields})
    assert response.status_code == 201, response.json
    return response.json


def walk_to(client: FlaskClient, record: dict[str, Any], state: str) -> dict[str, Any]:
    path = {"New": [], "Analysis": ["Analysis"], "Action": ["Action"],
            "Verification": ["Action", "Verification"],
            "Closed": ["Action", "Verification", "Closed"]}[state]  # fmt: skip
    for step in path:
        record = client.patch(f"/nonconformities/{record['id']}", json={"state": step}).json
    assert record["state"] == state
    return record


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def test_defaults_and_allowed_states(client: FlaskClient) -> None:
    record = create(client)
    assert (record["status"], record["state"], record["closed_date"]) == ("Open", "New", None)
    assert record["allowed_states"] == ["Action", "Analysis"]


@pytest.mark.parametrize("current", NC_STATES)
@pytest.mark.parametrize("target", NC_STATES)
def test_state_moves_over_http(client: FlaskClient, current: str, target: str) -> None:
    record = walk_to(client, create(client), current)
    response = client.patch(f"/nonconformities/{record['id']}", json={"state": target})
    if target == current or target in NC_TRANSITIONS[current]:
        assert response.status_code == 200, response.json
        assert response.json["state"] == target
        assert (response.json["status"] == "Closed") == (target == "Closed")
    else:
        assert response.status_code == 409
        assert current in response.json["message"] and target in response.json["message"]
        assert client.get(f"/nonconformities/{record['id']}").json == record


def test_closing_and_reopening(client: FlaskClient) -> None:
    record = walk_to(client, create(client), "Closed")
    assert record["status"] == "Closed" and record["closed_date"] == today()
    reopened = client.patch(f"/nonconformities/{record['id']}", json={"status": "InProgress"})
    assert reopened.json["state"] == "Action" and reopened.json["closed_date"] is None
    closed = client.patch(
        f"/nonconformities/{record['id']}", json={"status": "Closed", "closed_date": "2026-01-05"}
    ).json
    assert closed["state"] == "Closed" and closed["closed_date"] == "2026-01-05"


def test_created_closed_gets_todays_closed_date(client: FlaskClient) -> None:
    record = create(client, status="Closed")
    assert record["state"] == "Closed" and record["closed_date"] == today()


@pytest.mark.parametrize(
    "body", [{"status": "Open", "state": "Closed"}, {"closed_date": "2026-01-01"}]
)
def test_inconsistent_lifecycle_is_422(client: FlaskClient, body: dict[str, Any]) -> None:
    record = create(client)
    response = client.patch(f"/nonconformities/{record['id']}", json=body)
    assert response.status_code == 422 and response.json["message"]
    assert client.get(f"/nonconformities/{record['id']}").json == record


def test_references_must_exist_in_the_callers_organisation(client: FlaskClient) -> None:
    theirs = client.post("/audits", json={"title": "B"}, headers={"X-Org-ID": "org-b"}).json
    for field, value, phrase in [
        ("audit_id", theirs["id"], f"Unknown audit_id {theirs['id']}"),
        ("audit_id", 424242, "Unknown audit_id 424242"),
        ("clause_id", "12.1", "Unknown clause_id '12.1'"),
    ]:
        response = client.post("/nonconformities", json={**NEW, field: value})
        assert response.status_code == 422
        assert phrase in response.json["message"] and field in response.json["errors"]["json"]
    assert client.get("/nonconformities").json == []
    mine = client.post("/audits", json={"title": "A"}).json
    record = create(client, audit_id=mine["id"], clause_id="10.2")
    assert record["audit_id"] == mine["id"]


def test_filters(client: FlaskClient) -> None:
    audit = client.post("/audits", json={"title": "A"}).json
    create(client, severity="Minor", clause_id="7.5.3")
    create(client, severity="Critical", audit_id=audit["id"])
    create(client, severity="Critical", status="Closed", audit_id=audit["id"])
    count = lambda query: client.get(f"/nonconformities?{query}").headers["X-Total-Count"]  # noqa: E731
    assert count("severity=Critical") == "2"
    assert count("status=Closed") == "1"
    assert count("state=New") == "2"
    assert count("clause_id=7.5.3") == "1"
    assert count(f"audit_id={audit['id']}") == "2"
    assert count(f"audit_id={audit['id']}&status=Open") == "1"
    assert client.get("/nonconformities?severity=Huge").status_code == 422


def test_an_audit_with_findings_cannot_be_deleted(client: FlaskClient) -> None:
    audit = client.post("/audits", json={"title": "A"}).json
    finding = create(client, audit_id=audit["id"])
    refused = client.delete(f"/audits/{audit['id']}")
    assert refused.status_code == 409 and "1 nonconformity" in refused.json["message"]
    client.patch(f"/nonconformities/{finding['id']}", json={"audit_id": None})
    assert client.delete(f"/audits/{audit['id']}").status_code == 204


def test_saving_the_current_values_writes_no_history_and_keeps_the_version(
    client: FlaskClient,
) -> None:
    record = walk_to(client, create(client, owner="ana", due_date="2027-01-31"), "Analysis")
    history = client.get(f"/v1/history?entity=nonconformity&entity_id={record['id']}").json
    unchanged = {
        "description": record["description"],
        "owner": "ana",
        "due_date": "2027-01-31",
        "state": "Analysis",
        "status": record["status"],
    }
    response = client.patch(f"/nonconformities/{record['id']}", json=unchanged)
    assert response.status_code == 200, response.json
    assert response.json == record
    assert client.get(f"/nonconformities/{record['id']}").json["version"] == record["version"]
    after = client.get(f"/v1/history?entity=nonconformity&entity_id={record['id']}").json
    assert after == history
    changed = client.patch(f"/nonconformities/{record['id']}", json={**unchanged, "owner": "bo"})
    assert changed.json["version"] == record["version"] + 1
