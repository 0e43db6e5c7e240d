"""The overview answers "are we ready for certification, and what stands in the way?"."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from core.queries.readiness import readiness
from tests.ui.conftest import (
    DEMO_ORG,
    ConsoleLog,
    LiveApp,
    screenshot,
    serious_accessibility_problems,
)


def _figure(page: Page, graph_id: str) -> Any:
    return page.evaluate(
        f"document.getElementById('{graph_id}').querySelector('.js-plotly-plot').data"
    )


def test_the_overview_answers_the_certification_question(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    summary = readiness(live_app.runtime.database, DEMO_ORG)
    assert summary.certification_date is not None and summary.blockers  # seeded that way
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_app.url}/dashboard/")
    expect(page.locator("#overview-gauge .js-plotly-plot")).to_be_visible()
    gauge = _figure(page, "overview-gauge")
    assert gauge[0]["value"] == summary.percent
    assert gauge[0]["gauge"]["threshold"]["value"] == summary.target == 85
    expect(page.locator("#overview-adjusted")).to_have_text(f"{summary.adjusted_percent:.1f}%")
    expect(page.locator("#overview-explain")).to_contain_text(
        f"takes readiness from {summary.percent:.1f}% to {summary.adjusted_percent:.1f}%"
    )
    expect(page.locator("#overview-countdown")).to_contain_text(
        f"{summary.days_to_certification} days"
    )
    expect(page.locator("#overview-countdown")).to_contain_text(
        f"to the audit on {summary.certification_date.isoformat()}"
    )
    blockers = page.locator("#overview-blockers li")
    expect(blockers.first).to_be_visible()
    assert blockers.count() == min(len(summary.blockers), 6) + (len(summary.blockers) > 6)
    first = sorted(summary.blockers, key=lambda blocker: not blocker.overdue)[0]
    expect(blockers.first).to_contain_text(f"#{first.nonconformity_id} on clause {first.clause_id}")
    trend = _figure(page, "overview-trend")
    assert [series["name"] for series in trend] == ["Readiness", "Adjusted for blockers"]
    assert len(trend[0]["y"]) == 13 and trend[0]["y"][-1] == summary.percent
    # The whole answer fits the first screen at 1440 px.
    for card in ("#overview-certification", "#overview-countdown", "#overview-blockers"):
        bottom = page.locator(card).evaluate("element => element.getBoundingClientRect().bottom")
        assert bottom <= 900, card
    problems = [
        problem
        for region in (
            "#overview-certification",
            "#overview-countdown",
            "#overview-blockers",
            "#overview-weakest",
        )
        for problem in serious_accessibility_problems(page, within=region)
    ]
    assert problems == [], "\n".join(problems)
    screenshot(page, "overview-1440")  # widths and the whole page: test_accessibility.py
    weakest = page.locator("#overview-weakest a")
    href = weakest.get_attribute("href")
    assert href is not None and href.startswith("/dashboard/checklist?clause=")
    weakest.click()
    expect(page).to_have_url(f"{live_app.url}{href}")
    clause = href.rsplit("=", 1)[1]
    expect(page.locator("#checklist-evidence")).to_contain_text(f"Evidence for {clause}")
    assert console.errors == []
