"""The 2014 → 2024 transition page: the shipped crosswalk beside today's assessments."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from core.queries.transition import transition
from tests.ui.conftest import (
    DEMO_ORG,
    ConsoleLog,
    LiveApp,
    screenshot,
    serious_accessibility_problems,
)


def test_transition_page_lists_every_mapping_with_its_2024_status(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    rows = transition(live_app.runtime.database, DEMO_ORG, live_app.runtime.settings.data_dir)
    page.goto(f"{live_app.url}/dashboard/transition")
    expect(page).to_have_title("Transition from ISO 55001:2014 · ISO 55001")
    body = page.locator("#transition-table tbody tr")
    expect(body).to_have_count(len(rows))
    for index, row in enumerate(rows):
        cells = body.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(row.from_clause)
        expect(cells.nth(2)).to_have_text(row.to_clause)
    compliant = sum(1 for row in rows if row.status == "Compliant")
    expect(page.locator("#transition-summary")).to_have_text(
        f"{compliant} of {len(rows)} moved clauses are compliant under the 2024 edition."
    )
    problems = serious_accessibility_problems(page, within="#transition-table")
    assert problems == [], "\n".join(problems)
    screenshot(page, "transition-1440")  # widths and the whole page: test_accessibility.py
    link = body.first.locator("td").nth(2).locator("a")
    link.click()
    expect(page).to_have_url(f"{live_app.url}/dashboard/checklist?clause={rows[0].to_clause}")
    assert console.errors == []
