from __future__ import annotations

from core.db import Database
from core.errors import NotFound
from core.models import Clause
from core.paging import Page, PageRequest
from core.repositories.clauses import ClauseRepository


def search_clauses(database: Database, query: str | None, page: PageRequest) -> Page[Clause]:
    with database.session() as session:
        return ClauseRepository(session).search(query, page)


def get_clause(database: Database, clause_id: str) -> Clause:
    with database.session() as session:
        clause = ClauseRepository(session).get(clause_id)
    if clause is None:
        raise NotFound(f"Clause {clause_id!r} not found")
    return clause
