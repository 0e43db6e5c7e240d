"""Where jobs run: an in-process thread pool, or RQ workers sharing a Redis queue.

Both answer the same three questions: run this job (`submit`), forget this queued job
(`withdraw`), and which of these unfinished jobs can never finish because whatever ran
them is gone (`lost`).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from core.config import Settings
from core.errors import Unavailable
from core.jobs.kinds import HANDLERS
from core.jobs.runner import run_job
from core.models import Job

if TYPE_CHECKING:
    from core.runtime import Runtime

INTERRUPTED = "Interrupted by a restart"
WORKER_STOPPED = "The worker stopped while running this job ({why})"
QUEUE_FORGOT = "The job queue no longer holds this job (was Redis emptied?)"
QUEUE_DOWN = "The job queue (Redis) is unavailable; retry shortly"


class JobBackend(Protocol):
    name: str

    def owner(self) -> str | None:
        """Who holds a job between queueing and running (recorded on the job), if anyone."""

    def submit(self, runtime: Runtime, job_id: str) -> None: ...

    def withdraw(self, job_id: str) -> None: ...

    def lost(self, jobs: Sequence[Job]) -> dict[str, str]:
        """Unfinished jobs that can never finish, with the reason, by id."""


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot), or None when there is none.

    With the pid this names one process for good: a pid reused after a restart (a
    container's pid 1, say) has another start time.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


class ThreadBackend:
    """A small pool in this process: nothing to run besides the web server.

    Jobs do not survive the process: one whose process is gone is `lost`.
    """

    name = "thread"

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    def owner(self) -> str:
        pid = os.getpid()
        return f"thread:{socket.gethostname()}:{pid}:{_started(pid)}"

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            # A pool made before a fork (gunicorn's preload) has no threads in the child.
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="job")
                self._pool_pid = os.getpid()
            return self._pool

    def submit(self, runtime: Runtime, job_id: str) -> None:
        self._executor().submit(run_job, runtime, job_id, self.owner(), HANDLERS)

    def withdraw(self, job_id: str) -> None:
        """A withdrawn job is Cancelled already: the pool's thread finds it so and skips it."""

    def lost(self, jobs: Sequence[Job]) -> dict[str, str]:
        host = socket.gethostname()
        found = {}
        for job in jobs:
            kind, _, rest = (job.runner or "").partition(":")
            owner_host, _, process = rest.partition(":")
            if kind != "thread" or owner_host != host:
                continue  # run elsewhere: only that machine can tell
            pid, _, started = process.partition(":")
            if not pid.isdigit() or _started(int(pid)) != started:
                found[job.id] = INTERRUPTED
        return found


class RqBackend:
    """RQ on Redis: `iso55001 worker` processes, anywhere, take jobs from one queue.

    A worker that dies mid-job is found by RQ's own machinery: the work horse's exit
    status when only the horse died, the job's heartbeat expiring (60 s after the last
    one) when the whole worker did.
    """

    name = "rq"

    def __init__(self, settings: Settings) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(settings.redis_url, socket_connect_timeout=5)
        self.queue = Queue(
            settings.jobs_queue,
            connection=self.connection,
            default_timeout=settings.jobs_timeout_seconds,
        )

    def owner(self) -> None:
        return None

    def submit(self, runtime: Runtime, job_id: str) -> None:
        from redis.exceptions import RedisError

        try:
            self.queue.enqueue(
                "core.jobs.worker.run_queued",
                job_id,
                job_id=job_id,
                result_ttl=24 * 3600,
                failure_ttl=7 * 24 * 3600,
            )
        except RedisError as error:
            raise Unavailable(QUEUE_DOWN) from error

    def withdraw(self, job_id: str) -> None:
        from redis.exceptions import RedisError
        from rq.exceptions import NoSuchJobError
        from rq.job import Job as QueuedJob

        # Should this fail, the worker that picks the job up finds it Cancelled and skips it.
        with suppress(NoSuchJobError, RedisError):
            QueuedJob.fetch(job_id, connection=self.connection).cancel()

    def lost(self, jobs: Sequence[Job]) -> dict[str, str]:
        from redis.exceptions import RedisError
        from rq.job import Job as QueuedJob
        from rq.job import JobStatus
        from rq.registry import StartedJobRegistry

        if not jobs:
            return {}
        try:
            # Moves jobs whose heartbeat expired (their worker died) to the failed registry.
            StartedJobRegistry(queue=self.queue).cleanup()
            queued = QueuedJob.fetch_many([job.id for job in jobs], connection=self.connection)
        except RedisError:
            return {}  # cannot tell now; the next read asks again
        found = {}
        for job, entry in zip(jobs, queued, strict=True):
            if entry is None:
                found[job.id] = QUEUE_FORGOT
            elif entry.get_status(refresh=False) in (
                JobStatus.FAILED,
                JobStatus.STOPPED,
                JobStatus.CANCELED,
            ):
                found[job.id] = WORKER_STOPPED.format(why=_reason(entry))
        return found


def _reason(entry: object) -> str:
    """The last line RQ recorded for a failed job (never a whole traceback)."""
    latest = getattr(entry, "latest_result", lambda: None)()
    text = (getattr(latest, "exc_string", None) or "no reason recorded").strip()
    return text.splitlines()[-1].strip(" ;")[:200]


def make_backend(settings: Settings) -> JobBackend:
    if settings.jobs_backend == "rq":
        return RqBackend(settings)
    return ThreadBackend(settings.jobs_workers)
