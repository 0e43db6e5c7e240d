"""The RQ side: the function a worker runs for each job, and the worker itself.

`iso55001 worker` runs `python -m core.jobs.worker`: a process that loads the job code
and nothing of the web app, so each job's work horse (RQ forks one per job) stays small.
"""

from __future__ import annotations

import argparse
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
    worker.work(burst=burst, with_scheduler=False, logging_level=settings.log_level.upper())


def worker_is_listening(settings: Settings) -> bool:
    """Whether a worker on this machine is registered on the queue (a health check)."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(settings.redis_url, socket_connect_timeout=3)
    workers = Worker.all(queue=Queue(settings.jobs_queue, connection=connection))
    return any(worker.hostname == socket.gethostname() for worker in workers)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run an RQ worker for the ISO 55001 job queue.")
    parser.add_argument("--burst", action="store_true", help="Stop once the queue is empty.")
    parser.add_argument(
        "--check", action="store_true", help="Exit 0 when a worker here is listening, else 1."
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.check:
        raise SystemExit(0 if worker_is_listening(settings) else 1)
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    run_worker(settings, burst=args.burst)


if __name__ == "__main__":
    main()
