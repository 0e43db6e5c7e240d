"""Realistic, deterministic demo data for trying the product and for benchmarks.

Per organisation: assessment rounds over every leaf clause (maturity climbing towards
target), an audit programme over two years, the nonconformities those audits raised at
every CAPA stage (some overdue), and half-yearly management reviews. Rows go in with
bulk inserts, so the same generator also fills benchmark databases.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from core.db import Database
from core.models import Assessment, Audit, Clause, Nonconformity, model_of
from core.rules import NC_STATES, OrgSettings
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
AUDITORS = (
    "lead.auditor@demo.example",
    "internal.auditor@demo.example",
    "external.assessor@demo.example",
)
FINDINGS = (
    "Criticality ranking of {asset} not reviewed within the planned interval",
    "Maintenance backlog for {asset} not reported against the agreed KPI",
    "Risk register entries for {asset} lack treatment owners",
    "Condition data for {asset} older than the data standard allows",
    "Change to {asset} operating regime made without a documented risk assessment",
    "Contractor competence records for {asset} work incomplete",
    "Lifecycle cost assumptions for {asset} not approved by finance",
    "Lessons learned from the {asset} failure not fed back into the AMP",
)
ASSETS = (
    "pumping stations",
    "trunk mains",
    "substations",
    "rolling stock",
    "signalling",
    "treatment works",
    "bridges",
    "reservoirs",
    "switchgear",
    "depot equipment",
)
SPAN_DAYS = 730
BATCH = 5000
DEMO_USER = "demo-seed"


@dataclass(frozen=True)
class DemoPlan:
    org_ids: tuple[str, ...]
    rounds: int = 3
    audits: int = 8
    nonconformities: int = 60
    reviews: int = 4
    seed: int = 55001
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass(frozen=True)
class DemoResult:
    organizations: list[str]
    skipped: list[str]
    counts: dict[str, int]

    @property
    def assessments(self) -> int:
        return self.counts.get("assessments", 0)


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 18), rng.randint(0, 59)), tzinfo=UTC)


def _tracked(org_id: str, when: datetime) -> dict[str, Any]:
    return {
        "org_id": org_id,
        "created_at": when,
        "updated_at": when,
        "created_by": DEMO_USER,
        "updated_by": DEMO_USER,
        "request_id": None,
        "version": 1,
    }


def _status_for(rng: random.Random, maturity: int) -> str:
    if maturity >= 3:
        return "Compliant" if rng.random() < 0.85 else "Partial"
    if maturity == 2:
        return "Partial" if rng.random() < 0.7 else "Noncompliant"
    return "Noncompliant" if rng.random() < 0.75 else "Partial"


def _assessments(
    org_id: str, leaves: list[Clause], plan: DemoPlan, rng: random.Random
) -> Iterator[dict[str, Any]]:
    for clause in leaves:
        not_applicable = rng.random() < 0.04
        maturity = rng.choice((0, 1, 1, 2, 2, 3))
        target = rng.choice((3, 3, 4, 4, 5))
        owner = rng.choice(OWNERS)
        for round_index in range(plan.rounds):
            # Rounds spread over the last two years; the latest one is recent.
            days_ago = (
                SPAN_DAYS - (SPAN_DAYS * (round_index + 1)) // plan.rounds + rng.randint(0, 20)
            )
            if round_index:
                maturity = min(target, maturity + rng.choice((0, 1, 1)))
            status = "NotApplicable" if not_applicable else _status_for(rng, maturity)
            gap = status in {"Partial", "Noncompliant"}
            yield {
                **_tracked(org_id, _moment(plan.today - timedelta(days=days_ago), rng)),
                "clause_id": clause.clause_id,
                "status": status,
                "maturity": None if not_applicable else maturity,
                "target_maturity": None if not_applicable else target,
                "owner": owner,
                "due_date": plan.today + timedelta(days=rng.randint(-60, 180)) if gap else None,
                "evidence": None if not_applicable else f"Review of {clause.title.lower()} records",
                "notes": "Outside the asset portfolio in scope" if not_applicable else None,
            }


def _audits(
    org_id: str, leaves: list[Clause], plan: DemoPlan, rng: random.Random
) -> Iterator[dict[str, Any]]:
    for index in range(plan.audits):
        # An audit programme from two years ago to a few months ahead.
        offset = SPAN_DAYS - (SPAN_DAYS + 120) * index // max(1, plan.audits - 1)
        scheduled = plan.today - timedelta(days=offset)
        if scheduled > plan.today:
            status = "Planned"
        elif scheduled > plan.today - timedelta(days=10):
            status = "InProgress"
        else:
            status = "Cancelled" if rng.random() < 0.08 else "Completed"
        scope = sorted(
            rng.sample([c.clause_id for c in leaves], k=min(len(leaves), rng.randint(3, 7)))
        )
        created = _moment(scheduled - timedelta(days=45), rng)
        yield {
            **_tracked(org_id, min(created, _moment(plan.today, rng))),
            "title": f"Internal audit {scheduled:%Y} Q{(scheduled.month - 1) // 3 + 1}: "
            f"{', '.join(scope[:3])}",
            "description": "Planned under the internal audit programme (clause 9.2.2).",
            "status": status,
            "scheduled_date": scheduled,
            "completed_date": scheduled + timedelta(days=rng.randint(1, 5))
            if status == "Completed"
            else None,
            "lead_auditor": rng.choice(AUDITORS),
            "scope_clause_ids": scope,
        }


def _nonconformities(
    org_id: str,
    audits: list[tuple[int, date, list[str]]],
    leaves: list[Clause],
    plan: DemoPlan,
    rng: random.Random,
) -> Iterator[dict[str, Any]]:
    leaf_ids = [c.clause_id for c in leaves]
    for _ in range(plan.nonconformities):
        audit = rng.choice(audits) if audits and rng.random() < 0.75 else None
        if audit is not None:
            raised = audit[1] + timedelta(days=rng.randint(0, 7))
            clause_id = rng.choice(audit[2])
        else:
            raised = plan.today - timedelta(days=rng.randint(0, SPAN_DAYS))
            clause_id = rng.choice(leaf_ids)
        raised = min(raised, plan.today)
        age = (plan.today - raised).days
        severity = rng.choices(("Minor", "Major", "Critical"), weights=(6, 3, 1))[0]
        due = raised + timedelta(days={"Minor": 90, "Major": 60, "Critical": 30}[severity])
        # Older findings are further along the CAPA workflow (NC_STATES is in its order).
        progress = min(1.0, age / 240) + rng.uniform(-0.25, 0.25)
        last = len(NC_STATES) - 1
        state = NC_STATES[max(0, min(last, int(progress * len(NC_STATES))))]
        closed = state == "Closed"
        if not closed and rng.random() < 0.6:
            # Most open findings had their due date renegotiated; the rest are overdue.
            due = plan.today + timedelta(days=rng.randint(5, 90))
        closed_date = (
            min(plan.today, raised + timedelta(days=rng.randint(10, 200))) if closed else None
        )
        asset = rng.choice(ASSETS)
        yield {
            **_tracked(org_id, _moment(raised, rng)),
            "description": rng.choice(FINDINGS).format(asset=asset),
            "severity": severity,
            "status": "Closed" if closed else ("Open" if state == "New" else "InProgress"),
            "state": state,
            "audit_id": audit[0] if audit else None,
            "clause_id": clause_id,
            "containment": f"Interim inspection of {asset} scheduled" if state != "New" else None,
            "root_cause": "Review cycle had no named owner"
            if state not in {"New", "Analysis"}
            else None,
            "corrective_action": "Owner named and review added to the AMP calendar"
            if state in {"Action", "Verification", "Closed"}
            else None,
            "verification_method": "Sample of three reviews checked"
            if state in {"Verification", "Closed"}
            else None,
            "verified_by": rng.choice(AUDITORS) if closed else None,
            "verified_on": closed_date,
            "owner": rng.choice(OWNERS),
            "due_date": due,
            "closed_date": closed_date,
        }


def _reviews(org_id: str, plan: DemoPlan, rng: random.Random) -> Iterator[dict[str, Any]]:
    for index in range(plan.reviews):
        end = plan.today - timedelta(days=30 + 182 * (plan.reviews - 1 - index))
        start = end - timedelta(days=181)
        meeting = end + timedelta(days=rng.randint(10, 25))
        yield {
            **_tracked(org_id, _moment(min(meeting, plan.today), rng)),
            "title": f"Management review {start:%b %Y} - {end:%b %Y}",
            "period_start": start,
            "period_end": end,
            "meeting_date": meeting,
            "participants": "Chief Executive, Operations Director, Head of Asset Management, "
            "Finance Director, Compliance Lead",
            "summary": "Readiness improved; overdue corrective actions concentrated in planning.",
            "decisions": rng.choice(
                (
                    "Fund the condition-monitoring pilot; refresh the SAMP before next budget.",
                    "Add two internal auditors; close all critical nonconformities within 30 days.",
                    "Adopt the new decision criteria (4.5.2) for renewals over 1 M.",
                )
            ),
            "actions": "Owners named in the action log; progress reported monthly.",
        }


def _insert(session: Session, model: type[Any], rows: Iterator[dict[str, Any]]) -> int:
    written = 0
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(model), batch)
            written += len(batch)
            batch = []
    if batch:
        session.execute(insert(model), batch)
        written += len(batch)
    return written


def seed_demo(database: Database, plan: DemoPlan, *, only_if_empty: bool = False) -> DemoResult:
    """Fill each organisation of `plan`; organisations that already have data are left.

    With `only_if_empty`, nothing is written when the database holds any assessment.
    """
    rng = random.Random(plan.seed)
    created: list[str] = []
    skipped: list[str] = []
    counts = dict.fromkeys(("assessments", "audits", "nonconformities", "management_reviews"), 0)
    with database.session() as session:
        if only_if_empty and session.scalar(select(exists().where(Assessment.id.is_not(None)))):
            return DemoResult(organizations=[], skipped=list(plan.org_ids), counts=counts)
        leaves = list(
            session.scalars(
                select(Clause).where(Clause.is_leaf.is_(True)).order_by(Clause.sort_key)
            )
        )
        if not leaves:
            raise RuntimeError("The clause catalogue is empty: run `iso55001 init-db` first")
        for index, org_id in enumerate(plan.org_ids):
            organization, _ = ensure_organization(
                session, org_id, DEMO_ORG_NAMES[index % len(DEMO_ORG_NAMES)]
            )
            has_data = select(exists().where(Assessment.org_id == org_id))
            if session.scalar(has_data):
                skipped.append(org_id)
                continue
            created.append(org_id)
            if organization.settings is None:
                # A certification audit booked a few months out, a target above today's level.
                organization.settings = OrgSettings(
                    certification_date=plan.today + timedelta(days=75 + 30 * index),
                    readiness_target=85,
                ).stored()
            counts["assessments"] += _insert(
                session, Assessment, _assessments(org_id, leaves, plan, rng)
            )
            counts["audits"] += _insert(session, Audit, _audits(org_id, leaves, plan, rng))
            audits = [
                (row.id, row.scheduled_date or plan.today, list(row.scope_clause_ids))
                for row in session.execute(
                    select(Audit.id, Audit.scheduled_date, Audit.scope_clause_ids)
                    .where(Audit.org_id == org_id, Audit.status.in_(("Completed", "InProgress")))
                    .order_by(Audit.id)
                )
            ]
            counts["nonconformities"] += _insert(
                session, Nonconformity, _nonconformities(org_id, audits, leaves, plan, rng)
            )
            counts["management_reviews"] += _insert(
                session, model_of("management_review"), _reviews(org_id, plan, rng)
            )
        session.commit()
    return DemoResult(organizations=created, skipped=skipped, counts=counts)
