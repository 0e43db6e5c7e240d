"""Every dashboard page, at 1440, 1024 and 768 px: nothing scrolls sideways and axe-core
finds no serious or critical WCAG 2.1 A/AA violation. The pages are listed here, and the
list is checked against Dash's registry, so a new page cannot be missed."""

from __future__ import annotations

import dash
import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import (
    ConsoleLog,
    LiveApp,
    screenshot,
    scrolls_sideways,
    serious_accessibility_problems,
)

PAGES = {
    "/": "overview",
    "/heatmap": "heatmap",
    "/readiness": "readiness",
    "/trends": "trends",
    "/checklist": "checklist",
    "/audits": "audits",
    "/nonconformities": "nonconformities",
    "/reviews": "reviews",
    "/exports": "exports",
    "/transition": "transition",
    "/organizations": "organizations",
}
WIDTHS = (1440, 1024, 768)


def test_every_registered_page_is_checked(live_app: LiveApp) -> None:
    registered = {str(page["path"]) for page in dash.page_registry.values()}
    assert registered == set(PAGES)


@pytest.mark.parametrize("path", list(PAGES))
def test_page_fits_every_width_and_passes_axe(
    page: Page, live_app: LiveApp, console: ConsoleLog, path: str
) -> None:
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.goto(f"{live_app.url}/dashboard{path}")
    expect(page.locator("#_pages_content h2").first).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert not scrolls_sideways(page), f"{path} scrolls sideways at {width} px"
        problems = serious_accessibility_problems(page)
        assert problems == [], f"{path} at {width} px:\n" + "\n".join(problems)
        if width != 768:
            screenshot(page, f"page-{PAGES[path]}-{width}")
    assert console.errors == []
