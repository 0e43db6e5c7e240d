"""Audits and the nonconformities they raise, both ways; closed findings are read-only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from core.models import Audit, Nonconformity
from core.operations.demo import DemoPlan, seed_demo
from tests.ui.conftest import ConsoleLog, LiveApp, open_page, screenshot

ORG = "audit-links-org"


@pytest.fixture(scope="module")
def seeded(live_app: LiveApp) -> str:
    seed_demo(live_app.runtime.database, DemoPlan(org_ids=(ORG,), seed=23))
    return ORG


@pytest.fixture
def org_page(browser: Browser, console: ConsoleLog, seeded: str) -> Iterator[Page]:
    opened = open_page(browser, console, seeded)
    yield opened
    opened.context.close()


def _audit_with_findings(live_app: LiveApp) -> tuple[Audit, int]:
    with live_app.runtime.database.session() as session:
        audit_id, findings = session.execute(
            select(Nonconformity.audit_id, func.count())
            .where(Nonconformity.org_id == ORG, Nonconformity.audit_id.is_not(None))
            .group_by(Nonconformity.audit_id)
            .order_by(func.count().desc(), Nonconformity.audit_id)
            .limit(1)
        ).one()
        audit = session.get(Audit, audit_id)
    assert audit is not None
    return audit, int(findings)


def test_an_audit_lists_its_findings_and_each_finding_names_its_audit(
    org_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    audit, findings = _audit_with_findings(live_app)
    org_page.goto(f"{live_app.url}/dashboard/audits?id={audit.id}")
    listed = org_page.locator("#audits-findings")
    expect(listed).to_contain_text(f"Nonconformities raised ({findings})")
    screenshot(org_page, "audit-findings")
    listed.locator("li a").first.click()
    expect(org_page.locator("#nc-origin")).to_contain_text(f"audit #{audit.id}: {audit.title}")
    org_page.locator("#nc-origin a").click()
    expect(org_page).to_have_url(f"{live_app.url}/dashboard/audits?id={audit.id}")
    assert console.errors == []


def test_raising_from_an_audit_prefills_the_audit_and_its_scope(
    org_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    audit, _ = _audit_with_findings(live_app)
    org_page.goto(f"{live_app.url}/dashboard/audits?id={audit.id}")
    org_page.locator("#audits-raise").click()
    expect(org_page.locator("#nc-new-modal")).to_be_visible()
    expect(org_page.locator("#nc-new-audit_id")).to_have_value(str(audit.id))
    expect(org_page.locator("#nc-new-clause_id")).to_have_value(audit.scope_clause_ids[0])
    org_page.locator("#nc-new-description").fill("Spares register not reconciled")
    org_page.locator("#nc-new-submit").click()
    expect(org_page.locator("#nc-new-modal")).to_be_hidden()
    with live_app.runtime.database.session() as session:
        raised = session.scalars(
            select(Nonconformity)
            .where(Nonconformity.org_id == ORG)
            .order_by(Nonconformity.id.desc())
            .limit(1)
        ).one()
    assert raised.description == "Spares register not reconciled"
    assert (raised.audit_id, raised.clause_id) == (audit.id, audit.scope_clause_ids[0])
    assert console.errors == []


def test_a_closed_finding_is_read_only_until_reopened(
    org_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    with live_app.runtime.database.session() as session:
        closed = session.scalars(
            select(Nonconformity.id)
            .where(Nonconformity.org_id == ORG, Nonconformity.status == "Closed")
            .limit(1)
        ).one()
    org_page.goto(f"{live_app.url}/dashboard/nonconformities?id={closed}")
    expect(org_page.locator("#nc-read-only")).to_be_visible()
    expect(org_page.locator("#nc-save")).to_have_count(0)
    expect(org_page.locator("#nc-card textarea")).to_have_count(0)
    org_page.get_by_role("button", name="Reopen").click()
    expect(org_page.locator("#nc-save")).to_be_visible()
    expect(org_page.locator("#nc-read-only")).to_have_count(0)
    assert console.errors == []
