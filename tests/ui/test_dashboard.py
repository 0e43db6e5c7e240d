"""Each dashboard page in a real browser: figures render from core queries, no console errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import ConsoleLog, screenshot

pytestmark = pytest.mark.ui


def figure_data(page: Page, graph_id: str) -> Any:
    page.wait_for_selector(f"#{graph_id} .main-svg")
    return page.evaluate(f"document.querySelector('#{graph_id} .js-plotly-plot').data")


def test_overview_shows_kpis_overdue_due_and_schedule(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/")
    expect(page).to_have_title("Overview · ISO 55001")
    expect(page.locator("#overview-readiness .kpi-value")).to_contain_text("%")
    for card in ("#overview-open", "#overview-overdue-count", "#overview-audits"):
        expect(page.locator(f"{card} .kpi-value")).not_to_be_empty()
    overdue = page.locator("#overview-overdue tbody tr")
    expect(overdue.first).to_be_visible()
    days = [
        int(text.split()[0])
        for text in page.locator("#overview-overdue tbody tr td:last-child").all_inner_texts()
    ]
    assert days == sorted(days, reverse=True)  # most overdue first
    expect(page.locator("#overview-due")).to_be_visible()
    timeline = figure_data(page, "overview-audit-timeline")
    assert {trace["name"] for trace in timeline} >= {"Completed", "Planned"}
    for name in (
        "Overview",
        "Heatmap",
        "Readiness",
        "Trends",
        "Checklist",
        "Nonconformities",
    ):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    overdue.first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/dashboard/nonconformities\?id=\d+"))
    expect(page.locator("#nc-card")).to_be_visible()
    screenshot(page, "overview")
    assert console.errors == []


def test_heatmap_has_every_clause_grouped_by_clause_4_to_10(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    response = page.goto(f"{dashboard_url}/dashboard/heatmap")
    # The page works under the server's Content-Security-Policy (violations would show as
    # console errors, which every browser test checks).
    assert (
        response is not None and "default-src 'self'" in response.headers["content-security-policy"]
    )
    assert response.headers["x-frame-options"] == "DENY"
    trace = figure_data(page, "heatmap-graph")[0]
    assert [label.split(" ")[0] for label in trace["y"]] == ["4", "5", "6", "7", "8", "9", "10"]
    clause_ids = [text for row in trace["text"] for text in row if text]
    assert len(clause_ids) == 38 and clause_ids[0] == "4.1" and clause_ids[-1] == "10.3"
    assert all(
        code is not None
        for row, texts in zip(trace["z"], trace["text"], strict=True)
        for code, text in zip(row, texts, strict=True)
        if text
    )
    # The hover names clause, status, maturity and owner.
    hover_fields = trace["customdata"][0][0]
    assert hover_fields[0] == "Understanding the organization and its context"
    assert "Owner" in trace["hovertemplate"] and "Maturity" in trace["hovertemplate"]
    page.locator("#heatmap-graph .nsewdrag").first.hover(position={"x": 40, "y": 20})
    expect(page.locator("#heatmap-graph .hovertext")).to_contain_text("Status:")
    screenshot(page, "heatmap")
    assert console.errors == []


def test_readiness_shows_overall_groups_and_maturity(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/readiness")
    expect(page.locator("#readiness-overall .kpi-value")).to_contain_text("%")
    bars = figure_data(page, "readiness-by-group")[0]
    assert len(bars["x"]) == 7 and all(0 <= value <= 100 for value in bars["x"])
    target, current = figure_data(page, "readiness-maturity")
    assert (target["name"], current["name"]) == ("Target", "Current")
    assert any(value > 0 for value in current["r"])
    screenshot(page, "readiness")
    assert console.errors == []


def test_navbar_links_move_between_pages(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/")
    page.get_by_role("link", name="Readiness", exact=True).click()
    expect(page).to_have_url(f"{dashboard_url}/dashboard/readiness")
    expect(page.locator("#readiness-by-group .main-svg").first).to_be_visible()
    page.get_by_role("link", name="Heatmap", exact=True).click()
    expect(page.locator("#heatmap-graph .main-svg").first).to_be_visible()
    assert console.errors == []


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/dashboard/", "overview"),
        ("/dashboard/readiness", "readiness"),
        ("/dashboard/heatmap", "heatmap"),
        ("/dashboard/trends", "trends"),
        ("/dashboard/checklist", "checklist"),
        ("/dashboard/nonconformities", "nonconformities"),
    ],
)
def test_pages_explain_what_to_do_without_data(
    empty_page: Page, dashboard_url: str, console: ConsoleLog, path: str, name: str
) -> None:
    empty_page.goto(f"{dashboard_url}{path}")
    expect(empty_page.locator(".empty-state").first).to_be_visible()
    screenshot(empty_page, f"{name}-empty")
    assert console.errors == []
