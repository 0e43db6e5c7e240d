"""Defences every response gets: security headers, rate limits, proxy awareness."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from core.config import Settings
from web.runtime import runtime

# The dashboard needs inline bootstrapping scripts and evaluates clientside callbacks;
# everything is still served from this origin only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


@limiter.request_filter
def _limits_off_for_this_app() -> bool:
    """The limiter is one per process; whether a request is limited is its app's setting."""
    return not runtime().settings.ratelimit_enabled


def upload_limit() -> str:
    return runtime().settings.ratelimit_uploads


def presign_limit() -> str:
    return runtime().settings.ratelimit_presign


def export_limit() -> str:
    return runtime().settings.ratelimit_exports


# One counter per operation and client, whichever door the request comes through: a
# legacy path, its /v1 twin and the dashboard's download or upload share it.
limit_exports = limiter.shared_limit(export_limit, scope="exports")
limit_uploads = limiter.shared_limit(upload_limit, scope="uploads")
limit_presign = limiter.shared_limit(presign_limit, scope="presign")


def init_hardening(app: Flask, settings: Settings) -> None:
    if settings.proxy_hops > 0:
        # Behind N trusted proxies: client IP, scheme and host come from X-Forwarded-*.
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.config.update(
        # Always on: `_limits_off_for_this_app` decides per request, so an app built with
        # limits (tests build several) never turns them on or off for another.
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_KEY_PREFIX="iso55001",
    )
    limiter.init_app(app)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers: Any = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if runtime().settings.is_prod:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
