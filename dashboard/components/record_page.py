"""Wiring every record page shares (audits, nonconformities, reviews).

A page names its components `<prefix>-table`, `<prefix>-selected`, `<prefix>-url`,
`<prefix>-refresh`, `<prefix>-detail`, `<prefix>-feedback` and `<prefix>-feedback-store`;
these functions register the callbacks that select a row, keep it in the URL, show the
selected record, and report the outcome of a write.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from typing import Any

import dash
from dash import Input, Output, State, callback, html

from core.errors import DomainError, NotFound
from core.queries.records import get_record
from core.specs.record import RecordSpec
from dashboard.components.access import lacks_role
from dashboard.components.forms import (
    failure,
    field_messages,
    outcome_message,
    parse_record,
    value_property,
)
from web.caller import current_caller
from web.runtime import runtime

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


def _plural(noun: str) -> str:
    """The plural of a record's noun: audits, reviews, nonconformities."""
    word = noun.lower()
    return f"{word[:-1]}ies" if word.endswith("y") else f"{word}s"


def register_record_forms(
    prefix: str,
    fields: tuple[str, ...],
    prop: Callable[[str], str],
    parse: Callable[[dict[str, Any]], dict[str, Any]],
    service: Callable[[Any], Any],
    noun: str,
    blank: dict[str, Any] | None = None,
    create_fields: tuple[str, ...] | None = None,
) -> None:
    """Save (only what changed, at the version shown) and create-in-a-modal callbacks.

    The edit form's controls are `<prefix>-edit-<field>` with `<prefix>-edit-<field>-error`,
    the modal's `<prefix>-new-<field>`; `prop(field)` is the control's value property,
    `parse` turns form values into service values (raising InvalidInput per field), and
    `service(database)` builds the RecordService. Every write re-checks the role here.
    The modal asks for `create_fields` when it asks for less than the edit form.
    """
    no_errors = [""] * len(fields)
    new_fields = fields if create_fields is None else create_fields
    no_new_errors = [""] * len(new_fields)

    @callback(
        Output(f"{prefix}-feedback-store", "data", allow_duplicate=True),
        Output(f"{prefix}-refresh", "data", allow_duplicate=True),
        *[Output(f"{prefix}-edit-{name}-error", "children") for name in fields],
        Input(f"{prefix}-save", "n_clicks"),
        State(f"{prefix}-selected", "data"),
        State(f"{prefix}-version", "data"),
        State(f"{prefix}-original", "data"),
        *[State(f"{prefix}-edit-{name}", prop(name)) for name in fields],
        State(f"{prefix}-refresh", "data"),
        prevent_initial_call=True,
    )
    def save(
        clicks: int | None,
        selected: int,
        version: int,
        original: dict[str, Any] | None,
        *values: Any,
    ) -> Any:
        *shown, refresh = values
        if not clicks:
            return dash.no_update, dash.no_update, *no_errors
        if lacks_role(EDITOR):  # the server decides; hidden buttons are no protection
            denied = {"error": "Insufficient role: editing needs the editor role"}
            return denied, dash.no_update, *no_errors
        try:
            before = parse(original or {})
            after = parse(dict(zip(fields, shown, strict=True)))
            changes = {name: value for name, value in after.items() if before.get(name) != value}
            if not changes:
                return {"ok": f"{noun} #{selected}: nothing changed"}, dash.no_update, *no_errors
            service(runtime().database).update(
                current_caller(), selected, changes, expected_version=version
            )
        except DomainError as error:
            return {"error": error.message}, dash.no_update, *field_messages(error, list(fields))
        return {"ok": f"{noun} #{selected} saved"}, refresh + 1, *no_errors

    @callback(
        Output(f"{prefix}-new-modal", "is_open"),
        Output(f"{prefix}-new-feedback", "children", allow_duplicate=True),
        *[Output(f"{prefix}-new-{name}", prop(name)) for name in new_fields],
        Input(f"{prefix}-new-open", "n_clicks"),
        prevent_initial_call=True,
    )
    def open_create(_clicks: int | None) -> Any:
        start = blank or {}
        return True, "", *[start.get(name) for name in new_fields]

    @callback(
        Output(f"{prefix}-new-modal", "is_open", allow_duplicate=True),
        Output(f"{prefix}-new-feedback", "children"),
        Output(f"{prefix}-selected", "data", allow_duplicate=True),
        Output(f"{prefix}-refresh", "data", allow_duplicate=True),
        *[Output(f"{prefix}-new-{name}-error", "children") for name in new_fields],
        Input(f"{prefix}-new-submit", "n_clicks"),
        *[State(f"{prefix}-new-{name}", prop(name)) for name in new_fields],
        State(f"{prefix}-refresh", "data"),
        prevent_initial_call=True,
    )
    def create(_clicks: int | None, *values: Any) -> Any:
        *entered, refresh = values
        if lacks_role(EDITOR):
            refused = failure(f"Insufficient role: creating {_plural(noun)} needs the editor role")
            return True, refused, dash.no_update, dash.no_update, *no_new_errors
        try:
            parsed = parse(dict(zip(new_fields, entered, strict=True)))
            # Unset fields take the service's defaults.
            chosen = {name: value for name, value in parsed.items() if value not in (None, [])}
            record = service(runtime().database).create(current_caller(), chosen)
        except DomainError as error:
            messages = field_messages(error, list(new_fields))
            return True, failure(error), dash.no_update, dash.no_update, *messages
        return False, "", record.id, (refresh or 0) + 1, *no_new_errors


def register_declared_forms(
    prefix: str,
    spec: RecordSpec,
    service: Callable[[Any], Any],
    noun: str,
    blank: dict[str, Any] | None = None,
    edited: Collection[str] | None = None,
    created: Collection[str] | None = None,
) -> None:
    """`register_record_forms` for forms drawn with `record_fields`: the declared fields
    (those in `edited` and `created`, when the forms draw only those)."""

    def drawn(only: Collection[str] | None) -> tuple[str, ...]:
        return tuple(name for name in spec.names if only is None or name in only)

    register_record_forms(
        prefix,
        drawn(edited),
        lambda name: value_property(spec.field(name)),
        partial(parse_record, spec),
        service,
        noun,
        blank,
        create_fields=drawn(created),
    )
