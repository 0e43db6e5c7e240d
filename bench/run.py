"""KPI and export benchmark: the app against hand-written SQL on the same database.

    python bench/run.py --database-url sqlite:///var/bench.db --generate
    python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1/test --generate

`--generate` fills the database first with the demo generator (deterministic): by default
10 organisations x 100,000 nonconformities. Each case runs through the Flask app (routing,
auth, tenancy, serialisation included) and as raw SQL on a DBAPI cursor, `--repeat` times;
the table shows medians, the ratio app / raw, and the app's peak Python memory for exports.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from openpyxl import Workbook

from core.config import Settings
from core.db import Database, migrate
from core.operations.demo import DemoPlan, seed_demo
from core.services.catalogue import seed_clauses
from server import create_app

ORG = "bench-1"
TODAY = datetime.now(UTC).date()
TREND_FROM = date(TODAY.year - 1, TODAY.month, 1)


@dataclass
class Case:
    name: str
    app: Callable[[], int]
    raw: Callable[[], int] | None
    export: bool = False


def median_seconds(run: Callable[[], int], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def peak_mb(run: Callable[[], int]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def month_sql(dialect: str, column: str, timestamp: bool) -> str:
    if dialect == "postgresql":
        source = f"timezone('UTC', {column})" if timestamp else column
        return f"to_char({source}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {column})"


def build_cases(database: Database, client: Any) -> list[Case]:
    dialect = database.engine.dialect.name
    headers = {"X-Org-ID": ORG}
    as_of = TODAY.isoformat()

    def app_get(path: str) -> Callable[[], int]:
        def run() -> int:
            response = client.get(path, headers=headers, buffered=False)
            assert response.status_code == 200
            # Consume the stream chunk by chunk, as a client would: no copy of the whole body.
            size = sum(len(chunk) for chunk in response.response)
            response.close()
            return size

        return run

    def raw(sqls: list[tuple[str, dict[str, Any]]]) -> Callable[[], int]:
        def run() -> int:
            connection = database.engine.raw_connection()
            try:
                cursor = connection.cursor()
                rows = 0
                for sql, params in sqls:
                    cursor.execute(*_positional(dialect, sql, params))
                    rows += len(cursor.fetchall())
                return rows
            finally:
                connection.close()

        return run

    def raw_export(sql: str, params: dict[str, Any], xlsx: bool = False) -> Callable[[], int]:
        def run() -> int:
            connection = database.engine.raw_connection()
            try:
                cursor = (
                    connection.cursor(name="bench_export")
                    if dialect == "postgresql" and not xlsx
                    else connection.cursor()
                )
                cursor.execute(*_positional(dialect, sql, params))
                if xlsx:
                    workbook = Workbook(write_only=True)
                    sheet = workbook.create_sheet()
                    for row in iter(lambda: cursor.fetchmany(2000), []):
                        for values in row:
                            sheet.append(
                                [
                                    v.replace(tzinfo=None) if isinstance(v, datetime) else v
                                    for v in values
                                ]
                            )
                    sink = io.BytesIO()
                    workbook.save(sink)
                    return len(sink.getvalue())
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                total = 0
                for batch in iter(lambda: cursor.fetchmany(2000), []):
                    writer.writerows(batch)
                    total += len(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
                return total
            finally:
                connection.close()

        return run

    org = {"org": ORG}
    latest = """
        WITH ranked AS (
          SELECT clause_id, status, maturity, target_maturity,
                 ROW_NUMBER() OVER (PARTITION BY clause_id ORDER BY updated_at DESC, id DESC) rn
          FROM assessments WHERE org_id = :org)
        SELECT c.group_id,
          SUM(CASE r.status WHEN 'Compliant' THEN 1.0 WHEN 'Partial' THEN 0.5 ELSE 0 END),
          SUM(CASE WHEN r.status IS NULL OR r.status <> 'NotApplicable' THEN 1 ELSE 0 END),
          AVG(r.maturity), AVG(r.target_maturity)
        FROM clauses c LEFT JOIN ranked r ON r.clause_id = c.clause_id AND r.rn = 1
        WHERE c.is_leaf GROUP BY c.group_id"""
    overview_sql = [
        ("SELECT status, count(*) FROM audits WHERE org_id = :org GROUP BY status", org),
        ("SELECT status, count(*) FROM assessments WHERE org_id = :org GROUP BY status", org),
        (
            "SELECT status, severity, count(*), SUM(CASE WHEN status <> 'Closed' AND due_date < "
            ":as_of THEN 1 ELSE 0 END) FROM nonconformities WHERE org_id = :org "
            "GROUP BY status, severity",
            {**org, "as_of": as_of},
        ),
        (latest, org),
    ]
    created_month = month_sql(dialect, "created_at", True)
    closed_month = month_sql(dialect, "closed_date", False)
    start = datetime.combine(TREND_FROM, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    trend_sql = [
        (
            f"SELECT {created_month}, count(*) FROM nonconformities WHERE org_id = :org AND "
            f"created_at >= :start AND created_at < :end GROUP BY {created_month}",
            {**org, "start": _stamp(dialect, start), "end": _stamp(dialect, end)},
        ),
        (
            f"SELECT {closed_month}, count(*) FROM nonconformities WHERE org_id = :org AND "
            f"closed_date >= :first AND closed_date <= :last GROUP BY {closed_month}",
            {**org, "first": TREND_FROM.isoformat(), "last": TODAY.isoformat()},
        ),
    ]
    cutoff = (TODAY - timedelta(days=30)).isoformat()
    overdue_sql = [
        (
            "SELECT count(*) FROM nonconformities WHERE org_id = :org AND status <> 'Closed' AND "
            "due_date < :as_of AND due_date <= :cutoff",
            {**org, "as_of": as_of, "cutoff": cutoff},
        ),
        (
            "SELECT * FROM nonconformities WHERE org_id = :org AND status <> 'Closed' AND "
            "due_date < :as_of AND due_date <= :cutoff ORDER BY due_date, id LIMIT 50",
            {**org, "as_of": as_of, "cutoff": cutoff},
        ),
    ]
    nc_columns = (
        "id, audit_id, clause_id, severity, status, description, state, owner, "
        "due_date, closed_date, containment, root_cause, corrective_action, "
        "preventive_action, verification_method, verified_by, verified_on, "
        "created_at, updated_at, created_by, updated_by"
    )
    return [
        Case("GET /kpi/overview", app_get(f"/kpi/overview?as_of={as_of}"), raw(overview_sql)),
        Case(
            "GET /kpi/nc_trends", app_get(f"/kpi/nc_trends?from_date={TREND_FROM}"), raw(trend_sql)
        ),
        Case(
            "GET /kpi/overdue_nonconformities?days=30",
            app_get(f"/kpi/overdue_nonconformities?days=30&as_of={as_of}"),
            raw(overdue_sql),
        ),
        Case("GET /kpi/readiness", app_get("/kpi/readiness"), raw([(latest, org)])),
        Case(
            "GET /export/nonconformities.csv",
            app_get("/export/nonconformities.csv"),
            raw_export(
                f"SELECT {nc_columns} FROM nonconformities WHERE org_id = :org ORDER BY id", org
            ),
            export=True,
        ),
        Case(
            "GET /export/audit_nonconformities.csv",
            app_get("/export/audit_nonconformities.csv"),
            raw_export(
                "SELECT a.id, a.title, a.status, a.scheduled_date, a.completed_date, "
                "a.lead_auditor, n.id, n.clause_id, n.severity, n.status, n.state, "
                "n.description, n.owner, n.due_date, n.closed_date FROM audits a LEFT "
                "JOIN nonconformities n ON n.audit_id = a.id AND n.org_id = a.org_id "
                "WHERE a.org_id = :org ORDER BY a.id, n.id",
                org,
            ),
            export=True,
        ),
        Case(
            "GET /export/assessments.csv",
            app_get("/export/assessments.csv"),
            raw_export(
                "SELECT id, clause_id, status, evidence, owner, due_date, maturity, "
                "target_maturity, notes, created_at, updated_at, created_by, updated_by "
                "FROM assessments WHERE org_id = :org ORDER BY id",
                org,
            ),
            export=True,
        ),
        Case(
            "GET /export/nonconformities.xlsx?severity=Critical",
            app_get("/export/nonconformities.xlsx?severity=Critical"),
            raw_export(
                f"SELECT {nc_columns} FROM nonconformities WHERE org_id = :org AND "
                "severity = 'Critical' ORDER BY id",
                org,
                xlsx=True,
            ),
            export=True,
        ),
    ]


def _stamp(dialect: str, moment: datetime) -> Any:
    # SQLite stores naive UTC text (see core.db.UTCDateTime); PostgreSQL takes aware values.
    return moment.replace(tzinfo=None).isoformat(sep=" ") if dialect == "sqlite" else moment


def _positional(dialect: str, sql: str, params: dict[str, Any]) -> tuple[str, Any]:
    """:name parameters in the DBAPI's own style (qmark for sqlite3, %(name)s for psycopg)."""
    if dialect == "postgresql":
        text = sql
        for name in params:
            text = text.replace(f":{name}", f"%({name})s")
        return text.replace("%Y", "%%Y").replace("%m", "%%m"), params
    return sql, params


