"""Dashboard single sign-on through a real OpenID provider (npm oidc-provider) in Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from core.paging import PageRequest
from core.queries.organizations import list_organizations
from core.runtime import Runtime
from tests.oidc_provider import free_port, run_provider
from tests.ui.conftest import ARTIFACTS, ConsoleLog, LiveApp, screenshot

pytestmark = pytest.mark.ui

CLIENT_ID = "iso55001-dashboard"
CLIENT_SECRET = "dashboard-test-secret"


@pytest.fixture(scope="session")
def issuer(live_app: LiveApp) -> Iterator[str]:
    with run_provider(
        free_port(),
        CLIENT_ID,
        CLIENT_SECRET,
        [f"{live_app.url}/auth/callback"],
        [f"{live_app.url}/auth/signed-out"],
    ) as url:
        yield url


@pytest.fixture
def sso(live_app: LiveApp, issuer: str, monkeypatch: pytest.MonkeyPatch) -> LiveApp:
    """Turn sign-on on for this test (the live app reads its runtime per request)."""
    current = live_app.runtime
    settings = current.settings.with_overrides(
        oidc_issuer=issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_scopes="openid email profile iso",
    )
    monkeypatch.setitem(
        live_app.app.extensions, "iso55001", Runtime.from_settings(settings, current.database)
    )
    return live_app


@pytest.fixture
def fresh_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def sign_in(page: Page, app: LiveApp, login: str, path: str = "/dashboard/") -> None:
    page.goto(f"{app.url}{path}")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button.login-submit").click()
    page.wait_for_url(f"{app.url}{path}")


def test_sign_in_through_the_provider_and_see_the_dashboard(
    sso: LiveApp, fresh_page: Page, console: ConsoleLog
) -> None:
    page = fresh_page
    page.goto(f"{sso.url}/dashboard/readiness")
    expect(page.locator("input[name=login]")).to_be_visible()  # redirected to the provider
    assert page.url.startswith(sso.runtime.settings.oidc_issuer or "")
    sign_in(page, sso, "editor@default", "/dashboard/readiness")
    page.on("console", console.on_console)
    expect(page.locator("#shell-user")).to_have_text("editor@default · editor")
    expect(page.locator("#readiness-by-group .main-svg").first).to_be_visible()
    expect(page.locator("#nav-organizations")).to_have_count(0)
    cookie = next(c for c in page.context.cookies() if c["name"] == "iso55001_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert len(cookie["value"]) == 43  # an id only: the data stays on the server
    screenshot(page, "sso-signed-in")
    page.get_by_role("link", name="Heatmap", exact=True).click()
    expect(page.locator("#heatmap-graph .main-svg").first).to_be_visible()
    assert console.errors == []


def test_signed_in_organisation_comes_from_the_id_token(sso: LiveApp, fresh_page: Page) -> None:
    sign_in(fresh_page, sso, "viewer@acme")
    expect(fresh_page.locator("#shell-org")).to_have_text("Organisation: acme")
    expect(fresh_page.locator(".empty-state")).to_be_visible()  # acme has no data yet


def test_dash_requests_without_a_session_answer_401(sso: LiveApp, fresh_page: Page) -> None:
    for path in ("/dashboard/_dash-layout", "/dashboard/_dash-dependencies"):
        response = fresh_page.request.get(f"{sso.url}{path}")
        assert response.status == 401
        assert response.json()["message"] == "Sign in to use the dashboard"
    posted = fresh_page.request.post(f"{sso.url}/dashboard/_dash-update-component", data="{}")
    assert posted.status == 401


def forged_registration(org_id: str) -> str:
    return json.dumps(
        {
            "output": "..orgs-feedback.children...orgs-table-wrap.children..",
            "outputs": [
                {"id": "orgs-feedback", "property": "children"},
                {"id": "orgs-table-wrap", "property": "children"},
            ],
            "inputs": [{"id": "orgs-register", "property": "n_clicks", "value": 1}],
            "state": [
                {"id": "orgs-new-id", "property": "value", "value": org_id},
                {"id": "orgs-new-name", "property": "value", "value": "Forged"},
            ],
            "changedPropIds": ["orgs-register.n_clicks"],
        }
    )


def org_ids(app: LiveApp) -> set[str]:
    page = list_organizations(app.runtime.database, PageRequest(limit=200))
    return {org.id for org in page.items}


def test_a_viewer_is_refused_the_admin_page_and_its_writes(sso: LiveApp, fresh_page: Page) -> None:
    page = fresh_page
    sign_in(page, sso, "viewer", "/dashboard/")
    expect(page.locator("#nav-organizations")).to_have_count(0)
    page.goto(f"{sso.url}/dashboard/organizations")
    expect(page.locator("#access-denied")).to_contain_text("Insufficient role")
    expect(page.locator("#orgs-register")).to_have_count(0)
    screenshot(page, "sso-viewer-refused")
    response = page.request.post(
        f"{sso.url}/dashboard/_dash-update-component",
        data=forged_registration("forged-by-viewer"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200
    assert "Insufficient role" in response.text()
    assert "forged-by-viewer" not in org_ids(sso)


def test_a_tenant_admin_sees_only_its_organisation_and_cannot_register(
    sso: LiveApp, fresh_page: Page
) -> None:
    from core.services.organizations import register_organization

    register_organization(sso.runtime.database, "tenant-own", "Tenant Own Water")
    register_organization(sso.runtime.database, "tenant-other", "Tenant Other Grid")
    page = fresh_page
    sign_in(page, sso, "admin@tenant-own", "/dashboard/organizations")
    expect(page.locator("#orgs-table")).to_contain_text("Tenant Own Water")
    expect(page.locator("#orgs-table")).not_to_contain_text("Tenant Other Grid")
    expect(page.locator("#orgs-register")).to_have_count(0)
    response = page.request.post(
        f"{sso.url}/dashboard/_dash-update-component",
        data=forged_registration("forged-by-tenant-admin"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200 and "Insufficient role" in response.text()
    assert "forged-by-tenant-admin" not in org_ids(sso)


def test_a_platform_admin_registers_an_organisation_then_signs_out(
    sso: LiveApp, fresh_page: Page, console: ConsoleLog
) -> None:
    page = fresh_page
    sign_in(page, sso, "platform-admin", "/dashboard/organizations")
    page.on("console", console.on_console)
    page.locator("#orgs-new-id").fill("coastal-ports")
    page.locator("#orgs-new-name").fill("Coastal Ports Group")
    page.locator("#orgs-register").click()
    expect(page.locator("#orgs-feedback")).to_contain_text("Registered: coastal-ports")
    expect(page.locator("#orgs-table")).to_contain_text("Coastal Ports Group")
    assert "coastal-ports" in org_ids(sso)
    assert console.errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot(page, "sso-admin-organisations")

    page.locator("#shell-sign-out").click()
    page.wait_for_url(f"{sso.url}/auth/signed-out")
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto(f"{sso.url}/dashboard/")
    expect(page.locator("input[name=login]")).to_be_visible()


def test_production_without_sign_on_closes_the_dashboard(
    live_app: LiveApp, fresh_page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = live_app.runtime
    settings = current.settings.with_overrides(env="prod")
    monkeypatch.setitem(
        live_app.app.extensions, "iso55001", Runtime.from_settings(settings, current.database)
    )
    response = fresh_page.request.get(f"{live_app.url}/dashboard/", max_redirects=0)
    assert response.status == 401
    assert "single sign-on" in response.json()["message"]


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("/dashboard/trends?x=1", "/dashboard/trends?x=1"),
        ("https://evil.example/", "/dashboard/"),
        ("//evil.example/dashboard/", "/dashboard/"),
        ("/dashboard//evil", "/dashboard/"),
        (None, "/dashboard/"),
        ("/docs", "/dashboard/"),
    ],
)
def test_sign_in_only_returns_to_dashboard_paths(offered: str | None, kept: str) -> None:
    from dashboard.sso import _safe_next

    assert _safe_next(offered) == kept
