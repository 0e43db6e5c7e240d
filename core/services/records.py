"""Create, change and delete tenant records: one transaction each, history included.

A resource's service subclasses `RecordService`, names its record type's `spec` (whose
declared rules — names, required fields, lengths, enums, ranges — are checked here for
every door), and adds the rules that need the database in `validate` (and
`check_delete`); everything else — tenancy, audit fields, optimistic locking, the change
history — happens here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.caller import Caller
from core.db import Database, utcnow
from core.errors import InvalidInput, NotFound, StaleVersion
from core.models.tracking import Tracked
from core.repositories.records import TenantRepository
from core.rules import NOT_TEXT_MESSAGE, is_text
from core.services.history import record_change, snapshot
from core.specs.record import RecordSpec

M = TypeVar("M", bound=Tracked)


class Problems:
    """Field problems found while validating, raised together as one InvalidInput."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            summary = "; ".join(f"{name}: {message}" for name, message in self.fields.items())
            raise InvalidInput(summary, {name: [msg] for name, msg in self.fields.items()})


class RecordService(Generic[M]):
    model: ClassVar[type[Any]]
    # A declared record type sets `spec`; the four names below then come from it.
    spec: ClassVar[RecordSpec | None] = None
    entity: ClassVar[str]  # history name, e.g. "audit"
    label: ClassVar[str]  # message name, e.g. "Audit"
    fields: ClassVar[frozenset[str]]  # what callers may set
    required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        spec = cls.__dict__.get("spec")
        if spec is not None:
            cls.entity, cls.label = spec.entity, spec.label
            cls.fields, cls.required = frozenset(spec.names), spec.required

    def __init__(self, database: Database) -> None:
        self.database = database

    # Hooks ---------------------------------------------------------------------------
    def validate(
        self, session: Session, caller: Caller, values: dict[str, Any], current: M | None
    ) -> dict[str, Any]:
        """Check `values` (all fields on create, the changes on update); may add derived ones."""
        return values

    def check_delete(self, session: Session, record: M) -> None:
        """Raise a domain error when `record` must not be deleted."""

    def after_delete(self, record: M) -> None:
        """Clean up outside the database once the deletion is committed."""

    # Use cases -----------------------------------------------------------------------
    def create(self, caller: Caller, values: Mapping[str, Any]) -> M:
        self._check_names(values)
        return self._insert(caller, values)

    def _insert(self, caller: Caller, values: Mapping[str, Any]) -> M:
        """Create with any model fields (for services that set more than callers may)."""
        missing = sorted(name for name in self.required if values.get(name) is None)
        if missing:
            raise InvalidInput(
                f"Missing required field(s): {', '.join(missing)}",
                {name: ["Missing data for required field."] for name in missing},
            )
        with self.database.session() as session:
            checked = self._checked(session, caller, dict(values), None)
            now = utcnow()
            record: M = self.model(
                **checked,
                org_id=caller.org_id,
                created_at=now,
                updated_at=now,
                created_by=caller.user,
                updated_by=caller.user,
                request_id=caller.request_id,
            )
            TenantRepository(session, self.model).add(record)
            session.flush()
            self._history(session, caller, record, "create", None, snapshot(record))
            session.commit()
            return record

    def update(
        self,
        caller: Caller,
        record_id: int,
        changes: Mapping[str, Any],
        *,
        expected_version: int | None = None,
    ) -> M:
        self._check_names(changes)
        if not changes:
            raise InvalidInput("The request names no field to change")
        cleared = sorted(
            name for name in self.required if name in changes and changes[name] is None
        )
        if cleared:
            raise InvalidInput(
                f"{', '.join(cleared)} cannot be empty", {name: ["Required."] for name in cleared}
            )
        with self.database.session() as session:
            record = self._load(session, caller, record_id, expected_version)
            before = snapshot(record)
            checked = self._checked(session, caller, dict(changes), record)
            if all(getattr(record, name) == value for name, value in checked.items()):
                # Saving what is already stored is no change: no history row, same version.
                return record
            for name, value in checked.items():
                setattr(record, name, value)
            record.updated_at = utcnow()
            record.updated_by = caller.user
            record.request_id = caller.request_id
            try:
                session.flush()
            except StaleDataError as exc:
                raise self._stale(record_id) from exc
            self._history(session, caller, record, "update", before, snapshot(record))
            session.commit()
            return record

    def delete(
        self, caller: Caller, record_id: int, *, expected_version: int | None = None
    ) -> None:
        with self.database.session() as session:
            record = self._load(session, caller, record_id, expected_version)
            self.check_delete(session, record)
            before = snapshot(record)
            TenantRepository(session, self.model).delete(record)
            try:
                session.flush()
            except StaleDataError as exc:
                raise self._stale(record_id) from exc
            self._history(session, caller, record, "delete", before, None)
            session.commit()
        self.after_delete(record)

    # Internals -----------------------------------------------------------------------
    def _check_names(self, values: Mapping[str, Any]) -> None:
        unknown = sorted(set(values) - self.fields)
        if unknown:
            raise InvalidInput(
                f"Unknown field(s): {', '.join(unknown)}",
                {name: ["Unknown field."] for name in unknown},
            )
        # Every door (API, dashboard, imports) ends here: text is checked once for all.
        not_text = sorted(
            name for name, value in values.items() if isinstance(value, str) and not is_text(value)
        )
        if not_text:
            raise InvalidInput(
                f"{', '.join(not_text)}: {NOT_TEXT_MESSAGE}",
                {name: [NOT_TEXT_MESSAGE] for name in not_text},
            )

    def _checked(
        self, session: Session, caller: Caller, values: dict[str, Any], current: M | None
    ) -> dict[str, Any]:
        """The declared rules first: `validate` may then rely on them."""
        if self.spec is not None:
            problems = Problems()
            for name, message in self.spec.problems(values).items():
                problems.add(name, message)
            problems.raise_if_any()
        return self.validate(session, caller, values, current)

    def _load(
        self, session: Session, caller: Caller, record_id: int, expected_version: int | None
    ) -> M:
        record = TenantRepository(session, self.model).get(caller.org_id, record_id)
        if record is None:
            raise NotFound(f"{self.label} {record_id} not found")
        if expected_version is not None and expected_version != record.version:
            raise StaleVersion(
                f"{self.label} {record_id} is at version {record.version}; "
                "reload it and apply your change again"
            )
        return record

    def _stale(self, record_id: int) -> StaleVersion:
        return StaleVersion(f"{self.label} {record_id} was changed by someone else; reload it")

    def _history(
        self,
        session: Session,
        caller: Caller,
        record: M,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        record_change(
            session,
            caller,
            entity=self.entity,
            entity_id=str(record.id),
            action=action,
            before=before,
            after=after,
        )
