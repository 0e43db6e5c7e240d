"""Bearer credentials end to end: each kind x each role x each kind of route, and refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from core.config import ROLES, Settings

STATIC = "static-token-for-tests"
HS_SECRET = "hs256-secret-for-tests-0123456789abcdef"
ISSUER = "https://idp.example.test"
AUDIENCE = "iso55001-api"
RSA = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
OTHER_RSA = RSAKey.generate_key(2048, parameters={"kid": "key-1"})  # same kid, other key


def jwks(*keys: RSAKey) -> str:
    return json.dumps({"keys": [key.as_dict(private=False) for key in keys]})


def claims(role: str | None = "viewer", **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    body: dict[str, Any] = {
        "sub": "user-1",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + 300,
    }
    if role:
        body["roles"] = [role]
    body.update(extra)
    return {k: v for k, v in body.items() if v is not None}


def rs256(payload: dict[str, Any], key: RSAKey = RSA, kid: str = "key-1") -> str:
    return jwt.encode({"alg": "RS256", "kid": kid}, payload, key)


def hs256(payload: dict[str, Any], secret: str = HS_SECRET) -> str:
    return jwt.encode({"alg": "HS256"}, payload, OctKey.import_key(secret))


def hs256_by_hand(payload: dict[str, Any], secret: bytes) -> str:
    """HS256 signed with any bytes, e.g. an RSA public key (libraries rightly refuse that)."""
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing_input = f"{header}.{b64(json.dumps(payload).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(payload: dict[str, Any]) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def everything(reconfigure: Callable[..., Settings]) -> Settings:
    """Static token, HS256 and RS256 all configured, with issuer and audience checks."""
    return reconfigure(
        api_token=STATIC,
        api_role="editor",
        oidc_hs256_secret=HS_SECRET,
        oidc_jwks=jwks(RSA),
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
    )


CREDENTIALS: dict[str, Callable[[str], str]] = {
    "hs256": lambda role: hs256(claims(role)),
    "rs256": lambda role: rs256(claims(role)),
}
ROUTES = [  # (method, path, body, role needed)
    ("get", "/assessments", None, "viewer"),
    ("post", "/assessments", {"clause_id": "4.1", "status": "Partial"}, "editor"),
    ("get", "/v1/orgs", None, "admin"),
    ("post", "/v1/orgs", {"id": "acme", "name": "Acme"}, "platform-admin"),
]


@pytest.mark.parametrize("kind", list(CREDENTIALS))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "needs"), ROUTES)
def test_jwt_role_matrix(
    client: FlaskClient,
    everything: Settings,
    kind: str,
    role: str,
    method: str,
    path: str,
    body: Any,
    needs: str,
) -> None:
    response = getattr(client, method)(path, json=body, headers=bearer(CREDENTIALS[kind](role)))
    if ROLES.index(role) >= ROLES.index(needs):
        assert response.status_code in (200, 201), response.json
    else:
        assert response.status_code == 403
        assert "Insufficient role" in response.json["message"]


@pytest.mark.parametrize(("method", "path", "body", "needs"), ROUTES)
def test_static_token_carries_api_role(
    client: FlaskClient, everything: Settings, method: str, path: str, body: Any, needs: str
) -> None:
    response = getattr(client, method)(path, json=body, headers=bearer(STATIC))
    if ROLES.index("editor") >= ROLES.index(needs):  # API_ROLE is editor here
        assert response.status_code in (200, 201)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "role"),
    [
        ({"roles": ["viewer", "admin"]}, "admin"),
        ({"roles": ["platform-admin", "admin"]}, "platform-admin"),
        ({"scope": "openid platform-admin"}, "platform-admin"),
        ({"role": "Editor"}, "editor"),
        ({"scope": "openid editor"}, "editor"),
        ({"roles": ["auditor"]}, "viewer"),
        ({}, "viewer"),
    ],
)
def test_roles_from_roles_role_or_scope(
    client: FlaskClient, everything: Settings, payload: dict[str, Any], role: str
) -> None:
    token = rs256({**claims(None), **payload})
    allowed = {"viewer": 403, "editor": 201, "admin": 201, "platform-admin": 201}[role]
    response = client.post(
        "/assessments", json={"clause_id": "4.1", "status": "Partial"}, headers=bearer(token)
    )
    assert response.status_code == allowed
    if allowed == 201:
        assert response.json["created_by"] == "user-1"
    registering = client.post("/v1/orgs", json={"id": "acme", "name": "A"}, headers=bearer(token))
    assert registering.status_code == (201 if role == "platform-admin" else 403)


REFUSALS: dict[str, Callable[[], str]] = {
    "alg none": lambda: unsigned(claims("admin")),
    "expired": lambda: rs256(claims("admin", exp=int(time.time()) - 120)),
    "not yet valid": lambda: rs256(claims("admin", nbf=int(time.time()) + 600)),
    "wrong issuer": lambda: rs256(claims("admin", iss="https://evil.example")),
    "wrong audience": lambda: rs256(claims("admin", aud="someone-else")),
    "bad signature": lambda: rs256(claims("admin"), key=OTHER_RSA),
    "tampered payload": lambda: ".".join(
        [
            rs256(claims("viewer")).split(".")[0],
            b64(json.dumps(claims("admin")).encode()),
            rs256(claims("viewer")).split(".")[2],
        ]
    ),
    "unknown kid": lambda: rs256(claims("admin"), kid="key-9"),
    "hs256 signed with the rsa public key": lambda: hs256_by_hand(
        claims("admin"), RSA.as_pem(private=False)
    ),
    "garbage": lambda: "not-a-token",
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_tokens_are_401_on_reads_and_writes(
    client: FlaskClient, everything: Settings, case: str
) -> None:
    token = REFUSALS[case]()
    for method, path in (("get", "/clauses"), ("delete", "/assessments/1")):
        response = getattr(client, method)(path, headers=bearer(token))
        assert response.status_code == 401, (case, response.json)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.json["message"]


def test_hs256_is_refused_when_no_secret_is_configured(
    client: FlaskClient, reconfigure: Callable[..., Settings]
) -> None:
    reconfigure(oidc_jwks=jwks(RSA))
    for token in (
        hs256(claims("admin")),
        hs256_by_hand(claims("admin"), RSA.as_pem(private=False)),
    ):
        response = client.get("/clauses", headers=bearer(token))
        assert response.status_code == 401 and "HS256" in response.json["message"]


def test_a_non_jwt_token_is_refused_when_only_jwt_is_configured(
    client: FlaskClient, reconfigure: Callable[..., Settings]
) -> None:
    reconfigure(oidc_hs256_secret=HS_SECRET)
    response = client.get("/clauses", headers=bearer("opaque-token"))
    assert response.status_code == 401 and "not a JWT" in response.json["message"]
    assert (
        client.post("/assessments", json={"clause_id": "4.1", "status": "Partial"}).status_code
        == 401
    )


def test_exp_and_nbf_allow_a_small_leeway(client: FlaskClient, everything: Settings) -> None:
    now = int(time.time())
    token = rs256(claims("viewer", exp=now - 10, nbf=now + 10))
    assert client.get("/clauses", headers=bearer(token)).status_code == 200


def test_org_comes_from_the_token_in_dev_unless_the_header_names_one(
    client: FlaskClient, everything: Settings
) -> None:
    token = rs256(claims("editor", org_id="acme"))
    created = client.post(
        "/assessments", json={"clause_id": "4.1", "status": "Partial"}, headers=bearer(token)
    ).json
    assert created["org_id"] == "acme"
    header = {**bearer(token), "X-Org-ID": "beta"}
    assert client.get("/assessments", headers=header).json == []
    assert len(client.get("/assessments", headers=bearer(token)).json) == 1


class JwksServer:
    """A JWKS URL on loopback whose keys the test can rotate; counts fetches."""

    def __init__(self) -> None:
        self.body = jwks(RSA)
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.fetches += 1
                data = owner.body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/jwks.json"


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.server.shutdown()


def test_jwks_url_is_cached_and_refetched_for_an_unknown_kid(
    client: FlaskClient, reconfigure: Callable[..., Settings], jwks_server: JwksServer
) -> None:
    reconfigure(oidc_jwks_url=jwks_server.url)
    # Rotation normally waits MIN_REFETCH_SECONDS between fetches; this test does not.
    client.application.extensions["iso55001"].verifier.jwks._min_refetch = 0
    for _ in range(3):
        assert client.get("/clauses", headers=bearer(rs256(claims("viewer")))).status_code == 200
    assert jwks_server.fetches == 1

    rotated = RSAKey.generate_key(2048, parameters={"kid": "key-2"})
    jwks_server.body = jwks(RSA, rotated)
    token = rs256(claims("viewer"), key=rotated, kid="key-2")
    assert client.get("/clauses", headers=bearer(token)).status_code == 200
    assert jwks_server.fetches == 2

    missing = client.get("/clauses", headers=bearer(rs256(claims("viewer"), kid="key-404")))
    assert missing.status_code == 401 and "key-404" in missing.json["message"]
    assert jwks_server.fetches == 3


def test_unknown_kids_do_not_hammer_the_jwks_url(
    client: FlaskClient, reconfigure: Callable[..., Settings], jwks_server: JwksServer
) -> None:
    reconfigure(oidc_jwks_url=jwks_server.url)
    for n in range(5):
        token = rs256(claims("viewer"), kid=f"made-up-{n}")
        assert client.get("/clauses", headers=bearer(token)).status_code == 401
    assert jwks_server.fetches == 1
