"""Working through the analytical pages in Chromium: drill-downs, filters, edits, CAPA."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from core.models import Assessment, Nonconformity
from core.runtime import Runtime
from tests import evidence_files
from tests.ui.conftest import DEMO_ORG, ConsoleLog, LiveApp, screenshot
from tests.ui.test_dashboard import figure_data

pytestmark = pytest.mark.ui


@pytest.fixture
def as_viewer(live_app: LiveApp, monkeypatch: pytest.MonkeyPatch) -> LiveApp:
    """With a token configured, the anonymous dashboard user is a viewer."""
    current = live_app.runtime
    settings = current.settings.with_overrides(api_token="token-for-viewer-tests")
    monkeypatch.setitem(
        live_app.app.extensions, "iso55001", Runtime.from_settings(settings, current.database)
    )
    return live_app


def test_heatmap_drill_down_and_maturity_views(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/heatmap")
    figure_data(page, "heatmap-graph")
    # Click the first cell (clause 4.1): the panel opens on that clause.
    page.locator("#heatmap-graph .nsewdrag").first.click(position={"x": 40, "y": 20})
    expect(page.locator("#heatmap-detail-card")).to_contain_text("4.1 Understanding")
    expect(page.locator("#heatmap-detail-assessments .list-group-item").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"clause=4\.1"))
    page.get_by_label("Maturity gap (target - current)").check()
    expect(page).to_have_url(re.compile(r"view=gap"))
    page.wait_for_function(
        "document.querySelector('#heatmap-graph .js-plotly-plot').data[0].zmax === 5"
    )
    screenshot(page, "heatmap-drill-down")
    page.reload()  # the URL carries the view and the clause
    expect(page.locator("#heatmap-detail-card")).to_contain_text("4.1 Understanding")
    expect(page.get_by_label("Maturity gap (target - current)")).to_be_checked()
    assert console.errors == []


def _opened_total(page: Page) -> int:
    traces = figure_data(page, "trends-flow")
    return int(sum(traces[0]["y"]))


def test_trend_filters_change_the_chart_and_the_url(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/trends?from=2024-01-01&to=2026-11-30")
    page.wait_for_function(
        "document.querySelector('#trends-flow .js-plotly-plot')?.data?.[0]?.x?.length === 35"
    )
    everything = _opened_total(page)
    assert everything > 0
    page.locator("#trends-severity").click()
    page.get_by_role("option", name="Critical").click()
    expect(page).to_have_url(re.compile(r"severity=Critical"))
    page.wait_for_function(
        f"document.querySelector('#trends-flow .js-plotly-plot').data[0].y"
        f".reduce((a, b) => a + b, 0) < {everything}"
    )
    critical = _opened_total(page)
    assert 0 <= critical < everything
    assert len(figure_data(page, "trends-backlog")[0]["y"]) == 35
    assert figure_data(page, "trends-close")[0]["name"] == "Median days to close"
    screenshot(page, "trends")
    shared = page.url
    page.goto(shared)  # a shared link shows the same view
    page.wait_for_function(
        f"document.querySelector('#trends-flow .js-plotly-plot')?.data?.[0]?.y"
        f"?.reduce((a, b) => a + b, 0) === {critical}"
    )
    assert console.errors == []


def test_a_bad_trend_period_shows_the_apis_message(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    backwards = page.request.get(
        f"{dashboard_url}/v1/kpi/nc_trends?from_date=2026-05-01&to_date=2026-01-01"
    )
    assert backwards.status == 422
    page.goto(f"{dashboard_url}/dashboard/trends?from=2026-05-01&to=2026-01-01")
    expect(page.locator("#trends-message")).to_have_text(backwards.json()["message"])
    not_a_date = page.request.get(f"{dashboard_url}/v1/kpi/nc_trends?from_date=2026-13-01")
    assert not_a_date.status == 422
    refusal = not_a_date.json()["errors"]["query"]["from_date"][0]
    page.goto(f"{dashboard_url}/dashboard/trends?from=2026-13-01")
    expect(page.locator("#trends-message")).to_have_text(f"from_date: {refusal}")
    page.goto(f"{dashboard_url}/dashboard/trends")  # without dates: the last twelve months
    page.wait_for_function(
        "document.querySelector('#trends-flow .js-plotly-plot')?.data?.[0]?.x?.length === 12"
    )
    expect(page.locator("#trends-message")).to_be_empty()
    expect(page).to_have_url(re.compile(r"from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}"))
    assert console.errors == []


def test_readiness_ranks_the_largest_gaps_first(
    page: Page, dashboard_url: str, console: ConsoleLog
) -> None:
    page.goto(f"{dashboard_url}/dashboard/readiness")
    expect(page.locator("#readiness-gaps tbody tr").first).to_be_visible()
    gaps = [
        int(text)
        for text in page.locator("#readiness-gaps tbody tr td:last-child").all_inner_texts()
    ]
    assert gaps and gaps == sorted(gaps, reverse=True) and min(gaps) > 0
    page.locator("#readiness-gaps tbody tr a").first.click()
    expect(page).to_have_url(re.compile(r"/dashboard/heatmap\?clause="))
    expect(page.locator("#heatmap-detail-card")).to_be_visible()
    assert console.errors == []


def _row_index(page: Page, clause: str) -> int:
    ids = page.locator("#checklist-table td[data-dash-column='clause_id']")
    expect(ids.first).to_be_visible()
    return ids.all_inner_texts().index(clause)


def _cell(page: Page, clause: str, column: str) -> Any:
    row = _row_index(page, clause)
    return page.locator(f"#checklist-table td[data-dash-column='{column}'][data-dash-row='{row}']")


def _latest(live_app: LiveApp, clause: str) -> Assessment:
    with live_app.runtime.database.session() as session:
        found = session.scalar(
            select(Assessment)
            .where(Assessment.org_id == DEMO_ORG, Assessment.clause_id == clause)
            .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
        )
    assert found is not None
    return found


def test_editor_edits_inline_and_uploads_evidence(
    page: Page, live_app: LiveApp, console: ConsoleLog, tmp_path: Path
) -> None:
    page.goto(f"{live_app.url}/dashboard/checklist")
    owner = _cell(page, "7.2", "owner")
    owner.click()
    page.keyboard.type("competence.lead@example.test")
    page.keyboard.press("Enter")
    expect(page.locator("#checklist-message")).to_contain_text("7.2 · owner saved")
    assert _latest(live_app, "7.2").owner == "competence.lead@example.test"

    due = _cell(page, "7.2", "due_date")
    due.click()
    page.keyboard.type("31/12/2027")
    page.keyboard.press("Enter")
    expect(page.locator("#checklist-message")).to_contain_text("7.2 · due date: not a date")
    assert (
        _latest(live_app, "7.2").due_date is None
        or str(_latest(live_app, "7.2").due_date) != "2027-12-31"
    )

    target = "Partial" if _latest(live_app, "7.2").status != "Partial" else "Noncompliant"
    status = _cell(page, "7.2", "status")
    status.click()  # select the cell
    status.click()  # open its dropdown
    status.locator(".Select-option", has_text=target).click()
    expect(page.locator("#checklist-message")).to_contain_text("7.2 · status saved")
    assert _latest(live_app, "7.2").status == target

    page.locator("#checklist-table input[type=radio]").nth(_row_index(page, "7.2")).check()
    expect(page.locator("#checklist-evidence-card")).to_contain_text("Evidence for 7.2")
    sample = tmp_path / "training-matrix.pdf"
    sample.write_bytes(evidence_files.PDF)
    page.locator("#checklist-upload input[type=file]").set_input_files(str(sample))
    expect(page.locator("#checklist-upload-message")).to_contain_text(
        "training-matrix.pdf uploaded"
    )
    link = page.locator("#checklist-evidence-list a", has_text="training-matrix.pdf")
    expect(link).to_be_visible()
    download = page.request.get(f"{live_app.url}{link.get_attribute('href')}")
    assert download.status == 200 and download.body() == evidence_files.PDF
    screenshot(page, "checklist")
    assert console.errors == []


def _raise(page: Page, description: str) -> None:
    page.locator("#nc-new-open").click()
    page.locator("#nc-new-description").fill(description)
    page.locator("#nc-new-clause_id").fill("10.2")
    page.locator("#nc-new-submit").click()
    expect(page.locator("#nc-card")).to_contain_text("CAPA: New")


def test_a_nonconformity_walks_from_new_to_closed(
    page: Page, live_app: LiveApp, console: ConsoleLog
) -> None:
    page.goto(f"{live_app.url}/dashboard/nonconformities")
    page.locator("#nc-new-open").click()
    page.locator("#nc-new-submit").click()  # nothing filled in: told what is missing
    expect(page.locator("#nc-new-description-error")).not_to_be_empty()
    page.locator("#nc-new-description").fill("Valve exercising records missing for Q3")
    page.locator("#nc-new-clause_id").fill("10.2")
    page.locator("#nc-new-submit").click()
    expect(page.locator("#nc-card")).to_contain_text("CAPA: New")
    for step, reached, offered in (
        ("Start analysis", "Analysis", {"Start analysis", "Plan action"}),
        ("Plan action", "Action", {"Plan action", "Send to verification"}),
        ("Send to verification", "Verification", {"Send to verification"}),
        ("Close (verified)", "Closed", {"Plan action", "Close (verified)"}),
    ):
        buttons = set(page.locator("#nc-moves button").all_inner_texts())
        assert buttons == offered, (step, buttons)  # only the allowed moves are offered
        page.locator("#nc-moves button", has_text=step).click()
        expect(page.locator("#nc-state-badge")).to_have_text(f"CAPA: {reached}")
    expect(page.locator("#nc-card")).to_contain_text("CAPA: Closed")
    expect(page.locator("#nc-moves button")).to_have_text(["Reopen"])
    with live_app.runtime.database.session() as session:
        record = session.scalar(
            select(Nonconformity).where(
                Nonconformity.description == "Valve exercising records missing for Q3"
            )
        )
    assert record is not None and record.status == "Closed" and record.closed_date is not None
    screenshot(page, "nonconformity-closed")
    assert console.errors == []


def _output_of(page: Page, url: str, input_id: str) -> str:
    """The registered output string of the callback fed by `input_id` (as Dash names it)."""
    callbacks = page.request.get(f"{url}/dashboard/_dash-dependencies").json()
    return next(
        c["output"] for c in callbacks if any(input_id in str(i["id"]) for i in c["inputs"])
    )


def _forge(page: Page, url: str, body: dict[str, Any]) -> str:
    response = page.request.post(
        f"{url}/dashboard/_dash-update-component",
        data=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200, response.text()
    return response.text()


def test_a_viewer_sees_no_edit_controls_and_cannot_force_writes(
    as_viewer: LiveApp, page: Page, console: ConsoleLog
) -> None:
    page.goto(f"{as_viewer.url}/dashboard/checklist")
    expect(page.locator("#checklist-table")).to_be_visible()
    assert (
        page.locator("#checklist-table .dash-cell.dropdown").count() == 0
        or page.locator("#checklist-table td.dash-cell--editable").count() == 0
    )
    expect(page.get_by_text("editing needs the editor role")).to_be_visible()
    page.goto(f"{as_viewer.url}/dashboard/nonconformities?id=1")
    expect(page.locator("#nc-card")).to_be_visible()
    expect(page.locator("#nc-new-open")).to_have_count(0)
    expect(page.locator("#nc-moves")).to_have_count(0)
    before = _latest(as_viewer, "4.1")
    row = {
        "id": "4.1",
        "clause_id": "4.1",
        "title": "t",
        "status": before.status,
        "maturity": before.maturity,
        "target_maturity": before.target_maturity,
        "owner": before.owner,
        "due_date": "",
        "assessment_id": before.id,
    }
    forged = _forge(
        page,
        as_viewer.url,
        {
            "output": "..checklist-table.data...checklist-message.children..."
            "checklist-table.style_data_conditional..",
            "outputs": [
                {"id": "checklist-table", "property": "data"},
                {"id": "checklist-message", "property": "children"},
                {"id": "checklist-table", "property": "style_data_conditional"},
            ],
            "inputs": [{"id": "checklist-table", "property": "data_timestamp", "value": 1}],
            "state": [
                {
                    "id": "checklist-table",
                    "property": "data",
                    "value": [{**row, "owner": "intruder"}],
                },
                {"id": "checklist-table", "property": "data_previous", "value": [row]},
            ],
            "changedPropIds": ["checklist-table.data_timestamp"],
        },
    )
    assert "Insufficient role" in forged
    assert _latest(as_viewer, "4.1").owner == before.owner
    with as_viewer.runtime.database.session() as session:
        state_before = session.get(Nonconformity, 1)
        assert state_before is not None
    forged = _forge(
        page,
        as_viewer.url,
        {
            "output": _output_of(page, as_viewer.url, "nc-move"),
            "outputs": [
                {"id": "nc-feedback-store", "property": "data"},
                {"id": "nc-refresh", "property": "data"},
            ],
            # A pattern-matching ALL input arrives as a list of the matched components.
            "inputs": [
                [{"id": {"type": "nc-move", "state": "Closed"}, "property": "n_clicks", "value": 1}]
            ],
            "state": [
                {"id": "nc-selected", "property": "data", "value": 1},
                {"id": "nc-version", "property": "data", "value": state_before.version},
                {"id": "nc-refresh", "property": "data", "value": 0},
            ],
            "changedPropIds": ['{"state":"Closed","type":"nc-move"}.n_clicks'],
        },
    )
    assert "Insufficient role" in forged
    with as_viewer.runtime.database.session() as session:
        after = session.get(Nonconformity, 1)
        assert after is not None and after.version == state_before.version
    screenshot(page, "viewer-nonconformity")
    assert console.errors == []


def test_the_organisation_switcher_changes_every_page(
    browser: Any, live_app: LiveApp, console: ConsoleLog
) -> None:
    from core.services.organizations import register_organization

    register_organization(live_app.runtime.database, "switch-test", "Switch Test Utilities")
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # no X-Org-ID
    page = context.new_page()
    page.on("console", console.on_console)
    try:
        page.goto(f"{live_app.url}/dashboard/")
        expect(page.locator("#shell-org")).to_have_text(DEMO_ORG)
        expect(page.locator("#overview-readiness")).to_be_visible()
        page.locator("#shell-org-switcher").click()
        # Organisations are offered by name, their id beside it.
        page.get_by_role("option", name="Switch Test Utilities (switch-test)", exact=True).click()
        expect(page.locator("#shell-org")).to_have_text("switch-test")  # after the reload
        expect(page.locator(".empty-state")).to_be_visible()
        page.goto(f"{live_app.url}/dashboard/checklist")  # the choice sticks
        expect(page.locator("#shell-org")).to_have_text("switch-test")
        expect(page.locator(".empty-state")).to_be_visible()
        assert console.errors == []
    finally:
        context.close()
