"""Organisations (scope per kind of administrator, idempotent create), /setup, history."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.config import Settings
from core.db import Database
from tests.api.test_production_mode import PROD
from tests.api.test_tokens import bearer, claims, rs256

PREFIXES = ("", "/v1")  # legacy and /v1 paths of every organisation route


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
        {"id": "abc\n", "name": "x"},
        {"id": "\nabc", "name": "x"},
    ],
)
def test_org_create_validates(client: FlaskClient, body: dict) -> None:
    response = client.post("/v1/orgs", json=body)
    assert response.status_code == 422 and response.json["message"]
    assert client.get("/v1/orgs").json["total"] == 0


def test_parallel_creates_of_one_id_give_one_201_and_the_rest_200(
    app: Flask, database: Database
) -> None:
    parallel = 20
    start = threading.Barrier(parallel)
    statuses: list[int | str] = []

    def create() -> None:
        start.wait()
        try:
            response = app.test_client().post("/v1/orgs", json={"id": "race", "name": "Race"})
            statuses.append(response.status_code)
        except Exception as exc:  # the test client re-raises what would have been a 500
            statuses.append(repr(exc))

    threads = [threading.Thread(target=create) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses, key=str) == [200] * (parallel - 1) + [201], statuses
    listed = app.test_client().get("/v1/orgs").json
    assert [org["id"] for org in listed["items"]] == ["race"]


@pytest.fixture
def prod(reconfigure: Callable[..., Settings]) -> Settings:
    return reconfigure(**PROD)


def token(role: str, org: str) -> dict[str, str]:
    return bearer(rs256(claims(role, org_id=org)))


def platform() -> dict[str, str]:
    return token("platform-admin", "ops")


def register(client: FlaskClient, *orgs: str) -> None:
    for org in orgs:
        response = client.post(
            "/v1/orgs", json={"id": org, "name": org.title()}, headers=platform()
        )
        assert response.status_code == 201


def listed_ids(client: FlaskClient, prefix: str, headers: dict[str, str]) -> tuple[Any, list]:
    response = client.get(f"{prefix}/orgs", headers=headers)
    assert response.status_code == 200
    items = response.json["items"] if prefix else response.json
    return response.headers["X-Total-Count"], [org["id"] for org in items]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_tenant_admin_manages_only_its_own_organisation(
    client: FlaskClient, prod: Settings, prefix: str
) -> None:
    register(client, "north", "east")
    north_admin = token("admin", "north")
    assert listed_ids(client, prefix, north_admin) == ("1", ["north"])
    assert client.get(f"{prefix}/orgs/north", headers=north_admin).json["name"] == "North"
    other = client.get(f"{prefix}/orgs/east", headers=north_admin)
    assert other.status_code == 404 and "east" in other.json["message"]
    renamed = client.patch(f"{prefix}/orgs/north", json={"name": "N2"}, headers=north_admin)
    assert renamed.status_code == 200 and renamed.json["name"] == "N2"
    refused = client.patch(f"{prefix}/orgs/east", json={"name": "Taken"}, headers=north_admin)
    assert refused.status_code == 404
    for org in ("south", "north"):  # a new one, and its own id again
        created = client.post(f"{prefix}/orgs", json={"id": org, "name": "X"}, headers=north_admin)
        assert created.status_code == 403 and "Insufficient role" in created.json["message"]
    assert listed_ids(client, prefix, platform()) == ("2", ["east", "north"])
    assert client.get(f"{prefix}/orgs/east", headers=platform()).json["name"] == "East"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_platform_admin_manages_every_organisation(
    client: FlaskClient, prod: Settings, prefix: str
) -> None:
    created = client.post(f"{prefix}/orgs", json={"id": "east", "name": "East"}, headers=platform())
    assert created.status_code == 201
    again = client.post(f"{prefix}/orgs", json={"id": "east", "name": "Else"}, headers=platform())
    assert again.status_code == 200 and again.json["name"] == "East"
    register(client, "north")
    assert listed_ids(client, prefix, platform()) == ("2", ["east", "north"])
    for org in ("east", "north"):  # neither is the operator's own organisation ("ops")
        assert client.get(f"{prefix}/orgs/{org}", headers=platform()).status_code == 200
        renamed = client.patch(f"{prefix}/orgs/{org}", json={"name": "R"}, headers=platform())
        assert renamed.status_code == 200 and renamed.json["name"] == "R"
    assert client.get(f"{prefix}/orgs/south", headers=platform()).status_code == 404


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_tenant_admin_of_an_unregistered_organisation_lists_nothing(
    client: FlaskClient, prod: Settings, prefix: str
) -> None:
    register(client, "north")
    west_admin = token("admin", "west")
    assert listed_ids(client, prefix, west_admin) == ("0", [])
    assert client.get(f"{prefix}/orgs/west", headers=west_admin).status_code == 404
    assert (
        client.patch(f"{prefix}/orgs/west", json={"name": "W"}, headers=west_admin).status_code
        == 404
    )


@pytest.mark.parametrize("role", ["viewer", "editor"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/orgs", None),
        ("get", "/orgs/north", None),
        ("patch", "/orgs/north", {"name": "X"}),
        ("post", "/orgs", {"id": "south", "name": "X"}),
    ],
)
@pytest.mark.parametrize("prefix", PREFIXES)
def test_below_admin_every_organisation_route_is_403(
    client: FlaskClient, prod: Settings, role: str, method: str, path: str, body: Any, prefix: str
) -> None:
    register(client, "north")
    response = getattr(client, method)(prefix + path, json=body, headers=token(role, "north"))
    assert response.status_code == 403 and "Insufficient role" in response.json["message"]


def test_open_dev_is_a_platform_operator(client: FlaskClient) -> None:
    """No authentication configured: the anonymous caller manages every organisation."""
    for org in ("north", "east"):
        assert client.post("/v1/orgs", json={"id": org, "name": org}).status_code == 201
    assert client.get("/v1/orgs", headers={"X-Org-ID": "north"}).json["total"] == 2
    renamed = client.patch("/v1/orgs/east", json={"name": "E"}, headers={"X-Org-ID": "north"})
    assert renamed.status_code == 200


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
