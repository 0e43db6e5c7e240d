"""Dashboard timings in a real browser (Debian's Chromium driven by Playwright).

    python bench/dashboard.py --database-url sqlite:///var/bench.db

Serves the app with gunicorn on loopback against a database filled by bench/run.py
(1,000,000 nonconformities in 10 organisations), then for every page measures the first
render: from navigation start until the last Dash request (layout and every callback) has
finished. It also measures filter changes: from the interaction until the callbacks it
triggered have finished. Medians of --repeat runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, Request, sync_playwright

ORG = "bench-1"
PAGES = (
    "/",
    "/heatmap",
    "/trends",
    "/readiness",
    "/checklist",
    "/audits",
    "/nonconformities",
    "/reviews",
    "/exports",
)
DASH_REQUEST = ("_dash-update-component", "_dash-layout", "_dash-dependencies")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUIET_MS = 400  # no Dash request for this long means the page has settled


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(database_url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "server:create_app()",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


class DashActivity:
    """When the page's Dash requests were last seen in flight or finished."""

    def __init__(self, page: Page) -> None:
        self.pending = 0
        self.last_done = time.perf_counter()
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._finished)

    def _is_dash(self, request: Request) -> bool:
        return any(part in request.url for part in DASH_REQUEST)

    def _started(self, request: Request) -> None:
        if self._is_dash(request):
            self.pending += 1

    def _finished(self, request: Request) -> None:
        if self._is_dash(request):
            self.pending -= 1
            self.last_done = time.perf_counter()

    def settle(self, page: Page, since: float) -> float:
        """Seconds from `since` to the last Dash request, once things have gone quiet."""
        while True:
            page.wait_for_timeout(50)
            quiet = (time.perf_counter() - self.last_done) * 1000 > QUIET_MS
            if self.pending == 0 and quiet and self.last_done > since:
                return self.last_done - since


def measure(page: Page, activity: DashActivity, action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return activity.settle(page, started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:///var/bench.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with serve(args.database_url) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, extra_http_headers={"X-Org-ID": ORG}
        )
        page = context.new_page()
        activity = DashActivity(page)
        print(
            f"\n{args.database_url.split(':')[0]}: organisation {ORG}, median of "
            f"{args.repeat} (ms)\n"
        )
        print("| page / interaction | median | max |")
        print("|---|---:|---:|")

        def report(name: str, action: Callable[[], None]) -> None:
            action()  # warm: imports, caches, query plans
            activity.settle(page, 0)
            timings = [measure(page, activity, action) * 1000 for _ in range(args.repeat)]
            print(f"| {name} | {statistics.median(timings):.0f} | {max(timings):.0f} |", flush=True)

        for path in PAGES:
            report(f"first render {path}", lambda path=path: page.goto(f"{base}/dashboard{path}"))  # type: ignore[misc]

        page.goto(f"{base}/dashboard/trends")
        activity.settle(page, 0)
        severities = iter(["Critical", "Major", "Minor"] * (args.repeat + 1))

        def pick_severity() -> None:
            page.locator("#trends-severity").click()
            page.get_by_role("option", name=next(severities)).click()

        report("trends: change severity", pick_severity)
        page.goto(f"{base}/dashboard/nonconformities")
        activity.settle(page, 0)
        statuses = iter(["Open", "Closed", "InProgress"] * (args.repeat + 1))

        def pick_status() -> None:
            page.locator("#nc-filter-status").click()
            page.get_by_role("option", name=next(statuses), exact=True).click()

        report("nonconformities: change status filter", pick_status)

        def next_page() -> None:
            page.locator("#nc-table .next-page").click()

        report("nonconformities: next page", next_page)
        browser.close()


if __name__ == "__main__":
    main()
