"""Realistic, deterministic demo data for trying the product and for benchmarks."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import exists, select

from core.db import Database
from core.models import Assessment, Clause
from core.services.organizations import ensure_organization

DEMO_ORG_NAMES = (
    "Northshire Water",
    "Metro Transit Authority",
    "Valley Grid Energy",
    "Coastal Ports Group",
    "Riverside District Heating",
)
OWNERS = (
    "asset.manager@demo.example",
    "compliance.lead@demo.example",
    "reliability.engineer@demo.example",
    "planning.lead@demo.example",
    "finance.partner@demo.example",
    "data.steward@demo.example",
)
DEMO_USER = "demo-seed"


@dataclass(frozen=True)
class DemoPlan:
    org_ids: tuple[str, ...]
    rounds: int = 3
    seed: int = 55001
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass(frozen=True)
class DemoResult:
    organizations: list[str]
    skipped: list[str]
    assessments: int


def _status_for(rng: random.Random, maturity: int) -> str:
    if maturity >= 3:
        return "Compliant" if rng.random() < 0.85 else "Partial"
    if maturity == 2:
        return "Partial" if rng.random() < 0.7 else "Noncompliant"
    return "Noncompliant" if rng.random() < 0.75 else "Partial"


def seed_demo(database: Database, plan: DemoPlan, *, only_if_empty: bool = False) -> DemoResult:
    """Assessment history for each organisation of `plan`; organisations with data are left.

    With `only_if_empty`, nothing is written when the database holds any assessment.
    """
    rng = random.Random(plan.seed)
    created: list[str] = []
    skipped: list[str] = []
    written = 0
    with database.session() as session:
        if only_if_empty and session.scalar(select(exists().where(Assessment.id.is_not(None)))):
            return DemoResult(organizations=[], skipped=list(plan.org_ids), assessments=0)
        leaves = session.scalars(
            select(Clause).where(Clause.is_leaf.is_(True)).order_by(Clause.sort_key)
        ).all()
        if not leaves:
            raise RuntimeError("The clause catalogue is empty: run `iso55001 init-db` first")
        for index, org_id in enumerate(plan.org_ids):
            name = DEMO_ORG_NAMES[index % len(DEMO_ORG_NAMES)]
            ensure_organization(session, org_id, name)
            if session.scalar(select(exists().where(Assessment.org_id == org_id))):
                skipped.append(org_id)
                continue
            created.append(org_id)
            span_days = 720
            for clause in leaves:
                not_applicable = rng.random() < 0.04
                maturity = rng.choice((0, 1, 1, 2, 2, 3))
                target = rng.choice((3, 3, 4, 4, 5))
                owner = rng.choice(OWNERS)
                for round_index in range(plan.rounds):
                    # Rounds are spread over the last two years, the latest one recent.
                    days_ago = span_days - (span_days * (round_index + 1)) // plan.rounds
                    days_ago += rng.randint(0, 20)
                    when = datetime.combine(
                        plan.today - timedelta(days=days_ago),
                        datetime.min.time(),
                        tzinfo=UTC,
                    ) + timedelta(hours=rng.randint(7, 18), minutes=rng.randint(0, 59))
                    if round_index:
                        maturity = min(target, maturity + rng.choice((0, 1, 1)))
                    status = "NotApplicable" if not_applicable else _status_for(rng, maturity)
                    due = None
                    if status in {"Partial", "Noncompliant"}:
                        due = plan.today + timedelta(days=rng.randint(-60, 180))
                    session.add(
                        Assessment(
                            org_id=org_id,
                            clause_id=clause.clause_id,
                            status=status,
                            maturity=None if not_applicable else maturity,
                            target_maturity=None if not_applicable else target,
                            owner=owner,
                            due_date=due,
                            evidence=f"Review of {clause.title.lower()} records"
                            if status != "NotApplicable"
                            else None,
                            notes="Outside the asset portfolio in scope"
                            if not_applicable
                            else None,
                            created_at=when,
                            updated_at=when,
                            created_by=DEMO_USER,
                            updated_by=DEMO_USER,
                            request_id=None,
                        )
                    )
                    written += 1
        session.commit()
    return DemoResult(organizations=created, skipped=skipped, assessments=written)
