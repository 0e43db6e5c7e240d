"""The rows behind the spreadsheet exports: filtered in SQL, streamed, never all in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Select, String, and_, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from core.db import Database, UTCDateTime
from core.errors import InvalidInput
from core.models import Assessment, Audit, Nonconformity, model_of
from core.queries.periods import DateRange
from core.specs import registers
from core.specs.assessments import ASSESSMENT
from core.specs.audits import AUDIT
from core.specs.nonconformities import NONCONFORMITY
from core.specs.record import RecordSpec, Register
from core.spreadsheets import XLSX_MAX_ROWS, csv_chunks

STREAM_BATCH = 2000
# Text a spreadsheet would run as a formula; see core.spreadsheets.spreadsheet_safe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFilters:
    status: str | None = None
    severity: str | None = None
    clause_id: str | None = None
    audit_id: int | None = None
    owner: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    scheduled_from: date | None = None
    scheduled_to: date | None = None
    completed_from: date | None = None
    completed_to: date | None = None
    # A register's list filters: field name → the value it must equal.
    equals: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ExportFilters:
        """Filters from a loaded query: the named ones above, any other as an equality."""
        named = {spec.name for spec in fields(cls)} - {"equals"}
        return cls(
            **{key: value for key, value in values.items() if key in named},
            equals={key: value for key, value in values.items() if key not in named},
        )

    def to_params(self) -> dict[str, Any]:
        """The filters as JSON (a job's parameters); `from_params` reads them back."""
        named = {
            spec.name: value.isoformat() if isinstance(value, date) else value
            for spec in fields(self)
            if spec.name != "equals" and (value := getattr(self, spec.name)) is not None
        }
        return {**named, "equals": dict(self.equals)}

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ExportFilters:
        values: dict[str, Any] = {
            name: date.fromisoformat(value) if name.endswith(("_from", "_to")) else value
            for name, value in params.items()
            if name != "equals"
        }
        return cls(**values, equals=dict(params.get("equals", {})))

    def period(self, name: str) -> DateRange:
        """The `<name>_from`..`<name>_to` filter, its ends named as the API names them."""
        start, end = f"{name}_from", f"{name}_to"
        return DateRange(getattr(self, start), getattr(self, end), start, end)

    def check(self) -> None:
        """Refuse a range that ends before it starts (making a DateRange checks it)."""
        for name in ("created", "due", "scheduled", "completed"):
            self.period(name)


def _equal(column: Any, value: Any) -> list[Any]:
    return [] if value is None else [column == value]


def _record_columns(spec: RecordSpec) -> tuple[str, ...]:
    """The id, the record type's exported fields in its export order, then who and when."""
    return ("id", *spec.exported, "created_at", "updated_at", "created_by", "updated_by")


AUDIT_COLUMNS = _record_columns(AUDIT)
NC_COLUMNS = _record_columns(NONCONFORMITY)
ASSESSMENT_COLUMNS = _record_columns(ASSESSMENT)
# The first generation's columns, in its order and with its names, then the added ones.
AUDIT_NC_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("audit_id", Audit.id),
    ("audit_title", Audit.title),
    ("nc_id", Nonconformity.id),
    ("severity", Nonconformity.severity),
    ("status", Nonconformity.status),
    ("description", Nonconformity.description),
    ("owner", Nonconformity.owner),
    ("due_date", Nonconformity.due_date),
    ("closed_date", Nonconformity.closed_date),
    ("created_at", Nonconformity.created_at),
    ("audit_status", Audit.status),
    ("audit_scheduled_date", Audit.scheduled_date),
    ("audit_completed_date", Audit.completed_date),
    ("audit_lead_auditor", Audit.lead_auditor),
    ("clause_id", Nonconformity.clause_id),
    ("state", Nonconformity.state),
)


def _audits(org_id: str, f: ExportFilters) -> Select[Any]:
    return (
        select(*(getattr(Audit, c) for c in AUDIT_COLUMNS))
        .where(
            Audit.org_id == org_id,
            *_equal(Audit.status, f.status),
            *f.period("scheduled").on_days(Audit.scheduled_date),
            *f.period("completed").on_days(Audit.completed_date),
            *f.period("created").on_timestamps(Audit.created_at),
        )
        .order_by(Audit.id)
    )


def _nonconformities(org_id: str, f: ExportFilters) -> Select[Any]:
    return (
        select(*(getattr(Nonconformity, c) for c in NC_COLUMNS))
        .where(
            Nonconformity.org_id == org_id,
            *_equal(Nonconformity.status, f.status),
            *_equal(Nonconformity.severity, f.severity),
            *_equal(Nonconformity.clause_id, f.clause_id),
            *_equal(Nonconformity.audit_id, f.audit_id),
            *f.period("created").on_timestamps(Nonconformity.created_at),
            *f.period("due").on_days(Nonconformity.due_date),
        )
        .order_by(Nonconformity.id)
    )


def _assessments(org_id: str, f: ExportFilters) -> Select[Any]:
    return (
        select(*(getattr(Assessment, c) for c in ASSESSMENT_COLUMNS))
        .where(
            Assessment.org_id == org_id,
            *_equal(Assessment.status, f.status),
            *_equal(Assessment.clause_id, f.clause_id),
            *_equal(Assessment.owner, f.owner),
            *f.period("created").on_timestamps(Assessment.created_at),
            *f.period("due").on_days(Assessment.due_date),
        )
        .order_by(Assessment.id)
    )


