"""The RQ side: the function a worker runs for each job, and the worker itself."""

from __future__ import annotations

import logging
import os
import socket
from functools import cache

from core.config import Settings
from core.jobs.kinds import HANDLERS
from core.jobs.runner import run_job
from core.runtime import Runtime

log = logging.getLogger(__name__)


@cache
def _runtime() -> Runtime:
    # Built in the work horse (after RQ's fork), so no connection crosses a fork.
    return Runtime.from_settings(Settings.from_env())


def run_queued(job_id: str) -> None:
    """What RQ runs for a queued job (enqueued by name by `RqBackend.submit`)."""
    from rq import get_current_job

    current = get_current_job()
    worker = current.worker_name if current is not None else None
    # Which worker, on which machine, in which process: what an operator looks for.
    runner = f"rq:{worker or '-'}@{socket.gethostname()}:{os.getpid()}"
    run_job(_runtime(), job_id, runner, HANDLERS)


def run_worker(settings: Settings, *, burst: bool = False) -> None:
    """Run an RQ worker on the jobs queue until stopped (SIGTERM finishes the current job)."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(settings.redis_url)
    queue = Queue(settings.jobs_queue, connection=connection)
    worker = Worker(
        [queue],
        connection=connection,
        job_monitoring_interval=settings.jobs_heartbeat_seconds,
    )
    log.info("worker %s on queue %s", worker.name, queue.name)
    worker.work(burst=burst, with_scheduler=False)
