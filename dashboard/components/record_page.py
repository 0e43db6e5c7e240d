"""Wiring every record page shares (audits, nonconformities, reviews).

A page names its components `<prefix>-table`, `<prefix>-selected`, `<prefix>-url`,
`<prefix>-refresh`, `<prefix>-detail`, `<prefix>-feedback` and `<prefix>-feedback-store`;
these functions register the callbacks that select a row, keep it in the URL, show the
selected record, and report the outcome of a write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State, callback, html

from api.context import runtime
from api.security import current_caller
from core.errors import NotFound
from core.queries.records import get_record
from dashboard.components.access import lacks_role
from dashboard.components.forms import failure, outcome_message

EDITOR = "editor"


def register_record_page(
    prefix: str,
    model: type[Any],
    label: str,
    render: Callable[[Any, bool], Any],
    hint: str,
) -> None:
    """`render(record, can_edit)` draws the selected record; `hint` shows when none is."""

    @callback(
        Output(f"{prefix}-selected", "data"),
        Input(f"{prefix}-table", "selected_rows"),
        Input(f"{prefix}-table", "active_cell"),
        State(f"{prefix}-table", "data"),
        prevent_initial_call=True,
    )
    def select(
        selected_rows: list[int] | None,
        active_cell: dict[str, Any] | None,
        data: list[dict[str, Any]],
    ) -> Any:
        changed = next(iter(dash.ctx.triggered_prop_ids), "")
        if changed.endswith("active_cell") and active_cell and active_cell["row"] < len(data):
            return data[active_cell["row"]]["id"]
        if changed.endswith("selected_rows") and selected_rows and selected_rows[0] < len(data):
            return data[selected_rows[0]]["id"]
        return dash.no_update

    @callback(
        Output(f"{prefix}-url", "search"),
        Input(f"{prefix}-selected", "data"),
        prevent_initial_call=True,
    )
    def remember_selection(selected: int | None) -> str:
        return f"?id={selected}" if selected else ""

    @callback(
        Output(f"{prefix}-detail", "children"),
        Input(f"{prefix}-selected", "data"),
        Input(f"{prefix}-refresh", "data"),
    )
    def show(selected: int | None, _refresh: int) -> Any:
        if not selected:
            return html.P(hint, className="text-muted")
        try:
            record = get_record(runtime().database, current_caller(), model, selected, label)
        except NotFound as error:
            return failure(error)
        return render(record, not lacks_role(EDITOR))

    callback(Output(f"{prefix}-feedback", "children"), Input(f"{prefix}-feedback-store", "data"))(
        outcome_message
    )
