"""Readiness as it stood on past days, replayed from the change history.

Assessments and nonconformities are replayed in time order: every change record (its
`after` snapshot), and, for records written without history (bulk imports, demo data), an
event made from the row itself: created at `created_at` with its current values, and a
finding closed on its `closed_date`. The events come from the database as sorted streams
merged lazily, so memory holds the state (one entry per assessment and per open blocking
finding), never the history.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, exists, select
from sqlalchemy.orm import Session

from core.db import Database
from core.errors import InvalidInput
from core.models import Assessment, ChangeRecord, Clause, Nonconformity, Organization
from core.queries.periods import DateRange, utc_today
from core.queries.readiness import (
    BLOCKED_SCORE,
    BLOCKING_SEVERITIES,
    Blocker,
    GroupReadiness,
    Readiness,
)
from core.rules import READINESS_SCORES, OrgSettings, readiness_percent

BATCH = 2000
MAX_POINTS = 400
INTERVALS = ("week", "month")
# The change records that matter, by entity.
ENTITIES = ("assessment", "nonconformity")


@dataclass(frozen=True)
class ReadinessPoint:
    day: date
    percent: float
    adjusted_percent: float


# (when, order, entity, id, values or None for a deletion)
Event = tuple[datetime, int, str, int, dict[str, Any] | None]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _history(session: Session, org_id: str) -> Iterator[Event]:
    statement = (
        select(
            ChangeRecord.at,
            ChangeRecord.id,
            ChangeRecord.entity,
            ChangeRecord.entity_id,
            ChangeRecord.action,
            ChangeRecord.after,
        )
        .where(ChangeRecord.org_id == org_id, ChangeRecord.entity.in_(ENTITIES))
        .order_by(ChangeRecord.at, ChangeRecord.id)
        .execution_options(yield_per=BATCH)
    )
    for at, order, entity, entity_id, action, after in session.execute(statement):
        if entity_id.isdigit():
            values = None if action == "delete" else dict(after or {})
            yield _aware(at), order, entity, int(entity_id), values


def _without_history(model: Any, entity: str) -> Any:
    return ~exists().where(
        ChangeRecord.org_id == model.org_id,
        ChangeRecord.entity == entity,
        ChangeRecord.entity_id == cast(model.id, String),
    )


def _untracked_assessments(session: Session, org_id: str) -> Iterator[Event]:
    statement = (
        select(Assessment)
        .where(Assessment.org_id == org_id, _without_history(Assessment, "assessment"))
        .order_by(Assessment.created_at, Assessment.id)
        .execution_options(yield_per=BATCH)
    )
    for row in session.scalars(statement):
        values = {
            "clause_id": row.clause_id,
            "status": row.status,
            "maturity": row.maturity,
            "target_maturity": row.target_maturity,
            "updated_at": row.updated_at.isoformat(),
        }
        yield _aware(row.created_at), 0, "assessment", row.id, values


def _untracked_findings(session: Session, org_id: str, closing: bool) -> Iterator[Event]:
    """Blocking-severity findings without history: their opening, or their closing."""
    columns = (
        Nonconformity.id,
        Nonconformity.created_at,
        Nonconformity.closed_date,
        Nonconformity.clause_id,
        Nonconformity.severity,
        Nonconformity.due_date,
    )
    conditions = [
        Nonconformity.org_id == org_id,
        Nonconformity.severity.in_(BLOCKING_SEVERITIES),
        _without_history(Nonconformity, "nonconformity"),
    ]
    if closing:
        conditions.append(Nonconformity.closed_date.is_not(None))
    order = Nonconformity.closed_date if closing else Nonconformity.created_at
    statement = (
        select(*columns)
        .where(and_(*conditions))
        .order_by(order, Nonconformity.id)
        .execution_options(yield_per=BATCH)
    )
    for nc_id, created_at, closed_date, clause_id, severity, due_date in session.execute(statement):
        values = {
            "clause_id": clause_id,
            "severity": severity,
            "due_date": due_date.isoformat() if due_date else None,
            "status": "Closed" if closing else "Open",
        }
        when = (
            datetime.combine(closed_date, time.min, tzinfo=UTC)
            if closing and closed_date is not None
            else _aware(created_at)
        )
        yield when, 0, "nonconformity", nc_id, values


class _State:
    """What the replay knows at a moment: assessments, and open blocking findings."""

    def __init__(self, leaves: dict[str, str]) -> None:
        self.leaves = leaves  # leaf clause id -> its group
        self.assessments: dict[int, dict[str, Any]] = {}
        self.blocking: dict[int, dict[str, Any]] = {}

    def apply(self, entity: str, record_id: int, values: dict[str, Any] | None) -> None:
        if entity == "assessment":
            if values is None:
                self.assessments.pop(record_id, None)
            else:
                self.assessments[record_id] = values
            return
        opened = (
            values is not None
            and values.get("status") != "Closed"
            and values.get("severity") in BLOCKING_SEVERITIES
            and values.get("clause_id") in self.leaves
        )
        if opened:
            self.blocking[record_id] = values  # type: ignore[assignment]
        else:
            self.blocking.pop(record_id, None)

    def latest_by_clause(self) -> dict[str, dict[str, Any]]:
        """Each clause's latest assessment, by updated_at then id (as the live query)."""
        latest: dict[str, tuple[tuple[str, int], dict[str, Any]]] = {}
        for record_id, values in self.assessments.items():
            key = (str(values.get("updated_at") or ""), record_id)
            clause = values.get("clause_id")
            if clause is not None and (clause not in latest or key > latest[clause][0]):
                latest[clause] = (key, values)
        return {clause: values for clause, (_, values) in latest.items()}

    def scores(self) -> tuple[float, float, int]:
        latest = self.latest_by_clause()
        blocked = {values["clause_id"] for values in self.blocking.values()}
        score = adjusted = 0.0
        applicable = 0
        for clause in self.leaves:
            status = latest.get(clause, {}).get("status")
            if status == "NotApplicable":
                continue
            applicable += 1
            credit = READINESS_SCORES.get(str(status), 0.0)
            score += credit
            adjusted += min(credit, BLOCKED_SCORE) if clause in blocked else credit
        return score, adjusted, applicable


