"""Moving from ISO 55001:2014 to 2024: the crosswalk that ships in `data/`, each mapping
beside the organisation's current assessment of the 2024 clause."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from core.db import Database
from core.models import Clause
from core.queries.clause_status import clause_statuses
from core.services.catalogue import read_crosswalk


@dataclass(frozen=True)
class TransitionRow:
    from_clause: str
    from_title: str
    to_clause: str
    to_title: str
    note: str
    status: str | None  # the latest assessment of the 2024 clause, None when not assessed
    maturity: int | None
    owner: str | None


def transition(database: Database, org_id: str, data_dir: Path) -> list[TransitionRow]:
    """Every crosswalk mapping, in the file's order, with the 2024 clause's standing."""
    statuses = {cell.clause_id: cell for cell in clause_statuses(database, org_id)}
    with database.session() as session:
        titles = dict(session.execute(select(Clause.clause_id, Clause.title)).all())
    rows = []
    for entry in read_crosswalk(data_dir):
        cell = statuses.get(entry.to_clause)
        rows.append(
            TransitionRow(
                from_clause=entry.from_clause,
                from_title=entry.from_title,
                to_clause=entry.to_clause,
                to_title=str(titles.get(entry.to_clause, "")),
                note=entry.note,
                status=cell.status if cell else None,
                maturity=cell.maturity if cell else None,
                owner=cell.owner if cell else None,
            )
        )
    return rows
