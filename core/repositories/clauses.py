from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core.models import Clause
from core.paging import Page, PageRequest, fetch_page


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ClauseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, clause_id: str) -> Clause | None:
        return self.session.get(Clause, clause_id)

    def all(self) -> Sequence[Clause]:
        return self.session.scalars(select(Clause).order_by(Clause.sort_key)).all()

    def search(self, query: str | None, page: PageRequest) -> Page[Clause]:
        statement: Select[Clause] = select(Clause).order_by(Clause.sort_key)
        if query and query.strip():
            statement = statement.where(
                Clause.search_text.like(_like_pattern(query.strip()), escape="\\")
            )
        return fetch_page(self.session, statement, page)

    def add(self, clause: Clause) -> None:
        self.session.add(clause)
