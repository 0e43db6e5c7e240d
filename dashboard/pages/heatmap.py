"""Clause heatmap: every leaf clause by group 4-10, by status or maturity; click to drill in."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from core.errors import NotFound
from core.queries.clause_detail import ClauseDetail, clause_detail
from core.queries.clause_status import clause_statuses
from core.rules import NOT_ASSESSED, maturity_name
from dashboard.components.cards import NO_ASSESSMENTS_ADVICE, badge, empty_state
from dashboard.figures.heatmap import MEASURES, clause_heatmap
from dashboard.theme import (
    GRAPH_CONFIG,
    NC_STATUS_COLORS,
    SEVERITY_COLORS,
    STATUS_COLORS,
    STATUS_LABELS,
)
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__, path="/heatmap", name="Heatmap", title="Clause heatmap · ISO 55001", order=1
)


def layout(view: str = "status", clause: str | None = None, **_query: str) -> html.Div:
    measure = view if view in MEASURES else "status"
    cells = clause_statuses(runtime().database, current_caller().org_id)
    heading = html.H2("Clause heatmap", className="h3 mb-3")
    notice = (
        empty_state("No assessments yet", NO_ASSESSMENTS_ADVICE)
        if all(cell.status is None for cell in cells)
        else html.Div()
    )
    return html.Div(
        [
            dcc.Location(id="heatmap-url", refresh=False),
            dcc.Store(id="heatmap-clause", data=clause),
            heading,
            notice,
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [
                                    dbc.RadioItems(
                                        id="heatmap-measure",
                                        options=[
                                            {"label": label, "value": key}
                                            for key, label in MEASURES.items()
                                        ],
                                        value=measure,
                                        inline=True,
                                        className="mb-2 small",
                                    ),
                                    html.P(
                                        "Click a clause to see its assessments, evidence and "
                                        "nonconformities.",
                                        className="text-muted small mb-1",
                                    ),
                                    dcc.Loading(
                                        dcc.Graph(
                                            id="heatmap-graph",
                                            figure=clause_heatmap(cells, measure),
                                            config=GRAPH_CONFIG,
                                        ),
                                        delay_show=300,
                                    ),
                                ]
                            ),
                            className="shadow-sm",
                        ),
                        xl=8,
                    ),
                    dbc.Col(html.Div(id="heatmap-detail"), xl=4),
                ],
                className="g-3",
            ),
        ]
    )


@callback(
    Output("heatmap-graph", "figure"),
    Input("heatmap-measure", "value"),
    prevent_initial_call=True,
)
def recolour(measure: str) -> Any:
    cells = clause_statuses(runtime().database, current_caller().org_id)
    return clause_heatmap(cells, measure if measure in MEASURES else "status")


@callback(
    Output("heatmap-clause", "data"),
    Input("heatmap-graph", "clickData"),
    prevent_initial_call=True,
)
def pick(click: dict[str, Any] | None) -> Any:
    points = (click or {}).get("points") or []
    clause_id = points[0].get("text") if points else None
    return clause_id or dash.no_update


@callback(
    Output("heatmap-url", "search"),
    Input("heatmap-measure", "value"),
    Input("heatmap-clause", "data"),
    prevent_initial_call=True,
)
def remember(measure: str, clause: str | None) -> str:
    query = {"view": measure}
    if clause:
        query["clause"] = clause
    return "?" + urlencode(query)


def _panel(detail: ClauseDetail) -> dbc.Card:
    clause = detail.clause
    latest = detail.assessments[0] if detail.assessments else None
    status = latest.status if latest else NOT_ASSESSED
    assessments = [
        dbc.ListGroupItem(
            [
                badge(STATUS_LABELS[a.status], STATUS_COLORS[a.status], className="me-2"),
                html.Span(
                    f"{a.updated_at:%Y-%m-%d} · maturity {maturity_name(a.maturity)}",
                    className="small",
                ),
                html.Div(a.evidence or "", className="small text-muted"),
            ],
            className="py-1",
        )
        for a in detail.assessments
    ] or [dbc.ListGroupItem("Not assessed yet.", className="small text-muted")]
    evidence = [
        dbc.ListGroupItem(
            html.A(f"{item.filename} ({item.size:,} bytes)", href=f"/dashboard/evidence/{item.id}"),
            className="py-1 small",
        )
        for item in detail.evidence
    ] or [dbc.ListGroupItem("No evidence attached.", className="small text-muted")]
    findings = [
        dbc.ListGroupItem(
            [
                dcc.Link(
                    f"#{nc.id}",
                    href=dash.get_relative_path(f"/nonconformities?id={nc.id}"),
                    className="me-2",
                ),
                badge(nc.severity, SEVERITY_COLORS[nc.severity], className="me-1"),
                badge(nc.status, NC_STATUS_COLORS[nc.status], className="me-2"),
                html.Span(nc.description, className="small"),
            ],
            className="py-1",
        )
        for nc in detail.nonconformities
    ] or [dbc.ListGroupItem("No nonconformities.", className="small text-muted")]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(f"{clause.clause_id} {clause.title}", className="h5"),
                dbc.Badge(STATUS_LABELS[status], color=STATUS_COLORS[status], className="mb-2"),
                html.P(clause.summary, className="small"),
                html.H4("Assessments", className="h6 mt-3"),
                dbc.ListGroup(assessments, flush=True, id="heatmap-detail-assessments"),
                html.H4("Evidence", className="h6 mt-3"),
                dbc.ListGroup(evidence, flush=True, id="heatmap-detail-evidence"),
                html.H4("Nonconformities", className="h6 mt-3"),
                dbc.ListGroup(findings, flush=True, id="heatmap-detail-ncs"),
            ]
        ),
        className="shadow-sm",
        id="heatmap-detail-card",
    )


@callback(Output("heatmap-detail", "children"), Input("heatmap-clause", "data"))
def show(clause: str | None) -> Any:
    if not clause:
        return html.P("Select a clause in the heatmap.", className="text-muted")
    try:
        return _panel(clause_detail(runtime().database, current_caller(), clause))
    except NotFound:
        return html.P(f"There is no clause {clause}.", className="text-danger")
