"""Running one job, in whichever process picked it up (a pool thread or an RQ worker)."""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import update

from core.db import Database, affected, utcnow
from core.errors import DomainError
from core.models import Job

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)

UNEXPECTED = "The job stopped on an unexpected error ({kind}); the server log has the details"


class JobCancelled(Exception):
    """Raised by `JobRun.progress` once someone has cancelled the job."""


@dataclass
class JobRun:
    """What a job's work sees: its parameters, its organisation, and `progress`."""

    runtime: Runtime
    job_id: str
    org_id: str
    params: dict[str, Any]
    created_by: str | None
    result_key: str | None = None
    _reported: int = field(default=0, repr=False)

    @property
    def database(self) -> Database:
        return self.runtime.database

    def progress(self, percent: int, message: str) -> None:
        """Record progress (it never goes backwards), and stop here if the job was cancelled.

        The work calls this every few seconds at most: each call is one UPDATE.
        """
        self._reported = max(self._reported, min(99, max(0, percent)))
        with self.database.session() as session:
            running = affected(
                session,
                update(Job)
                .where(Job.id == self.job_id, Job.status == "Running")
                .values(progress=self._reported, message=message[:255]),
            )
            session.commit()
        if not running:
            raise JobCancelled

    @contextmanager
    def result_file(self, content_type: str) -> Iterator[BinaryIO]:
        """A file to write the result into; stored in the evidence store when the block ends."""
        store = self.runtime.store
        handle, temp = tempfile.mkstemp(prefix="job-", dir=store.staging_dir())
        path = Path(temp)
        try:
            with os.fdopen(handle, "wb") as target:
                yield target
            # Stores take generated keys only; the job keeps the key and the file's name.
            key = uuid.uuid4().hex
            store.put_file(key, path, content_type)
            self.result_key = key
        finally:
            path.unlink(missing_ok=True)

    def discard(self) -> None:
        """Delete the stored result (the job was cancelled or failed after storing it)."""
        if self.result_key is not None:
            self.runtime.store.delete(self.result_key)
            self.result_key = None


Handler = Callable[[JobRun], dict[str, Any]]


def run_job(runtime: Runtime, job_id: str, runner: str, handlers: dict[str, Handler]) -> None:
    """Claim the job (Queued → Running), do its work, record how it ended.

    Never raises for the job's own failures: they end the job Failed with a message
    (never a traceback). A job that is no longer Queued (cancelled, or claimed by
    another worker) is left alone.
    """
    database = runtime.database
    with database.session() as session:
        claimed = affected(
            session,
            update(Job)
            .where(Job.id == job_id, Job.status == "Queued")
            .values(status="Running", started_at=utcnow(), runner=runner, message="Started"),
        )
        session.commit()
        job = session.get(Job, job_id) if claimed else None
    if job is None:
        return
    run = JobRun(runtime, job.id, job.org_id, dict(job.params), job.created_by)
    try:
        result = handlers[job.kind](run)
    except JobCancelled:
        run.discard()
        _finish(database, job_id, "Cancelled", message="Cancelled")
    except DomainError as error:
        run.discard()
        _finish(database, job_id, "Failed", error=error.message)
    except Exception as error:
        log.exception("job %s (%s) failed", job_id, job.kind)
        run.discard()
        _finish(database, job_id, "Failed", error=UNEXPECTED.format(kind=type(error).__name__))
    else:
        done = _finish(
            database,
            job_id,
            "Succeeded",
            message="Done",
            result=result,
            result_key=run.result_key,
        )
        if not done:  # cancelled after its last progress step: keep nothing
            run.discard()


def _finish(database: Database, job_id: str, status: str, **values: Any) -> bool:
    """End a job that is still Running (or, when cancelled, stamp when it stopped)."""
    now = utcnow()
    with database.session() as session:
        if status == "Cancelled":
            changed = affected(
                session,
                update(Job)
                .where(Job.id == job_id, Job.status == "Cancelled")
                .values(finished_at=now, **values),
            )
        else:
            progress = {"progress": 100} if status == "Succeeded" else {}
            changed = affected(
                session,
                update(Job)
                .where(Job.id == job_id, Job.status == "Running")
                .values(status=status, finished_at=now, **progress, **values),
            )
        session.commit()
    return bool(changed)


def mark_lost(database: Database, lost: dict[str, str]) -> None:
    """End jobs that can no longer finish (their process died) as Failed, with why."""
    now = utcnow()
    with database.session() as session:
        for job_id, message in lost.items():
            affected(
                session,
                update(Job)
                .where(Job.id == job_id, Job.status.in_(("Queued", "Running")))
                .values(status="Failed", error=message, finished_at=now),
            )
        session.commit()
