"""Assessment services and demo data, straight against the database."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.caller import Caller
from core.db import Database
from core.errors import InvalidInput, NotFound, StaleVersion
from core.models import (
    Assessment,
    Audit,
    ChangeRecord,
    Nonconformity,
    Organization,
    model_of,
)
from core.operations.demo import DemoPlan, seed_demo
from core.services.assessments import AssessmentService

EDITOR = Caller(org_id="acme", user="ana", role="editor", request_id="r-1")
ManagementReview = model_of("management_review")


def test_create_records_who_and_which_request(database: Database) -> None:
    created = AssessmentService(database).create(EDITOR, {"clause_id": "7.2", "status": "Partial"})
    assert (created.org_id, created.created_by, created.updated_by, created.request_id) == (
        "acme",
        "ana",
        "ana",
        "r-1",
    )


def test_services_validate_without_the_api(database: Database) -> None:
    with pytest.raises(InvalidInput, match="status"):
        AssessmentService(database).create(EDITOR, {"clause_id": "7.2", "status": "Done"})
    with pytest.raises(InvalidInput, match="maturity"):
        AssessmentService(database).create(
            EDITOR, {"clause_id": "7.2", "status": "Partial", "maturity": 9}
        )
    created = AssessmentService(database).create(EDITOR, {"clause_id": "7.2", "status": "Partial"})
    with pytest.raises(InvalidInput, match="Unknown field"):
        AssessmentService(database).update(EDITOR, created.id, {"org_id": "x"})
    with pytest.raises(NotFound):
        AssessmentService(database).update(
            Caller(org_id="other", role="admin"), created.id, {"notes": "x"}
        )
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 1


def test_concurrent_writers_cannot_both_win(database: Database) -> None:
    created = AssessmentService(database).create(EDITOR, {"clause_id": "7.2", "status": "Partial"})
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def write(status: str) -> None:
        barrier.wait()
        try:
            AssessmentService(database).update(
                EDITOR, created.id, {"status": status}, expected_version=1
            )
            outcomes.append("ok")
        except StaleVersion:
            outcomes.append("stale")
        except Exception as exc:  # SQLite may refuse the second writer as locked
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=write, args=(s,)) for s in ("Compliant", "Noncompliant")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    with database.session() as session:
        assert session.get(Assessment, created.id).version == 2  # type: ignore[union-attr]


def test_demo_data_is_deterministic_and_skips_filled_organisations(database: Database) -> None:
    plan = DemoPlan(org_ids=("north", "south"), rounds=2, seed=7)
    first = seed_demo(database, plan)
    assert first.organizations == ["north", "south"] and first.assessments == 2 * 38 * 2
    with database.session() as session:
        statuses = session.scalars(
            select(Assessment.status).where(Assessment.org_id == "north").order_by(Assessment.id)
        ).all()
        assert session.scalar(select(func.count()).select_from(Organization)) == 2
        assert set(statuses) <= {"Compliant", "Partial", "Noncompliant", "NotApplicable"}
        assert len(set(statuses)) >= 3
    again = seed_demo(database, plan)
    assert again.assessments == 0 and again.skipped == ["north", "south"]
    assert seed_demo(database, DemoPlan(org_ids=("east",)), only_if_empty=True).assessments == 0


def test_same_seed_gives_same_data(database: Database) -> None:
    seed_demo(database, DemoPlan(org_ids=("a",), seed=3))
    seed_demo(database, DemoPlan(org_ids=("b",), seed=3))
    with database.session() as session:

        def rows(org: str) -> list[tuple[object, ...]]:
            return [
                tuple(r)
                for r in session.execute(
                    select(
                        Assessment.clause_id,
                        Assessment.status,
                        Assessment.maturity,
                        Assessment.updated_at,
                    )
                    .where(Assessment.org_id == org)
                    .order_by(Assessment.id)
                )
            ]

        assert rows("a") == rows("b")


def test_demo_records_look_like_a_real_programme(database: Database) -> None:
    plan = DemoPlan(org_ids=("north",), nonconformities=200, audits=8, reviews=4, seed=5)
    result = seed_demo(database, plan)
    assert result.counts == {
        "assessments": 114,
        "audits": 8,
        "nonconformities": 200,
        "management_reviews": 4,
    }
    with database.session() as session:
        ncs = session.scalars(select(Nonconformity)).all()
        audits = {a.id: a for a in session.scalars(select(Audit))}
        reviews = session.scalars(select(ManagementReview)).all()
    assert {nc.state for nc in ncs} == {"New", "Analysis", "Action", "Verification", "Closed"}
    assert all(
        (nc.status == "Closed") == (nc.state == "Closed") == (nc.closed_date is not None)
        for nc in ncs
    )
    overdue = [nc for nc in ncs if nc.status != "Closed" and nc.due_date < plan.today]
    assert 0 < len(overdue) < len([nc for nc in ncs if nc.status != "Closed"])
    linked = [nc for nc in ncs if nc.audit_id is not None]
    assert linked and all(nc.clause_id in audits[nc.audit_id].scope_clause_ids for nc in linked)
    assert all(audits[nc.audit_id].status in {"Completed", "InProgress"} for nc in linked)
    assert {a.status for a in audits.values()} >= {"Planned", "Completed"}
    assert all(r.decisions and r.period_start < r.period_end for r in reviews)
    created = sorted(nc.created_at for nc in ncs)
    assert (created[-1] - created[0]).days > 365  # spread over two years


@pytest.mark.parametrize("text", ["nul\x00byte", "bell\x07", "lone \ud800 surrogate"])
def test_every_door_refuses_text_that_is_not_text(database: Database, text: str) -> None:
    service = AssessmentService(database)
    with pytest.raises(InvalidInput, match="owner: Control characters"):
        service.create(EDITOR, {"clause_id": "7.2", "status": "Partial", "owner": text})
    created = service.create(EDITOR, {"clause_id": "7.2", "status": "Partial", "notes": "a\tb\r\n"})
    with pytest.raises(InvalidInput, match="notes"):
        service.update(EDITOR, created.id, {"notes": text})
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Assessment)) == 1


def test_an_update_to_the_stored_values_changes_nothing(database: Database) -> None:
    service = AssessmentService(database)
    created = service.create(EDITOR, {"clause_id": "7.2", "status": "Partial", "owner": "ana"})
    same = service.update(
        EDITOR, created.id, {"status": "Partial", "owner": "ana"}, expected_version=1
    )
    assert same.version == created.version == 1
    with database.session() as session:
        changes = session.scalar(
            select(func.count())
            .select_from(ChangeRecord)
            .where(ChangeRecord.entity == "assessment", ChangeRecord.entity_id == str(created.id))
        )
    assert changes == 1  # the creation only
    assert service.update(EDITOR, created.id, {"owner": "bo"}).version == 2
