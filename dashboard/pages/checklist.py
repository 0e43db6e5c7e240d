"""Assessment checklist: every leaf clause, edited inline; evidence uploaded on the clause."""

from __future__ import annotations

import base64
import binascii
import io
from datetime import date
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from dash.dash_table.DataTable import DataTable
from flask_limiter import RateLimitExceeded

from core.errors import DomainError
from core.models import Attachment
from core.paging import PageRequest
from core.queries.clause_status import ClauseStatus, clause_statuses
from core.queries.records import list_records
from core.rules import MATURITY_LEVELS
from core.services.assessments import AssessmentService
from core.services.attachments import AttachmentService
from core.specs.assessments import ASSESSMENT
from core.specs.record import Kind
from dashboard.components.access import lacks_role
from dashboard.components.forms import failure, success
from dashboard.theme import FONT_FAMILY, STATUS_COLORS, readable
from web.caller import current_caller
from web.hardening import limit_uploads
from web.runtime import runtime

dash.register_page(
    __name__,
    path="/checklist",
    name="Checklist",
    title="Assessment checklist · ISO 55001",
    order=4,
)

EDITOR = "editor"
STATUSES = ASSESSMENT.field("status").choices
STATUS_OPTIONS: Any = [{"label": status, "value": status} for status in STATUSES]
EDITABLE = ("status", "maturity", "target_maturity", "owner", "due_date")
# How a saved cell is named in messages: "7.2 · target maturity saved".
LABELS = {name: ASSESSMENT.field(name).label.lower() for name in EDITABLE}
MATURITY_OPTIONS: Any = [
    {"label": f"{level} {name}", "value": level} for level, name in MATURITY_LEVELS.items()
]


def _row(cell: ClauseStatus) -> dict[str, Any]:
    return {
        "id": cell.clause_id,
        "clause_id": cell.clause_id,
        "title": cell.title,
        "status": cell.status,
        "maturity": cell.maturity,
        "target_maturity": cell.target_maturity,
        "owner": cell.owner or "",
        "due_date": cell.due_date.isoformat() if cell.due_date else "",
        "assessment_id": cell.assessment_id,
    }


def _table(cells: list[ClauseStatus], editable: bool, selected: int | None) -> DataTable:
    columns: Any = [
        {"id": "clause_id", "name": "Clause", "editable": False},
        {"id": "title", "name": "Title", "editable": False},
        {"id": "status", "name": "Status", "presentation": "dropdown", "editable": editable},
        {"id": "maturity", "name": "Maturity", "presentation": "dropdown", "editable": editable},
        {
            "id": "target_maturity",
            "name": "Target",
            "presentation": "dropdown",
            "editable": editable,
        },
        {"id": "owner", "name": "Owner", "editable": editable},
        {"id": "due_date", "name": "Due (YYYY-MM-DD)", "editable": editable},
    ]
    return DataTable(
        id="checklist-table",
        columns=columns,
        data=[_row(cell) for cell in cells],  # type: ignore[misc]
        editable=editable,
        row_selectable="single",
        selected_rows=[] if selected is None else [selected],
        dropdown={
            "status": {"options": STATUS_OPTIONS},
            "maturity": {"options": MATURITY_OPTIONS},
            "target_maturity": {"options": MATURITY_OPTIONS},
        },
        style_as_list_view=True,
        # A narrow screen scrolls the table inside the page, never the page sideways.
        style_table={"overflowX": "auto"},
        style_header={"fontWeight": "600", "backgroundColor": "#f1f3f5"},
        style_cell={
            "fontFamily": FONT_FAMILY,
            "fontSize": "0.875rem",
            "textAlign": "left",
            "padding": "4px 8px",
            "maxWidth": "16rem",
            "overflow": "hidden",
            "textOverflow": "ellipsis",
        },
        # Dropdown menus must be able to leave their cell.
        style_cell_conditional=[
            {"if": {"column_id": name}, "overflow": "visible"}
            for name in ("status", "maturity", "target_maturity")
        ],
        style_data_conditional=_status_styles(),
        css=[{"selector": ".Select-menu-outer", "rule": "display: block !important"}],
    )


