"""The production server: gunicorn with several workers, migrations on start, shared metrics."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.oidc_provider import free_port

ISO55001 = str(Path(sys.executable).with_name("iso55001"))


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_serve_migrates_and_counts_requests_across_workers(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
        "PORT": str(port),
        "WEB_CONCURRENCY": "3",
        "GUNICORN_THREADS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [ISO55001, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if get(f"{base}/ready")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("gunicorn did not come up")
        for _ in range(60):
            assert get(f"{base}/v1/clauses?limit=1")[0] == 200  # the catalogue was loaded
        counts = []
        for _ in range(5):  # whichever worker answers the scrape sees every worker's counts
            body = get(f"{base}/metrics")[1]
            match = re.search(
                r'http_requests_total\{method="GET",route="/v1/clauses",status="200"\} (\S+)', body
            )
            assert match, body[:500]
            counts.append(float(match.group(1)))
        assert counts == [60.0] * 5
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output and output.count("Booting worker") >= 3
