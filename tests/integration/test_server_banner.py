"""The development server names neither its software nor its version in `Server`.

gunicorn (27.0.1 in the lock) already sends a bare `Server: gunicorn`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.api.test_tokens import RSA, jwks
from tests.oidc_provider import free_port

ISO55001 = str(Path(sys.executable).with_name("iso55001"))


def _server_header(command: str, tmp_path: Path) -> str:
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
