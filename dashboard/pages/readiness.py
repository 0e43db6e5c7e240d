"""Readiness for certification, overall and per clause group, with maturity vs target."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from api.context import runtime
from api.security import current_caller
from core.queries.readiness import readiness
from dashboard.components.cards import NO_ASSESSMENTS_ADVICE, empty_state, kpi_card
from dashboard.figures.readiness import maturity_radar, readiness_by_group
from dashboard.theme import GRAPH_CONFIG

dash.register_page(
    __name__, path="/readiness", name="Readiness", title="Readiness · ISO 55001", order=2
)


def layout(**_query: str) -> html.Div:
    summary = readiness(runtime().database, current_caller().org_id)
    heading = html.H2("Certification readiness", className="h3 mb-3")
    if summary.assessed == 0:
        return html.Div([heading, empty_state("Nothing assessed yet", NO_ASSESSMENTS_ADVICE)])
    weakest = min(summary.groups, key=lambda g: g.percent)
    return html.Div(
        [
            heading,
            dbc.Row(
                [
                    dbc.Col(
                        kpi_card(
                            "Overall readiness",
                            f"{summary.percent:.1f}%",
                            "Compliant counts 1, partial 0.5, not assessed 0",
                            card_id="readiness-overall",
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        kpi_card(
                            "Applicable clauses assessed",
                            f"{summary.assessed} / {summary.applicable}",
                            "Not-applicable clauses are excluded",
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        kpi_card(
                            "Weakest group",
                            f"{weakest.percent:.1f}%",
                            f"{weakest.group_id} {weakest.title}",
                        ),
                        md=4,
                    ),
                ],
                className="g-3 mb-4",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H3("Readiness by clause group", className="h6"),
                                    dcc.Graph(
                                        id="readiness-by-group",
                                        figure=readiness_by_group(summary.groups),
                                        config=GRAPH_CONFIG,
                                    ),
                                ]
                            ),
                            className="shadow-sm",
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    html.H3("Maturity: current vs target", className="h6"),
                                    dcc.Graph(
                                        id="readiness-maturity",
                                        figure=maturity_radar(summary.groups),
                                        config=GRAPH_CONFIG,
                                    ),
                                ]
                            ),
                            className="shadow-sm",
                        ),
                        lg=6,
                    ),
                ],
                className="g-3",
            ),
        ]
    )
