"""The frame around every page: the whole navbar stays on screen on laptop widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import screenshot

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("width", [1440, 1024])
def test_navbar_fits_the_window(page: Page, dashboard_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{dashboard_url}/dashboard/")
    expect(page.locator("#nav-organizations")).to_be_visible()
    expect(page.locator("#shell-org-switcher")).to_be_visible()

    for element in [*page.locator("#shell-nav a").all(), page.locator("#shell-org-switcher")]:
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, element
    screenshot(page, f"shell-navbar-{width}")
