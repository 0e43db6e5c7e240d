"""The declaration types: a record type is a `RecordSpec` made of `FieldSpec`s.

Only what every door must agree on is declared here (kinds, lengths, enums, ranges,
references, export order, labels); rules that need the database or other records stay
in the record type's service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # paragraphs
    ENUM = "enum"
    DATE = "date"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    STRINGS = "strings"  # a list of short strings


EMPTY_MESSAGE = "Cannot be empty."


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    label: str
    # Must be given on create and can never be cleared.
    required: bool = False
    # Whether a record may leave it unset; a required field never may.
    nullable: bool = True
    # Characters of text, items of a list.
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    # The record type or catalogue the value names ("clause", "audit"); the service
    # checks that it exists.
    references: str | None = None
    help: str = ""
    example: Any = None
    exported: bool = True

    @property
    def may_be_empty(self) -> bool:
        return self.nullable and not self.required

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value` for this field, as the API words it, or None."""
        if value is None:
            return None if self.may_be_empty else EMPTY_MESSAGE
        if self.required and value == "":
            return EMPTY_MESSAGE
        if self.choices and value not in self.choices:
            return f"Must be one of: {', '.join(self.choices)}."
        if (
            self.max_length is not None
            and isinstance(value, str | list)
            and len(value) > self.max_length
        ):
            return f"Longer than maximum length {self.max_length}."
        if self.kind is Kind.INTEGER and isinstance(value, int):
            return self._range_problem(value)
        return None

    def _range_problem(self, value: int) -> str | None:
        low = self.minimum is not None and value < self.minimum
        high = self.maximum is not None and value > self.maximum
        if not (low or high):
            return None
        if self.minimum is None:
            return f"Must be at most {self.maximum}."
        if self.maximum is None:
            return f"Must be at least {self.minimum}."
        return f"Must be between {self.minimum} and {self.maximum}."


@dataclass(frozen=True)
class RecordSpec:
    entity: str  # history and code name, e.g. "management_review"
    label: str  # what messages call one record, e.g. "Management review"
    fields: tuple[FieldSpec, ...]
    # The exported fields' column order, when it is not the declaration's (the first
    # generation's export columns keep their places).
    export_order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        exported = {spec.name for spec in self.fields if spec.exported}
        if self.export_order and set(self.export_order) != exported:
            raise ValueError(f"{self.entity}: export_order must name every exported field once")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(spec.name for spec in self.fields if spec.required)

    @property
    def exported(self) -> tuple[str, ...]:
        return self.export_order or tuple(spec.name for spec in self.fields if spec.exported)

    def field(self, name: str) -> FieldSpec:
        return next(spec for spec in self.fields if spec.name == name)

    def problems(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The declared rules `values` break, by field, in declaration order."""
        found = {
            spec.name: spec.problem(values[spec.name])
            for spec in self.fields
            if spec.name in values
        }
        return {name: message for name, message in found.items() if message}


# A rule between fields of one record: the record's values (the stored ones with the
# changes applied) in, the problems by field out.
Check = Callable[[Mapping[str, Any]], Mapping[str, str]]


@dataclass(frozen=True)
class NotBefore:
    """`later` may not be a date before `earlier` (e.g. a period's end and start)."""

    later: str
    earlier: str

    def __call__(self, values: Mapping[str, Any]) -> Mapping[str, str]:
        start, end = values.get(self.earlier), values.get(self.later)
        if start is not None and end is not None and end < start:
            return {self.later: f"Must not be before {self.earlier}."}
        return {}


@dataclass(frozen=True)
class Register:
    """A record type published whole: its table, API routes, dashboard forms and export.

    Declaring one in a module of `core.specs` is all the code a plain register needs:
    its model, service, routes and (when `export` is set) export are built from it.
    """

    spec: RecordSpec
    table: str  # "management_reviews"
    path: str  # the API collection, "/management-reviews"
    id_name: str  # the path parameter, "review_id"
    group: str  # the API tag, "Management reviews"
    description: str  # the API tag's description
    # The list's equality filters, by field name.
    filters: tuple[str, ...] = ()
    # The name of its `/export/<name>.csv|xlsx` pair, when it has one.
    export: str | None = None
    checks: tuple[Check, ...] = ()
    # Its place among the API's groups (the built-in record types come first).
    order: int = 100
    create_example: Mapping[str, Any] = field(default_factory=dict)
    patch_example: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.filters) - set(self.spec.names)
        if unknown:
            raise ValueError(f"{self.spec.entity}: filters name unknown fields {sorted(unknown)}")

    def problems(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The cross-field checks `values` (a whole record) break, by field."""
        found: dict[str, str] = {}
        for check in self.checks:
            for name, message in check(values).items():
                found.setdefault(name, message)
        return found
