"""Metrics, JSON request logs, tracing, security headers, rate limits."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.config import Settings
from core.db import migrate
from core.services.catalogue import seed_clauses
from tests import evidence_files
from tests.api.test_production_mode import PROD
from tests.api.test_tokens import HS_SECRET, bearer, claims, hs256, rs256
from web.observability import JsonFormatter

SCRAPE_TOKEN = "scrape-token-for-tests-0123456789"
ORG_SERIES = "iso55001_nonconformities_open"


def metric_lines(client: FlaskClient, name: str) -> list[str]:
    text = client.get("/metrics").get_data(as_text=True)
    return [line for line in text.splitlines() if line.startswith(name + "{")]


def test_red_metrics_are_labelled_by_route_not_path(client: FlaskClient) -> None:
    client.get("/clauses/4.1")
    client.get("/clauses/5.2")
    client.get(f"/no-such-{uuid.uuid4().hex}")
    client.get("/assessments/424242")
    requests = metric_lines(client, "http_requests_total")
    assert any('route="/clauses/<string:clause_id>",status="200"' in line for line in requests)
    assert not any("4.1" in line or "no-such" in line for line in requests)
    assert any('route="<unmatched>",status="404"' in line for line in requests)
    errors = metric_lines(client, "http_requests_errors_total")
    assert any('route="/assessments/<int:assessment_id>",status="404"' in line for line in errors)
    assert metric_lines(client, "http_request_duration_seconds_bucket")


def test_domain_gauges_count_open_and_overdue_per_organisation(client: FlaskClient) -> None:
    for org, due in (("gauge-a", "2020-01-01"), ("gauge-a", "2999-01-01"), ("gauge-b", None)):
        body = {"description": "x", "severity": "Minor", **({"due_date": due} if due else {})}
        client.post("/nonconformities", json=body, headers={"X-Org-ID": org})
    closed = {"description": "done", "severity": "Minor", "status": "Closed"}
    client.post("/nonconformities", json=closed, headers={"X-Org-ID": "gauge-b"})
    assert 'iso55001_nonconformities_open{org_id="gauge-a"} 2.0' in metric_lines(
        client, "iso55001_nonconformities_open"
    )
    assert 'iso55001_nonconformities_overdue{org_id="gauge-a"} 1.0' in metric_lines(
        client, "iso55001_nonconformities_overdue"
    )
    assert 'iso55001_nonconformities_open{org_id="gauge-b"} 1.0' in metric_lines(
        client, "iso55001_nonconformities_open"
    )


@pytest.fixture
def gauged(client: FlaskClient) -> FlaskClient:
    """A client whose /metrics has a per-organisation series to leak."""
    body = {"description": "x", "severity": "Minor"}
    client.post("/nonconformities", json=body, headers={"X-Org-ID": "gauge-a"})
    assert f'{ORG_SERIES}{{org_id="gauge-a"}} 1.0' in client.get("/metrics").get_data(True)
    return client


def test_metrics_in_prod_need_the_scrape_token_or_a_platform_admin(
    gauged: FlaskClient, reconfigure
) -> None:
    reconfigure(**PROD, metrics_token=SCRAPE_TOKEN)
    anonymous = gauged.get("/metrics")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"]
    assert ORG_SERIES not in anonymous.get_data(True)
    for role in ("viewer", "editor", "admin"):  # a tenant's token, whatever its role
        refused = gauged.get("/metrics", headers=bearer(rs256(claims(role, org_id="gauge-a"))))
        assert refused.status_code == 403, role
        assert "Insufficient role" in refused.json["message"]
        assert ORG_SERIES not in refused.get_data(True)
    assert gauged.get("/metrics", headers=bearer("not-the-scrape-token")).status_code == 401
    for reader in (
        SCRAPE_TOKEN,
        rs256(claims("platform-admin")),
        rs256(claims("platform-admin", org_id="ops")),
    ):
        allowed = gauged.get("/metrics", headers=bearer(reader))
        assert allowed.status_code == 200
        assert f'{ORG_SERIES}{{org_id="gauge-a"}} 1.0' in allowed.get_data(True)


def test_metrics_in_prod_without_a_scrape_token_take_a_platform_admin_only(
    gauged: FlaskClient, reconfigure
) -> None:
    reconfigure(**PROD)
    assert gauged.get("/metrics").status_code == 401
    assert gauged.get("/metrics", headers=bearer("anything")).status_code == 401
    tenant = bearer(rs256(claims("admin", org_id="gauge-a")))
    assert gauged.get("/metrics", headers=tenant).status_code == 403
    operator = bearer(rs256(claims("platform-admin")))
    assert gauged.get("/metrics", headers=operator).status_code == 200


def test_metrics_in_dev_hold_a_presented_credential_to_the_same_rule(
    gauged: FlaskClient, reconfigure
) -> None:
    reconfigure(oidc_hs256_secret=HS_SECRET, metrics_token=SCRAPE_TOKEN)
    assert gauged.get("/metrics").status_code == 200  # dev reads stay open
    tenant = gauged.get("/metrics", headers=bearer(hs256(claims("admin", org_id="gauge-a"))))
    assert tenant.status_code == 403 and ORG_SERIES not in tenant.get_data(True)
    for reader in (SCRAPE_TOKEN, hs256(claims("platform-admin"))):
        assert gauged.get("/metrics", headers=bearer(reader)).status_code == 200


@pytest.fixture
def access_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO, logger="iso55001.access")
    yield caplog


def test_one_json_line_per_request_without_secrets(
    client: FlaskClient, access_log: pytest.LogCaptureFixture, reconfigure
) -> None:
    reconfigure(api_token="super-secret-token-value")
    client.post(
        "/assessments",
        json={"clause_id": "4.1", "status": "Partial"},
        headers={
            "Authorization": "Bearer super-secret-token-value",
            "X-Request-ID": "log-check-1",
            "X-Org-ID": "acme",
            "User-Agent": "pytest-agent",
        },
    )
    client.get("/clauses?q=secret", headers={"Authorization": "Bearer wrong-secret-token"})
    records = [r for r in access_log.records if r.name == "iso55001.access"]
    assert len(records) == 2
    first = json.loads(JsonFormatter().format(records[0]))
    assert first["request_id"] == "log-check-1"
    assert (first["method"], first["route"], first["status"]) == ("POST", "/assessments", 201)
    assert first["user"] == "api-token" and first["org"] == "acme"
    assert first["user_agent"] == "pytest-agent" and first["client_ip"] == "127.0.0.1"
    assert isinstance(first["duration_ms"], float)
    rendered = "\n".join(JsonFormatter().format(r) for r in access_log.records)
    assert "super-secret-token-value" not in rendered and "wrong-secret-token" not in rendered
    assert json.loads(JsonFormatter().format(records[1]))["status"] == 401


def test_security_headers(client: FlaskClient, reconfigure) -> None:
    response = client.get("/clauses")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # dev is often plain http
    reconfigure(
        env="prod",
        oidc_jwks='{"keys": []}',
        secret_key="s" * 40,
        cors_allowed_origins=("https://a.example",),
    )
    assert "max-age=" in client.get("/health").headers["Strict-Transport-Security"]


def make_limited_app(settings: Settings, tmp_path: Path, storage: str = "memory://") -> Flask:
    from server import create_app

    app = create_app(
        settings.with_overrides(
            database_url=f"sqlite:///{tmp_path / 'limits.db'}",
            evidence_dir=tmp_path / "ev",
            ratelimit_enabled=True,
            ratelimit_uploads="2 per minute",
            ratelimit_exports="3 per minute",
            ratelimit_presign="1 per minute",
            ratelimit_storage_uri=storage,
        ),
        dashboard=False,
    )
    runtime = app.extensions["iso55001"]
    migrate(runtime.database.engine)
    seed_clauses(runtime.database, runtime.settings.data_dir)
    return app


@pytest.fixture
def limited_app(settings: Settings, tmp_path: Path) -> Flask:
    return make_limited_app(settings, tmp_path)


def test_rate_limits_answer_429_with_retry_after(limited_app: Flask) -> None:
    client = limited_app.test_client()
    assessment = client.post("/assessments", json={"clause_id": "7.5.1", "status": "Partial"}).json
    statuses = []
    for n in range(3):
        data = {"file": (io.BytesIO(evidence_files.TEXT + bytes([65 + n])), "a.txt", "text/plain")}
        statuses.append(
            client.post(
                f"/assessments/{assessment['id']}/attachments",
                data=data,
                content_type="multipart/form-data",
            ).status_code
        )
    assert statuses == [201, 201, 429]
    exports = [client.get("/export/assessments.csv") for _ in range(4)]
    assert [r.status_code for r in exports] == [200, 200, 200, 429]
    refused = exports[-1]
    assert refused.json["code"] == 429 and refused.json["message"]
    assert int(refused.headers["Retry-After"]) > 0
    # Routes without a limit are never throttled.
    assert all(client.get("/clauses").status_code == 200 for _ in range(30))


def test_workers_share_limits_through_redis(settings: Settings, tmp_path: Path) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=15).flushdb()
    storage = "redis://127.0.0.1:6379/15"
    first = make_limited_app(settings, tmp_path / "a", storage).test_client()
    second = make_limited_app(settings, tmp_path / "b", storage).test_client()
    # Two processes behind one load balancer: the limit is counted once for both.
    assert first.get("/export/audits.csv").status_code == 200
    assert second.get("/export/audits.csv").status_code == 200
    assert first.get("/export/audits.csv").status_code == 200
    assert second.get("/export/audits.csv").status_code == 429


def test_tracing_records_request_and_sql_spans(settings: Settings, tmp_path: Path) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from server import create_app

    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(
        settings.with_overrides(
            database_url=f"sqlite:///{tmp_path / 'traced.db'}", otel_enabled=True
        ),
        dashboard=False,
    )
    runtime = app.extensions["iso55001"]
    migrate(runtime.database.engine)
    seed_clauses(runtime.database, runtime.settings.data_dir)
    exporter.clear()
    assert app.test_client().get("/clauses/6.2.1").status_code == 200
    spans = exporter.get_finished_spans()
    server = [s for s in spans if s.kind == trace.SpanKind.SERVER]
    assert server and server[0].attributes["http.route"] == "/clauses/<string:clause_id>"
    sql = [
        s
        for s in spans
        if (s.attributes and "db.statement" in s.attributes)
        or s.name.startswith(("SELECT", "connect"))
    ]
    assert sql, [s.name for s in spans]
    assert all(s.context.trace_id == server[0].context.trace_id for s in sql if s.parent)


def test_one_operation_is_counted_once_across_every_door(
    settings: Settings, tmp_path: Path
) -> None:
    from flask_limiter import RateLimitExceeded

    from dashboard.downloads import downloads
    from web.hardening import limit_uploads

    app = make_limited_app(settings, tmp_path)
    app.register_blueprint(downloads)  # the dashboard's door to the same exports
    client = app.test_client()
    doors = ["/export/audits.csv", "/v1/export/audits.xlsx", "/dashboard/download/audits.csv"]
    assert [client.get(door).status_code for door in doors] == [200, 200, 200]
    assert [client.get(door).status_code for door in doors] == [429, 429, 429]

    assessment = client.post("/assessments", json={"clause_id": "7.5.1", "status": "Partial"}).json
    uploads = [
        client.post(
            f"{prefix}/assessments/{assessment['id']}/attachments",
            data={"file": (io.BytesIO(evidence_files.TEXT + prefix.encode()), "a.txt")},
            content_type="multipart/form-data",
        ).status_code
        for prefix in ("", "/v1", "")
    ]
    assert uploads == [201, 201, 429]
    # The dashboard's upload callback enters the same limit around the same service call.
    inside_a_dashboard_request = app.test_request_context("/dashboard/download/audits.csv")
    with inside_a_dashboard_request, pytest.raises(RateLimitExceeded), limit_uploads:
        pass


def test_production_refuses_per_worker_rate_limit_counters() -> None:
    base = Settings(
        env="prod",
        oidc_jwks='{"keys": []}',
        secret_key="s" * 40,
        cors_allowed_origins=("https://a.example",),
        ratelimit_enabled=True,
        web_concurrency=2,
    )
    assert any("RATELIMIT_STORAGE_URI" in problem for problem in base.production_problems())
    for fine in (
        base.with_overrides(ratelimit_storage_uri="redis://redis:6379/0"),
        base.with_overrides(ratelimit_allow_memory=True),
        base.with_overrides(web_concurrency=1),
    ):
        assert fine.production_problems() == []


def test_an_app_with_limits_off_stays_unlimited_beside_one_with_limits_on(
    client: FlaskClient, limited_app: Flask
) -> None:
    limited = limited_app.test_client()
    assert [limited.get("/export/audits.csv").status_code for _ in range(4)][-1] == 429
    assert {client.get("/export/audits.csv").status_code for _ in range(25)} == {200}
