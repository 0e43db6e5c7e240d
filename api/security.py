"""Who the caller is and what they may do, decided per route on the server.

The edge only reads headers (and, for the dashboard, the signed-in session); token
validation and role logic live in `core.auth`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any, NoReturn, TypeVar

from flask import Flask, g, request, session
from flask_smorest import abort

from api.context import request_id, runtime
from core.auth.identity import AuthenticationError, Identity
from core.config import Settings
from core.context import PLATFORM_ADMIN, Caller, role_at_least
from core.rules import is_identifier

F = TypeVar("F", bound=Callable[..., Any])
BEARER_SCHEME = "bearerAuth"
DEFAULT_ORG = "default"
DASHBOARD_PREFIX = "/dashboard/"
# Reachable without credentials even in production: probes for load balancers.
OPEN_PATHS = frozenset({"/health", "/ready", "/v1/health", "/v1/ready"})
METRICS_PATH = "/metrics"
SESSION_USER = "user"
# Dev only: the organisation picked in the dashboard's switcher.
SESSION_ORG = "dashboard_org"


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


def session_identity() -> Identity | None:
    """The dashboard's signed-in user; only dashboard requests may use the session."""
    if not request.path.startswith(DASHBOARD_PREFIX):
        return None
    user = session.get(SESSION_USER)
    if not isinstance(user, dict):
        return None
    return Identity(
        subject=user["sub"], role=user["role"], org_id=user.get("org_id"), name=user.get("name")
    )


def _identity(settings: Settings) -> Identity | None:
    token = _bearer_token()
    if token is None:
        return session_identity()
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
    if offered is None and claimed is None and request.path.startswith(DASHBOARD_PREFIX):
        offered = session.get(SESSION_ORG)
    if offered is not None:
        if not is_identifier(offered):
            refuse(400, "X-Org-ID must be 1-64 characters of letters, digits, '.', '_', '-'")
        return offered
    return claimed or settings.default_org_id or DEFAULT_ORG


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


def requires(role: str) -> Callable[[F], F]:
    """Authenticate before anything else, then refuse callers below `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            caller = current_caller()
            if not caller.has_role(role):
                if caller.user is None:
                    _unauthorized(f"Authentication required: this operation needs the {role} role")
                refuse(403, f"Insufficient role: this operation needs {role}")
            return view(*args, **kwargs)

        apidoc = deepcopy(getattr(view, "_apidoc", {}))
        manual = apidoc.setdefault("manual_doc", {})
        manual["security"] = (
            [{BEARER_SCHEME: []}] if role != "viewer" else [{}, {BEARER_SCHEME: []}]
        )
        manual["description"] = (
            manual.get("description", "") + f"\n\nRequired role: `{role}`."
        ).strip()
        responses = manual.setdefault("responses", {})
        responses.setdefault("401", "UNAUTHORIZED")
        if role != "viewer":
            responses.setdefault("403", "FORBIDDEN")
        guarded._apidoc = apidoc  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator
