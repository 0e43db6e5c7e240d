"""Jobs through the API, on the in-process pool and on a real RQ worker (local Redis)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from core.config import Settings
from core.db import Database, utcnow
from core.jobs import kinds
from core.jobs.service import JobService
from core.models import Job
from core.runtime import Runtime
from tests.jobs_support import (
    REDIS_URL,
    add_findings,
    rq_worker,
    sheet_rows,
    wait_for_job,
)

LARGE = 60_000


@pytest.fixture(params=["thread", "rq"])
def backend(
    request: pytest.FixtureRequest, settings: Settings, reconfigure: Callable[..., Settings]
) -> Iterator[str]:
    """Each backend in turn: the default pool, or RQ with a worker process of its own."""
    if request.param == "thread":
        yield "thread"
        return
    with rq_worker(settings) as worker:
        reconfigure(jobs_backend="rq", jobs_queue=worker.queue, redis_url=REDIS_URL)
        yield "rq"


def _jobs_in_db(database: Database) -> int:
    with database.session() as session:
        return int(session.scalar(select(func.count()).select_from(Job)) or 0)


def test_a_large_xlsx_export_is_a_job_whose_file_equals_the_synchronous_export(
    client: FlaskClient, database: Database, backend: str, reconfigure: Callable[..., Settings]
) -> None:
    add_findings(database, LARGE)
    started = client.get("/export/nonconformities.xlsx")
    assert started.status_code == 202, started.data[:300]
    job = started.json
    assert started.headers["Location"] == f"/v1/jobs/{job['id']}"
    assert job["kind"] == "export_xlsx" and job["status"] == "Queued" and job["progress"] == 0
    assert re.fullmatch(r"[0-9a-f]{32}", job["id"])

    finished, seen = wait_for_job(client, job["id"])
    assert finished["status"] == "Succeeded", finished
    assert seen == sorted(seen) and seen[-1] == 100
    assert any(0 < percent < 100 for percent in seen), seen  # real progress, not a jump
    assert finished["result"] == {
        "file_name": "nonconformities.xlsx",
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "rows": LARGE,
    }
    assert finished["started_at"] and finished["finished_at"] and finished["error"] is None

    download = client.get(f"/v1/jobs/{job['id']}/download")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    job_file = download.data  # read to the end: the response streams from the store
    reconfigure(xlsx_sync_rows=LARGE)
    direct = client.get("/export/nonconformities.xlsx")
    assert direct.status_code == 200
    from_job, synchronous = sheet_rows(job_file), sheet_rows(direct.data)
    assert len(from_job) == LARGE + 1
    assert from_job == synchronous  # cell for cell: values and types


def test_cancel_stops_a_running_job_within_one_step_and_keeps_no_file(
    client: FlaskClient, database: Database, backend: str, app: Flask
) -> None:
    add_findings(database, LARGE)
    job = client.get("/export/nonconformities.xlsx").json
    running, _ = wait_for_job(
        client, job["id"], until=lambda j: j["status"] == "Running" and j["progress"] > 0
    )
    early = client.get(f"/v1/jobs/{job['id']}/download")
    assert early.status_code == 409
    assert re.fullmatch(r"Job is Running \(\d+%\)", early.json["message"])

    cancelled = client.post(f"/v1/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json["status"] == "Cancelled"
    stopped, _ = wait_for_job(client, job["id"], until=lambda j: j["finished_at"] is not None)
    step = -(-kinds.PROGRESS_ROWS * 99 // LARGE)  # one progress step, in percent
    assert stopped["status"] == "Cancelled"
    assert stopped["progress"] <= running["progress"] + 2 * step
    assert client.get(f"/v1/jobs/{job['id']}/download").json["message"] == "Job is Cancelled"
    with database.session() as session:
        assert session.get(Job, job["id"]).result_key is None  # type: ignore[union-attr]
    store = app.extensions["iso55001"].store
    assert list(store.root.rglob("*.xlsx")) == [] if hasattr(store, "root") else True
    again = client.post(f"/v1/jobs/{job['id']}/cancel")
    assert again.status_code == 409 and again.json["message"] == "Job is Cancelled"


def test_a_queued_job_is_cancelled_at_once(
    client: FlaskClient, database: Database, reconfigure: Callable[..., Settings]
) -> None:
    reconfigure(jobs_workers=1)
    add_findings(database, LARGE)
    first = client.get("/export/nonconformities.xlsx").json
    second = client.get("/export/nonconformities.xlsx?status=Open&async=true").json
    waiting = client.post(f"/v1/jobs/{second['id']}/cancel").json
    assert waiting["status"] == "Cancelled" and waiting["finished_at"] is not None
    assert waiting["progress"] == 0
    client.post(f"/v1/jobs/{first['id']}/cancel")
    wait_for_job(client, first["id"], until=lambda j: j["finished_at"] is not None)
    never, _ = wait_for_job(client, second["id"])
    assert never["status"] == "Cancelled" and never["started_at"] is None


def test_small_async_export_then_finished_job_rules(client: FlaskClient) -> None:
    for n in range(3):
        client.post("/nonconformities", json={"description": f"Gap {n}", "severity": "Minor"})
    started = client.get("/v1/export/nonconformities.xlsx?async=true")
    assert started.status_code == 202
    done, _ = wait_for_job(client, started.json["id"])
    assert done["status"] == "Succeeded" and done["result"]["rows"] == 3
    refused = client.post(f"/v1/jobs/{done['id']}/cancel")
    assert refused.status_code == 409 and refused.json["message"] == "Job is Succeeded"
    synchronous = client.get("/export/nonconformities.xlsx")
    assert synchronous.status_code == 200  # small and not async: streamed as before
    direct = synchronous.data
    download = client.get(f"/jobs/{done['id']}/download")
    assert sheet_rows(download.data) == sheet_rows(direct)


def test_jobs_list_filters_and_envelope(client: FlaskClient) -> None:
    client.post("/nonconformities", json={"description": "Gap", "severity": "Minor"})
    ids = [client.get("/export/audits.xlsx?async=true").json["id"] for _ in range(2)]
    for job_id in ids:
        wait_for_job(client, job_id)
    listed = client.get("/v1/jobs?kind=export_xlsx&status=Succeeded")
    assert listed.status_code == 200 and listed.json["total"] == 2
    assert [item["id"] for item in listed.json["items"]] == ids[::-1]  # newest first
    assert client.get("/jobs?status=Failed").json == []
    assert client.get("/jobs").headers["X-Total-Count"] == "2"
    assert client.get("/v1/jobs?status=Done").status_code == 422
    assert client.get("/v1/jobs?kind=export_csv").status_code == 422


def test_bad_parameters_are_refused_before_any_job_exists(
    client: FlaskClient, database: Database
) -> None:
    for query in (
        "async=true&status=Bogus",
        "async=maybe",
        "async=true&created_from=2026-02-30",
        "async=true&audit_id=x",
    ):
        answer = client.get(f"/export/nonconformities.xlsx?{query}")
        assert answer.status_code == 422, (query, answer.json)
    reversed_range = client.get(
        "/export/nonconformities.xlsx?async=true&created_from=2026-05-01&created_to=2026-04-01"
    )
    assert reversed_range.status_code == 422
    assert _jobs_in_db(database) == 0


def test_another_organisations_job_is_not_found(client: FlaskClient) -> None:
    mine = client.get("/export/audits.xlsx?async=true", headers={"X-Org-ID": "org-a"}).json
    wait_for_job(client, mine["id"], headers={"X-Org-ID": "org-a"})
    other = {"X-Org-ID": "org-b"}
    for method, path in (
        ("get", f"/v1/jobs/{mine['id']}"),
        ("get", f"/v1/jobs/{mine['id']}/download"),
        ("post", f"/v1/jobs/{mine['id']}/cancel"),
    ):
        answer = getattr(client, method)(path, headers=other)
        assert answer.status_code == 404, (path, answer.json)
        assert answer.json["message"] == f"Job {mine['id']} not found"
    assert client.get("/v1/jobs", headers=other).json["total"] == 0
    assert client.get("/v1/jobs/not-a-job-id").status_code == 404


def test_a_viewer_may_start_and_cancel_an_export_job(
    client: FlaskClient, reconfigure: Callable[..., Settings]
) -> None:
    reconfigure(api_token="viewer-token-for-jobs", api_role="viewer")
    viewer = {"Authorization": "Bearer viewer-token-for-jobs"}
    started = client.get("/export/audits.xlsx?async=true", headers=viewer)
    assert started.status_code == 202
    done, _ = wait_for_job(client, started.json["id"], headers=viewer)
    assert done["created_by"] is not None
    download = client.get(f"/v1/jobs/{done['id']}/download", headers=viewer)
    assert download.status_code == 200 and download.data.startswith(b"PK")
    anonymous = client.post(f"/v1/jobs/{done['id']}/cancel")  # a viewer, but not its creator
    assert anonymous.status_code == 403
    assert anonymous.json["message"] == (
        "Insufficient role: cancelling another person's job needs editor"
    )
    mine = client.post(f"/v1/jobs/{done['id']}/cancel", headers=viewer)
    assert mine.status_code == 409  # its creator may: it has finished, though


def test_a_job_whose_process_is_gone_ends_failed_interrupted_by_a_restart(
    client: FlaskClient, database: Database
) -> None:
    host = socket.gethostname()
    gone = Job(
        id="a" * 32,
        org_id="default",
        kind="export_xlsx",
        status="Running",
        progress=40,
        params={},
        runner=f"thread:{host}:{2**22 + 7}:1",
        created_at=utcnow(),
    )
    elsewhere = Job(
        id="b" * 32,
        org_id="default",
        kind="export_xlsx",
        status="Running",
        progress=10,
        params={},
        runner=f"thread:another-machine:{os.getpid()}:1",
        created_at=utcnow(),
    )
    with database.session() as session:
        session.add_all([gone, elsewhere])
        session.commit()
    failed = client.get(f"/v1/jobs/{'a' * 32}").json
    assert failed["status"] == "Failed" and failed["error"] == "Interrupted by a restart"
    assert failed["finished_at"] is not None and failed["progress"] == 40
    assert client.get(f"/v1/jobs/{'b' * 32}").json["status"] == "Running"


def test_serve_settles_jobs_left_running_by_the_previous_process(
    app: Flask, database: Database
) -> None:
    with database.session() as session:
        session.add(
            Job(
                id="c" * 32,
                org_id="another-org",
                kind="export_xlsx",
                status="Queued",
                params={},
                runner=f"thread:{socket.gethostname()}:{2**22 + 9}:1",
                created_at=utcnow(),
            )
        )
        session.commit()
    runtime: Runtime = app.extensions["iso55001"]
    assert JobService(runtime).settle_all() == 1
    with database.session() as session:
        job = session.get(Job, "c" * 32)
        assert job is not None and job.status == "Failed"
        assert job.error == "Interrupted by a restart"


def test_an_unexpected_error_fails_the_job_without_leaking_details(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(run: Any) -> dict[str, Any]:
        raise RuntimeError("cannot open /srv/secret/config.yaml")

    monkeypatch.setitem(kinds.HANDLERS, "export_xlsx", broken)
    job = client.get("/export/audits.xlsx?async=true").json
    failed, _ = wait_for_job(client, job["id"])
    assert failed["status"] == "Failed"
    assert failed["error"] == (
        "The job stopped on an unexpected error (RuntimeError); the server log has the details"
    )
    assert "secret" not in str(failed)


def test_purge_deletes_result_files_older_than_the_setting(
    app: Flask, client: FlaskClient, database: Database
) -> None:
    old = client.get("/export/audits.xlsx?async=true").json
    new = client.get("/export/assessments.xlsx?async=true").json
    for job in (old, new):
        wait_for_job(client, job["id"])
    with database.session() as session:
        key = session.get(Job, old["id"]).result_key  # type: ignore[union-attr]
        session.execute(
            update(Job).where(Job.id == old["id"]).values(finished_at=utcnow() - timedelta(days=8))
        )
        session.commit()
    result = app.test_cli_runner().invoke(args=["jobs", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 job result file(s) older than 7 day(s)." in result.output
    runtime: Runtime = app.extensions["iso55001"]
    assert key is not None and runtime.store.stat(key) is None
    gone = client.get(f"/v1/jobs/{old['id']}/download")
    assert gone.status_code == 404
    assert gone.json["message"] == (
        f"Job {old['id']} has no result file (results are kept for 7 days)"
    )
    kept = client.get(f"/v1/jobs/{new['id']}/download")
    assert kept.status_code == 200 and kept.data.startswith(b"PK")
    refused = app.test_cli_runner().invoke(args=["jobs", "purge", "--days", "-1"])
    assert refused.exit_code != 0


def test_an_unreachable_queue_is_503_and_leaves_no_job(
    client: FlaskClient, database: Database, reconfigure: Callable[..., Settings]
) -> None:
    reconfigure(jobs_backend="rq", redis_url="redis://127.0.0.1:1/0")
    answer = client.get("/export/audits.xlsx?async=true")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert answer.json["message"] == "The job queue (Redis) is unavailable; retry shortly"
    assert _jobs_in_db(database) == 0


def _horse_pid(database: Database, job_id: str) -> int:
    """The process running the job (an RQ work horse), from the job's `runner`."""
    with database.session() as session:
        runner = session.get(Job, job_id).runner  # type: ignore[union-attr]
    assert runner is not None and runner.startswith("rq:"), runner
    return int(runner.rsplit(":", 1)[1])


