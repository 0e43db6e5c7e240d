"""Overview: where the organisation stands, and the open gaps to close next."""

from __future__ import annotations

from collections import Counter
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from api.context import runtime
from api.security import current_caller
from core.queries.clause_status import clause_statuses
from core.queries.readiness import readiness
from core.rules import ASSESSMENT_STATUSES, NOT_ASSESSED
from dashboard.components.cards import NO_ASSESSMENTS_ADVICE, empty_state, kpi_card
from dashboard.theme import STATUS_COLORS, STATUS_LABELS

dash.register_page(__name__, path="/", name="Overview", title="Overview · ISO 55001", order=0)

GAP_STATUSES = ("Noncompliant", "Partial")


def _gap_table(rows: list[Any]) -> dbc.Table:
    header = html.Thead(
        html.Tr([html.Th("Clause"), html.Th("Status"), html.Th("Owner"), html.Th("Due")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(f"{row.clause_id} {row.title}"),
                    html.Td(dbc.Badge(STATUS_LABELS[row.status], color=STATUS_COLORS[row.status])),
                    html.Td(row.owner or "Unassigned"),
                    html.Td(row.due_date.isoformat() if row.due_date else "—"),
                ]
            )
            for row in rows
        ]
    )
    return dbc.Table([header, body], hover=True, size="sm", id="overview-gaps")


def layout(**_query: str) -> html.Div:
    caller = current_caller()
    database = runtime().database
    cells = clause_statuses(database, caller.org_id)
    summary = readiness(database, caller.org_id)
    counts = Counter(cell.status or NOT_ASSESSED for cell in cells)
    heading = html.H2("Overview", className="h3 mb-3")
    if counts[NOT_ASSESSED] == len(cells):
        return html.Div([heading, empty_state("No assessments yet", NO_ASSESSMENTS_ADVICE)])
    gaps = sorted(
        (cell for cell in cells if cell.status in GAP_STATUSES),
        key=lambda cell: (cell.due_date is None, cell.due_date, cell.clause_id),
    )
    status_cards = [
        dbc.Col(kpi_card(STATUS_LABELS[status], str(counts[status]), "leaf clauses"), md=2)
        for status in (*ASSESSMENT_STATUSES, NOT_ASSESSED)
    ]
    return html.Div(
        [
            heading,
            dbc.Row(
                [
                    dbc.Col(
                        kpi_card(
                            "Readiness",
                            f"{summary.percent:.1f}%",
                            f"{summary.assessed} of {summary.applicable} applicable clauses "
                            "assessed",
                            card_id="overview-readiness",
                        ),
                        md=2,
                    ),
                    *status_cards,
                ],
                className="g-3 mb-4",
            ),
            html.H3("Open gaps", className="h5"),
            html.P(
                [
                    "Clauses whose latest assessment is noncompliant or partial, earliest due "
                    "first. See the ",
                    dcc.Link("clause heatmap", href=dash.get_relative_path("/heatmap")),
                    " for the whole picture.",
                ],
                className="text-muted small",
            ),
            _gap_table(gaps) if gaps else html.P("No open gaps.", className="text-success"),
        ]
    )
