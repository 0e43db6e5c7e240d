from __future__ import annotations

from sqlalchemy import select

from core.caller import Caller
from core.db import Database
from core.models import ChangeRecord
from core.paging import Page, PageRequest, fetch_page


def list_changes(
    database: Database,
    caller: Caller,
    page: PageRequest,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
) -> Page[ChangeRecord]:
    """The organisation's change history, oldest first, optionally for one record."""
    statement = select(ChangeRecord).where(ChangeRecord.org_id == caller.org_id)
    if entity is not None:
        statement = statement.where(ChangeRecord.entity == entity)
    if entity_id is not None:
        statement = statement.where(ChangeRecord.entity_id == entity_id)
    with database.session() as session:
        return fetch_page(session, statement.order_by(ChangeRecord.id), page)
