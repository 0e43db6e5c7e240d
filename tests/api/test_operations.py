"""Probes, error shape for framework errors, OpenAPI, Swagger UI, CORS."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from core.config import Settings
from core.runtime import Runtime


def test_health_and_ready(client: FlaskClient) -> None:
    assert client.get("/health").json == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json == {"status": "ready", "checks": {"database": "ok", "evidence_store": "ok"}}


def test_ready_is_503_when_database_is_down(app: Flask, client: FlaskClient, monkeypatch) -> None:
    broken = Runtime.from_settings(
        Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    )
    monkeypatch.setitem(app.extensions, "iso55001", broken)
    response = client.get("/v1/ready")
    assert response.status_code == 503
    assert response.json["message"] == "Not ready: database unavailable"
    assert "nobody" not in response.get_data(as_text=True)
    assert client.get("/health").status_code == 200


def test_unknown_path_and_wrong_method_use_the_error_shape(client: FlaskClient) -> None:
    missing = client.get("/no-such-thing")
    assert missing.status_code == 404
    assert set(missing.json) == {"code", "status", "message"}
    wrong = client.put("/clauses")
    assert wrong.status_code == 405
    assert wrong.json["code"] == 405 and wrong.json["message"]
    assert "GET" in wrong.headers["Allow"]


def test_non_json_body_is_a_clear_error(client: FlaskClient) -> None:
    response = client.post("/assessments", data="status=Partial", content_type="text/plain")
    assert response.status_code in {415, 422}
    assert response.json["message"]


def test_openapi_documents_both_paths_tags_and_security(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").json
    paths = spec["paths"]
    for path in (
        "/clauses",
        "/v1/clauses",
        "/assessments/{assessment_id}",
        "/v1/assessments/{assessment_id}",
    ):
        assert path in paths
    assert {tag["name"] for tag in spec["tags"]} >= {"Clauses", "Assessments", "Operations"}
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    post = paths["/assessments"]["post"]
    assert post["security"] == [{"bearerAuth": []}]
    assert "editor" in post["description"]
    assert post["requestBody"]["content"]["application/json"]["example"]["clause_id"] == "6.2.1"
    delete = paths["/v1/assessments/{assessment_id}"]["delete"]
    assert "admin" in delete["description"] and "412" in delete["responses"]
    envelope = paths["/v1/assessments"]["get"]["responses"]["200"]
    assert "X-Total-Count" in envelope["headers"]
    legacy = paths["/assessments"]["get"]["responses"]["200"]["content"]["application/json"]
    assert legacy["schema"]["type"] == "array"


def test_swagger_ui_is_served_locally(client: FlaskClient) -> None:
    page = client.get("/docs").get_data(as_text=True)
    assert "/docs/static/swagger-ui-bundle.js" in page
    assert "https://" not in page.split("<body>")[0]
    script = client.get("/docs/static/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.data) > 100_000
    assert client.get("/favicon.ico").status_code == 200


def test_cors_exposes_paging_and_version_headers(client: FlaskClient) -> None:
    response = client.get("/clauses", headers={"Origin": "https://app.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = response.headers["Access-Control-Expose-Headers"]
    assert "X-Total-Count" in exposed and "ETag" in exposed


def test_cors_allows_only_configured_origins(settings: Settings) -> None:
    from server import create_app

    strict = create_app(
        settings.with_overrides(cors_allowed_origins=("https://ops.example",)), dashboard=False
    ).test_client()
    allowed = strict.get("/health", headers={"Origin": "https://ops.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://ops.example"
    refused = strict.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in refused.headers
