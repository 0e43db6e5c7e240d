"""A production server whose first requests carry no credential still serves the dashboard.

Dash sets itself up inside whichever request a process sees first. Here each gunicorn
worker in turn is the only one running (the others are paused, so the listening socket
has one taker) and first sees anonymous requests: a load balancer's probe, a visitor
before sign-in. Then a user signs in at the real OpenID provider and saves a record
through a callback on that worker, and the worker lists the whole callback map.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.api.test_tokens import RSA, jwks
from tests.oidc_provider import free_port, run_provider
from tests.ui.conftest import LiveApp, screenshot

pytestmark = pytest.mark.ui

ISO55001 = str(Path(sys.executable).with_name("iso55001"))
CLIENT_ID = "iso55001-production"
CLIENT_SECRET = "production-test-secret"
WORKERS = 2


def _request(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        headers = {"Connection": "close", **({"Cookie": cookie} if cookie else {})}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@contextmanager
def _only(worker: int, workers: list[int]) -> Iterator[None]:
    """Pause every other worker, so each new connection is accepted by `worker`."""
    others = [pid for pid in workers if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


@pytest.fixture
def production_server(tmp_path: Path) -> Iterator[tuple[int, str, list[int]]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with run_provider(
        free_port(),
        CLIENT_ID,
        CLIENT_SECRET,
        [f"{base}/auth/callback"],
        [f"{base}/auth/signed-out"],
    ) as issuer:
        env = {
            **os.environ,
            "ENV": "prod",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            "EVIDENCE_DIR": str(tmp_path / "evidence"),
            "PORT": str(port),
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_THREADS": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
            "SECRET_KEY": "production-dashboard-test-" + "x" * 32,
            "CORS_ALLOWED_ORIGINS": "https://app.example",
            "OIDC_JWKS": jwks(RSA),
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_SCOPES": "openid email profile iso",
            "LOG_LEVEL": "WARNING",
        }
        # The serve process is gunicorn's arbiter; its children are the workers.
        process = subprocess.Popen(
            [ISO55001, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            for _ in range(150):
                if len(_children(process.pid)) == WORKERS:
                    break
                time.sleep(0.2)
            else:
                raise AssertionError("gunicorn did not start its workers")
            yield port, base, _children(process.pid)
        finally:
            process.terminate()
            process.communicate(timeout=30)


def _serving(port: int) -> bool:
    try:
        return _request(port, "/health")[0] == 200
    except OSError:
        return False


def test_anonymous_first_requests_leave_every_worker_whole(
    production_server: tuple[int, str, list[int]], browser: Browser, live_app: LiveApp
) -> None:
    port, base, workers = production_server
    expected = json.loads(live_app.app.test_client().get("/dashboard/_dash-dependencies").data)
    assert len(expected) > 20

    for number, worker in enumerate(workers):
        with _only(worker, workers):
            # What a load balancer and a visitor send before anyone signs in.
            for _ in range(150):
                if _serving(port):
                    break
                time.sleep(0.2)
            else:
                raise AssertionError(f"worker {worker} did not come up")
            assert _request(port, "/auth/login")[0] == 302
            assert _request(port, "/dashboard/")[0] == 302
            assert _request(port, "/dashboard/_dash-dependencies")[0] == 401

            context = browser.new_context(viewport={"width": 1440, "height": 900})
            try:
                page = context.new_page()
                page.goto(f"{base}/dashboard/audits")
                page.locator("input[name=login]").fill("editor@acme")
                page.locator("input[name=password]").fill("any password")
                page.locator("button.login-submit").click()
                page.wait_for_url(f"{base}/dashboard/audits")
                expect(page.locator("#shell-user")).to_have_text("editor@acme · editor")
                expect(page.locator("#nav-audits")).to_be_visible()

                title = f"Audit saved by worker {number + 1} after an anonymous start"
                page.locator("#audits-new-open").click()
                page.locator("#audits-new-title").fill(title)
                page.locator("#audits-new-submit").click()
                expect(page.locator("#audits-new-modal")).to_be_hidden()
                expect(page.locator("#audits-table")).to_contain_text(title)
                screenshot(page, f"production-dashboard-worker-{number + 1}")
                session = next(c for c in context.cookies() if c["name"] == "iso55001_session")
            finally:
                context.close()

            cookie = f"iso55001_session={session['value']}"
            status, body = _request(port, "/dashboard/_dash-dependencies", cookie)
            assert status == 200
            assert len(json.loads(body)) == len(expected)
