"""Audits, management reviews and exports in a real browser: paged tables, forms, downloads.

Writes happen in an organisation of their own (seeded with the demo data), so the demo
organisation the other UI tests read stays as seeded.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from core.caller import Caller
from core.models import Audit, Nonconformity, model_of
from core.operations.demo import DemoPlan, seed_demo
from core.queries.exports import NC_COLUMNS
from core.runtime import Runtime
from core.services.audits import AuditService
from core.services.nonconformities import NonconformityService
from tests.ui.conftest import DEMO_ORG, ConsoleLog, LiveApp, open_page, screenshot

ManagementReview = model_of("management_review")

pytestmark = pytest.mark.ui

WRITES_ORG = "records-org"
PAGING_ORG = "paging-org"
PAGING_AUDITS = 20
NC_HEADER = ["id", "audit_id", "clause_id", "severity", "status", "description"]


# Fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def writes_org(live_app: LiveApp) -> str:
    seed_demo(live_app.runtime.database, DemoPlan(org_ids=(WRITES_ORG,), seed=11))
    return WRITES_ORG


@pytest.fixture(scope="session")
def paging_audits(live_app: LiveApp) -> list[Audit]:
    """More audits than one table page holds, with scheduled dates out of id order."""
    service = AuditService(live_app.runtime.database)
    caller = Caller(org_id=PAGING_ORG, user="ui-test", role="editor")
    start = date(2027, 1, 1)
    return [
        service.create(
            caller,
            {
                "title": f"Paging audit {index:02d}",
                "scheduled_date": start + timedelta(days=(index * 7) % PAGING_AUDITS),
            },
        )
        for index in range(PAGING_AUDITS)
    ]


@pytest.fixture
def writes_page(browser: Browser, console: ConsoleLog, writes_org: str) -> Iterator[Page]:
    opened = open_page(browser, console, writes_org)
    yield opened
    opened.context.close()


@pytest.fixture
def as_viewer(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> LiveApp:
    """With an API token configured, the anonymous dashboard user is only a viewer."""
    current = live_app.runtime
    settings = current.settings.with_overrides(api_token="x")
    monkeypatch.setitem(
        live_app.app.extensions, "iso55001", Runtime.from_settings(settings, current.database)
    )
    return live_app


# Helpers ------------------------------------------------------------------------------


def choose(page: Page, dropdown_id: str, option: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def column(page: Page, table_id: str, name: str) -> list[str]:
    return page.locator(f"#{table_id} td[data-dash-column='{name}']").all_inner_texts()


def wait_for_rows(page: Page, table_id: str) -> None:
    expect(page.locator(f"#{table_id} td[data-dash-column='id']").first).to_be_visible()


def type_date(page: Page, input_id: str, value: str) -> None:
    field = page.locator(f"#{input_id}")
    field.fill(value)
    # Tab commits the typed date (Enter opens the calendar and commits a frame later).
    field.press("Tab")


def count(live_app: LiveApp, model: Any, org_id: str, **equals: Any) -> int:
    statement = select(func.count()).select_from(model).where(model.org_id == org_id)
    for name, value in equals.items():
        statement = statement.where(getattr(model, name) == value)
    with live_app.runtime.database.session() as session:
        return int(session.scalar(statement) or 0)


def latest(live_app: LiveApp, model: Any, org_id: str) -> Any:
    with live_app.runtime.database.session() as session:
        return session.scalars(
            select(model).where(model.org_id == org_id).order_by(model.id.desc()).limit(1)
        ).one()


def stored(live_app: LiveApp, model: Any, record_id: int) -> Any:
    """The record as the database holds it now."""
    with live_app.runtime.database.session() as session:
        found = session.get(model, record_id)
    assert found is not None
    return found


def forged_callback(page: Page, url: str, submit_id: str, values: dict[str, Any]) -> Any:
    """POST the callback that `submit_id` triggers, as a browser would, bypassing the UI.

    The callback's output key (with Dash's allow_duplicate suffixes) comes from the app's
    own dependency list, so the request names exactly the registered callback.
    """
    dependencies = page.request.get(f"{url}/dashboard/_dash-dependencies").json()
    found = next(
        spec for spec in dependencies if {"id": submit_id, "property": "n_clicks"} in spec["inputs"]
    )
    outputs = []
    for part in found["output"].strip(".").split("..."):
        component, _, prop = part.rpartition(".")
        outputs.append({"id": component, "property": prop})
    state = [
        {"id": spec["id"], "property": spec["property"], "value": values.get(spec["id"])}
        for spec in found["state"]
    ]
    body = {
        "output": found["output"],
        "outputs": outputs,
        "inputs": [{"id": submit_id, "property": "n_clicks", "value": 1}],
        "state": state,
        "changedPropIds": [f"{submit_id}.n_clicks"],
    }
    return page.request.post(
        f"{url}/dashboard/_dash-update-component",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )


# Audits -------------------------------------------------------------------------------


def test_audits_table_shows_the_demo_audits_and_filters_by_status(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page.goto(f"{live_app.url}/dashboard/audits")
    expect(page).to_have_title("Audits · ISO 55001")
    wait_for_rows(page, "audits-table")
    assert len(column(page, "audits-table", "id")) == count(live_app, Audit, DEMO_ORG)
    assert all(
        title.startswith("Internal audit") for title in column(page, "audits-table", "title")
    )
    screenshot(page, "audits")

    completed = count(live_app, Audit, DEMO_ORG, status="Completed")
    choose(page, "audits-filter-status", "Completed")
    expect(page.locator("#audits-table td[data-dash-column='id']")).to_have_count(completed)
    assert set(column(page, "audits-table", "status")) == {"Completed"}
    assert console.errors == []


def test_audits_are_sorted_and_paged_in_the_database(
    browser: Browser, live_app: LiveApp, console: ConsoleLog, paging_audits: list[Audit]
) -> None:
    page = open_page(browser, console, PAGING_ORG)
    try:
        page.goto(f"{live_app.url}/dashboard/audits")
        wait_for_rows(page, "audits-table")
        ids = [str(audit.id) for audit in paging_audits]
        assert column(page, "audits-table", "id") == ids[:15]

        page.locator("#audits-table button.next-page").click()
        expect(page.locator("#audits-table td[data-dash-column='id']")).to_have_count(5)
        assert column(page, "audits-table", "id") == ids[15:]

        by_date = sorted(paging_audits, key=lambda audit: (audit.scheduled_date, audit.id))
        header = page.locator("#audits-table th[data-dash-column='scheduled_date']")
        header.locator(".column-header--sort").click()  # ascending
        expect(page.locator("#audits-table td[data-dash-column='id']").first).to_have_text(
            str(by_date[15].id)
        )
        page.locator("#audits-table button.first-page").click()
        expect(page.locator("#audits-table td[data-dash-column='id']").first).to_have_text(
            str(by_date[0].id)
        )
        assert column(page, "audits-table", "id") == [str(a.id) for a in by_date[:15]]
        header.locator(".column-header--sort").click()  # descending
        expect(page.locator("#audits-table td[data-dash-column='id']").first).to_have_text(
            str(by_date[-1].id)
        )
        dates = column(page, "audits-table", "scheduled_date")
        assert dates == sorted(dates, reverse=True)
        screenshot(page, "audits-sorted")
        assert console.errors == []
    finally:
        page.context.close()


def test_create_an_audit_in_the_modal(
    writes_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page = writes_page
    page.goto(f"{live_app.url}/dashboard/audits")
    wait_for_rows(page, "audits-table")
    before = count(live_app, Audit, WRITES_ORG)

    page.locator("#audits-new-open").click()
    expect(page.locator("#audits-new-modal")).to_be_visible()
    page.locator("#audits-new-scope_clause_ids").fill("8.1, 99.9")
    page.locator("#audits-new-submit").click()
    # Field-level messages from the service: nothing is created.
    expect(page.locator("#audits-new-title-error")).to_contain_text("Missing data")
    page.locator("#audits-new-title").fill("Supplier audit from the browser")
    page.locator("#audits-new-submit").click()
    expect(page.locator("#audits-new-scope_clause_ids-error")).to_contain_text("99.9")
    assert count(live_app, Audit, WRITES_ORG) == before
    screenshot(page, "audits-new-invalid")

    page.locator("#audits-new-scope_clause_ids").fill("8.1, 9.1")
    page.locator("#audits-new-lead_auditor").fill("auditor@example.org")
    type_date(page, "audits-new-scheduled_date", "2027-05-03")
    page.locator("#audits-new-submit").click()
    expect(page.locator("#audits-new-modal")).to_be_hidden()
    expect(page.locator("#audits-card")).to_contain_text("Supplier audit from the browser")
    expect(page.locator("#audits-table")).to_contain_text("Supplier audit from the browser")
    created = latest(live_app, Audit, WRITES_ORG)
    assert count(live_app, Audit, WRITES_ORG) == before + 1
    assert created.title == "Supplier audit from the browser"
    assert created.scope_clause_ids == ["8.1", "9.1"]
    assert created.scheduled_date == date(2027, 5, 3)
    assert (created.lead_auditor, created.status) == ("auditor@example.org", "Planned")
    assert f"id={created.id}" in page.url
    assert console.errors == []


def test_edit_an_audit(writes_page: Page, live_app: LiveApp, console: ConsoleLog) -> None:
    audit = AuditService(live_app.runtime.database).create(
        Caller(org_id=WRITES_ORG, user="ui-test", role="editor"),
        {"title": "Audit to edit", "status": "InProgress", "scope_clause_ids": ["6.1"]},
    )
    page = writes_page
    page.goto(f"{live_app.url}/dashboard/audits?id={audit.id}")
    expect(page.locator("#audits-card")).to_contain_text(f"Audit #{audit.id}: Audit to edit")

    page.locator("#audits-edit-title").fill("Audit edited in the browser")
    page.locator("#audits-edit-scope_clause_ids").fill("6.1, 6.2")
    choose(page, "audits-edit-status", "Completed")
    page.locator("#audits-save").click()
    expect(page.locator("#audits-feedback")).to_contain_text(f"Audit #{audit.id} saved")
    expect(page.locator("#audits-card")).to_contain_text("Audit edited in the browser")

    saved = stored(live_app, Audit, audit.id)
    assert saved.title == "Audit edited in the browser"
    assert saved.scope_clause_ids == ["6.1", "6.2"]
    assert saved.status == "Completed"
    assert saved.completed_date is not None  # the service dates a completion
    assert saved.version == audit.version + 1
    screenshot(page, "audits-edited")

    # Someone else saves after the card loaded: its version is stale, so the save is refused.
    AuditService(live_app.runtime.database).update(
        Caller(org_id=WRITES_ORG, user="someone-else", role="editor"),
        audit.id,
        {"lead_auditor": "someone.else@example.org"},
    )
    page.locator("#audits-edit-title").fill("A stale edit")
    page.locator("#audits-save").click()
    expect(page.locator("#audits-feedback")).to_contain_text("reload it")
    assert console.errors == []


def test_edit_a_nonconformity_and_save_without_changes(
    writes_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    editor = Caller(org_id=WRITES_ORG, user="ui-test", role="editor")
    service = NonconformityService(live_app.runtime.database)
    record = service.create(editor, {"description": "Pump logs incomplete", "severity": "Minor"})
    page = writes_page
    page.goto(f"{live_app.url}/dashboard/nonconformities?id={record.id}")
    expect(page.locator("#nc-card")).to_contain_text(f"Nonconformity #{record.id}")

    page.locator("#nc-save").click()  # nothing edited: no write, no new version
    expect(page.locator("#nc-feedback")).to_contain_text(
        f"Nonconformity #{record.id}: nothing changed"
    )
    page.locator("#nc-edit-owner").fill("maintenance.lead@example.org")
    page.locator("#nc-edit-root_cause").fill("No owner for the log review")
    page.locator("#nc-save").click()
    expect(page.locator("#nc-feedback")).to_contain_text(f"Nonconformity #{record.id} saved")
    saved = stored(live_app, Nonconformity, record.id)
    assert (saved.owner, saved.root_cause) == (
        "maintenance.lead@example.org",
        "No owner for the log review",
    )
    assert saved.version == record.version + 1
    assert console.errors == []


# Management reviews ---------------------------------------------------------------------


def test_reviews_table_shows_the_demo_reviews_and_sorts(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page.goto(f"{live_app.url}/dashboard/reviews")
    expect(page).to_have_title("Management reviews · ISO 55001")
    wait_for_rows(page, "reviews-table")
    assert len(column(page, "reviews-table", "id")) == count(live_app, ManagementReview, DEMO_ORG)
    ascending = column(page, "reviews-table", "meeting_date")
    header = page.locator("#reviews-table th[data-dash-column='meeting_date'] .column-header--sort")
    header.click()
    header.click()  # second click: descending
    expect(page.locator("#reviews-table td[data-dash-column='meeting_date']").first).to_have_text(
        max(ascending)
    )
    assert column(page, "reviews-table", "meeting_date") == sorted(ascending, reverse=True)
    screenshot(page, "reviews")
    assert console.errors == []


def test_create_and_edit_a_review(
    writes_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page = writes_page
    page.goto(f"{live_app.url}/dashboard/reviews")
    wait_for_rows(page, "reviews-table")
    before = count(live_app, ManagementReview, WRITES_ORG)

    page.locator("#reviews-new-open").click()
    page.locator("#reviews-new-title").fill("H1 2027 review from the browser")
    type_date(page, "reviews-new-period_start", "2027-06-30")
    type_date(page, "reviews-new-period_end", "2027-01-01")
    page.locator("#reviews-new-participants").fill("CEO, Head of Asset Management")
    page.locator("#reviews-new-submit").click()
    expect(page.locator("#reviews-new-period_end-error")).to_contain_text("period_start")
    assert count(live_app, ManagementReview, WRITES_ORG) == before

    type_date(page, "reviews-new-period_start", "2027-01-01")
    type_date(page, "reviews-new-period_end", "2027-06-30")
    page.locator("#reviews-new-summary").fill("Readiness up; two critical findings open.")
    page.locator("#reviews-new-submit").click()
    expect(page.locator("#reviews-new-modal")).to_be_hidden()
    expect(page.locator("#reviews-table")).to_contain_text("H1 2027 review from the browser")
    created = latest(live_app, ManagementReview, WRITES_ORG)
    assert count(live_app, ManagementReview, WRITES_ORG) == before + 1
    assert (created.period_start, created.period_end) == (date(2027, 1, 1), date(2027, 6, 30))
    assert created.participants == "CEO, Head of Asset Management"

    expect(page.locator("#reviews-card")).to_contain_text(f"Review #{created.id}")
    page.locator("#reviews-edit-decisions").fill("Fund two more internal auditors.")
    page.locator("#reviews-edit-summary").fill("")
    page.locator("#reviews-save").click()
    expect(page.locator("#reviews-feedback")).to_contain_text(f"Review #{created.id} saved")
    saved = stored(live_app, ManagementReview, created.id)
    assert saved.decisions == "Fund two more internal auditors."
    assert saved.summary is None  # a cleared field is cleared, not left as it was
    assert saved.participants == created.participants
    assert saved.version == created.version + 1
    screenshot(page, "reviews-edited")
    assert console.errors == []


# Exports --------------------------------------------------------------------------------


def test_csv_export_link_carries_the_filters(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page.goto(f"{live_app.url}/dashboard/exports")
    expect(page).to_have_title("Exports · ISO 55001")
    expect(page.locator("#exports-link")).to_be_visible()
    choose(page, "exports-dataset", "Nonconformities")
    choose(page, "exports-filter-severity", "Major")
    link = page.locator("#exports-link")
    expect(link).to_have_attribute("href", "/dashboard/download/nonconformities.csv?severity=Major")
    assert link.get_attribute("download") == "nonconformities.csv"
    majors = count(live_app, Nonconformity, DEMO_ORG, severity="Major")
    assert majors > 0
    expect(page.locator("#exports-count")).to_have_text(f"{majors} rows")
    screenshot(page, "exports")

    response = page.request.get(f"{live_app.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    table = list(csv.reader(io.StringIO(response.text())))
    assert table[0][: len(NC_HEADER)] == NC_HEADER
    assert table[0] == list(NC_COLUMNS)
    assert len(table) - 1 == majors
    assert {row[3] for row in table[1:]} == {"Major"}
    assert console.errors == []


def test_xlsx_export_downloads_a_workbook(
    page: Page, live_app: LiveApp, console: ConsoleLog, tmp_path: Path
) -> None:
    page.goto(f"{live_app.url}/dashboard/exports")
    choose(page, "exports-dataset", "Audits")
    expect(page.locator("#exports-field-severity")).to_be_hidden()  # audits have none
    choose(page, "exports-filter-status", "Completed")
    page.locator("#exports-format").get_by_text("XLSX", exact=True).click()
    link = page.locator("#exports-link")
    expect(link).to_have_attribute("href", "/dashboard/download/audits.xlsx?status=Completed")
    with page.expect_download() as pending:
        link.click()
    download = pending.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / "audits.xlsx"
    download.save_as(target)
    sheet = load_workbook(target, read_only=True).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == ["id", "title", "description", "status"]
    assert len(values) - 1 == count(live_app, Audit, DEMO_ORG, status="Completed")
    assert {row[3] for row in values[1:]} == {"Completed"}
    assert console.errors == []


def test_xlsx_over_the_sheet_limit_asks_for_csv(
    page: Page, live_app: LiveApp, console: ConsoleLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The live server runs in this process: a small sheet stands in for a million rows.
    # Dash loads pages by file, so the module is found in sys.modules, not as an attribute.
    monkeypatch.setattr(sys.modules["dashboard.pages.exports"], "XLSX_MAX_ROWS", 6)
    page.goto(f"{live_app.url}/dashboard/exports")
    expect(page.locator("#exports-link")).to_be_visible()
    page.locator("#exports-format").get_by_text("XLSX", exact=True).click()
    expect(page.locator("#exports-too-many")).to_contain_text("choose CSV")
    expect(page.locator("#exports-link")).to_have_count(0)
    page.locator("#exports-format").get_by_text("CSV", exact=True).click()
    expect(page.locator("#exports-link")).to_have_attribute(
        "href", "/dashboard/download/nonconformities.csv"
    )
    assert console.errors == []


def message(response: Any) -> str:
    body = response.get_json()
    assert isinstance(body, dict), response.data[:200]
    return str(body["message"])


def test_download_route_validates_and_streams(live_app: LiveApp) -> None:
    client = live_app.app.test_client()
    headers = {"X-Org-ID": DEMO_ORG}
    response = client.get("/dashboard/download/nonconformities.csv?severity=Minor", headers=headers)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == count(live_app, Nonconformity, DEMO_ORG, severity="Minor")
    assert {row["severity"] for row in rows} == {"Minor"}

    workbook = client.get("/dashboard/download/audit_nonconformities.xlsx", headers=headers)
    assert workbook.status_code == 200
    assert load_workbook(io.BytesIO(workbook.data)).active is not None

    unknown = client.get("/dashboard/download/secrets.csv", headers=headers)
    assert unknown.status_code == 404 and "No export named" in message(unknown)
    assert client.get("/dashboard/download/audits.pdf", headers=headers).status_code == 404
    bad_date = client.get("/dashboard/download/audits.csv?scheduled_from=soon", headers=headers)
    assert bad_date.status_code == 422 and "scheduled_from" in message(bad_date)
    reversed_range = client.get(
        "/dashboard/download/nonconformities.csv?due_from=2026-02-01&due_to=2026-01-01",
        headers=headers,
    )
    assert reversed_range.status_code == 422
    assert "due_to" in message(reversed_range)
    unknown_filter = client.get("/dashboard/download/audits.csv?severity=Major", headers=headers)
    assert unknown_filter.status_code == 422


# Empty organisation and viewers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/dashboard/audits", "audits"),
        ("/dashboard/reviews", "reviews"),
        ("/dashboard/exports", "exports"),
    ],
)
def test_pages_explain_what_to_do_without_data(
    empty_page: Page, live_app: LiveApp, console: ConsoleLog, path: str, name: str
) -> None:
    empty_page.goto(f"{live_app.url}{path}")
    expect(empty_page.locator(".empty-state")).to_contain_text("seed-demo")
    screenshot(empty_page, f"{name}-empty")
    assert console.errors == []


def test_a_viewer_sees_no_edit_controls(
    as_viewer: LiveApp, page: Page, console: ConsoleLog
) -> None:
    audit = latest(as_viewer, Audit, DEMO_ORG)
    page.goto(f"{as_viewer.url}/dashboard/audits?id={audit.id}")
    wait_for_rows(page, "audits-table")
    expect(page.locator("#audits-card")).to_contain_text(f"Audit #{audit.id}")
    expect(page.get_by_role("button", name="New audit")).to_have_count(0)
    for control in ("#audits-new-open", "#audits-save", "#audits-edit-title", "#audits-new-modal"):
        expect(page.locator(control)).to_have_count(0)
    screenshot(page, "audits-viewer")

    review = latest(as_viewer, ManagementReview, DEMO_ORG)
    page.goto(f"{as_viewer.url}/dashboard/reviews?id={review.id}")
    expect(page.locator("#reviews-card")).to_contain_text(f"Review #{review.id}")
    for control in ("#reviews-new-open", "#reviews-save", "#reviews-edit-title"):
        expect(page.locator(control)).to_have_count(0)
    assert console.errors == []


def test_a_viewer_is_refused_writes_on_the_server(as_viewer: LiveApp, page: Page) -> None:
    page.goto(f"{as_viewer.url}/dashboard/audits")
    wait_for_rows(page, "audits-table")
    audits = count(as_viewer, Audit, DEMO_ORG)
    created = forged_callback(
        page,
        as_viewer.url,
        "audits-new-submit",
        {"audits-new-title": "Forged by a viewer", "audits-new-status": "Planned"},
    )
    assert created.status == 200
    assert "Insufficient role" in created.text()
    assert count(as_viewer, Audit, DEMO_ORG) == audits
    assert count(as_viewer, Audit, DEMO_ORG, title="Forged by a viewer") == 0

    target = latest(as_viewer, Audit, DEMO_ORG)
    edited = forged_callback(
        page,
        as_viewer.url,
        "audits-save",
        {
            "audits-selected": target.id,
            "audits-version": target.version,
            "audits-original": {"title": target.title},
            "audits-edit-title": "Renamed by a viewer",
            "audits-edit-status": target.status,
        },
    )
    assert edited.status == 200
    assert "Insufficient role" in edited.text()
    unchanged = stored(as_viewer, Audit, target.id)
    assert (unchanged.title, unchanged.version) == (target.title, target.version)

    reviews = count(as_viewer, ManagementReview, DEMO_ORG)
    forged_review = forged_callback(
        page, as_viewer.url, "reviews-new-submit", {"reviews-new-title": "Forged review"}
    )
    assert forged_review.status == 200
    assert "Insufficient role" in forged_review.text()
    assert count(as_viewer, ManagementReview, DEMO_ORG) == reviews
