"""A 100,000-row XLSX export from the Exports page: built by a job, followed on a progress
bar, cancellable, downloaded when done."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from core.models import Job
from tests.jobs_support import add_findings
from tests.ui.conftest import (
    ConsoleLog,
    LiveApp,
    open_page,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

BIG_ORG = "big-water"
ROWS = 100_000


@pytest.fixture(scope="module")
def big_org(live_app: LiveApp) -> str:
    add_findings(live_app.runtime.database, ROWS, org_id=BIG_ORG)
    return BIG_ORG


@pytest.fixture
def big_page(browser: Browser, console: ConsoleLog, big_org: str) -> Iterator[Page]:
    opened = open_page(browser, console, big_org)
    yield opened
    opened.context.close()


def _bar(page: Page) -> int:
    return int(page.locator("#exports-job-bar").get_attribute("aria-valuenow") or 0)


def _start_build(page: Page, live_app: LiveApp) -> None:
    page.goto(f"{live_app.url}/dashboard/exports")
    page.locator("#exports-format").get_by_text("XLSX", exact=True).click()
    expect(page.locator("#exports-count")).to_have_text(f"{ROWS:,} rows")
    expect(page.locator("#exports-link")).to_have_count(0)  # too big to wait for
    page.locator("#exports-build").click()
    expect(page.locator("#exports-job-panel")).to_be_visible()


def test_a_large_export_shows_real_progress_then_the_download(
    big_page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page = big_page
    _start_build(page, live_app)
    seen: list[int] = []
    messages: set[str] = set()
    deadline = time.monotonic() + 240
    download = page.locator("#exports-job-download")
    while not download.is_visible():
        assert time.monotonic() < deadline, f"no download after 240 s; progress {seen}"
        seen.append(_bar(page))
        messages.add(page.locator("#exports-job-message").inner_text())
        if 20 <= seen[-1] < 90 and "exports-progress" not in messages:
            messages.add("exports-progress")
            screenshot(page, "exports-progress")
            # The component's own region (the page's controls are issue-wide work).
            problems = serious_accessibility_problems(page, within="#exports-job-panel")
            assert problems == [], "\n".join(problems)
            for width in (1024, 768):
                page.set_viewport_size({"width": width, "height": 900})
                assert not scrolls_sideways(page)
                screenshot(page, f"exports-progress-{width}")
            page.set_viewport_size({"width": 1440, "height": 900})
        time.sleep(0.2)
    assert seen == sorted(seen), seen
    assert any(0 < value < 100 for value in seen), seen
    assert "exports-progress" in messages  # the bar was seen mid-way
    assert any(message.startswith("Writing rows ") for message in messages), messages
    assert _bar(page) == 100
    expect(page.locator("#exports-job-message")).to_have_text(
        f"Done ({ROWS:,} rows): your file is ready."
    )
    expect(page.locator("#exports-job-cancel")).to_be_disabled()
    screenshot(page, "exports-done")

    href = download.get_attribute("href")
    assert href is not None and href.startswith("/dashboard/download/jobs/")
    response = page.request.get(f"{live_app.url}{href}")
    assert response.status == 200 and response.body()[:2] == b"PK"
    assert response.headers["content-disposition"].startswith("attachment")
    with live_app.runtime.database.session() as session:
        job = session.scalar(select(Job).where(Job.id == href.rsplit("/", 1)[1]))
    assert job is not None and job.org_id == BIG_ORG and (job.result or {})["rows"] == ROWS
    assert console.errors == []


def test_cancel_stops_the_build(big_page: Page, live_app: LiveApp, console: ConsoleLog) -> None:
    page = big_page
    _start_build(page, live_app)
    deadline = time.monotonic() + 60
    while _bar(page) == 0:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    page.locator("#exports-job-cancel").click()
    expect(page.locator("#exports-job-message")).to_contain_text("Cancelled", timeout=30_000)
    expect(page.locator("#exports-job-download")).to_be_hidden()
    expect(page.locator("#exports-job-cancel")).to_be_disabled()
    assert _bar(page) < 100
    screenshot(page, "exports-cancelled")
    assert console.errors == []
