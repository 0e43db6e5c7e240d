"""The frame around every page: navbar from the page registry, organisation, then the page.

The frame's layout is the same for everyone: Dash evaluates it during its first-request
set-up, whoever that request comes from (a load balancer's probe, a user not yet signed
in). What depends on the caller (links the role may open, the organisation, who is
signed in) is filled by a callback, which runs inside a guarded dashboard request.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, clientside_callback, dcc, html
from flask import session

from core.caller import Caller
from core.paging import PageRequest
from core.queries.organizations import list_organizations
from core.rules import is_identifier
from dashboard.identity import SESSION_ORG, session_identity
from web.caller import current_caller
from web.runtime import runtime


def visible_pages(caller: Caller) -> list[dict[str, Any]]:
    """Registered pages the caller's role may open, in navbar order."""
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order", 99))
    return [page for page in pages if caller.has_role(str(page.get("min_role", "viewer")))]


def _nav_links(caller: Caller) -> list[dbc.NavItem]:
    return [
        dbc.NavItem(
            dbc.NavLink(
                str(page["name"]),
                href=str(page["relative_path"]),
                active="partial" if page["path"] != "/" else "exact",
                id=f"nav-{str(page['module']).rsplit('.', 1)[-1]}",
            )
        )
        for page in visible_pages(caller)
    ]


def _org_switcher(caller: Caller) -> Any:
    """Dev without sign-on: pick the organisation to look at. Otherwise: show it."""
    identity = session_identity()
    settings = runtime().settings
    if settings.is_prod or identity is not None:
        return html.Span(f"Organisation: {caller.org_id}", className="me-3", id="shell-org")
    names = {
        org.id: org.name for org in list_organizations(runtime().database, PageRequest(200)).items
    }
    options = sorted(names.keys() | {caller.org_id, settings.fallback_org_id})
    return html.Div(
        [
            html.Span("Organisation", className="me-2"),
            dcc.Dropdown(
                id="shell-org-switcher",
                # People know their organisation by name; the id tells two alike apart.
                options=[
                    {"label": f"{names[org]} ({org})" if names.get(org) else org, "value": org}
                    for org in options
                ],
                value=caller.org_id,
                clearable=False,
                searchable=True,
                style={"minWidth": "12rem", "color": "#212529"},
            ),
            html.Span(caller.org_id, id="shell-org", className="visually-hidden"),
        ],
        className="d-flex align-items-center me-3",
    )


def _who() -> list[Any]:
    identity = session_identity()
    parts: list[Any] = []
    if identity is not None:
        parts.append(
            html.Span(
                f"{identity.name or identity.subject} · {identity.role}",
                className="me-3",
                id="shell-user",
            )
        )
        if runtime().settings.sso_configured:
            parts.append(
                html.A("Sign out", href="/auth/logout", className="link-light", id="shell-sign-out")
            )
    return parts


def shell_layout() -> html.Div:
    return html.Div(
        [
            dcc.Store(id="shell-org-chosen"),
            html.Div(id="shell-reloading", hidden=True),
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("ISO 55001", href=dash.get_relative_path("/")),
                        dbc.Nav(id="shell-nav", navbar=True, className="me-auto flex-wrap"),
                        html.Div(
                            id="shell-identity",
                            className="navbar-text small text-light d-flex align-items-center",
                        ),
                    ],
                    fluid=True,
                    # Narrow screens: the organisation and user wrap below the links.
                    className="flex-wrap",
                ),
                color="dark",
                dark=True,
                className="mb-3",
            ),
            dbc.Container(dash.page_container, fluid=True, className="pb-4"),
        ]
    )


@callback(
    Output("shell-nav", "children"),
    Output("shell-identity", "children"),
    Input("_pages_location", "pathname"),
)
def fill_frame(_pathname: str | None) -> tuple[list[dbc.NavItem], list[Any]]:
    """The caller's links, organisation and name (re-read on every navigation)."""
    caller = current_caller()
    return _nav_links(caller), [_org_switcher(caller), *_who()]


@callback(
    Output("shell-org-chosen", "data"),
    Input("shell-org-switcher", "value"),
    prevent_initial_call=True,
)
def switch_organisation(org_id: str | None) -> Any:
    if not org_id or not is_identifier(org_id) or org_id == current_caller().org_id:
        return dash.no_update
    session[SESSION_ORG] = org_id
    return org_id


# Every page reads the organisation on the server: reload once it has changed.
clientside_callback(
    "function(chosen) { if (chosen) { window.location.reload(); } return ''; }",
    Output("shell-reloading", "children"),
    Input("shell-org-chosen", "data"),
    prevent_initial_call=True,
)
