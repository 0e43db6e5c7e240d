"""What every tenant record route promises: assessments, audits, nonconformities, reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient


@dataclass(frozen=True)
class Resource:
    path: str
    entity: str
    new: dict[str, Any]
    change: dict[str, Any]


RESOURCES = [
    Resource(
        "/assessments",
        "assessment",
        {"clause_id": "9.1", "status": "Partial"},
        {"notes": "KPI catalogue drafted"},
    ),
    Resource(
        "/audits",
        "audit",
        {"title": "Q1 audit", "scope_clause_ids": ["8.1"]},
        {"title": "Q1 audit (rescheduled)"},
    ),
    Resource(
        "/nonconformities",
        "nonconformity",
        {"description": "No criticality review", "severity": "Major"},
        {"owner": "ops@example.com"},
    ),
    Resource(
        "/management-reviews",
        "management_review",
        {"title": "H1 review"},
        {"decisions": "Fund the pilot"},
    ),
]
IDS = [resource.entity for resource in RESOURCES]


@pytest.fixture(params=RESOURCES, ids=IDS)
def resource(request: pytest.FixtureRequest) -> Resource:
    return request.param


def test_crud_round_trip_with_etags(client: FlaskClient, resource: Resource) -> None:
    created = client.post(resource.path, json=resource.new, headers={"X-Request-ID": "c-1"})
    assert created.status_code == 201, created.json
    record = created.json
    assert record["org_id"] == "default" and record["version"] == 1
    assert record["request_id"] == "c-1" and created.headers["ETag"] == '"v1"'
    url = f"{resource.path}/{record['id']}"

    assert client.get(f"/v1{url}").json == record
    changed = client.patch(url, json=resource.change, headers={"If-Match": '"v1"'})
    assert changed.status_code == 200
    for name, value in resource.change.items():
        assert changed.json[name] == value
    assert changed.headers["ETag"] == '"v2"'

    stale = client.patch(url, json=resource.change, headers={"If-Match": '"v1"'})
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": '"v1"'}).status_code == 412
    assert client.delete(f"/v1{url}", headers={"If-Match": '"v2"'}).status_code == 204
    assert client.get(url).status_code == 404


def test_lists_page_and_envelope(client: FlaskClient, resource: Resource) -> None:
    ids = [client.post(resource.path, json=resource.new).json["id"] for _ in range(3)]
    legacy = client.get(f"{resource.path}?limit=2&offset=1")
    assert legacy.headers["X-Total-Count"] == "3"
    assert [item["id"] for item in legacy.json] == ids[1:]
    envelope = client.get(f"/v1{resource.path}?limit=1").json
    assert envelope["total"] == 3 and [item["id"] for item in envelope["items"]] == ids[:1]
    assert client.get(f"{resource.path}?limit=500").status_code == 422


def test_unknown_fields_and_missing_required_are_422(
    client: FlaskClient, resource: Resource
) -> None:
    unknown = client.post(resource.path, json={**resource.new, "surprise": 1})
    assert unknown.status_code == 422 and "surprise" in unknown.json["errors"]["json"]
    missing = client.post(resource.path, json={})
    assert missing.status_code == 422
    assert client.get(resource.path).headers["X-Total-Count"] == "0"
    record = client.post(resource.path, json=resource.new).json
    for body in ({}, {"id": 9}, {"org_id": "x"}, {"version": 4}):
        assert client.patch(f"{resource.path}/{record['id']}", json=body).status_code == 422
    assert client.get(f"{resource.path}/{record['id']}").json == record


def test_missing_record_is_404_with_message(client: FlaskClient, resource: Resource) -> None:
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)(f"{resource.path}/987654", json=resource.change)
        assert response.status_code == 404
        assert response.json["message"].endswith("987654 not found")


def test_every_write_leaves_history(client: FlaskClient, resource: Resource) -> None:
    record = client.post(resource.path, json=resource.new, headers={"X-Request-ID": "h-1"}).json
    url = f"{resource.path}/{record['id']}"
    client.patch(url, json=resource.change, headers={"X-Request-ID": "h-2"})
    client.delete(url, headers={"X-Request-ID": "h-3"})
    query = f"entity={resource.entity}&entity_id={record['id']}"
    history = client.get(f"/v1/history?{query}").json
    assert history["total"] == 3
    create, update, delete = history["items"]
    assert [c["action"] for c in history["items"]] == ["create", "update", "delete"]
    assert [c["request_id"] for c in history["items"]] == ["h-1", "h-2", "h-3"]
    assert create["before"] is None and create["after"]["id"] == record["id"]
    for name, value in resource.change.items():
        assert update["before"][name] == record[name] and update["after"][name] == value
    assert delete["after"] is None and delete["before"]["version"] == 2
    assert client.get(f"/history?{query}").headers["X-Total-Count"] == "3"
