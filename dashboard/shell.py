"""The frame around every page: navbar from the page registry, then the page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from api.context import runtime
from api.security import current_caller, session_identity
from core.context import Caller


def visible_pages(caller: Caller) -> list[dict[str, object]]:
    """Registered pages the caller's role may open, in navbar order."""
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order", 99))
    return [page for page in pages if caller.has_role(str(page.get("min_role", "viewer")))]


def _nav_links(caller: Caller) -> list[dbc.NavItem]:
    return [
        dbc.NavItem(
            dbc.NavLink(
                str(page["name"]),
                href=str(page["relative_path"]),
                active="exact",
                id=f"nav-{str(page['module']).rsplit('.', 1)[-1]}",
            )
        )
        for page in visible_pages(caller)
    ]


def _who(caller: Caller) -> list[html.Span | html.A]:
    identity = session_identity()
    parts: list[html.Span | html.A] = [
        html.Span(f"Organisation: {caller.org_id}", className="me-3", id="shell-org")
    ]
    if identity is not None:
        parts.append(
            html.Span(
                f"{identity.name or identity.subject} · {identity.role}",
                className="me-3",
                id="shell-user",
            )
        )
    if runtime().settings.sso_configured and identity is not None:
        parts.append(
            html.A("Sign out", href="/auth/logout", className="link-light", id="shell-sign-out")
        )
    return parts


def shell_layout() -> html.Div:
    caller = current_caller()
    return html.Div(
        [
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("ISO 55001", href=dash.get_relative_path("/")),
                        dbc.Nav(_nav_links(caller), navbar=True, className="me-auto"),
                        html.Div(_who(caller), className="navbar-text small text-light"),
                    ],
                    fluid=True,
                ),
                color="dark",
                dark=True,
                className="mb-3",
            ),
            dbc.Container(dash.page_container, fluid=True, className="pb-4"),
        ]
    )
