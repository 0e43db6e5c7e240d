"""Create, change and delete assessments of leaf clauses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.context import Caller
from core.db import Database, utcnow
from core.errors import InvalidInput, NotFound, StaleVersion
from core.models import Assessment
from core.repositories.assessments import AssessmentRepository
from core.repositories.clauses import ClauseRepository
from core.rules import ASSESSMENT_STATUSES, MATURITY_MAX, MATURITY_MIN


@dataclass(frozen=True)
class AssessmentDraft:
    clause_id: str
    status: str
    evidence: str | None = None
    owner: str | None = None
    due_date: date | None = None
    maturity: int | None = None
    target_maturity: int | None = None
    notes: str | None = None


EDITABLE_FIELDS = frozenset(AssessmentDraft.__dataclass_fields__)
REQUIRED_FIELDS = frozenset({"clause_id", "status"})


def _check(session: Session, values: Mapping[str, Any]) -> None:
    problems: dict[str, list[str]] = {}
    if "status" in values and values["status"] not in ASSESSMENT_STATUSES:
        problems["status"] = [f"Must be one of: {', '.join(ASSESSMENT_STATUSES)}."]
    for name in ("maturity", "target_maturity"):
        level = values.get(name)
        if level is not None and not MATURITY_MIN <= level <= MATURITY_MAX:
            problems[name] = [f"Must be between {MATURITY_MIN} and {MATURITY_MAX}."]
    if "clause_id" in values:
        clause = ClauseRepository(session).get(values["clause_id"])
        if clause is None:
            problems["clause_id"] = [f"Unknown clause_id {values['clause_id']!r}."]
        elif not clause.is_leaf:
            problems["clause_id"] = [
                f"Clause {clause.clause_id} groups other clauses; assess one of its sub-clauses."
            ]
    if problems:
        summary = "; ".join(f"{name}: {messages[0]}" for name, messages in problems.items())
        raise InvalidInput(summary, problems)


def create_assessment(database: Database, caller: Caller, draft: AssessmentDraft) -> Assessment:
    with database.session() as session:
        values = asdict(draft)
        _check(session, values)
        now = utcnow()
        assessment = Assessment(
            **values,
            org_id=caller.org_id,
            created_at=now,
            updated_at=now,
            created_by=caller.user,
            updated_by=caller.user,
            request_id=caller.request_id,
        )
        AssessmentRepository(session).add(assessment)
        session.commit()
        return assessment


def _load(session: Session, caller: Caller, assessment_id: int) -> Assessment:
    assessment = AssessmentRepository(session).get(caller.org_id, assessment_id)
    if assessment is None:
        raise NotFound(f"Assessment {assessment_id} not found")
    return assessment


def _check_version(assessment: Assessment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != assessment.version:
        raise StaleVersion(
            f"Assessment {assessment.id} is at version {assessment.version}; "
            "reload it and apply your change again"
        )


def update_assessment(
    database: Database,
    caller: Caller,
    assessment_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Assessment:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}")
    cleared = sorted(name for name in REQUIRED_FIELDS if name in changes and changes[name] is None)
    if cleared:
        raise InvalidInput(
            f"{', '.join(cleared)} cannot be empty", {n: ["Required."] for n in cleared}
        )
    with database.session() as session:
        assessment = _load(session, caller, assessment_id)
        _check_version(assessment, expected_version)
        _check(session, changes)
        for name, value in changes.items():
            setattr(assessment, name, value)
        assessment.updated_at = utcnow()
        assessment.updated_by = caller.user
        assessment.request_id = caller.request_id
        try:
            session.commit()
        except StaleDataError as exc:
            raise StaleVersion(f"Assessment {assessment_id} was changed by someone else") from exc
        return assessment


def delete_assessment(
    database: Database, caller: Caller, assessment_id: int, *, expected_version: int | None = None
) -> None:
    with database.session() as session:
        assessment = _load(session, caller, assessment_id)
        _check_version(assessment, expected_version)
        AssessmentRepository(session).delete(assessment)
        try:
            session.commit()
        except StaleDataError as exc:
            raise StaleVersion(f"Assessment {assessment_id} was changed by someone else") from exc
