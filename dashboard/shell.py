"""The frame around every page: navbar from the page registry, then the page."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from api.security import current_caller


def _nav_links() -> list[dbc.NavItem]:
    caller = current_caller()
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order", 99))
    return [
        dbc.NavItem(
            dbc.NavLink(
                page["name"],
                href=page["relative_path"],
                active="exact",
                id=f"nav-{page['module'].rsplit('.', 1)[-1]}",
            )
        )
        for page in pages
        if caller.has_role(page.get("min_role", "viewer"))
    ]


def shell_layout() -> html.Div:
    caller = current_caller()
    return html.Div(
        [
            dbc.Navbar(
                dbc.Container(
                    [
                        dbc.NavbarBrand("ISO 55001", href=dash.get_relative_path("/")),
                        dbc.Nav(_nav_links(), navbar=True, className="me-auto"),
                        html.Span(
                            f"Organisation: {caller.org_id}",
                            className="navbar-text small text-light",
                            id="shell-org",
                        ),
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