def _status_styles() -> list[dict[str, Any]]:
    return [
        {
            "if": {"filter_query": f'{{status}} = "{status}"', "column_id": "status"},
            "color": readable(STATUS_COLORS[status]),
            "fontWeight": "600",
        }
        for status in STATUSES
    ]


def layout(clause: str | None = None, **_query: str) -> html.Div:
    cells = clause_statuses(runtime().database, current_caller().org_id)
    can_edit = not lacks_role(EDITOR)
    selected = next((i for i, c in enumerate(cells) if c.clause_id == clause), None)
    table = _table(cells, can_edit, selected)
    hint = (
        "Edit status, maturity, target, owner and due date in the table; changes are saved "
        "as you make them."
        if can_edit
        else "You can read the checklist; editing needs the editor role."
    )
    notice: Any = html.Div()
    if all(cell.status is None for cell in cells):
        notice = dbc.Alert(
            "No clause is assessed yet. "
            + (
                "Pick a status in the Status column to start."
                if can_edit
                else "Ask an editor to start."
            ),
            color="info",
            className="empty-state",
        )
    return html.Div(
        [
            html.H2("Assessment checklist", className="h3 mb-1"),
            html.P(hint, className="text-muted small"),
            notice,
            html.Div(id="checklist-message", className="mb-2"),
            dbc.Row(
                [
                    dbc.Col(dcc.Loading(table, delay_show=300), xl=8),
                    dbc.Col(html.Div(id="checklist-evidence"), xl=4),
                ],
                className="g-3",
            ),
        ]
    )


def _changed(
    data: list[dict[str, Any]], previous: list[dict[str, Any]] | None
) -> tuple[int, str] | None:
    for index, (now, before) in enumerate(zip(data, previous or [], strict=False)):
        for name in EDITABLE:
            if now.get(name) != before.get(name):
                return index, name
    return None


def _value(name: str, raw: Any) -> Any:
    if raw in ("", None):
        return None
    kind = ASSESSMENT.field(name).kind
    if kind is Kind.DATE:
        return date.fromisoformat(str(raw).strip())
    if kind is Kind.INTEGER:
        return int(raw)
    return str(raw).strip()


def _invalid_cell(row: int, column: str) -> list[dict[str, Any]]:
    return [
        *_status_styles(),
        {
            "if": {"row_index": row, "column_id": column},
            "backgroundColor": "#f8d7da",
            "border": "1px solid #dc3545",
        },
    ]


@callback(
    Output("checklist-table", "data"),
    Output("checklist-message", "children"),
    Output("checklist-table", "style_data_conditional"),
    Input("checklist-table", "data_timestamp"),
    State("checklist-table", "data"),
    State("checklist-table", "data_previous"),
    prevent_initial_call=True,
)
def save(
    _stamp: int | None, data: list[dict[str, Any]], previous: list[dict[str, Any]] | None
) -> Any:
    change = _changed(data, previous)
    if change is None:
        return dash.no_update, dash.no_update, dash.no_update
    index, name = change
    row = data[index]
    if lacks_role(EDITOR):  # checked on the server: the table's editability is only a hint
        return (
            previous,
            failure("Insufficient role: editing needs the editor role"),
            _status_styles(),
        )
    label = f"{row['clause_id']} · {LABELS[name]}"
    try:
        value = _value(name, row.get(name))
    except ValueError:
        return previous, failure(f"{label}: not a date; use YYYY-MM-DD"), _invalid_cell(index, name)
    service = AssessmentService(runtime().database)
    try:
        if row.get("assessment_id"):
            record = service.update(current_caller(), row["assessment_id"], {name: value})
        else:
            if name != "status" and not row.get("status"):
                return (
                    previous,
                    failure(f"{label}: choose a status for this clause first"),
                    _invalid_cell(index, "status"),
                )
            values = {key: _value(key, row.get(key)) for key in EDITABLE}
            values = {key: val for key, val in values.items() if val is not None}
            record = service.create(current_caller(), {"clause_id": row["clause_id"], **values})
    except DomainError as error:
        return previous, failure(f"{label}: {error.message}"), _invalid_cell(index, name)
    data[index] = {**row, "assessment_id": record.id}
    return data, success(f"{label} saved"), _status_styles()


