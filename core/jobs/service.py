"""Starting, reading, cancelling and purging jobs: every door goes through here."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update

from core.caller import Caller
from core.db import affected, utcnow
from core.errors import Conflict, Forbidden, NotFound
from core.jobs.runner import mark_lost
from core.models import Job
from core.paging import Page, PageRequest, fetch_page
from core.rules import JOB_ACTIVE

if TYPE_CHECKING:
    from core.runtime import Runtime

log = logging.getLogger(__name__)


def _is_job_id(value: str) -> bool:
    return len(value) == 32 and all(char in "0123456789abcdef" for char in value)


class JobService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.database = runtime.database
        self.backend = runtime.jobs

    def start(self, caller: Caller, kind: str, params: dict[str, Any]) -> Job:
        """Queue a job whose parameters the caller has already checked."""
        job = Job(
            id=uuid.uuid4().hex,
            org_id=caller.org_id,
            kind=kind,
            status="Queued",
            progress=0,
            message="Waiting for a worker",
            params=params,
            runner=self.backend.owner(),
            created_by=caller.user,
            request_id=caller.request_id,
            created_at=utcnow(),
        )
        with self.database.session() as session:
            session.add(job)
            session.commit()
        try:
            self.backend.submit(self.runtime, job.id)
        except Exception:
            # Nothing was queued: leave no job behind that would never run.
            with self.database.session() as session:
                session.execute(delete(Job).where(Job.id == job.id))
                session.commit()
            raise
        return job

    def get(self, caller: Caller, job_id: str) -> Job:
        with self.database.session() as session:
            job = (
                session.scalar(select(Job).where(Job.org_id == caller.org_id, Job.id == job_id))
                if _is_job_id(job_id)
                else None
            )
        if job is None:
            raise NotFound(f"Job {job_id} not found")
        return self._settled([job])[0]

    def page(
        self, caller: Caller, kind: str | None, status: str | None, request: PageRequest
    ) -> Page[Job]:
        """The organisation's jobs, newest first."""
        statement = select(Job).where(Job.org_id == caller.org_id)
        if kind is not None:
            statement = statement.where(Job.kind == kind)
        if status is not None:
            statement = statement.where(Job.status == status)
        with self.database.session() as session:
            found = fetch_page(
                session, statement.order_by(Job.created_at.desc(), Job.id.desc()), request
            )
        items = self._settled(list(found.items))
        return Page(items=items, total=found.total, limit=found.limit, offset=found.offset)

    def cancel(self, caller: Caller, job_id: str) -> Job:
        """Queued: cancelled at once. Running: stops at its next progress step."""
        job = self.get(caller, job_id)
        if not caller.has_role("editor") and (caller.user or "") != (job.created_by or ""):
            raise Forbidden("Insufficient role: cancelling another person's job needs editor")
        now = utcnow()
        with self.database.session() as session:
            stopped = affected(
                session,
                update(Job)
                .where(Job.id == job.id, Job.status.in_(JOB_ACTIVE))
                .values(
                    status="Cancelled",
                    message=f"Cancelled by {caller.user or 'a user'}"[:255],
                    # A queued job stops now; a running one when its work next reports.
                    finished_at=now if job.status == "Queued" else None,
                ),
            )
            session.commit()
        if not stopped:
            current = self.get(caller, job_id)
            raise Conflict(f"Job is {current.status}")
        if job.status == "Queued":
            self.backend.withdraw(job.id)
        return self.get(caller, job_id)

    def result_file(self, caller: Caller, job_id: str) -> tuple[Job, Iterator[bytes], int]:
        """The finished job's file: the job, its bytes as a stream, and its size."""
        job = self.get(caller, job_id)
        if job.status != "Succeeded":
            raise Conflict(
                f"Job is {job.status} ({job.progress}%)"
                if job.status in JOB_ACTIVE
                else f"Job is {job.status}"
            )
        key = job.result_key
        stored = self.runtime.store.stat(key) if key else None
        if key is None or stored is None:
            raise NotFound(
                f"Job {job_id} has no result file (results are kept for "
                f"{self.runtime.settings.job_result_days} days)"
            )
        return job, self.runtime.store.read(key), stored.size

    def purge(self, older_than_days: int) -> int:
        """Delete result files of jobs that finished more than `older_than_days` ago."""
        cutoff = utcnow() - timedelta(days=older_than_days)
        with self.database.session() as session:
            expired = session.execute(
                select(Job.id, Job.result_key).where(
                    Job.result_key.is_not(None), Job.finished_at < cutoff
                )
            ).all()
        for job_id, key in expired:
            self.runtime.store.delete(str(key))
            with self.database.session() as session:
                session.execute(update(Job).where(Job.id == job_id).values(result_key=None))
                session.commit()
        return len(expired)

    def settle_all(self) -> int:
        """At start-up: end every unfinished job (of any organisation) whose runner is gone."""
        with self.database.session() as session:
            active = list(session.scalars(select(Job).where(Job.status.in_(JOB_ACTIVE))))
        settled = self._settled(active)
        return sum(1 for job in settled if job.status not in JOB_ACTIVE)

    def _settled(self, jobs: Sequence[Job]) -> list[Job]:
        """`jobs`, with those that can no longer finish (their process died) ended Failed."""
        active = [job for job in jobs if job.status in JOB_ACTIVE]
        lost = self.backend.lost(active) if active else {}
        if not lost:
            return list(jobs)
        log.warning("jobs lost by their runner: %s", lost)
        mark_lost(self.database, lost)
        with self.database.session() as session:
            fresh = {job.id: job for job in session.scalars(select(Job).where(Job.id.in_(lost)))}
        return [fresh.get(job.id, job) for job in jobs]
