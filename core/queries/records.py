"""Reads of tenant records: one by id, or a filtered page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from core.caller import Caller
from core.db import Database
from core.errors import InvalidInput, NotFound
from core.models.tracking import Tracked
from core.paging import Page, PageRequest
from core.repositories.records import SortOrder, TenantRepository

M = TypeVar("M", bound=Tracked)


def get_record(database: Database, caller: Caller, model: type[M], record_id: int, label: str) -> M:
    with database.session() as session:
        record = TenantRepository(session, model).get(caller.org_id, record_id)
    if record is None:
        raise NotFound(f"{label} {record_id} not found")
    return record


def list_records(
    database: Database,
    caller: Caller,
    model: type[M],
    equals: Mapping[str, Any],
    page: PageRequest,
    order: SortOrder | None = None,
) -> Page[M]:
    if order is not None and order.column not in model.__table__.columns:  # type: ignore[attr-defined]
        raise InvalidInput(f"Cannot sort by {order.column!r}", {"sort": ["Unknown column."]})
    with database.session() as session:
        return TenantRepository(session, model).list(caller.org_id, equals, page, order)


def list_children(
    database: Database,
    caller: Caller,
    parent: tuple[type[Any], str, int],
    model: type[M],
    link: str,
    page: PageRequest,
) -> Page[M]:
    """A record's children (`model.<link> == parent id`); 404 when the parent is not found.

    `parent` is (model, label, id): another organisation's parent is as absent as a missing
    one, so its children are never listed as an empty page.
    """
    parent_model, parent_label, parent_id = parent
    get_record(database, caller, parent_model, parent_id, parent_label)
    return list_records(database, caller, model, {link: parent_id}, page)
