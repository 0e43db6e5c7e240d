"""Load the clause catalogue shipped in data/ into the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from core.db import Database
from core.models import Clause
from core.repositories.clauses import ClauseRepository
from core.rules import clause_level, clause_sort_key

CATALOGUE_FILE = "iso55001_2024_clauses.json"
CROSSWALK_FILE = "crosswalk_2014_2024.json"


@dataclass(frozen=True)
class CatalogueEntry:
    clause_id: str
    parent_id: str | None
    title: str
    summary: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class CrosswalkEntry:
    from_clause: str
    from_title: str
    to_clause: str
    note: str


def read_catalogue(data_dir: Path) -> list[CatalogueEntry]:
    raw = json.loads((data_dir / CATALOGUE_FILE).read_text(encoding="utf-8"))
    return [
        CatalogueEntry(
            clause_id=item["clause_id"],
            parent_id=item["parent_id"],
            title=item["title"],
            summary=item["summary"],
            keywords=tuple(item["keywords"]),
        )
        for item in raw["clauses"]
    ]


def read_crosswalk(data_dir: Path) -> list[CrosswalkEntry]:
    raw = json.loads((data_dir / CROSSWALK_FILE).read_text(encoding="utf-8"))
    return [CrosswalkEntry(**item) for item in raw["mappings"]]


def _search_text(entry: CatalogueEntry) -> str:
    return " ".join((entry.clause_id, entry.title, entry.summary, *entry.keywords)).lower()


def seed_clauses(database: Database, data_dir: Path, *, reseed: bool = False) -> int:
    """Insert missing clauses (and refresh existing ones when `reseed`); returns rows written."""
    entries = read_catalogue(data_dir)
    parents = {entry.parent_id for entry in entries if entry.parent_id}
    written = 0
    with database.session() as session:
        repository = ClauseRepository(session)
        existing = {clause.clause_id: clause for clause in session.scalars(select(Clause))}
        for entry in entries:
            values = {
                "parent_id": entry.parent_id,
                "title": entry.title,
                "summary": entry.summary,
                "keywords": list(entry.keywords),
                "level": clause_level(entry.clause_id),
                "group_id": entry.clause_id.split(".", 1)[0],
                "is_leaf": entry.clause_id not in parents,
                "sort_key": clause_sort_key(entry.clause_id),
                "search_text": _search_text(entry),
            }
            current = existing.get(entry.clause_id)
            if current is None:
                repository.add(Clause(clause_id=entry.clause_id, **values))
                session.flush()  # parents before children for the self-reference
                written += 1
            elif reseed:
                for name, value in values.items():
                    setattr(current, name, value)
                written += 1
        session.commit()
    return written