def _audit_nonconformities(org_id: str, f: ExportFilters) -> Select[Any]:
    # NC filters sit in the join condition: an audit without matching findings still
    # appears once, with empty nonconformity columns (a left join).
    findings = and_(
        Nonconformity.audit_id == Audit.id,
        Nonconformity.org_id == Audit.org_id,
        *_equal(Nonconformity.status, f.status),
        *_equal(Nonconformity.severity, f.severity),
    )
    return (
        select(*(column for _, column in AUDIT_NC_COLUMNS))
        .select_from(Audit)
        .outerjoin(Nonconformity, findings)
        .where(Audit.org_id == org_id, *_equal(Audit.id, f.audit_id))
        .order_by(Audit.id, Nonconformity.id)
    )


@dataclass(frozen=True)
class ExportSpec:
    name: str
    columns: tuple[str, ...]
    build: Callable[[str, ExportFilters], Select[Any]]


def _register_export(register: Register) -> ExportSpec:
    """A declared register's export: its list filters and creation dates, oldest first."""
    model = model_of(register.spec.entity)
    columns = _record_columns(register.spec)

    def build(org_id: str, f: ExportFilters) -> Select[Any]:
        return (
            select(*(getattr(model, name) for name in columns))
            .where(
                model.org_id == org_id,
                *(getattr(model, name) == value for name, value in f.equals.items()),
                *f.period("created").on_timestamps(model.created_at),
            )
            .order_by(model.id)
        )

    assert register.export is not None
    return ExportSpec(register.export, columns, build)


EXPORTS: dict[str, ExportSpec] = {
    spec.name: spec
    for spec in (
        ExportSpec("audits", AUDIT_COLUMNS, _audits),
        ExportSpec("nonconformities", NC_COLUMNS, _nonconformities),
        ExportSpec("assessments", ASSESSMENT_COLUMNS, _assessments),
        ExportSpec(
            "audit_nonconformities",
            tuple(name for name, _ in AUDIT_NC_COLUMNS),
            _audit_nonconformities,
        ),
        *(_register_export(register) for register in registers() if register.export),
    )
}


def _as_text(column: Any, dialect: str) -> ColumnElement[Any]:
    """The column as the text a CSV cell shows, formatted by the database.

    Timestamps become ISO 8601 in UTC, dates ISO dates, and text that a spreadsheet would
    run as a formula gets its leading apostrophe, so rows need no work in Python.
    """
    kind = column.type
    name = column.key
    if isinstance(kind, UTCDateTime):
        if dialect == "postgresql":
            formatted = func.to_char(
                func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'
            )
        else:
            formatted = func.strftime("%Y-%m-%dT%H:%M:%S+00:00", column)
        return formatted.label(name)
    if isinstance(kind, Date):
        return cast(column, String).label(name)
    if isinstance(kind, String):
        risky = func.substr(column, 1, 1).in_(FORMULA_TRIGGERS)
        return case((risky, literal("'").concat(column)), else_=column).label(name)
    return column


def csv_ready(spec: ExportSpec) -> bool:
    """Whether every column can be formatted in SQL (JSON lists are joined in Python)."""
    probe = spec.build("", ExportFilters())
    return not any(isinstance(column.type, JSON) for column in probe.selected_columns)


def iter_csv_rows(
    database: Database, spec: ExportSpec, org_id: str, filters: ExportFilters
) -> Iterator[tuple[Any, ...]]:
    """Rows already formatted as CSV text by the database, streamed in batches."""
    filters.check()
    statement = spec.build(org_id, filters)
    dialect = database.engine.dialect.name
    formatted = statement.with_only_columns(
        *(_as_text(column, dialect) for column in statement.selected_columns),
        maintain_column_froms=True,
    ).execution_options(stream_results=True, yield_per=STREAM_BATCH)
    with database.session() as session:
        connection = session.connection()
        for batch in connection.execute(formatted).partitions(STREAM_BATCH):
            yield from batch


def count_rows(database: Database, spec: ExportSpec, org_id: str, filters: ExportFilters) -> int:
    statement = spec.build(org_id, filters).order_by(None)
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)


def iter_rows(
    database: Database, spec: ExportSpec, org_id: str, filters: ExportFilters
) -> Iterator[tuple[Any, ...]]:
    """The export's rows in order, fetched in batches (a server-side cursor on PostgreSQL)."""
    filters.check()
    statement = spec.build(org_id, filters).execution_options(
        stream_results=True, yield_per=STREAM_BATCH
    )
    with database.session() as session:
        for row in session.execute(statement):
            yield tuple(row)


def xlsx_row_count(
    database: Database, spec: ExportSpec, org_id: str, filters: ExportFilters
) -> int:
    """The rows an XLSX export would hold; refused up front when they would not fit a sheet."""
    filters.check()
    total = count_rows(database, spec, org_id, filters)
    if total > XLSX_MAX_ROWS - 1:
        raise InvalidInput(
            f"The export has {total:,} rows but an XLSX sheet holds {XLSX_MAX_ROWS - 1:,}: "
            "use the CSV export or narrow the filters"
        )
    return total


def csv_export(
    database: Database, spec: ExportSpec, org_id: str, filters: ExportFilters
) -> Iterator[bytes]:
    """The export as streamed CSV bytes; formatted by the database where it can be."""
    filters.check()
    if csv_ready(spec):
        return csv_chunks(
            spec.columns, iter_csv_rows(database, spec, org_id, filters), formatted=True
        )
    return csv_chunks(spec.columns, iter_rows(database, spec, org_id, filters))
