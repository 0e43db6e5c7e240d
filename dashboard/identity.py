"""The signed-in dashboard user, as an identity source of `web.caller`.

Only dashboard requests may use the session: an API request is never authenticated by
a browser's cookie.
"""

from __future__ import annotations

from flask import Flask, request, session

from core.auth.identity import Identity
from web.caller import add_identity_source, add_org_choice
from web.runtime import DASHBOARD_PREFIX

SESSION_USER = "user"
# Dev only: the organisation picked in the dashboard's switcher.
SESSION_ORG = "dashboard_org"


def session_identity() -> Identity | None:
    if not request.path.startswith(DASHBOARD_PREFIX):
        return None
    user = session.get(SESSION_USER)
    if not isinstance(user, dict):
        return None
    return Identity(
        subject=user["sub"], role=user["role"], org_id=user.get("org_id"), name=user.get("name")
    )


def chosen_organisation() -> str | None:
    if not request.path.startswith(DASHBOARD_PREFIX):
        return None
    chosen = session.get(SESSION_ORG)
    return chosen if isinstance(chosen, str) else None


def install_session_identity(server: Flask) -> None:
    add_identity_source(server, session_identity)
    add_org_choice(server, chosen_organisation)
