"""Tenant-scoped persistence shared by every business record type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models.tracking import Tracked
from core.paging import Page, PageRequest, fetch_page

M = TypeVar("M", bound=Tracked)


@dataclass(frozen=True)
class SortOrder:
    column: str
    descending: bool = False


class TenantRepository(Generic[M]):
    """add/get/list/delete for one model, always inside one organisation."""

    def __init__(self, session: Session, model: type[M]) -> None:
        self.session = session
        self.model = model

    def add(self, record: M) -> None:
        self.session.add(record)

    def get(self, org_id: str, record_id: int) -> M | None:
        model: Any = self.model
        return self.session.scalar(
            select(self.model).where(model.org_id == org_id, model.id == record_id)
        )

    def list(
        self,
        org_id: str,
        equals: Mapping[str, Any],
        page: PageRequest,
        order: SortOrder | None = None,
    ) -> Page[M]:
        """Records whose columns equal the given values (None means no filter).

        Ordered by `order` (a column of the model) then id, so pages are stable.
        """
        model: Any = self.model
        statement = select(self.model).where(model.org_id == org_id)
        for column, value in equals.items():
            if value is not None:
                statement = statement.where(getattr(model, column) == value)
        ordering = [model.id]
        if order is not None:
            column = getattr(model, order.column)
            ordering = [column.desc() if order.descending else column.asc(), model.id]
        return fetch_page(self.session, statement.order_by(*ordering), page)

    def delete(self, record: M) -> None:
        self.session.delete(record)
