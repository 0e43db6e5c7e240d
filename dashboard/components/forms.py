"""Form pieces shared by the editing pages: labelled fields and outcome messages.

A record type's form is drawn from its declaration (core/specs): each field's control
follows its kind, and the values it sends are read back by the same declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from core.errors import DomainError, InvalidInput
from core.specs.record import FieldSpec, Kind, RecordSpec
from dashboard.components.tables import cell


def labelled(label: str, control: Any, field_id: str | None = None) -> html.Div:
    """A label (tied to the control when it has an id), the control, and a place for that
    field's validation message."""
    control_id = getattr(control, "id", None)
    tie = {"html_for": control_id} if isinstance(control_id, str) else {}
    children = [dbc.Label(label, className="small mb-1", **tie), control]
    if field_id:
        children.append(html.Div(className="invalid-feedback d-block small", id=field_id))
    return html.Div(children, className="mb-2")


def text_input(component_id: str, value: Any = None, **options: Any) -> dbc.Input:
    return dbc.Input(id=component_id, value=value, size="sm", **options)


def choice(
    component_id: str,
    options: list[str],
    value: Any = None,
    *,
    clearable: bool = True,
    placeholder: str = "Any",
) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=component_id,
        options=[{"label": option, "value": option} for option in options],
        value=value,
        clearable=clearable,
        placeholder=placeholder,
        className="small",
    )


def date_input(component_id: str, value: Any = None) -> dcc.DatePickerSingle:
    return dcc.DatePickerSingle(
        id=component_id,
        date=value,
        display_format="YYYY-MM-DD",
        first_day_of_week=1,  # weeks start on Monday (ISO 8601)
        clearable=True,
        className="d-block",
    )


# A list of short strings is typed as one line: commas, semicolons or spaces between.
LIST_SEPARATORS = re.compile(r"[,;\s]+")


def value_property(field: FieldSpec) -> str:
    """The property of the field's control that holds its value."""
    return "date" if field.kind is Kind.DATE else "value"


def field_control(
    component_id: str, field: FieldSpec, value: Any = None, placeholder: str | None = None
) -> Any:
    """The control a declared field is edited with, showing `value`."""
    if field.kind is Kind.ENUM:
        return choice(component_id, list(field.choices), value, clearable=field.may_be_empty)
    if field.kind is Kind.DATE:
        return date_input(component_id, value)
    if field.kind is Kind.LONG_TEXT:
        return dbc.Textarea(id=component_id, value=value, rows=3)
    shown = cell(value) if field.kind is Kind.STRINGS and value is not None else value
    options: dict[str, Any] = {"placeholder": placeholder} if placeholder else {}
    if field.kind is Kind.INTEGER:
        options["type"] = "number"
    return text_input(component_id, shown, **options)


def record_fields(
    prefix: str,
    spec: RecordSpec,
    record: Any,
    placeholders: Mapping[str, str] | None = None,
    only: Collection[str] | None = None,
) -> list[Any]:
    """The declared fields (those named in `only`, when given), labelled, filled from
    `record`, in declaration order; ids `<prefix>-<field>`.

    `record` is a record, or a mapping of the values a blank form starts with.
    Consecutive dates share a row: a period or a schedule reads as one line.
    """
    drawn: list[Any] = []
    for field in spec.fields:
        if only is not None and field.name not in only:
            continue
        value = (
            record.get(field.name)
            if isinstance(record, Mapping)
            else getattr(record, field.name, None)
        )
        control = field_control(
            f"{prefix}-{field.name}", field, value, (placeholders or {}).get(field.name)
        )
        shown = labelled(field.label, control, f"{prefix}-{field.name}-error")
        if field.kind is not Kind.DATE:
            drawn.append(shown)
        elif drawn and isinstance(drawn[-1], dbc.Row):
            drawn[-1].children.append(dbc.Col(shown))
        else:
            drawn.append(dbc.Row([dbc.Col(shown)]))
    return drawn


def parse_record(spec: RecordSpec, form: Mapping[str, Any]) -> dict[str, Any]:
    """A record form's values as service values, read by each field's declaration."""
    dates = {field.name for field in spec.fields if field.kind is Kind.DATE}
    converters: dict[str, Callable[[Any], Any]] = {}
    for field in spec.fields:
        if field.kind is Kind.STRINGS:
            converters[field.name] = _strings
        elif field.kind is Kind.INTEGER:
            converters[field.name] = _whole_number(field)
        elif field.kind is Kind.ENUM and not field.may_be_empty:
            converters[field.name] = _chosen(field)
    return parse_form(form, dates, converters)


def _strings(value: Any) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(str(value or "")) if part]


def _whole_number(field: FieldSpec) -> Callable[[Any], int | None]:
    # A reference is a record's number: the message says whose.
    message = (
        f"Give the {field.label.lower()}'s number." if field.references else "Give a whole number."
    )

    def whole_number(value: Any) -> int | None:
        if value in (None, ""):
            return None
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(message) from exc

    return whole_number


def _chosen(field: FieldSpec) -> Callable[[Any], Any]:
    def chosen(value: Any) -> Any:
        if value is None:
            raise ValueError(f"Choose a {field.label.lower()}.")
        return value

    return chosen


def success(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="success", className="py-2 small mb-0", duration=6000)


def failure(error: DomainError | str) -> dbc.Alert:
    message = error if isinstance(error, str) else error.message
    return dbc.Alert(message, color="danger", className="py-2 small mb-0")


def field_messages(error: Exception, fields: list[str]) -> list[str]:
    """The message for each field (in `fields` order) that an InvalidInput names."""
    named = error.fields if isinstance(error, InvalidInput) else {}
    return [("; ".join(named[name]) if name in named else "") for name in fields]


def outcome_message(outcome: dict[str, str] | None) -> Any:
    """The alert for a write's outcome, as pages store it: {"ok": ...} or {"error": ...}."""
    if not outcome:
        return ""
    return failure(outcome["error"]) if "error" in outcome else success(outcome["ok"])


def form_values(record: Any, fields: Sequence[str]) -> dict[str, Any]:
    """The record as its edit form shows it; kept so that Save sends only what changed."""
    shown = {name: cell(getattr(record, name)) for name in fields}
    return {name: (value if value != "" else None) for name, value in shown.items()}


def parse_form(
    form: Mapping[str, Any],
    dates: Collection[str] = (),
    converters: Mapping[str, Callable[[Any], Any]] | None = None,
) -> dict[str, Any]:
    """Form values as service values: text trimmed (blank is None), dates parsed.

    A converter may raise ValueError with a message for its field. Every field problem is
    raised together as one InvalidInput, shown next to the fields like the API's 422s.
    """
    values: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, raw in form.items():
        value = (raw.strip() or None) if isinstance(raw, str) else raw
        try:
            if converters and name in converters:
                value = converters[name](value)
            elif name in dates and value is not None:
                try:
                    value = date.fromisoformat(str(value)[:10])
                except ValueError as exc:
                    raise ValueError("Not a valid date (YYYY-MM-DD).") from exc
        except ValueError as problem:
            problems[name] = [str(problem)]
            continue
        values[name] = value
    if problems:
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in problems.items())
        raise InvalidInput(summary, problems)
    return values
