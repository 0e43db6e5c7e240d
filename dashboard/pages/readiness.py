"""Readiness for certification, overall and per clause group, with maturity vs target."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.queries.clause_status import ClauseStatus, clause_statuses
from core.queries.readiness import readiness
from core.rules import NOT_ASSESSED, maturity_name
from dashboard.components.cards import NO_ASSESSMENTS_ADVICE, badge, empty_state, kpi_card
from dashboard.figures.heatmap import maturity_gap
from dashboard.figures.readiness import maturity_radar, readiness_by_group
from dashboard.theme import GRAPH_CONFIG, STATUS_COLORS, STATUS_LABELS
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__, path="/readiness", name="Readiness", title="Readiness · ISO 55001", order=2
)


def _gap_list(cells: list[ClauseStatus]) -> dbc.Table:
    """Clauses furthest below their target maturity first."""
    ranked = sorted(
        (cell for cell in cells if maturity_gap(cell) and cell.status != "NotApplicable"),
        key=lambda cell: (-(maturity_gap(cell) or 0), cell.clause_id),
    )
    body = [
        html.Tr(
            [
                html.Td(
                    dcc.Link(
                        f"{cell.clause_id} {cell.title}",
                        href=dash.get_relative_path(f"/heatmap?clause={cell.clause_id}"),
                    )
                ),
                html.Td(
                    badge(
                        STATUS_LABELS[cell.status or NOT_ASSESSED],
                        STATUS_COLORS[cell.status or NOT_ASSESSED],
                    )
                ),
                html.Td(maturity_name(cell.maturity)),
                html.Td(maturity_name(cell.target_maturity)),
                html.Td(str(maturity_gap(cell)), className="fw-semibold"),
            ]
        )
        for cell in ranked
    ]
    return dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("Clause"),
                        html.Th("Status"),
                        html.Th("Current"),
                        html.Th("Target"),
                        html.Th("Gap"),
                    ]
                )
            ),
            html.Tbody(body),
        ],
        size="sm",
        hover=True,
        id="readiness-gaps",
    )


def layout(**_query: str) -> html.Div:
    caller = current_caller()
    summary = readiness(runtime().database, caller.org_id)
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
                className="g-3 mb-4",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3("Largest maturity gaps", className="h6"),
                        html.P(
                            "Applicable clauses below their target maturity, largest gap first.",
                            className="text-muted small",
                        ),
                        _gap_list(clause_statuses(runtime().database, caller.org_id)),
                    ]
                ),
                className="shadow-sm",
            ),
        ]
    )
