"""ENV=prod: RS256 over JWKS only, credentials everywhere, org from the token, safe start-up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from core.config import ConfigurationError, Settings
from tests.api.test_tokens import (
    HS_SECRET,
    RSA,
    STATIC,
    bearer,
    claims,
    hs256,
    jwks,
    rs256,
)

PROD = {
    "env": "prod",
    "secret_key": "prod-secret-" + "x" * 32,
    "cors_allowed_origins": ("https://app.example",),
    "oidc_jwks": jwks(RSA),
    # Configured, but production must ignore both.
    "api_token": STATIC,
    "oidc_hs256_secret": HS_SECRET,
}


@pytest.fixture
def prod(reconfigure: Callable[..., Settings]) -> Settings:
    return reconfigure(**PROD)


def test_static_and_hs256_tokens_are_refused(client: FlaskClient, prod: Settings) -> None:
    for token in (STATIC, hs256(claims("admin"))):
        assert client.get("/clauses", headers=bearer(token)).status_code == 401
    assert (
        client.get("/clauses", headers=bearer(rs256(claims("viewer", org="acme")))).status_code
        == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/clauses",
        "/v1/assessments",
        "/openapi.json",
        "/docs",
        "/docs/static/swagger-ui.css",
        "/v1/history",
        "/no-such-path",
        "/favicon.ico",
    ],
)
def test_every_route_but_the_probes_needs_a_token(
    client: FlaskClient, prod: Settings, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    token = rs256(claims("viewer", org_id="acme"))
    assert client.get(path, headers=bearer(token)).status_code not in (401, 403)


@pytest.mark.parametrize("path", ["/health", "/ready", "/v1/health", "/v1/ready"])
def test_probes_stay_open(client: FlaskClient, prod: Settings, path: str) -> None:
    assert client.get(path).status_code == 200


def test_org_comes_from_the_token_and_the_header_is_ignored(
    client: FlaskClient, prod: Settings
) -> None:
    token = rs256(claims("editor", org_id="acme"))
    headers = {**bearer(token), "X-Org-ID": "intruder"}
    created = client.post(
        "/assessments", json={"clause_id": "4.1", "status": "Partial"}, headers=headers
    ).json
    assert created["org_id"] == "acme"
    other = rs256(claims("viewer", tid="beta"))
    assert client.get("/assessments", headers={**bearer(other), "X-Org-ID": "acme"}).json == []


def test_a_token_without_an_organisation_is_refused(client: FlaskClient, prod: Settings) -> None:
    response = client.get("/assessments", headers=bearer(rs256(claims("viewer"))))
    assert response.status_code == 403 and "organisation" in response.json["message"]


def test_exp_is_required(client: FlaskClient, prod: Settings) -> None:
    token = rs256(claims("viewer", exp=None, org="acme"))
    response = client.get("/clauses", headers=bearer(token))
    assert response.status_code == 401 and "exp" in response.json["message"]


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ({"oidc_jwks": None}, "OIDC_JWKS"),
        ({"secret_key": None}, "SECRET_KEY"),
        ({"cors_allowed_origins": ()}, "CORS_ALLOWED_ORIGINS"),
        ({"cors_allowed_origins": ("*",)}, "must not be '*'"),
        ({"metrics_token": "change-me"}, "METRICS_TOKEN"),
    ],
)
def test_start_up_refuses_unsafe_settings(settings: Settings, missing: dict, named: str) -> None:
    from server import create_app

    with pytest.raises(ConfigurationError, match="Refusing to start in production") as refused:
        create_app(settings.with_overrides(**{**PROD, **missing}), dashboard=False)
    assert named in str(refused.value)


def test_start_up_names_every_missing_setting(settings: Settings) -> None:
    from server import create_app

    bare = settings.with_overrides(env="prod", cors_allowed_origins=())
    with pytest.raises(ConfigurationError) as refused:
        create_app(bare, dashboard=False)
    for name in ("OIDC_JWKS", "SECRET_KEY", "CORS_ALLOWED_ORIGINS"):
        assert name in str(refused.value)
