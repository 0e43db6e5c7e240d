"""The lock files agree with pyproject.toml: every dependency pinned, with hashes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_LOCK = ROOT / "requirements" / "run.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)")


def _name(requirement: str) -> str:
    bare = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", bare).lower()


def _lock(path: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) from a `uv pip compile --generate-hashes` file."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            current = _name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return pins


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run = {_name(r) for r in project["dependencies"]}
    test = {_name(r) for r in project["optional-dependencies"]["test"]}
    return run, test


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=["run", "test"])
def test_every_locked_package_is_pinned_with_hashes(lock: Path) -> None:
    pins = _lock(lock)
    assert len(pins) > 50
    assert {name for name, (_, hashes) in pins.items() if hashes == 0} == set()


def test_the_locks_cover_pyproject_and_agree_with_each_other() -> None:
    run, test = _declared()
    run_pins, test_pins = _lock(RUN_LOCK), _lock(TEST_LOCK)
    assert run - set(run_pins) == set(), "pyproject.toml changed: run `make lock`"
    assert (run | test) - set(test_pins) == set(), "pyproject.toml changed: run `make lock`"
    assert {n: v for n, (v, _) in run_pins.items()} == {
        n: v for n, (v, _) in test_pins.items() if n in run_pins
    }


def test_opentelemetry_packages_come_from_one_release() -> None:
    """Stable packages (1.N) share one version, and so do the contrib betas (0.(N+21)bK)."""
    pins = {n: v for n, (v, _) in _lock(TEST_LOCK).items() if n.startswith("opentelemetry-")}
    stable = {version for version in pins.values() if "b" not in version}
    contrib = {version for version in pins.values() if "b" in version}
    assert len(stable) == 1 and len(contrib) == 1, pins
    assert {"opentelemetry-instrumentation-flask", "opentelemetry-api"} <= set(pins)
