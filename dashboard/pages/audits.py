"""Audits (clause 9.2): filter, sort and page in the database; plan, edit and complete audits."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from core.models import Audit, Nonconformity
from core.paging import PageRequest
from core.queries.records import list_records
from core.rules import AUDIT_STATUSES
from core.services.audits import AuditService
from core.specs.audits import AUDIT
from dashboard.components.access import lacks_role
from dashboard.components.cards import badge
from dashboard.components.forms import choice, form_values, labelled, record_fields
from dashboard.components.record_page import register_declared_forms, register_record_page
from dashboard.components.tables import (
    cell,
    page_count,
    page_request,
    record_table,
    rows,
    sort_order,
)
from dashboard.theme import AUDIT_STATUS_COLORS, SEVERITY_COLORS
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__,
    path="/audits",
    name="Audits",
    title="Audits · ISO 55001",
    order=5,
)

EDITOR = "editor"
COLUMNS = [
    ("id", "#"),
    ("title", "Title"),
    ("status", "Status"),
    ("scheduled_date", "Scheduled"),
    ("completed_date", "Completed"),
    ("lead_auditor", "Lead auditor"),
    ("scope_clause_ids", "Scope (clauses)"),
]
NEW_AUDIT = {"status": "Planned"}
# Findings listed on an audit's card; the rest are counted.
FINDING_ROWS = 8
# Only the create form suggests how a scope is typed; the edit form shows the scope.
NEW_PLACEHOLDERS = {"scope_clause_ids": "e.g. 8.1, 9.1"}


def layout(id: str | None = None, status: str | None = None, **_query: str) -> html.Div:
    selected = int(id) if id and id.isdigit() else None
    can_edit = not lacks_role(EDITOR)
    new_button = (
        dbc.Button("New audit", id="audits-new-open", color="primary", size="sm")
        if can_edit
        else html.Span()
    )
    status = status if status in AUDIT_STATUSES else None
    return html.Div(
        [
            dcc.Store(id="audits-selected", data=selected),
            dcc.Store(id="audits-refresh", data=0),
            dcc.Store(id="audits-feedback-store"),
            dcc.Location(id="audits-url", refresh=False),
            html.Div(
                [html.H2("Audits", className="h3 mb-0 me-auto"), new_button],
                className="d-flex align-items-center mb-3",
            ),
            dbc.Row(
                dbc.Col(
                    labelled(
                        "Status", choice("audits-filter-status", list(AUDIT_STATUSES), status)
                    ),
                    md=2,
                ),
                className="g-2",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Loading(
                            record_table(
                                "audits-table",
                                COLUMNS,
                                selectable=True,
                                colored={"status": AUDIT_STATUS_COLORS},
                            ),
                            delay_show=300,
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            html.Div(id="audits-feedback", className="mb-2"),
                            html.Div(id="audits-detail"),
                        ],
                        lg=5,
                    ),
                ],
                className="g-3",
            ),
            html.Div(id="audits-empty"),
            _create_modal() if can_edit else html.Div(),
        ]
    )


def _create_modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("New audit")),
            dbc.ModalBody(
                [
                    *record_fields("audits-new", AUDIT, NEW_AUDIT, NEW_PLACEHOLDERS),
                    html.Div(id="audits-new-feedback"),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Create", id="audits-new-submit", color="primary")),
        ],
        id="audits-new-modal",
        is_open=False,
    )


@callback(
    Output("audits-table", "data"),
    Output("audits-table", "page_count"),
    Output("audits-table", "page_current"),
    Output("audits-table", "selected_rows"),
    Output("audits-empty", "children"),
    Input("audits-filter-status", "value"),
    Input("audits-table", "page_current"),
    Input("audits-table", "page_size"),
    Input("audits-table", "sort_by"),
    Input("audits-refresh", "data"),
)
def load_page(
    status: str | None,
    page_current: int | None,
    size: int | None,
    sort_by: list[dict[str, str]] | None,
    _refresh: int,
) -> Any:
    # A new filter starts again at the first page: the old page may not exist any more.
    if "audits-filter-status.value" in dash.ctx.triggered_prop_ids:
        page_current = 0
    page = list_records(
        runtime().database,
        current_caller(),
        Audit,
        {"status": status},
        page_request(page_current, size),
        sort_order(sort_by),
    )
    empty: Any = ""
    if page.total == 0:
        advice = (
            "No audit has this status; clear the status filter to see the others."
            if status
            else "No audits yet. Plan one with “New audit”, create them through the API "
            "(POST /audits), or load demo data with `iso55001 seed-demo`."
        )
        empty = dbc.Alert(advice, color="info", className="empty-state mt-3")
    data = rows(page.items, [key for key, _ in COLUMNS])
    return data, page_count(page), page_current or 0, [], empty


def _facts(record: Audit) -> list[Any]:
    facts: list[Any] = []
    if record.description:
        facts.append(html.P(record.description))
    for label, value in (
        ("Scheduled", record.scheduled_date),
        ("Completed", record.completed_date),
        ("Lead auditor", record.lead_auditor),
        ("Scope", record.scope_clause_ids),
    ):
        if value:
            facts.append(html.P([html.Strong(f"{label}: "), cell(value)], className="mb-1"))
    return facts


def _findings(record: Audit, can_edit: bool) -> html.Div:
    """The nonconformities the audit raised, and (for editors) a way to raise one more."""
    found = list_records(
        runtime().database,
        current_caller(),
        Nonconformity,
        {"audit_id": record.id},
        PageRequest(limit=FINDING_ROWS),
    )
    items: list[Any] = [
        html.Li(
            [
                dcc.Link(
                    f"#{finding.id}",
                    href=dash.get_relative_path(f"/nonconformities?id={finding.id}"),
                ),
                " ",
                badge(finding.severity, SEVERITY_COLORS[finding.severity], className="me-1"),
                f"{finding.status}: {finding.description}",
            ],
            className="text-truncate",
        )
        for finding in found.items
    ]
    if found.total > len(found.items):
        items.append(html.Li(f"and {found.total - len(found.items)} more", className="text-muted"))
    raise_link = (
        dcc.Link(
            "Raise a nonconformity from this audit",
            href=dash.get_relative_path(f"/nonconformities?raise_for={record.id}"),
            id="audits-raise",
            className="btn btn-outline-primary btn-sm mt-2",
        )
        if can_edit
        else html.Span()
    )
    return html.Div(
        [
            html.H4(f"Nonconformities raised ({found.total})", className="h6 mt-3"),
            html.Ul(items, className="list-unstyled small mb-0")
            if items
            else html.P("None yet.", className="small text-muted mb-0"),
            raise_link,
        ],
        id="audits-findings",
    )


def _detail(record: Audit, can_edit: bool) -> dbc.Card:
    header = html.Div(
        [
            html.H3(f"Audit #{record.id}: {record.title}", className="h5 mb-1"),
            badge(record.status, AUDIT_STATUS_COLORS[record.status]),
        ],
        className="mb-3",
    )
    if not can_edit:
        return dbc.Card(
            dbc.CardBody([header, *_facts(record), _findings(record, can_edit)]),
            className="shadow-sm",
            id="audits-card",
        )
    form = [
        *record_fields("audits-edit", AUDIT, record),
        dbc.Button("Save changes", id="audits-save", color="primary", size="sm"),
        dcc.Store(id="audits-version", data=record.version),
        dcc.Store(id="audits-original", data=form_values(record, AUDIT.names)),
    ]
    return dbc.Card(
        dbc.CardBody([header, *form, _findings(record, can_edit)]),
        className="shadow-sm",
        id="audits-card",
    )


register_record_page("audits", Audit, "Audit", _detail, "Select an audit to see and edit it.")
register_declared_forms("audits", AUDIT, AuditService, "Audit", NEW_AUDIT)
