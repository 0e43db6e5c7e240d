"""XLSX export jobs: the job against a raw loop over the same query, and a worker's memory.

    python bench/jobs.py --database-url sqlite:///var/bench.db

Needs the data set of `bench/run.py --generate` (organisation `bench-1` holds 100,000
nonconformities); the first run also copies all 1,000,000 into organisation
`bench-million` for the 1,000,000-row case.

Raw loops (in this process, on the same rows, same cell types: dates, UTC wall-clock
times, text, numbers): the export's SELECT on one connection, streamed, written with
openpyxl's write-only mode and with XlsxWriter's constant-memory mode.
The job: a real `iso55001 worker --burst` process (RQ on the local Redis) runs it; its
time is the job's own (started to finished), and its memory the peak RSS (VmHWM) of the
work horse, read from /proc while it runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from openpyxl import Workbook
from sqlalchemy import func, select, text

from core.caller import Caller
from core.config import Settings
from core.db import Database
from core.jobs.kinds import xlsx_export_params
from core.models import Job, Nonconformity
from core.queries.exports import EXPORTS, ExportFilters
from core.runtime import Runtime

REPO = Path(__file__).resolve().parents[1]
SPEC = EXPORTS["nonconformities"]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def rows(database: Database, org_id: str) -> Iterator[tuple[Any, ...]]:
    statement = SPEC.build(org_id, ExportFilters())
    with database.engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=2000).execute(
            statement
        )
        for row in result:
            yield tuple(row)


def plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, list):
        return " ".join(value)
    return value


def raw_openpyxl(database: Database, org_id: str, target: Path) -> float:
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("nonconformities")
    sheet.append(list(SPEC.columns))
    for row in rows(database, org_id):
        sheet.append([plain(value) for value in row])
    workbook.save(target)
    return time.perf_counter() - started


def raw_xlsxwriter(database: Database, org_id: str, target: Path) -> float:
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet("nonconformities")
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, name in enumerate(SPEC.columns):
        sheet.write_string(0, index, name)
    for number, row in enumerate(rows(database, org_id), start=1):
        for index, value in enumerate(row):
            value = plain(value)
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(number, index, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(number, index, value, moment)
            elif isinstance(value, date):
                sheet.write_datetime(number, index, value, day)
            else:
                sheet.write_number(number, index, value)
    workbook.close()
    return time.perf_counter() - started


def ensure_million(database: Database) -> None:
    with database.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(Nonconformity)
            .where(Nonconformity.org_id == "bench-million")
        )
        if count:
            return
        columns = [c.name for c in Nonconformity.__table__.columns if c.name != "id"]
        listed = ", ".join(columns)
        # Audits belong to their own organisation: the copies cite none.
        replaced = {"org_id": "'bench-million'", "audit_id": "NULL"}
        chosen = ", ".join(replaced.get(c, c) for c in columns)
        session.execute(
            text(
                f"INSERT INTO nonconformities ({listed}) SELECT {chosen} FROM nonconformities "
                "WHERE org_id LIKE 'bench-%' AND org_id != 'bench-million'"
            )
        )
        session.commit()


def run_job(settings: Settings, org_id: str) -> tuple[float, float, int]:
    """The export as an RQ job in a worker process: (job seconds, horse peak RSS MB, rows)."""
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    job_settings = settings.with_overrides(jobs_backend="rq", jobs_queue=queue, redis_url=REDIS_URL)
    runtime = Runtime.from_settings(job_settings)
    from core.jobs.service import JobService

    caller = Caller(org_id=org_id, user="bench", role="viewer", request_id="bench")
    job = JobService(runtime).start(
        caller, "export_xlsx", xlsx_export_params("nonconformities", ExportFilters())
    )
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "EVIDENCE_DIR": str(settings.evidence_dir),
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE": queue,
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from server import cli; cli()", "worker", "--burst"],
        cwd=REPO,
        env=env,
    )
    peak_kb = 0
    while worker.poll() is None:
        with runtime.database.session() as session:
            runner = session.scalar(select(Job.runner).where(Job.id == job.id))
        if runner and runner.startswith("rq:"):
            status = Path(f"/proc/{runner.rsplit(':', 1)[1]}/status")
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except OSError:
                pass  # the horse has exited
        time.sleep(0.05)
    with runtime.database.session() as session:
        done = session.get(Job, job.id)
        assert done is not None and done.status == "Succeeded", (done.status, done.error)
        assert done.started_at is not None and done.finished_at is not None
        seconds = (done.finished_at - done.started_at).total_seconds()
        written = int((done.result or {})["rows"])
        if done.result_key:
            runtime.store.delete(done.result_key)
    return seconds, peak_kb / 1024, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:///var/bench.db")
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args()
    evidence = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    settings = Settings(database_url=args.database_url, evidence_dir=evidence)
    database = Database.from_url(args.database_url)
    dialect = database.engine.dialect.name

    with tempfile.TemporaryDirectory() as scratch:
        openpyxl_s = raw_openpyxl(database, "bench-1", Path(scratch) / "a.xlsx")
        xlsxwriter_s = raw_xlsxwriter(database, "bench-1", Path(scratch) / "b.xlsx")
    job_s, job_mb, written = run_job(settings, "bench-1")
    print(f"\n{dialect}: XLSX export of organisation bench-1 ({written:,} rows)\n")
    print("| case | seconds | rows/s | job / case |")
    print("|---|---:|---:|---:|")
    for name, seconds in (
        ("raw loop, openpyxl write-only", openpyxl_s),
        ("raw loop, XlsxWriter constant-memory", xlsxwriter_s),
        ("export_xlsx job (RQ worker)", job_s),
    ):
        print(f"| {name} | {seconds:.1f} | {written / seconds:,.0f} | {job_s / seconds:.2f} |")
    print(f"\nwork horse peak RSS, {written:,} rows: {job_mb:.0f} MB")
    if not args.skip_million:
        ensure_million(database)
        million_s, million_mb, million_rows = run_job(settings, "bench-million")
        print(
            f"work horse peak RSS, {million_rows:,} rows: {million_mb:.0f} MB "
            f"(job {million_s:.0f} s, {million_rows / million_s:,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
