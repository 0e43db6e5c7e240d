"""Nonconformities: filter, sort and page in the database; raise, edit and move through CAPA."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html

from core.errors import DomainError
from core.models import Audit, Nonconformity
from core.queries.records import get_record, list_records
from core.rules import (
    ADMINISTRATIVE_CLOSE,
    NC_SEVERITIES,
    NC_STATES,
    NC_STATUSES,
    REOPEN,
    NcLifecycle,
    capa_moves,
    move_change,
)
from core.services.nonconformities import NonconformityService
from core.specs.nonconformities import NONCONFORMITY
from core.specs.record import Kind
from dashboard.components.access import lacks_role
from dashboard.components.cards import badge
from dashboard.components.forms import choice, form_values, labelled, record_fields, text_input
from dashboard.components.record_page import register_declared_forms, register_record_page
from dashboard.components.tables import page_count, page_request, record_table, rows, sort_order
from dashboard.theme import NC_STATUS_COLORS, SEVERITY_COLORS
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__,
    path="/nonconformities",
    name="Nonconformities",
    title="Nonconformities · ISO 55001",
    order=6,
)

EDITOR = "editor"
COLUMNS = [
    ("id", "#"),
    ("severity", "Severity"),
    ("status", "Status"),
    ("state", "CAPA state"),
    ("clause_id", "Clause"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("due_date", "Due"),
    ("closed_date", "Closed"),
]
# CAPA moves set status, state and the closing date; the audit a nonconformity came from
# is named when raising it, and the page does not record the verification date.
NOT_EDITED = {"status", "state", "closed_date", "audit_id", "verified_on"}
EDITED = tuple(name for name in NONCONFORMITY.names if name not in NOT_EDITED)
RAISED_WITH = {"description", "severity", "clause_id", "audit_id", "owner", "due_date"}
NEW_NONCONFORMITY = {"severity": "Minor"}
NEW_PLACEHOLDERS = {"clause_id": "e.g. 8.1"}
# Shown to viewers under the description: what was done about it.
CAPA_TEXTS = tuple(
    field
    for field in NONCONFORMITY.fields
    if field.kind is Kind.LONG_TEXT and field.name != "description"
)


def layout(
    id: str | None = None,
    status: str | None = None,
    severity: str | None = None,
    raise_for: str | None = None,
    **_query: str,
) -> html.Div:
    selected = int(id) if id and id.isdigit() else None
    can_edit = not lacks_role(EDITOR)
    filters = dbc.Row(
        [
            dbc.Col(
                labelled("Status", choice("nc-filter-status", list(NC_STATUSES), status)), md=2
            ),
            dbc.Col(
                labelled("Severity", choice("nc-filter-severity", list(NC_SEVERITIES), severity)),
                md=2,
            ),
            dbc.Col(labelled("CAPA state", choice("nc-filter-state", list(NC_STATES))), md=2),
            dbc.Col(
                labelled(
                    "Clause", text_input("nc-filter-clause", placeholder="e.g. 8.1", debounce=True)
                ),
                md=2,
            ),
        ],
        className="g-2",
    )
    new_button = (
        dbc.Button("New nonconformity", id="nc-new-open", color="primary", size="sm")
        if can_edit
        else html.Span()
    )
    return html.Div(
        [
            dcc.Store(id="nc-selected", data=selected),
            dcc.Store(id="nc-refresh", data=0),
            dcc.Store(id="nc-feedback-store"),
            dcc.Location(id="nc-url", refresh=False),
            html.Div(
                [html.H2("Nonconformities", className="h3 mb-0 me-auto"), new_button],
                className="d-flex align-items-center mb-3",
            ),
            filters,
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Loading(
                            record_table(
                                "nc-table",
                                COLUMNS,
                                selectable=True,
                                colored={"severity": SEVERITY_COLORS, "status": NC_STATUS_COLORS},
                            ),
                            delay_show=300,
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        [html.Div(id="nc-feedback", className="mb-2"), html.Div(id="nc-detail")],
                        lg=5,
                    ),
                ],
                className="g-3",
            ),
            html.Div(id="nc-empty"),
            _create_modal(_raised_from(raise_for)) if can_edit else html.Div(),
        ]
    )


def _raised_from(audit_id: str | None) -> dict[str, Any] | None:
    """What a finding raised from the audit `audit_id` starts with: the audit and the first
    clause of its scope (None when there is no such audit here)."""
    if not audit_id or not audit_id.isdigit():
        return None
    try:
        audit = get_record(runtime().database, current_caller(), Audit, int(audit_id), "Audit")
    except DomainError:
        return None
    scope = list(audit.scope_clause_ids or [])
    return {**NEW_NONCONFORMITY, "audit_id": audit.id, "clause_id": scope[0] if scope else None}


def _create_modal(start: dict[str, Any] | None = None) -> dbc.Modal:
    """The "New nonconformity" dialog; open at once, pre-filled, when `start` is given."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("New nonconformity")),
            dbc.ModalBody(
                [
                    *record_fields(
                        "nc-new",
                        NONCONFORMITY,
                        start or NEW_NONCONFORMITY,
                        NEW_PLACEHOLDERS,
                        RAISED_WITH,
                    ),
                    html.Div(id="nc-new-feedback"),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Raise", id="nc-new-submit", color="primary")),
        ],
        id="nc-new-modal",
        is_open=start is not None,
    )


@callback(
    Output("nc-table", "data"),
    Output("nc-table", "page_count"),
    Output("nc-empty", "children"),
    Input("nc-filter-status", "value"),
    Input("nc-filter-severity", "value"),
    Input("nc-filter-state", "value"),
    Input("nc-filter-clause", "value"),
    Input("nc-table", "page_current"),
    Input("nc-table", "page_size"),
    Input("nc-table", "sort_by"),
    Input("nc-refresh", "data"),
)
def load_page(
    status: str | None,
    severity: str | None,
    state: str | None,
    clause: str | None,
    page_current: int,
    size: int,
    sort_by: list[dict[str, str]],
    _refresh: int,
) -> Any:
    equals = {
        "status": status,
        "severity": severity,
        "state": state,
        "clause_id": (clause or "").strip() or None,
    }
    page = list_records(
        runtime().database,
        current_caller(),
        Nonconformity,
        equals,
        page_request(page_current, size),
        sort_order(sort_by),
    )
    empty: Any = ""
    if page.total == 0:
        empty = dbc.Alert(
            "No nonconformities match. Raise one with “New nonconformity”, record them in an "
            "audit, or load demo data with `iso55001 seed-demo`.",
            color="info",
            className="empty-state mt-3",
        )
    return rows(page.items, [key for key, _ in COLUMNS]), page_count(page), empty


def _move_color(target: str) -> str:
    if target == "Closed":
        return "success"
    return "outline-danger" if target == REOPEN else "outline-primary"


def _moves(record: Nonconformity) -> html.Div:
    # The page offers the workflow's steps and reopening; the administrative close is
    # a status change made by editing through the API, not a step of the workflow.
    moves = [
        dbc.Button(
            move.label,
            id={"type": "nc-move", "state": move.target},
            size="sm",
            color=_move_color(move.target),
            className="me-2 mb-2",
        )
        for move in capa_moves(NcLifecycle.of(record))
        if move.allowed and move.target != ADMINISTRATIVE_CLOSE
    ]
    return html.Div(
        [html.Div("Next step", className="small text-muted mb-1"), *moves],
        id="nc-moves",
        className="mb-3",
    )


def _origin(record: Nonconformity) -> Any:
    """Which audit raised it, as a link (nothing when it was raised outside an audit)."""
    if record.audit_id is None:
        return html.Span()
    try:
        audit = get_record(runtime().database, current_caller(), Audit, record.audit_id, "Audit")
    except DomainError:
        return html.Span()
    return html.P(
        [
            "Raised in ",
            dcc.Link(
                f"audit #{audit.id}: {audit.title}",
                href=dash.get_relative_path(f"/audits?id={audit.id}"),
            ),
        ],
        className="small mb-2",
        id="nc-origin",
    )


def _detail(record: Nonconformity, can_edit: bool) -> dbc.Card:
    header = html.Div(
        [
            html.H3(f"Nonconformity #{record.id}", className="h5 mb-1"),
            badge(record.severity, SEVERITY_COLORS[record.severity], className="me-1"),
            badge(record.status, NC_STATUS_COLORS[record.status], className="me-1"),
            dbc.Badge(f"CAPA: {record.state}", color="secondary", id="nc-state-badge"),
        ],
        className="mb-3",
    )
    origin = _origin(record)
    if not can_edit or record.status == "Closed":
        facts = [html.P(record.description)]
        for field in CAPA_TEXTS:
            if getattr(record, field.name):
                facts.append(html.P([html.Strong(f"{field.label}: "), getattr(record, field.name)]))
        closed_note: list[Any] = []
        if can_edit:  # closed: read-only until reopened
            closed_note = [
                html.P(
                    "Closed nonconformities are read-only: reopen it to change it.",
                    className="small text-muted mb-2",
                    id="nc-read-only",
                ),
                _moves(record),
                dcc.Store(id="nc-version", data=record.version),  # the reopen move needs it
            ]
        return dbc.Card(
            dbc.CardBody([header, origin, *closed_note, *facts]),
            className="shadow-sm",
            id="nc-card",
        )
    return dbc.Card(
        dbc.CardBody(
            [
                header,
                origin,
                _moves(record),
                *record_fields("nc-edit", NONCONFORMITY, record, only=EDITED),
                dbc.Button(
                    "Save changes", id="nc-save", color="primary", size="sm", className="mb-3"
                ),
                dcc.Store(id="nc-version", data=record.version),
                dcc.Store(id="nc-original", data=form_values(record, EDITED)),
            ]
        ),
        className="shadow-sm",
        id="nc-card",
    )


@callback(
    Output("nc-feedback-store", "data", allow_duplicate=True),
    Output("nc-refresh", "data", allow_duplicate=True),
    Input({"type": "nc-move", "state": ALL}, "n_clicks"),
    State("nc-selected", "data"),
    State("nc-version", "data"),
    State("nc-refresh", "data"),
    prevent_initial_call=True,
)
def move(clicks: list[int | None], selected: int, version: int, refresh: int) -> Any:
    if not any(clicks) or not isinstance(dash.ctx.triggered_id, dict):
        return dash.no_update, dash.no_update
    if lacks_role(EDITOR):
        return {"error": "Insufficient role: CAPA moves need the editor role"}, dash.no_update
    target = dash.ctx.triggered_id["state"]
    change = move_change(target)
    try:
        record = NonconformityService(runtime().database).update(
            current_caller(), selected, change, expected_version=version
        )
    except DomainError as error:
        return {"error": error.message}, dash.no_update
    return {"ok": f"Nonconformity #{selected} is now {record.state}"}, refresh + 1


register_record_page(
    "nc", Nonconformity, "Nonconformity", _detail, "Select a nonconformity to see and edit it."
)
register_declared_forms(
    "nc",
    NONCONFORMITY,
    NonconformityService,
    "Nonconformity",
    NEW_NONCONFORMITY,
    edited=EDITED,
    created=RAISED_WITH,
)
