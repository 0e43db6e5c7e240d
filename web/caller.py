"""Who is calling, for both doors: identity sources, the organisation, the role checks.

A bearer token is checked here; other identity sources (the dashboard's signed-in
session) are registered by the door that owns them, so this module knows no door.
Token validation and role logic live in `core.auth`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any, NoReturn

from flask import Flask, current_app, g, request
from flask_smorest import abort

from core.auth.identity import AuthenticationError, Identity
from core.caller import PLATFORM_ADMIN, Caller, role_at_least
from core.config import Settings
from core.rules import is_identifier
from web.runtime import DASHBOARD_PREFIX, request_id, runtime

IdentitySource = Callable[[], Identity | None]
OrgChoice = Callable[[], str | None]
SOURCES_KEY = "iso55001_identity_sources"
ORG_CHOICES_KEY = "iso55001_org_choices"
# Reachable without credentials even in production: probes for load balancers.
OPEN_PATHS = frozenset({"/health", "/ready", "/v1/health", "/v1/ready"})
METRICS_PATH = "/metrics"


def add_identity_source(app: Flask, source: IdentitySource) -> None:
    """Who is calling when no bearer token is presented (e.g. a signed-in session)."""
    app.extensions.setdefault(SOURCES_KEY, []).append(source)


def add_org_choice(app: Flask, choice: OrgChoice) -> None:
    """Dev only: an organisation the caller picked, asked when no header or claim names one."""
    app.extensions.setdefault(ORG_CHOICES_KEY, []).append(choice)


def refuse(code: int, message: str, **extra: Any) -> NoReturn:
    """Answer `code` with the error shape (flask-smorest's abort raises)."""
    abort(code, message=message, **extra)
    raise AssertionError("abort() returned")


def _unauthorized(message: str) -> NoReturn:
    refuse(401, message, headers={"WWW-Authenticate": 'Bearer realm="iso55001"'})


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized("Authorization header must be 'Bearer <token>'")
    return token.strip()


def _identity(settings: Settings) -> Identity | None:
    token = _bearer_token()
    if token is None:
        sources: list[IdentitySource] = current_app.extensions.get(SOURCES_KEY, [])
        return next((found for source in sources if (found := source()) is not None), None)
    try:
        return runtime().verifier.verify(token)
    except AuthenticationError as exc:
        _unauthorized(str(exc))


def _org_id(settings: Settings, identity: Identity | None) -> str:
    claimed = identity.org_id if identity else None
    if settings.is_prod:
        # In production the organisation comes from the credential, never a header.
        org = claimed or settings.default_org_id
        if not org:
            refuse(403, "The credential names no organisation (org_id, org, tenant, tid)")
        return org
    offered = request.headers.get("X-Org-ID")
    if offered is None and claimed is None:
        choices: list[OrgChoice] = current_app.extensions.get(ORG_CHOICES_KEY, [])
        offered = next((found for choice in choices if (found := choice()) is not None), None)
    if offered is not None:
        if not is_identifier(offered):
            refuse(400, "X-Org-ID must be 1-64 characters of letters, digits, '.', '_', '-'")
        return offered
    return claimed or settings.fallback_org_id


def current_caller() -> Caller:
    if "caller" not in g:
        settings = runtime().settings
        identity = _identity(settings)
        if identity is None and settings.is_prod:
            _unauthorized("Authentication required")
        if identity is None:
            # Anonymous: dev without any auth configured is open to a platform operator,
            # otherwise read-only.
            open_dev = not settings.is_prod and not runtime().verifier.configured
            user, role = None, (PLATFORM_ADMIN if open_dev else "viewer")
        else:
            user, role = identity.subject, identity.role
        g.caller = Caller(
            org_id=_org_id(settings, identity), user=user, role=role, request_id=request_id()
        )
    caller: Caller = g.caller
    return caller


def install_production_guard(app: Flask) -> None:
    """In production every API path but the probes needs a valid credential.

    Covers what no route decorator does: /openapi.json, /docs, /metrics, unknown paths.
    The dashboard has its own guard (a signed-in session).
    """

    @app.before_request
    def _require_credentials() -> None:
        if not runtime().settings.is_prod:
            return
        path = request.path
        if path in OPEN_PATHS or path.startswith(DASHBOARD_PREFIX) or path.startswith("/auth/"):
            return
        if path == METRICS_PATH:
            return  # require_metrics_reader decides: it also takes the scrape token
        if request.method == "OPTIONS":
            return  # CORS preflight carries no credentials by design
        if current_caller().user is None:
            _unauthorized("Authentication required")


def require_metrics_reader() -> None:
    """Per-organisation series are operator data: the scrape token or a platform admin.

    Production always needs one of them. Dev stays open to an anonymous scrape (reads
    are open there) but holds a presented credential to the same rule.
    """
    settings = runtime().settings
    token = _bearer_token()
    if token is None:
        if settings.is_prod:
            _unauthorized("Authentication required: the scrape token or a platform-admin token")
        return
    scrape_token = settings.metrics_token
    if scrape_token and hmac.compare_digest(token.encode(), scrape_token.encode()):
        return
    identity = _identity(settings)
    # No organisation needed here: the operator reads every organisation's series.
    if identity is None or not role_at_least(identity.role, PLATFORM_ADMIN):
        refuse(403, f"Insufficient role: /metrics needs the scrape token or {PLATFORM_ADMIN}")


def demand(role: str) -> Caller:
    """The caller, when its role reaches `role`: 401 for the anonymous, 403 for the rest."""
    caller = current_caller()
    if not caller.has_role(role):
        if caller.user is None:
            _unauthorized(f"Authentication required: this operation needs the {role} role")
        refuse(403, f"Insufficient role: this operation needs {role}")
    return caller
