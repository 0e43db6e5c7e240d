"""The tables of declared registers, built from their specs (see `core.specs.registers`).

A field's kind decides its column: one-line text up to 255 characters is a VARCHAR of
its maximum length, longer text a TEXT; an enum a checked VARCHAR as long as its
longest choice (at least 32, so a later choice fits); a list of strings JSON.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Date, Enum, Index, Integer, String, Text
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeEngine

from core.db import Base
from core.models.tracking import Tracked
from core.specs import registers
from core.specs.record import FieldSpec, Kind, Register

VARCHAR_LIMIT = 255
ENUM_LENGTH = 32


def _type(table: str, field: FieldSpec) -> TypeEngine[Any]:
    if field.kind is Kind.TEXT and (field.max_length or VARCHAR_LIMIT + 1) <= VARCHAR_LIMIT:
        return String(field.max_length)
    if field.kind is Kind.ENUM:
        return Enum(
            *field.choices,
            name=f"{table}_{field.name}",
            native_enum=False,
            create_constraint=True,
            length=max(ENUM_LENGTH, *(len(choice) for choice in field.choices)),
        )
    kinds: dict[Kind, TypeEngine[Any]] = {
        Kind.DATE: Date(),
        Kind.INTEGER: Integer(),
        Kind.BOOLEAN: Boolean(),
        Kind.STRINGS: JSON(),
    }
    return kinds.get(field.kind, Text())


def _column(table: str, field: FieldSpec) -> Any:
    if field.kind is Kind.STRINGS:
        return mapped_column(_type(table, field), nullable=False, default=list)
    return mapped_column(_type(table, field), nullable=field.may_be_empty)


def _class_name(entity: str) -> str:
    return "".join(part.capitalize() for part in entity.split("_"))


def _model(register: Register) -> type[Any]:
    namespace: dict[str, Any] = {
        "__tablename__": register.table,
        "__table_args__": (Index(f"ix_{register.table}_org_id_id", "org_id", "id"),),
        "__module__": __name__,
        "__doc__": f"{register.spec.label} records: {register.description}.",
    }
    namespace.update((field.name, _column(register.table, field)) for field in register.spec.fields)
    return type(_class_name(register.spec.entity), (Tracked, Base), namespace)


MODELS: dict[str, type[Any]] = {register.spec.entity: _model(register) for register in registers()}


def model_of(entity: str) -> type[Any]:
    """The mapped class of the register declared for `entity` ("management_review")."""
    return MODELS[entity]
