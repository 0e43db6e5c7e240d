"""Audit- and review-specific rules."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.testing import FlaskClient


def test_audit_defaults_scope_and_completion(client: FlaskClient) -> None:
    audit = client.post(
        "/audits",
        json={
            "title": "Q3",
            "scope_clause_ids": ["9.2.1", "6", "9.2.1"],
            "scheduled_date": "2027-09-01",
            "lead_auditor": "lee",
        },
    ).json
    assert audit["status"] == "Planned" and audit["scope_clause_ids"] == ["9.2.1", "6"]
    done = client.patch(f"/audits/{audit['id']}", json={"status": "Completed"}).json
    assert done["completed_date"] == datetime.now(UTC).date().isoformat()
    dated = client.post(
        "/audits", json={"title": "Q4", "status": "Completed", "completed_date": "2026-12-01"}
    ).json
    assert dated["completed_date"] == "2026-12-01"


def test_audit_scope_must_name_catalogue_clauses(client: FlaskClient) -> None:
    response = client.post("/audits", json={"title": "Q3", "scope_clause_ids": ["8.1", "11.4"]})
    assert response.status_code == 422
    assert (
        "11.4" in response.json["message"] and "scope_clause_ids" in response.json["errors"]["json"]
    )
    assert client.post("/audits", json={"title": "x", "status": "Done"}).status_code == 422
    assert client.get("/audits").json == []


def test_audit_status_filter(client: FlaskClient) -> None:
    for status in ("Planned", "InProgress", "Completed", "Cancelled", "Planned"):
        client.post("/audits", json={"title": status, "status": status})
    assert client.get("/audits?status=Planned").headers["X-Total-Count"] == "2"
    assert client.get("/v1/audits?status=Cancelled").json["total"] == 1


def test_review_period_must_be_ordered(client: FlaskClient) -> None:
    bad = client.post(
        "/management-reviews",
        json={"title": "H1", "period_start": "2027-06-30", "period_end": "2027-01-01"},
    )
    assert bad.status_code == 422 and "period_end" in bad.json["message"]
    review = client.post(
        "/management-reviews", json={"title": "H1", "period_start": "2027-01-01"}
    ).json
    refused = client.patch(f"/management-reviews/{review['id']}", json={"period_end": "2026-12-31"})
    assert refused.status_code == 422
    fields = {
        "period_end": "2027-06-30",
        "meeting_date": "2027-07-10",
        "participants": "CEO, CFO",
        "summary": "On track",
        "decisions": "Fund",
        "actions": "Plan",
    }
    updated = client.patch(f"/management-reviews/{review['id']}", json=fields).json
    assert all(updated[name] == value for name, value in fields.items())