def _start_and_wait_until_running(client: FlaskClient) -> dict[str, Any]:
    job = client.get("/export/nonconformities.xlsx").json
    wait_for_job(client, job["id"], until=lambda j: j["status"] == "Running" and j["progress"] > 0)
    return job


def test_a_work_horse_killed_mid_job_ends_it_failed_and_the_worker_goes_on(
    client: FlaskClient,
    database: Database,
    settings: Settings,
    reconfigure: Callable[..., Settings],
) -> None:
    add_findings(database, LARGE)
    with rq_worker(settings) as worker:
        reconfigure(jobs_backend="rq", jobs_queue=worker.queue, redis_url=REDIS_URL)
        job = _start_and_wait_until_running(client)
        os.kill(_horse_pid(database, job["id"]), 9)
        failed, _ = wait_for_job(client, job["id"], timeout=60)
        assert failed["status"] == "Failed", failed
        assert failed["error"] == (
            "The worker stopped while running this job "
            "(Work-horse terminated unexpectedly; waitpid returned 9 (signal 9))"
        )
        after = client.get("/export/audits.xlsx?async=true").json
        assert wait_for_job(client, after["id"])[0]["status"] == "Succeeded"


def test_a_worker_killed_mid_job_ends_it_failed_never_stuck_running(
    client: FlaskClient,
    database: Database,
    settings: Settings,
    reconfigure: Callable[..., Settings],
) -> None:
    add_findings(database, LARGE)
    with rq_worker(settings) as worker:
        reconfigure(jobs_backend="rq", jobs_queue=worker.queue, redis_url=REDIS_URL)
        job = _start_and_wait_until_running(client)
        worker.kill(horse_pid=_horse_pid(database, job["id"]))
        # Nothing is left to report: RQ declares the job abandoned once its heartbeat
        # (renewed every second by a live worker) is 60 s old.
        failed, seen = wait_for_job(client, job["id"], timeout=150)
    assert failed["status"] == "Failed", failed
    assert failed["error"].startswith("The worker stopped while running this job (")
    assert "AbandonedJobError" in failed["error"]
    assert max(seen) < 100
    with database.session() as session:
        assert session.get(Job, job["id"]).result_key is None  # type: ignore[union-attr]


def test_the_worker_health_check_sees_a_listening_worker(settings: Settings) -> None:
    def check(queue: str) -> int:
        env = {**os.environ, "REDIS_URL": REDIS_URL, "JOBS_QUEUE": queue}
        command = [sys.executable, "-m", "core.jobs.worker", "--check"]
        return subprocess.run(command, env=env, timeout=60, check=False).returncode

    with rq_worker(settings) as worker:
        assert check(worker.queue) == 0
    assert check(worker.queue) == 1  # stopped: nobody listens any more
