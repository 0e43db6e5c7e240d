"""Organisations (admin): the tenants an admin manages, and registering a new one.

A tenant admin sees its own organisation; a platform admin sees every one and alone
registers new ones (the same scope as /v1/orgs).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html

from core.caller import PLATFORM_ADMIN
from core.errors import InvalidInput
from core.paging import PageRequest
from core.queries.organizations import list_organizations
from core.services.organizations import register_organization
from dashboard.components.access import denied, lacks_role
from web.caller import current_caller
from web.runtime import runtime

ADMIN = "admin"
dash.register_page(
    __name__,
    path="/organizations",
    name="Organisations",
    title="Organisations · ISO 55001",
    order=90,
    min_role=ADMIN,
)


def _table() -> dbc.Table:
    page = list_organizations(runtime().database, PageRequest(limit=200), current_caller())
    rows = [
        html.Tr([html.Td(org.id), html.Td(org.name), html.Td(f"{org.created_at:%Y-%m-%d}")])
        for org in page.items
    ]
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th("Id"), html.Th("Name"), html.Th("Registered")])),
            html.Tbody(rows),
        ],
        size="sm",
        hover=True,
        id="orgs-table",
    )


def _registration() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Register an organisation", className="h6"),
                dbc.Label("Id", html_for="orgs-new-id"),
                dbc.Input(id="orgs-new-id", placeholder="northshire-water"),
                dbc.Label("Name", html_for="orgs-new-name", className="mt-2"),
                dbc.Input(id="orgs-new-name", placeholder="Northshire Water"),
                dbc.Button("Register", id="orgs-register", className="mt-3"),
                html.Div(id="orgs-feedback", className="mt-2"),
            ]
        ),
        className="shadow-sm",
    )


def layout(**_query: str) -> html.Div:
    heading = html.H2("Organisations", className="h3 mb-3")
    if lacks_role(ADMIN):
        return html.Div([heading, denied(ADMIN)])
    columns = [dbc.Col(html.Div(_table(), id="orgs-table-wrap"), lg=7)]
    if not lacks_role(PLATFORM_ADMIN):
        columns.append(dbc.Col(_registration(), lg=5))
    return html.Div([heading, dbc.Row(columns)])


@callback(
    Output("orgs-feedback", "children"),
    Output("orgs-table-wrap", "children"),
    Input("orgs-register", "n_clicks"),
    State("orgs-new-id", "value"),
    State("orgs-new-name", "value"),
    prevent_initial_call=True,
)
def register(_clicks: int | None, org_id: str | None, name: str | None) -> tuple[Any, Any]:
    if lacks_role(PLATFORM_ADMIN):  # checked on the server: a hidden form is no protection
        return denied(PLATFORM_ADMIN), dash.no_update
    if not org_id or not name:
        return dbc.Alert("Give both an id and a name.", color="warning"), dash.no_update
    try:
        organization, created = register_organization(
            runtime().database, org_id.strip(), name.strip(), current_caller()
        )
    except InvalidInput as exc:
        return dbc.Alert(exc.message, color="danger"), dash.no_update
    message = "Registered" if created else "Already registered"
    return dbc.Alert(f"{message}: {organization.id}", color="success"), _table()
