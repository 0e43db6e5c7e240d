"""Dashboard single sign-on: OIDC authorization code with PKCE, through authlib.

With `OIDC_CLIENT_ID` and a discovery URL (or issuer) set, every dashboard page needs a
signed-in session: pages redirect to the provider, Dash's own requests answer 401. Roles
and organisation come from the ID token's claims. In production without sign-on
configured the dashboard is closed; in dev without it, the dashboard is open.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, Response, current_app, redirect, request, session, url_for
from markupsafe import escape

from core.auth.identity import AuthenticationError, identity_from_claims
from core.config import Settings
from dashboard.identity import SESSION_USER, session_identity
from dashboard.sessions import DatabaseSessionInterface, ServerSession
from web.caller import refuse
from web.runtime import DASHBOARD_PREFIX, runtime

sso = Blueprint("sso", __name__, url_prefix="/auth")
CLIENT_NAME = "oidc"


def _client(settings: Settings) -> Any:
    """The authlib client for these settings, registered once per distinct configuration."""
    clients: dict[tuple[str | None, ...], Any] = current_app.extensions.setdefault(
        "iso55001_oidc_clients", {}
    )
    key = (
        settings.oidc_client_id,
        settings.oidc_client_secret,
        settings.discovery_url,
        settings.oidc_scopes,
    )
    if key not in clients:
        oauth = OAuth(current_app)
        clients[key] = oauth.register(
            CLIENT_NAME,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            server_metadata_url=settings.discovery_url,
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )
    return clients[key]


def _safe_next(target: str | None) -> str:
    """Only dashboard paths on this server: never an open redirect."""
    if target and target.startswith(DASHBOARD_PREFIX) and "//" not in target and "\\" not in target:
        return target
    return DASHBOARD_PREFIX


def _page(title: str, message: str, link: str, link_text: str, status: int) -> Response:
    body = (
        f"<!doctype html><html><head><title>{escape(title)}</title>"
        '<link rel="stylesheet" href="/dashboard/assets/00-bootstrap.min.css"></head>'
        f'<body class="p-5"><h1 class="h3">{escape(title)}</h1><p>{escape(message)}</p>'
        f'<a class="btn btn-primary" href="{escape(link)}">{escape(link_text)}</a></body></html>'
    )
    return Response(body, status=status, mimetype="text/html")


def _require_sso() -> Settings:
    settings = runtime().settings
    if not settings.sso_configured:
        refuse(404, "Single sign-on is not configured")
    return settings


@sso.get("/login")
def login() -> Any:
    settings = _require_sso()
    session["next"] = _safe_next(request.args.get("next"))
    return _client(settings).authorize_redirect(url_for("sso.callback", _external=True))


@sso.get("/callback")
def callback() -> Any:
    settings = _require_sso()
    try:
        token = _client(settings).authorize_access_token()
        identity = identity_from_claims(token.get("userinfo") or {})
    except (OAuthError, AuthenticationError) as exc:
        current_app.logger.warning("sign-in failed: %s", exc)
        return _page(
            "Sign-in failed",
            "The identity provider's answer could not be accepted.",
            url_for("sso.login"),
            "Try again",
            401,
        )
    target = _safe_next(session.get("next"))
    session.clear()
    assert isinstance(session, ServerSession)
    session.rotate()
    session[SESSION_USER] = {
        "sub": identity.subject,
        "name": identity.name or identity.subject,
        "role": identity.role,
        "org_id": identity.org_id or settings.default_org_id,
    }
    session["id_token"] = token.get("id_token")
    return redirect(target)


@sso.get("/logout")
def logout() -> Any:
    settings = _require_sso()
    id_token = session.get("id_token")
    session.clear()
    end_session = _client(settings).load_server_metadata().get("end_session_endpoint")
    if end_session and id_token:
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": url_for("sso.signed_out", _external=True),
            }
        )
        return redirect(f"{end_session}?{query}")
    return redirect(url_for("sso.signed_out"))


@sso.get("/signed-out")
def signed_out() -> Response:
    return _page(
        "Signed out",
        "You have signed out of the ISO 55001 dashboard.",
        url_for("sso.login"),
        "Sign in again",
        200,
    )


def _is_dash_internal(path: str) -> bool:
    rest = path[len(DASHBOARD_PREFIX) :]
    return rest.startswith(("_", "assets/"))


def init_sso(server: Flask) -> None:
    server.session_interface = DatabaseSessionInterface()
    server.register_blueprint(sso)

    @server.before_request
    def _dashboard_needs_sign_in() -> Any:
        if not request.path.startswith(DASHBOARD_PREFIX):
            return None
        settings = runtime().settings
        if not (settings.sso_configured or settings.is_prod) or session_identity() is not None:
            return None
        if not settings.sso_configured:
            refuse(401, "The dashboard needs single sign-on, which is not configured")
        if _is_dash_internal(request.path):
            refuse(401, "Sign in to use the dashboard")
        return redirect(url_for("sso.login", next=request.full_path.rstrip("?")))
