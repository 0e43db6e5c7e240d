"""Schemathesis over every operation of the OpenAPI document, against the app on loopback.

One bounded run of the CLI (`st run`) with every check and every phase (examples, coverage,
fuzzing, stateful), a fixed seed and a few examples per operation, against a dev server on a
fresh SQLite database, authenticated as a platform operator so that writes are exercised too.
Nothing may answer 5xx, and every check but one must pass: the answers conform to the
documented status codes, media types, headers and schemas, and data the schema forbids is
refused.

The exception is `positive_data_acceptance` (ST202, "schema-valid request rejected"). It runs
and is reported, but refusals of schema-valid data are how the API applies rules a JSON schema
cannot state: a stale or made-up If-Match is 412, a parent clause cannot be assessed, a range
must not end before it starts, evidence is judged on its bytes (415), a referenced audit or
clause must exist.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from tests.live_api import serve_api

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")  # the test environment's CLI
TOKEN = "schemathesis-platform-operator-token"
PHASES = "examples,coverage,fuzzing,stateful"
# Examples per operation in the fuzzing and stateful phases: the run stays near a minute
# on two cores. The seed makes it the same run every time.
MAX_EXAMPLES = 5
SEED = 55001
RUN_TIMEOUT = 240
# Failures of these kinds are rules beyond the schema (see the module docstring).
BUSINESS_RULE_REFUSALS = {"RejectedPositiveData"}


@pytest.fixture
def live_url(tmp_path: Path) -> Iterator[str]:
    """The API on loopback over a fresh, migrated SQLite database with the seeded catalogue."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'schemathesis.db'}",
        evidence_dir=tmp_path / "evidence",
        api_token=TOKEN,
        api_role="platform-admin",
        log_level="WARNING",
    )
    with serve_api(settings) as url:
        yield url


def run_schemathesis(base_url: str, work: Path) -> tuple[dict[str, Any], str]:
    report = work / "schemathesis.json"
    command = [
        str(SCHEMATHESIS),
        "--no-color",
        "run",
        f"{base_url}/openapi.json",
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    result = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    assert report.is_file(), f"schemathesis wrote no report:\n{result.stdout}\n{result.stderr}"
    found: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return found, result.stdout


def sections_with(output: str, codes: set[str]) -> str:
    """The parts of the CLI's output (one per operation) that report one of `codes`."""
    blocks = re.split(r"\n(?=_{3,} )", output)
    return "\n".join(b for b in blocks if any(f"- {code} " in b for code in codes))


def test_schemathesis_finds_no_server_error_and_no_contract_failure(
    live_url: str, tmp_path: Path
) -> None:
    report, output = run_schemathesis(live_url, tmp_path)
    # Every operation was generated for and nothing broke the run itself.
    operations = report["operations"]
    assert operations["tested"] == operations["total"] > 100, operations
    assert operations["errored"] == 0 and report["errors"] == [], output[-6000:]
    assert report["test_cases"]["errored"] == 0, output[-6000:]
    assert all(report["phases"][phase]["status"] != "skipped" for phase in PHASES.split(","))
    failures = [f for f in report["failures"] if f["type"] not in BUSINESS_RULE_REFUSALS]
    summary = "\n".join(
        f"{f['code']} {f['title']} ({f['count']}): {', '.join(f['operations'])}" for f in failures
    )
    details = sections_with(output, {f["code"] for f in failures})
    assert not failures, f"{summary}\n\n{details[:20000]}"