def _replay(database: Database, org_id: str, days: Sequence[date], visit: Any) -> None:
    """Replay events in time order; call `visit(day, state)` at the end of each of `days`."""
    with database.session() as session:
        leaves = {
            clause_id: group_id
            for clause_id, group_id in session.execute(
                select(Clause.clause_id, Clause.group_id)
                .where(Clause.is_leaf.is_(True))
                .order_by(Clause.sort_key)
            )
        }
        state = _State(leaves)
        events = heapq.merge(
            _history(session, org_id),
            _untracked_assessments(session, org_id),
            _untracked_findings(session, org_id, closing=False),
            _untracked_findings(session, org_id, closing=True),
            key=lambda event: (event[0], event[1]),
        )
        pending: Event | None = next(events, None)
        for day in days:
            end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)
            while pending is not None and pending[0] < end:
                state.apply(pending[2], pending[3], pending[4])
                pending = next(events, None)
            visit(day, state)


def readiness_trend(
    database: Database,
    org_id: str,
    period: DateRange,
    interval: str = "month",
) -> list[ReadinessPoint]:
    """Readiness at the end of `period.start`, then every week or month, up to `period.end`."""
    if interval not in INTERVALS:
        raise InvalidInput("interval: must be week or month", {"interval": ["week or month"]})
    today = utc_today()
    end = period.end or today
    start = period.start or _months_before(end, 12)
    DateRange(start, end, period.start_name, period.end_name)  # refuses end before start
    days = _steps(start, end, interval)
    if len(days) > MAX_POINTS:
        raise InvalidInput(
            f"The trend would have {len(days):,} points; at most {MAX_POINTS} "
            "(choose a shorter period or a longer interval)",
            {period.end_name: [f"More than {MAX_POINTS} points."]},
        )
    points: list[ReadinessPoint] = []

    def visit(day: date, state: _State) -> None:
        score, adjusted, applicable = state.scores()
        points.append(
            ReadinessPoint(
                day, readiness_percent(score, applicable), readiness_percent(adjusted, applicable)
            )
        )

    _replay(database, org_id, days, visit)
    return points


