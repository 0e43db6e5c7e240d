"""Clause heatmap: every leaf clause, grouped by clause 4-10, coloured by latest status."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from dash.development.base_component import Component

from api.context import runtime
from api.security import current_caller
from core.queries.clause_status import clause_statuses
from dashboard.components.cards import NO_ASSESSMENTS_ADVICE, empty_state
from dashboard.figures.heatmap import clause_heatmap
from dashboard.theme import GRAPH_CONFIG

dash.register_page(
    __name__, path="/heatmap", name="Clause heatmap", title="Clause heatmap · ISO 55001", order=1
)


def layout(**_query: str) -> html.Div:
    cells = clause_statuses(runtime().database, current_caller().org_id)
    heading = html.H2("Clause heatmap", className="h3 mb-3")
    children: list[Component] = [heading]
    if all(cell.status is None for cell in cells):
        children.append(empty_state("No assessments yet", NO_ASSESSMENTS_ADVICE))
    children.append(
        dbc.Card(
            dbc.CardBody(
                [
                    html.P(
                        "Each cell is a clause's latest assessment; hover for status, "
                        "maturity and owner.",
                        className="text-muted small",
                    ),
                    dcc.Graph(
                        id="heatmap-graph", figure=clause_heatmap(cells), config=GRAPH_CONFIG
                    ),
                ]
            ),
            className="shadow-sm",
        )
    )
    return html.Div(children)
