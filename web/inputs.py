"""What the API accepts before any schema sees it.

Deserialising costs CPU and memory in proportion to the input, and the databases
refuse some values outright (PostgreSQL: NUL in text; SQLite: integers past 64 bits),
so the raw request is bounded first: the body's type and size, JSON nesting depth,
list and string lengths, and the characters of every text value. Each refusal is a
4xx naming what was wrong; nothing has been read into a schema or written yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from flask import Flask, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from core.rules import NOT_TEXT_MESSAGE, is_text
from core.specs.record import FieldSpec, Kind
from web.runtime import DASHBOARD_PREFIX

JSON_BODY_LIMIT = 1024 * 1024
JSON_TOO_LARGE = f"JSON bodies are limited to {JSON_BODY_LIMIT} bytes"
MAX_JSON_DEPTH = 32
# A backstop for lists no schema bounds more tightly.
MAX_LIST_ITEMS = 10_000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Record ids are INTEGER columns: 32-bit on PostgreSQL.
ID_MAX = 2**31 - 1
# Dates stay far enough from Python's year 1 and 9999 that a day, a month or a
# hundred years of arithmetic on them cannot overflow.
EARLIEST_DATE, LATEST_DATE = date(1000, 1, 1), date(9998, 12, 31)


class Integer(fields.Integer):
    """An integer the databases can hold (64-bit signed); a fraction is refused, not cut."""

    default_error_messages = {  # noqa: RUF012 - marshmallow's own convention
        "invalid": "Not a valid integer.",
        "fraction": "Must be a whole number, not a fraction.",
        "range": f"Must be between {INT64_MIN} and {INT64_MAX}.",
    }

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("fraction")
        number = super()._validated(value)
        if number is not None and not INT64_MIN <= number <= INT64_MAX:
            raise self.make_error("range")
        return number


class Date(fields.Date):
    """A calendar date between 1000-01-01 and 9998-12-31."""

    def __init__(self, **kwargs: Any) -> None:
        bounds = validate.Range(
            min=EARLIEST_DATE,
            max=LATEST_DATE,
            error=f"Must be between {EARLIEST_DATE} and {LATEST_DATE}.",
        )
        kwargs["validate"] = [bounds, *_as_list(kwargs.get("validate"))]
        super().__init__(**kwargs)


def _as_list(validators: Any) -> list[Any]:
    if validators is None:
        return []
    return list(validators) if isinstance(validators, list | tuple) else [validators]


class Boolean(fields.Boolean):
    """JSON's true or false; 0, 1, "yes" and other stand-ins are refused, not guessed."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise self.make_error("invalid")


class FormBoolean(fields.Boolean):
    """A form field's "true" or "false": the only booleans a multipart form can send."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise self.make_error("invalid")


class InputSchema(Schema):
    """Every request schema: refuses, when the class is used, a field that skips the bounds.

    Plain `fields.Integer` truncates fractions and accepts numbers no database holds;
    plain `fields.Date` accepts dates whose arithmetic overflows; plain `fields.Boolean`
    reads 0, 1 and "yes" as booleans.
    """

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        for found in (field_obj, getattr(field_obj, "inner", None)):
            if type(found) in (fields.Integer, fields.Date, fields.Boolean):
                raise TypeError(
                    f"{type(self).__name__}.{field_name}: use api.inputs.Integer, Date or "
                    "Boolean in request schemas, not marshmallow's lenient, unbounded fields"
                )


class IdConverter(IntegerConverter):
    """`<int:...>` path ids: one beyond the id columns' 32 bits names no record (404).

    A converter's ValidationError would let Werkzeug answer 405 when the same path has
    rules for other methods; a NotFound raised here reaches the error handler as is.
    """

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise NotFound(f"No record has the id {value}")
        return number


def _length_limit(field: fields.Field) -> int | None:
    limits = [v.max for v in _as_list(field.validate) if isinstance(v, validate.Length) and v.max]
    return min(limits) if limits else None


def _problems(value: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Structural problems of decoded JSON, breadth limited by the body cap."""
    stack: list[tuple[Any, str, int]] = [(value, path, depth)]
    while stack:
        item, where, level = stack.pop()
        if level > MAX_JSON_DEPTH:
            yield where, f"Nested more than {MAX_JSON_DEPTH} levels deep."
            return
        if isinstance(item, str):
            if not is_text(item):
                yield where, NOT_TEXT_MESSAGE
        elif isinstance(item, list):
            if len(item) > MAX_LIST_ITEMS:
                yield where, f"Longer than maximum length {MAX_LIST_ITEMS}."
                continue
            stack.extend((child, f"{where}.{n}", level + 1) for n, child in enumerate(item))
        elif isinstance(item, dict):
            for key, child in item.items():
                if not is_text(key):
                    yield where or "_schema", "A field name contains control characters."
                    continue
                stack.append((child, f"{where}.{key}" if where else key, level + 1))