@callback(
    Output("checklist-evidence", "children"),
    Input("checklist-table", "selected_rows"),
    Input("checklist-table", "data"),
)
def evidence_panel(selected: list[int] | None, data: list[dict[str, Any]]) -> Any:
    if not selected or selected[0] >= len(data):
        return html.P("Select a clause to see and add its evidence.", className="text-muted")
    row = data[selected[0]]
    header = html.H3(f"Evidence for {row['clause_id']}", className="h6")
    if not row.get("assessment_id"):
        return dbc.Card(
            dbc.CardBody(
                [
                    header,
                    html.P(
                        "Assess this clause first; evidence is attached to its assessment.",
                        className="small text-muted",
                    ),
                ]
            ),
            className="shadow-sm",
        )
    return dbc.Card(
        dbc.CardBody(
            [
                header,
                html.Div(_evidence_list(row["assessment_id"]), id="checklist-evidence-list"),
                _uploader() if not lacks_role(EDITOR) else html.Div(),
                html.Div(id="checklist-upload-message", className="mt-2"),
                dcc.Store(id="checklist-assessment", data=row["assessment_id"]),
            ]
        ),
        className="shadow-sm",
        id="checklist-evidence-card",
    )


def _evidence_list(assessment_id: int) -> Any:
    page = list_records(
        runtime().database,
        current_caller(),
        Attachment,
        {"assessment_id": assessment_id},
        PageRequest(limit=50),
    )
    if not page.items:
        return html.P("No evidence yet.", className="small text-muted")
    return dbc.ListGroup(
        [
            dbc.ListGroupItem(
                [
                    html.A(item.filename, href=f"/dashboard/evidence/{item.id}", className="me-2"),
                    html.Span(
                        f"{item.size:,} bytes · {item.content_type}", className="small text-muted"
                    ),
                ],
                className="py-1 small",
            )
            for item in page.items
        ],
        flush=True,
    )


def _uploader() -> dcc.Upload:
    limit = runtime().settings.max_upload_mb * 1024 * 1024
    return dcc.Upload(
        id="checklist-upload",
        children=html.Div(["Drop a file here or ", html.A("choose one")]),
        max_size=limit,
        multiple=False,
        className="border border-secondary-subtle rounded p-3 text-center small mt-2",
    )


@callback(
    Output("checklist-upload-message", "children"),
    Output("checklist-evidence-list", "children"),
    Input("checklist-upload", "contents"),
    State("checklist-upload", "filename"),
    State("checklist-assessment", "data"),
    prevent_initial_call=True,
)
def upload(contents: str | None, filename: str | None, assessment_id: int) -> Any:
    if not contents:
        return dash.no_update, dash.no_update
    if lacks_role(EDITOR):
        return failure("Insufficient role: uploading needs the editor role"), dash.no_update
    header, _, payload = contents.partition(",")
    declared = header.removeprefix("data:").split(";", 1)[0] or None
    try:
        stream = io.BytesIO(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):
        return failure("The upload arrived damaged; try again"), dash.no_update
    try:
        with limit_uploads:  # counted with the API's uploads, per client
            AttachmentService(runtime()).upload(
                current_caller(), assessment_id, filename, declared, stream, {}
            )
    except RateLimitExceeded as exceeded:
        message = f"Too many uploads ({exceeded.description}); try again later"
        return failure(message), dash.no_update
    except DomainError as error:
        return failure(error), dash.no_update
    return success(f"{filename} uploaded"), _evidence_list(assessment_id)
