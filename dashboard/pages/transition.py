"""Transition from ISO 55001:2014: where each 2014 clause went in 2024, and where the
organisation stands on the 2024 clause now."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.queries.transition import TransitionRow, transition
from dashboard.components.cards import badge
from dashboard.theme import STATUS_COLORS, STATUS_LABELS
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__,
    path="/transition",
    name="2014 → 2024",
    title="Transition from ISO 55001:2014 · ISO 55001",
    order=9,
)


def _status(row: TransitionRow) -> Any:
    status = row.status or "NotAssessed"
    return badge(STATUS_LABELS[status], STATUS_COLORS[status])


def _row(row: TransitionRow) -> html.Tr:
    return html.Tr(
        [
            html.Td(row.from_clause, className="text-nowrap"),
            html.Td(row.from_title),
            html.Td(
                dcc.Link(
                    row.to_clause,
                    href=dash.get_relative_path(f"/checklist?clause={row.to_clause}"),
                ),
                className="text-nowrap",
            ),
            html.Td(row.to_title),
            html.Td(_status(row)),
            html.Td("-" if row.maturity is None else str(row.maturity)),
            html.Td(row.owner or "-"),
            html.Td(row.note, className="small"),
        ]
    )


def layout(**_query: str) -> html.Div:
    rows = transition(runtime().database, current_caller().org_id, runtime().settings.data_dir)
    compliant = sum(1 for row in rows if row.status == "Compliant")
    header = html.Thead(
        html.Tr(
            [
                html.Th("2014 clause", scope="col"),
                html.Th("2014 title", scope="col"),
                html.Th("2024 clause", scope="col"),
                html.Th("2024 title", scope="col"),
                html.Th("Status now", scope="col"),
                html.Th("Maturity", scope="col"),
                html.Th("Owner", scope="col"),
                html.Th("What changed", scope="col"),
            ]
        )
    )
    return html.Div(
        [
            html.H2("Transition from ISO 55001:2014", className="h3 mb-1"),
            html.P(
                "Where each clause of the 2014 edition went in 2024, and where this organisation "
                "stands on the 2024 clause today. Open a 2024 clause to assess it.",
                className="text-muted mb-2",
            ),
            html.P(
                f"{compliant} of {len(rows)} moved clauses are compliant under the 2024 edition.",
                id="transition-summary",
                className="fw-semibold",
            ),
            html.Div(
                dbc.Table(
                    [header, html.Tbody([_row(row) for row in rows])],
                    id="transition-table",
                    bordered=False,
                    hover=True,
                    size="sm",
                    className="mb-0 align-middle",
                ),
                className="table-responsive card shadow-sm p-2",
            ),
        ]
    )
