"""Overview: are we ready for certification and what stands in the way; then what is
late, what is due, what is planned."""

from __future__ import annotations

from collections import Counter

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.models import Audit
from core.paging import PageRequest
from core.queries import kpis
from core.queries.clause_status import clause_statuses
from core.queries.periods import DateRange
from core.queries.readiness_history import readiness_trend
from core.queries.records import list_records
from core.repositories.records import SortOrder
from core.rules import ASSESSMENT_STATUSES, NOT_ASSESSED
from dashboard.components.cards import badge, empty_state, kpi_card
from dashboard.components.certification import certification_rows, page_link
from dashboard.figures.audits import audit_timeline
from dashboard.theme import GRAPH_CONFIG, SEVERITY_COLORS, STATUS_LABELS
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(__name__, path="/", name="Overview", title="Overview · ISO 55001", order=0)

OVERDUE_ROWS = 10


def _overdue_table(items: list[kpis.OverdueItem]) -> html.Div | html.P | dbc.Table:
    if not items:
        return html.P("Nothing is overdue.", className="text-success small")
    body = [
        html.Tr(
            [
                html.Td(page_link(f"#{item.id}", f"/nonconformities?id={item.id}")),
                html.Td(badge(item.severity, SEVERITY_COLORS[item.severity])),
                html.Td(item.description, className="text-truncate", style={"maxWidth": "16rem"}),
                html.Td(item.owner or "Unassigned"),
                html.Td(f"{item.days_overdue} d", className="text-danger fw-semibold text-nowrap"),
            ]
        )
        for item in items
    ]
    return dbc.Table(
        [
            html.Thead(
                html.Tr(
                    [
                        html.Th("#"),
                        html.Th("Severity"),
                        html.Th("Finding"),
                        html.Th("Owner"),
                        html.Th("Overdue"),
                    ]
                )
            ),
            html.Tbody(body),
        ],
        size="sm",
        responsive=True,  # scrolls inside its card on a narrow screen
        hover=True,
        id="overview-overdue",
    )


def _due_list(items: list[kpis.DueItem]) -> html.P | dbc.ListGroup:
    if not items:
        return html.P("Nothing falls due in the next 30 days.", className="text-muted small")
    entries = []
    for item in items:
        target = (
            f"/nonconformities?id={item.record_id}"
            if item.kind == "nonconformity"
            else "/checklist"
        )
        entries.append(
            dbc.ListGroupItem(
                [
                    html.Span(item.due_date.isoformat(), className="badge bg-light text-dark me-2"),
                    page_link(item.label, target),
                    html.Span(f" · {item.owner or 'Unassigned'}", className="text-muted small"),
                ],
                className="py-1 small",
            )
        )
    return dbc.ListGroup(entries, flush=True, id="overview-due")


def _card(title: str, body: object, card_id: str | None = None) -> dbc.Card:
    card = dbc.Card(
        dbc.CardBody([html.H3(title, className="h6"), body]), className="shadow-sm h-100"
    )
    if card_id:
        card.id = card_id
    return card


def layout(**_query: str) -> html.Div:
    caller = current_caller()
    database = runtime().database
    cells = clause_statuses(database, caller.org_id)
    summary = kpis.overview(database, caller.org_id)
    today = summary.as_of  # the day core judged overdue on: every panel uses the same
    heading = html.H2("Overview", className="h3 mb-3")
    nothing_yet = all(c.status is None for c in cells) and not sum(summary.nc_by_status.values())
    if nothing_yet and not sum(summary.audits_by_status.values()):
        return html.Div(
            [
                heading,
                empty_state(
                    "Nothing recorded yet",
                    "Assess clauses on the Checklist page, plan audits on the Audits page, or load "
                    "demo data with `iso55001 seed-demo`; this overview fills in as you go.",
                ),
            ]
        )
    latest = Counter(cell.status or NOT_ASSESSED for cell in cells)
    open_ncs = summary.nc_by_status["Open"] + summary.nc_by_status["InProgress"]
    overdue = kpis.overdue_nonconformities(
        database, caller.org_id, today, 0, PageRequest(limit=OVERDUE_ROWS)
    )
    audits = list_records(
        database,
        caller,
        Audit,
        {},
        PageRequest(limit=200),
        SortOrder("scheduled_date", descending=True),
    )
    cards = [
        kpi_card(
            "Readiness",
            f"{summary.readiness.percent:.1f}%",
            f"{summary.readiness.assessed} of {summary.readiness.applicable} clauses assessed",
            card_id="overview-readiness",
        ),
        kpi_card(
            "Open nonconformities",
            str(open_ncs),
            f"{summary.nc_by_status['Closed']} closed",
            card_id="overview-open",
        ),
        kpi_card(
            "Overdue",
            str(summary.nc_overdue),
            "open and past their due date",
            card_id="overview-overdue-count",
        ),
        kpi_card(
            "Audits",
            f"{summary.audits_by_status['Planned']} planned",
            f"{summary.audits_by_status['InProgress']} in progress",
            card_id="overview-audits",
        ),
        kpi_card(
            "Compliant clauses",
            f"{latest['Compliant']} / {len(cells)}",
            " · ".join(
                f"{latest[s]} {STATUS_LABELS[s].lower()}"
                for s in (*ASSESSMENT_STATUSES[1:], NOT_ASSESSED)
            ),
            card_id="overview-assessments",
        ),
    ]
    trend = readiness_trend(database, caller.org_id, DateRange(end=today))
    return html.Div(
        [
            heading,
            *certification_rows(summary.readiness, trend, cells),
            dbc.Row([dbc.Col(card, md=True) for card in cards], className="g-3 mb-4"),
            dbc.Row(
                [
                    dbc.Col(
                        _card(
                            f"Most overdue nonconformities ({overdue.total} in all)",
                            _overdue_table(list(overdue.items)),
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        _card(
                            "Due in the next 30 days",
                            _due_list(kpis.due_soon(database, caller.org_id, today)),
                        ),
                        lg=5,
                    ),
                ],
                className="g-3 mb-4",
            ),
            _card(
                "Audit schedule",
                dcc.Graph(
                    id="overview-audit-timeline",
                    figure=audit_timeline(audits.items, today),
                    config=GRAPH_CONFIG,
                )
                if audits.items
                else html.P("No audits planned yet.", className="text-muted small"),
            ),
        ]
    )
