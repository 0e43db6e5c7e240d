"""Dev-mode access with the static API token: open reads, guarded writes, roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from core.config import ROLES

TOKEN = "s3cret-token-for-tests"
NEW = {"clause_id": "4.1", "status": "Partial"}


@pytest.fixture
def with_token(reconfigure: Callable[..., object]) -> Callable[[str], object]:
    return lambda role: reconfigure(api_token=TOKEN, api_role=role)


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_auth_configured_writes_are_open(client: FlaskClient) -> None:
    assert client.post("/assessments", json=NEW).status_code == 201


def test_reads_stay_open_but_writes_need_the_token(client: FlaskClient, with_token) -> None:
    with_token("admin")
    assert client.get("/assessments").status_code == 200
    refused = client.post("/assessments", json=NEW)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "editor" in refused.json["message"]
    assert client.post("/assessments", json=NEW, headers=bearer()).status_code == 201


def test_a_bad_token_is_401_even_on_reads(client: FlaskClient, with_token) -> None:
    with_token("admin")
    for headers in (bearer("wrong"), {"Authorization": "Basic abc"}):
        response = client.get("/clauses", headers=headers)
        assert response.status_code == 401
        assert response.json["message"]


@pytest.mark.parametrize(
    ("role", "create", "delete"), [("viewer", 403, 403), ("editor", 201, 403), ("admin", 201, 204)]
)
def test_roles_per_route(
    client: FlaskClient, with_token, role: str, create: int, delete: int
) -> None:
    seeded = client.post("/assessments", json=NEW).json  # before auth is switched on
    with_token(role)
    response = client.post("/assessments", json=NEW, headers=bearer())
    assert response.status_code == create
    if create == 403:
        assert "Insufficient role" in response.json["message"]
    assert client.delete(f"/assessments/{seeded['id']}", headers=bearer()).status_code == delete


def test_authentication_comes_before_existence(client: FlaskClient, with_token) -> None:
    with_token("viewer")
    assert client.delete("/assessments/999999").status_code == 401
    assert client.delete("/assessments/999999", headers=bearer()).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body", "needs"),
    [
        ("get", "/v1/orgs", None, "admin"),
        ("post", "/v1/orgs", {"id": "x", "name": "X"}, "platform-admin"),
        ("patch", "/v1/orgs/x", {"name": "Y"}, "admin"),
        ("post", "/setup", {}, "admin"),
        ("post", "/audits", {"title": "A"}, "editor"),
        ("post", "/nonconformities", {"description": "d", "severity": "Minor"}, "editor"),
        ("post", "/management-reviews", {"title": "R"}, "editor"),
        ("get", "/v1/history", None, "viewer"),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_for_records_orgs_setup_history(
    client: FlaskClient,
    with_token,
    method: str,
    path: str,
    body: dict | None,
    needs: str,
    role: str,
) -> None:
    with_token(role)
    response = getattr(client, method)(path, json=body, headers=bearer())
    if ROLES.index(role) >= ROLES.index(needs):
        assert response.status_code in (200, 201, 404), response.json
    else:
        assert response.status_code == 403
        assert response.json["message"] == f"Insufficient role: this operation needs {needs}"
