"""npm tools the tests run (oidc-provider, newman), installed from their lock files."""

from __future__ import annotations

import fcntl
import subprocess
from pathlib import Path


def ensure_npm_packages(folder: Path, installed: Path) -> None:
    """Run `npm ci` in `folder` unless `installed` (a file npm ci creates) is already there."""
    if installed.exists():
        return
    # Parallel test processes must not run npm ci over each other: lock (advisory flock,
    # npm ignores it) the lock file that npm ci only reads.
    with open(folder / "package-lock.json") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.exists():
            return
        try:
            result = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"],
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=600,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"npm ci in {folder} could not run: {exc}") from exc
        if result.returncode != 0 or not installed.exists():
            raise RuntimeError(
                f"npm ci in {folder} failed (exit {result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
