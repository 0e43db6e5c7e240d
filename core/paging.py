"""Limit/offset pages: what every list read returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int


def fetch_page(session: Session, statement: Select[T], page: PageRequest) -> Page[T]:
    """Run `statement` (already filtered and ordered) for one page plus its total count."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    items = session.scalars(statement.limit(page.limit).offset(page.offset)).all()
    return Page(items=items, total=int(total or 0), limit=page.limit, offset=page.offset)
