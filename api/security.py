"""Who the caller is and what they may do, decided per route on the server."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import abort

from api.context import request_id, runtime
from core.config import Settings
from core.context import Caller
from core.rules import is_identifier

F = TypeVar("F", bound=Callable[..., Any])
BEARER_SCHEME = "bearerAuth"
DEFAULT_ORG = "default"


def _unauthorized(message: str) -> None:
    abort(401, message=message, headers={"WWW-Authenticate": 'Bearer realm="iso55001"'})


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized("Authorization header must be 'Bearer <token>'")
    return token.strip()


def auth_configured(settings: Settings) -> bool:
    return bool(settings.api_token)


def _authenticate(settings: Settings) -> tuple[str | None, str]:
    """(user, role) for the presented credential; anonymous when none is presented."""
    token = _bearer_token()
    if token is None:
        return None, "viewer" if auth_configured(settings) else "admin"
    if settings.api_token and hmac.compare_digest(token.encode(), settings.api_token.encode()):
        return "api-token", settings.api_role
    _unauthorized("Invalid bearer token")
    raise AssertionError("unreachable")


def _org_id(settings: Settings) -> str:
    offered = request.headers.get("X-Org-ID")
    if offered is not None:
        if not is_identifier(offered):
            abort(400, message="X-Org-ID must be 1-64 characters of letters, digits, '.', '_', '-'")
        return offered
    return settings.default_org_id or DEFAULT_ORG


def current_caller() -> Caller:
    if "caller" not in g:
        settings = runtime().settings
        user, role = _authenticate(settings)
        g.caller = Caller(org_id=_org_id(settings), user=user, role=role, request_id=request_id())
    caller: Caller = g.caller
    return caller


def requires(role: str) -> Callable[[F], F]:
    """Authenticate before anything else, then refuse callers below `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            caller = current_caller()
            if not caller.has_role(role):
                if caller.user is None:
                    _unauthorized(f"Authentication required: this operation needs the {role} role")
                abort(403, message=f"Insufficient role: this operation needs {role}")
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
