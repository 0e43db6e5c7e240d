"""Neither server names its software or version: `Server` says nothing worth probing for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.api.test_tokens import RSA, jwks
from tests.oidc_provider import free_port

ISO55001 = str(Path(sys.executable).with_name("iso55001"))
VERSIONED = re.compile(r"werkzeug|python|gunicorn/|\d+\.\d+", re.IGNORECASE)


def _server_header(command: str, tmp_path: Path, **env: str) -> str:
    port = free_port()
    process = subprocess.Popen(
        [ISO55001, command],
        env={
            **os.environ,
            "ENV": "prod",
            "SECRET_KEY": "banner-test-" + "x" * 32,
            "CORS_ALLOWED_ORIGINS": "https://app.example",
            "OIDC_JWKS": jwks(RSA),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'banner.db'}",
            "EVIDENCE_DIR": str(tmp_path / "evidence"),
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                    return str(reply.headers.get("Server", ""))
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"`iso55001 {command}` did not come up")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_development_server_sends_no_version_banner(tmp_path: Path) -> None:
    banner = _server_header("run", tmp_path)
    assert banner == "iso55001"


def test_gunicorn_sends_no_version_banner(tmp_path: Path) -> None:
    banner = _server_header(
        "serve", tmp_path, WEB_CONCURRENCY="1", PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "m")
    )
    assert not VERSIONED.search(banner), banner
