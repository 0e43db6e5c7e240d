"""Server-side role checks for pages and callbacks (the navbar only hides links)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from web.caller import current_caller


def denied(role: str) -> dbc.Alert:
    return dbc.Alert(
        [
            html.H5("Insufficient role", className="alert-heading"),
            html.P(
                f"This page needs the {role} role; ask an administrator for access.",
                className="mb-0",
            ),
        ],
        color="danger",
        id="access-denied",
    )


def lacks_role(role: str) -> bool:
    return not current_caller().has_role(role)