def _oversized(data: Mapping[str, Any], schema: Schema) -> Iterator[tuple[str, str]]:
    """Values longer than their field allows, found before the field deserialises them."""
    for name, field in schema.load_fields.items():
        value = data.get(field.data_key or name)
        limit = _length_limit(field)
        if limit is not None and isinstance(value, str | list) and len(value) > limit:
            yield field.data_key or name, f"Longer than maximum length {limit}."


def _refuse_fields(location: str, problems: list[tuple[str, str]]) -> None:
    if problems:
        errors: dict[str, list[str]] = {}
        for where, message in problems:
            errors.setdefault(where, []).append(message)
        abort(422, errors={location: errors})


class BoundedParser(FlaskParser):
    """webargs' Flask parser with the checks above run on the raw input."""

    def _raw_load_json(self, req: Any) -> Any:
        body = req.get_data(cache=True)
        if not body:
            return webargs_core.missing
        if not webargs_core.is_json(req.mimetype):
            abort(415, message="Request bodies must be sent as application/json")
        if len(body) > JSON_BODY_LIMIT:
            abort(413, message=JSON_TOO_LARGE)
        try:
            return json.loads(body)
        except RecursionError:
            abort(422, message=f"JSON nested more than {MAX_JSON_DEPTH} levels deep")

    def load_json(self, req: Any, schema: Schema) -> Any:
        data = super().load_json(req, schema)
        if data is webargs_core.missing:
            return data
        problems = list(_problems(data, ""))
        if isinstance(data, dict) and not problems:
            problems = list(_oversized(data, schema))
        _refuse_fields("json", [(where or "_schema", message) for where, message in problems])
        return data

    def load_form(self, req: Any, schema: Schema) -> Any:
        _refuse_fields(
            "form",
            [(name, NOT_TEXT_MESSAGE) for name, v in req.form.items(multi=True) if not is_text(v)],
        )
        return super().load_form(req, schema)


def install_input_bounds(app: Flask) -> None:
    """Bound ids in paths, and refuse control characters in paths and query strings."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _refuse_control_characters() -> None:
        if request.path.startswith(DASHBOARD_PREFIX):
            return
        if not is_text(request.path):
            abort(404, message="No such resource: the path contains control characters")
        pairs = request.args.items(multi=True)
        bad = sorted({name for name, value in pairs if not (is_text(name) and is_text(value))})
        if bad:
            abort(422, errors={"query": {name: [NOT_TEXT_MESSAGE] for name in bad}})
        if webargs_core.is_json(request.mimetype):
            if (request.content_length or 0) > JSON_BODY_LIMIT:
                abort(413, message=JSON_TOO_LARGE)
            # A body without a declared length is cut off at the same cap while it is read.
            request.max_content_length = JSON_BODY_LIMIT


def one_of(values: tuple[str, ...], **options: Any) -> fields.String:
    """A string restricted to an enumeration, documented as one."""
    metadata = {"enum": list(values), "example": values[0], **options.pop("metadata", {})}
    return fields.String(validate=validate.OneOf(values), metadata=metadata, **options)


def filter_field(spec: FieldSpec) -> fields.Field:
    """A query-string filter on one declared field (an equality)."""
    if spec.kind is Kind.ENUM:
        return one_of(spec.choices)
    if spec.kind is Kind.INTEGER:
        return Integer()
    if spec.kind is Kind.DATE:
        return Date()
    if spec.kind is Kind.BOOLEAN:
        return FormBoolean()  # a query string carries "true" or "false" as text
    return fields.String()