def generate(database: Database, settings: Settings, orgs: int, per_org: int) -> None:
    migrate(database.engine)
    seed_clauses(database, settings.data_dir)
    plan = DemoPlan(
        org_ids=tuple(f"bench-{n}" for n in range(1, orgs + 1)),
        rounds=3,
        audits=40,
        nonconformities=per_org,
        reviews=4,
        seed=2026,
    )
    started = time.perf_counter()
    result = seed_demo(database, plan)
    print(f"generated {result.counts} in {time.perf_counter() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:///var/bench.db")
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--orgs", type=int, default=10)
    parser.add_argument("--per-org", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    settings = Settings(database_url=args.database_url)
    database = Database.from_url(args.database_url)
    if args.generate:
        generate(database, settings, args.orgs, args.per_org)
    if args.repeat < 1:
        return
    app = create_app(settings, dashboard=False)
    client = app.test_client()
    dialect = database.engine.dialect.name
    with database.engine.connect() as connection:
        total = connection.exec_driver_sql("SELECT count(*) FROM nonconformities").scalar()
    print(f"\n{dialect}: {total:,} nonconformities; organisation {ORG}; median of {args.repeat}\n")
    print("| case | app (ms) | raw SQL (ms) | app / raw | app peak memory (MB) |")
    print("|---|---:|---:|---:|---:|")
    for case in build_cases(database, client):
        case.app()  # warm caches and plans before timing either side
        if case.raw:
            case.raw()
        app_s = median_seconds(case.app, args.repeat)
        raw_s = median_seconds(case.raw, args.repeat) if case.raw else None
        ratio = f"{app_s / raw_s:.2f}" if raw_s else "-"
        memory = f"{peak_mb(case.app):.1f}" if case.export else "-"
        raw_text = f"{raw_s * 1000:.1f}" if raw_s else "-"
        print(f"| {case.name} | {app_s * 1000:.1f} | {raw_text} | {ratio} | {memory} |", flush=True)


if __name__ == "__main__":
    main()