def readiness_as_of(database: Database, org_id: str, day: date) -> Readiness:
    """The whole readiness answer as it stood at the end of `day`."""
    found: list[Readiness] = []

    def visit(_day: date, state: _State) -> None:
        found.append(_summary(database, org_id, state, day))

    _replay(database, org_id, [day], visit)
    return found[0]


def _summary(database: Database, org_id: str, state: _State, day: date) -> Readiness:
    with database.session() as session:
        groups_titles = dict(
            session.execute(
                select(Clause.clause_id, Clause.title).where(Clause.parent_id.is_(None))
            ).all()
        )
        organization = session.get(Organization, org_id)
        order = {
            clause_id: position
            for position, clause_id in enumerate(
                session.scalars(select(Clause.clause_id).order_by(Clause.sort_key))
            )
        }
    settings = organization.effective_settings if organization else OrgSettings()
    latest = state.latest_by_clause()
    blocked = {values["clause_id"] for values in state.blocking.values()}
    totals: dict[str, dict[str, Any]] = {}
    for clause, group_id in state.leaves.items():
        group = totals.setdefault(
            group_id,
            {"score": 0.0, "adjusted": 0.0, "applicable": 0, "assessed": 0, "cur": [], "tgt": []},
        )
        values = latest.get(clause, {})
        status = values.get("status")
        if status == "NotApplicable":
            continue
        group["applicable"] += 1
        if status is not None:
            group["assessed"] += 1
            for name, key in (("maturity", "cur"), ("target_maturity", "tgt")):
                if values.get(name) is not None:
                    group[key].append(int(values[name]))
        credit = READINESS_SCORES.get(str(status), 0.0)
        group["score"] += credit
        group["adjusted"] += min(credit, BLOCKED_SCORE) if clause in blocked else credit

    def mean(numbers: list[int]) -> float | None:
        return round(sum(numbers) / len(numbers), 2) if numbers else None

    groups = [
        GroupReadiness(
            group_id=group_id,
            title=str(groups_titles.get(group_id, group_id)),
            percent=readiness_percent(group["score"], group["applicable"]),
            assessed=group["assessed"],
            applicable=group["applicable"],
            score=group["score"],
            current_maturity=mean(group["cur"]),
            target_maturity=mean(group["tgt"]),
        )
        for group_id, group in sorted(totals.items(), key=lambda item: order.get(item[0], 0))
    ]
    applicable = sum(g.applicable for g in groups)
    blockers = sorted(
        (
            Blocker(
                clause_id=values["clause_id"],
                nonconformity_id=record_id,
                severity=values["severity"],
                due_date=date.fromisoformat(values["due_date"]) if values.get("due_date") else None,
                overdue=bool(values.get("due_date"))
                and date.fromisoformat(values["due_date"]) < day,
            )
            for record_id, values in state.blocking.items()
        ),
        key=lambda blocker: (order.get(blocker.clause_id, 0), blocker.nonconformity_id),
    )
    certification = settings.certification_date
    return Readiness(
        percent=readiness_percent(sum(g.score for g in groups), applicable),
        assessed=sum(g.assessed for g in groups),
        applicable=applicable,
        groups=groups,
        adjusted_percent=readiness_percent(sum(t["adjusted"] for t in totals.values()), applicable),
        blockers=blockers,
        target=settings.readiness_target,
        certification_date=certification,
        days_to_certification=(certification - day).days if certification else None,
    )


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return _clamped(year, month, day.day)


def _clamped(year: int, month: int, wanted: int) -> date:
    for candidate in (wanted, 30, 29, 28):
        try:
            return date(year, month, min(wanted, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _steps(start: date, end: date, interval: str) -> list[date]:
    """`start`, then every week or month (same day of the month, clamped), up to `end`."""
    days: list[date] = []
    index = 0
    while True:
        if interval == "week":
            day = start + timedelta(weeks=index)
        else:
            month = start.month - 1 + index
            day = _clamped(start.year + month // 12, month % 12 + 1, start.day)
        if day > end or len(days) > MAX_POINTS:
            break
        days.append(day)
        index += 1
    return days
