"""Request and response schemas built from a record type's declaration (core/specs).

A record type's create, patch and list-filter schemas are derived here, so the API
accepts exactly what the service checks: the same fields, lengths, enums and ranges;
and its record schema answers the declared fields, in their declared order.
Request fields are the bounded ones of the input layer (64-bit integers, dates
1000..9998, JSON booleans only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, fields, validate

from api.base import PageArgsSchema, StrictSchema, TrackedSchema
from core.specs.record import FieldSpec, Kind, RecordSpec
from web.inputs import Boolean, Date, Integer, filter_field, one_of


def _class_name(spec: RecordSpec, role: str) -> str:
    # The OpenAPI component is the class name without "Schema": "ManagementReviewCreate".
    return "".join(part.capitalize() for part in spec.entity.split("_")) + f"{role}Schema"


def _body_field(field: FieldSpec, *, required: bool) -> fields.Field:
    described = (("description", field.help), ("example", field.example))
    metadata = {key: value for key, value in described if value not in (None, "")}
    options: dict[str, Any] = {"required": required, "allow_none": field.may_be_empty}
    if field.kind is Kind.ENUM:
        return one_of(field.choices, metadata=metadata, **options)
    if field.kind in (Kind.TEXT, Kind.LONG_TEXT):
        # A required text is never blank: it says what the record is.
        length = (
            validate.Length(min=1 if field.required else None, max=field.max_length)
            if field.max_length is not None
            else None
        )
        return fields.String(validate=length, metadata=metadata, **options)
    if field.kind is Kind.INTEGER:
        has_range = field.minimum is not None or field.maximum is not None
        span = validate.Range(min=field.minimum, max=field.maximum) if has_range else None
        return Integer(validate=span, metadata=metadata, **options)
    if field.kind is Kind.DATE:
        return Date(metadata=metadata, **options)
    if field.kind is Kind.BOOLEAN:
        return Boolean(metadata=metadata, **options)
    items = validate.Length(max=field.max_length) if field.max_length is not None else None
    return fields.List(fields.String(), validate=items, metadata=metadata, **options)


def create_schema(spec: RecordSpec) -> type[Schema]:
    """The create body: required fields must be given; an unknown field is refused."""
    body = {field.name: _body_field(field, required=field.required) for field in spec.fields}
    return StrictSchema.from_dict(body, name=_class_name(spec, "Create"))


def patch_schema(spec: RecordSpec) -> type[Schema]:
    """The patch body: any declared field, none required; required ones cannot be cleared."""
    body = {field.name: _body_field(field, required=False) for field in spec.fields}
    return StrictSchema.from_dict(body, name=_class_name(spec, "Patch"))


def query_schema(spec: RecordSpec, filters: Iterable[str]) -> type[Schema]:
    """Paging plus an equality filter for each of `filters`."""
    args = {name: filter_field(spec.field(name)) for name in filters}
    return PageArgsSchema.from_dict(args, name=_class_name(spec, "Query"))


def _answer_field(field: FieldSpec) -> fields.Field:
    # A list is answered as a list (the database keeps an empty one), never as null.
    options: dict[str, Any] = {"allow_none": field.may_be_empty and field.kind is not Kind.STRINGS}
    if field.example is not None and field.kind is Kind.TEXT:
        options["metadata"] = {"example": field.example}
    if field.kind is Kind.ENUM:
        return one_of(field.choices, **options)
    if field.kind is Kind.INTEGER:
        return fields.Integer(**options)
    if field.kind is Kind.DATE:
        return fields.Date(**options)
    if field.kind is Kind.BOOLEAN:
        return fields.Boolean(**options)
    if field.kind is Kind.STRINGS:
        return fields.List(fields.String(), **options)
    return fields.String(**options)


def record_schema(
    spec: RecordSpec, derived: Mapping[str, Mapping[str, fields.Field]] | None = None
) -> type[Schema]:
    """The record as the API answers it: the tracked fields, then the declared ones.

    `derived` adds computed fields after the declared field they belong with, e.g.
    `{"state": {"allowed_states": ...}}`, so answers keep one stable field order.
    """
    answer: dict[str, fields.Field] = {}
    for field in spec.fields:
        answer[field.name] = _answer_field(field)
        answer.update((derived or {}).get(field.name, {}))
    return TrackedSchema.from_dict(answer, name=_class_name(spec, ""))
