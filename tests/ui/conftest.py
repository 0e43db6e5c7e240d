"""The full app (API + dashboard) served on loopback, and one shared Chromium.

Dash keeps process-wide page state, so this is the only app built with the dashboard.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from werkzeug.serving import make_server

from core.config import Settings
from core.db import migrate
from core.operations.demo import DemoPlan, seed_demo
from core.runtime import Runtime
from core.services.catalogue import seed_clauses
from tests.npm_packages import ensure_npm_packages

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
UI_TOOLS = Path(__file__).resolve().parent
AXE = UI_TOOLS / "node_modules" / "axe-core" / "axe.min.js"
DEMO_ORG = "default"
EMPTY_ORG = "empty-org"


@dataclass(frozen=True)
class LiveApp:
    url: str
    app: Flask

    @property
    def runtime(self) -> Runtime:
        found: Runtime = self.app.extensions["iso55001"]
        return found


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    from server import create_app

    tmp = tmp_path_factory.mktemp("dashboard")
    settings = Settings(database_url=f"sqlite:///{tmp / 'ui.db'}", evidence_dir=tmp / "evidence")
    app = create_app(settings, dashboard=True)
    runtime: Runtime = app.extensions["iso55001"]
    migrate(runtime.database.engine)
    seed_clauses(runtime.database, settings.data_dir)
    seed_demo(runtime.database, DemoPlan(org_ids=(DEMO_ORG,), seed=11))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveApp(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    runtime.database.dispose()


@pytest.fixture(scope="session")
def dashboard_url(live_app: LiveApp) -> str:
    return live_app.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class ConsoleLog:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(str(error))


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


def open_page(browser: Browser, console: ConsoleLog, org: str) -> Page:
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, extra_http_headers={"X-Org-ID": org}
    )
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_page_error)
    return page


@pytest.fixture
def page(browser: Browser, console: ConsoleLog) -> Iterator[Page]:
    opened = open_page(browser, console, DEMO_ORG)
    yield opened
    opened.context.close()


@pytest.fixture
def empty_page(browser: Browser, console: ConsoleLog) -> Iterator[Page]:
    opened = open_page(browser, console, EMPTY_ORG)
    yield opened
    opened.context.close()


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_accessibility_problems(page: Page, within: str | None = None) -> list[str]:
    """What axe-core (WCAG 2.1 A and AA rules) finds serious or critical on the page now,
    or in the part of it that the CSS selector `within` names."""
    ensure_npm_packages(UI_TOOLS, UI_TOOLS / "node_modules" / ".package-lock.json")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (within) => {
            const result = await axe.run(within ? {include: [within]} : document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" ")})`);
        }""",
        within,
    )
    return list(found)


def scrolls_sideways(page: Page) -> bool:
    # Charts re-lay themselves out on the resize event, a moment after it.
    page.wait_for_timeout(600)
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )
