"""Organisations, /setup and the history's immutability."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def test_org_create_is_idempotent(client: FlaskClient) -> None:
    first = client.post("/v1/orgs", json={"id": "north", "name": "Northshire Water"})
    assert first.status_code == 201 and first.json["name"] == "Northshire Water"
    again = client.post("/v1/orgs", json={"id": "north", "name": "Other name"})
    assert again.status_code == 200 and again.json == first.json
    client.post("/v1/orgs", json={"id": "east", "name": "East Grid"})
    listed = client.get("/v1/orgs?limit=1")
    assert listed.json["total"] == 2 and listed.headers["X-Total-Count"] == "2"
    assert [org["id"] for org in listed.json["items"]] == ["east"]
    renamed = client.patch("/v1/orgs/north", json={"name": "Northshire Water plc"})
    assert renamed.status_code == 200 and renamed.json["name"] == "Northshire Water plc"
    assert client.get("/v1/orgs/north").json["name"] == "Northshire Water plc"
    assert client.get("/v1/orgs/south").status_code == 404
    changes = client.get("/v1/history?entity=organization", headers={"X-Org-ID": "north"}).json
    assert [c["action"] for c in changes["items"]] == ["create", "update"]
    assert changes["items"][1]["before"]["name"] == "Northshire Water"
    assert changes["items"][1]["after"]["name"] == "Northshire Water plc"
    assert client.patch("/v1/orgs/south", json={"name": "x"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"id": "bad id", "name": "x"},
        {"id": "x" * 65, "name": "x"},
        {"id": "ok"},
        {"id": "ok", "name": "x", "extra": 1},
        {"id": "ok", "name": ""},
    ],
)
def test_org_create_validates(client: FlaskClient, body: dict) -> None:
    response = client.post("/v1/orgs", json=body)
    assert response.status_code == 422 and response.json["message"]
    assert client.get("/v1/orgs").json["total"] == 0


def test_setup_is_idempotent_and_reports(client: FlaskClient, reconfigure) -> None:
    reconfigure(default_org_id="acme")
    first = client.post("/setup", json={"run_migrations": True, "verify_object_store": True})
    assert first.status_code == 200 and first.json["ok"] is True
    assert "migrations: database at head" in first.json["actions"]
    assert "organization acme: created" in first.json["actions"]
    assert "clauses: 51 present, left as they are" in first.json["actions"]
    assert any(a.startswith("evidence store: local directory") for a in first.json["actions"])
    second = client.post("/v1/setup", json={})
    assert "organization acme: already present" in second.json["actions"]
    assert client.post("/setup").status_code == 200
    assert client.get("/v1/orgs/acme").status_code == 200
    reseed = client.post("/setup", json={"reseed_clauses": True}).json
    assert "clauses: 51 written" in reseed["actions"]


def test_setup_refuses_unknown_options(client: FlaskClient) -> None:
    response = client.post("/setup", json={"drop_everything": True})
    assert response.status_code == 422 and "drop_everything" in response.json["errors"]["json"]


def test_history_cannot_be_edited_or_deleted(client: FlaskClient) -> None:
    record = client.post("/audits", json={"title": "A"}).json
    change = client.get("/v1/history").json["items"][0]
    for method in ("post", "put", "patch", "delete"):
        for path in ("/v1/history", "/history", f"/v1/history/{change['id']}"):
            response = getattr(client, method)(path, json={"action": "forged"})
            assert response.status_code in (404, 405), (method, path)
    assert client.get("/v1/history").json["items"] == [change]
    assert change["entity"] == "audit" and change["entity_id"] == str(record["id"])
