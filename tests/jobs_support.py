"""Shared by the job tests: bulk findings, polling a job, reading workbooks, RQ workers."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import insert

from core.config import Settings
from core.db import Database
from core.models import Nonconformity

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FINISHED = ("Succeeded", "Failed", "Cancelled")
REPO = Path(__file__).resolve().parents[1]


def add_findings(database: Database, count: int, org_id: str = "default") -> None:
    """`count` nonconformities with every kind of cell: text, dates, times, empties."""
    start = datetime(2026, 1, 1, 8, 30, tzinfo=UTC)
    rows = [
        {
            "org_id": org_id,
            "created_at": start + timedelta(minutes=n),
            "updated_at": start + timedelta(minutes=n),
            "version": 1,
            "description": f"=finding {n}" if n % 997 == 0 else f"Finding {n}: valve log gap",
            "severity": ("Minor", "Major", "Critical")[n % 3],
            "status": ("Open", "InProgress", "Closed")[n % 3],
            "state": "New",
            "owner": f"owner{n % 17}@example.com" if n % 5 else None,
            "due_date": date(2026, 6, 1) + timedelta(days=n % 90) if n % 4 else None,
        }
        for n in range(count)
    ]
    with database.session() as session:
        session.execute(insert(Nonconformity), rows)
        session.commit()


def wait_for_job(
    client: FlaskClient,
    job_id: str,
    *,
    until: Any = None,
    timeout: float = 180,
    headers: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[int]]:
    """Poll the job until `until(job)` (by default: it has finished); the progress seen."""
    done = until or (lambda job: job["status"] in FINISHED)
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while True:
        answer = client.get(f"/v1/jobs/{job_id}", headers=headers or {})
        assert answer.status_code == 200, answer.json
        job = answer.json
        seen.append(job["progress"])
        if done(job):
            return job, seen
        assert time.monotonic() < deadline, f"job still {job['status']} after {timeout} s: {job}"
        time.sleep(0.05)


def sheet_rows(data: bytes) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
    finally:
        workbook.close()


class RqWorker:
    """A real `iso55001 worker` process on a queue of its own, against the test database."""

    def __init__(self, settings: Settings, queue: str) -> None:
        self.queue = queue
        env = {
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "EVIDENCE_DIR": str(settings.evidence_dir),
            "REDIS_URL": REDIS_URL,
            "JOBS_BACKEND": "rq",
            "JOBS_QUEUE": queue,
            "JOBS_HEARTBEAT_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from server import cli; cli()", "worker"],
            cwd=REPO,
            env=env,
            start_new_session=True,  # its own process group, killed whole
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        from redis import Redis
        from rq import Queue, Worker

        connection = Redis.from_url(REDIS_URL)
        deadline = time.monotonic() + 60
        while not Worker.all(queue=Queue(self.queue, connection=connection)):
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited: {self.process.stderr.read().decode()}")  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.2)

    def kill(self, horse_pid: int | None) -> None:
        """SIGKILL the worker and, when given, its work horse (which runs in its own group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        if horse_pid is not None:
            os.kill(horse_pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        if self.process.stderr is not None:
            self.process.stderr.close()


@contextmanager
def rq_worker(settings: Settings) -> Iterator[RqWorker]:
    worker = RqWorker(settings, f"iso55001-test-{uuid.uuid4().hex[:12]}")
    try:
        yield worker
    finally:
        worker.stop()
