"""Composition root: builds the Flask app (API + dashboard) and the `iso55001` CLI."""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

import click
from flask import Flask
from flask.cli import (
    FlaskGroup,
    ScriptInfo,
    pass_script_info,
    routes_command,
    shell_command,
    with_appcontext,
)
from werkzeug.serving import WSGIRequestHandler, run_simple

from api import init_api
from core.backup import BackupSummary, create_backup, restore_backup
from core.config import REPO_ROOT, ConfigurationError, Settings
from core.db import migrate
from core.errors import DomainError
from core.jobs.service import JobService
from core.operations.demo import DemoPlan, seed_demo
from core.runtime import Runtime
from core.services.attachments import AttachmentService
from core.services.catalogue import seed_clauses
from core.storage.base import StoreError
from tools.collections import collections_command
from web import init_web
from web.observability import configure_logging
from web.runtime import runtime

DEMO_ORGS = ("metro-transit", "valley-grid")


def create_app(settings: Settings | None = None, *, dashboard: bool = True) -> Flask:
    settings = settings or Settings.from_env()
    problems = settings.production_problems()
    if problems:
        raise ConfigurationError("Refusing to start in production: " + "; ".join(problems))
    configure_logging(settings.log_level)
    shared = Runtime.from_settings(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=shared.secret,
        MAX_CONTENT_LENGTH=(settings.max_upload_mb + 1) * 1024 * 1024,
        JSON_SORT_KEYS=False,
        SESSION_COOKIE_NAME="iso55001_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.is_prod,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    init_web(app, settings, shared)
    _prepare_evidence_store(shared)
    init_api(app, settings)
    for command in (
        init_db,
        seed_demo_command,
        verify_evidence,
        serve,
        collections_command,
        backup_command,
        restore_command,
        worker_command,
        jobs_group,
    ):
        app.cli.add_command(command)
    if dashboard:
        from dashboard import init_dashboard

        init_dashboard(app)
    return app


def _prepare_evidence_store(shared: Runtime) -> None:
    """Create the bucket (or directory) now; an unreachable store shows in /ready."""
    try:
        logging.getLogger(__name__).info("evidence store: %s", shared.store.check())
    except StoreError:
        logging.getLogger(__name__).exception("evidence store is not ready")


@click.command("init-db")
@with_appcontext
@click.option("--reseed-clauses", is_flag=True, help="Refresh clause titles and summaries.")
def init_db(reseed_clauses: bool) -> None:
    """Migrate the database to the latest schema and load the clause catalogue."""
    current = runtime()
    migrate(current.database.engine)
    written = seed_clauses(current.database, current.settings.data_dir, reseed=reseed_clauses)
    click.echo(f"Database at head; {written} clause(s) written.")


@click.command("seed-demo")
@with_appcontext
@click.option("--orgs", default=3, show_default=True, help="Organisations to fill.")
@click.option("--rounds", default=3, show_default=True, help="Assessment rounds per clause.")
@click.option("--audits", default=8, show_default=True, help="Audits per organisation.")
@click.option(
    "--nonconformities", default=60, show_default=True, help="Nonconformities per organisation."
)
@click.option(
    "--reviews", default=4, show_default=True, help="Management reviews per organisation."
)
@click.option("--seed", default=55001, show_default=True, help="Random seed (deterministic).")
@click.option("--if-empty", is_flag=True, help="Do nothing when any organisation has data.")
def seed_demo_command(
    orgs: int,
    rounds: int,
    audits: int,
    nonconformities: int,
    reviews: int,
    seed: int,
    if_empty: bool,
) -> None:
    """Load realistic demo data (skips organisations that already have data)."""
    current = runtime()
    candidates = (current.settings.fallback_org_id, *DEMO_ORGS)
    numbered = (f"demo-{n}" for n in itertools.count(len(candidates) + 1))
    org_ids = tuple(itertools.islice(itertools.chain(candidates, numbered), max(1, orgs)))
    plan = DemoPlan(
        org_ids=org_ids,
        rounds=rounds,
        audits=audits,
        nonconformities=nonconformities,
        reviews=reviews,
        seed=seed,
    )
    result = seed_demo(current.database, plan, only_if_empty=if_empty)
    written = ", ".join(f"{count} {kind}" for kind, count in result.counts.items())
    click.echo(
        f"Demo data in {len(result.organizations)} organisation(s): {written}; "
        f"{len(result.skipped)} skipped (already had data)."
    )


@click.command("backup")
@with_appcontext
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .tar.gz file to write (replaced atomically when it exists).",
)
def backup_command(output: Path) -> None:
    """Back up every table and every evidence object into one .tar.gz file."""
    try:
        summary = create_backup(runtime(), output)
    except (DomainError, StoreError, OSError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    _echo_summary("Backed up", summary)


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete the records already in the database first.")
def restore_command(source: Path, replace: bool) -> None:
    """Restore a backup into this database and evidence store (after `iso55001 init-db`)."""
    try:
        summary = restore_backup(runtime(), source, replace=replace)
    except (DomainError, StoreError, OSError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    _echo_summary("Restored", summary)


def _echo_summary(done: str, summary: BackupSummary) -> None:
    rows = sum(summary.tables.values())
    click.echo(
        f"{done} {rows} row(s) in {len(summary.tables)} table(s) and "
        f"{summary.evidence_objects} evidence object(s), {summary.evidence_bytes} bytes: "
        f"{summary.path}"
    )
    for table, count in summary.tables.items():
        click.echo(f"  {table}: {count}")


class _AnonymousRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without its `Server: Werkzeug/x Python/y` banner."""

    def version_string(self) -> str:
        return "iso55001"


@click.command("run")
@click.option("--host", help="Interface to listen on (default HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default PORT, 8000).")
@click.option("--reload", is_flag=True, help="Restart when a source file changes.")
@pass_script_info
def run_command(info: ScriptInfo, host: str | None, port: int | None, reload: bool) -> None:
    """Development server (threaded); `serve` is the production one."""
    app = info.load_app()
    settings: Settings = app.extensions["iso55001"].settings
    run_simple(
        host or settings.host,
        port or settings.port,
        app,
        use_reloader=reload,
        threaded=True,
        request_handler=_AnonymousRequestHandler,
    )


@click.command("serve")
@with_appcontext
def serve() -> None:
    """Migrate, then serve with gunicorn (workers from WEB_CONCURRENCY; see gunicorn.conf.py)."""
    current = runtime()
    migrate(current.database.engine)
    seed_clauses(current.database, current.settings.data_dir)
    # Jobs the previous server was running when it stopped can never finish now.
    JobService(current).settle_all()
    # Workers share their metrics through files; each start needs an empty directory.
    metrics_dir = current.settings.prometheus_multiproc_dir or tempfile.mkdtemp(
        prefix="iso55001-metrics-"
    )
    Path(metrics_dir).mkdir(parents=True, exist_ok=True)
    for stale in Path(metrics_dir).glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    config = str(REPO_ROOT / "gunicorn.conf.py")
    os.execv(gunicorn, [gunicorn, "--config", config])


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the job queue (REDIS_URL, JOBS_QUEUE); run init-db first."""
    # A process of its own that loads the job code only, not the web app.
    command = [sys.executable, "-m", "core.jobs.worker", *(["--burst"] if burst else [])]
    os.execv(sys.executable, command)


@click.group("jobs")
def jobs_group() -> None:
    """Look after jobs and their result files."""


@jobs_group.command("purge")
@with_appcontext
@click.option("--days", type=int, help="Keep results this many days (default JOB_RESULT_DAYS).")
def purge_jobs(days: int | None) -> None:
    """Delete job result files older than JOB_RESULT_DAYS (run it daily, e.g. from cron)."""
    keep = runtime().settings.job_result_days if days is None else days
    if keep < 0:
        raise click.BadParameter("must be 0 or more", param_hint="--days")
    deleted = JobService(runtime()).purge(keep)
    click.echo(f"Deleted {deleted} job result file(s) older than {keep} day(s).")


@click.command("verify-evidence")
@with_appcontext
def verify_evidence() -> None:
    """Re-hash every stored evidence file; report mismatches and missing objects."""
    problems = checked = 0
    for result in AttachmentService(runtime()).verify_all():
        checked += 1
        if not result.ok:
            problems += 1
            state = "MISSING" if result.missing else "MISMATCH"
            click.echo(
                f"{state} attachment {result.attachment_id}: recorded "
                f"{result.recorded_sha256}, found {result.actual_sha256 or '-'}"
            )
    click.echo(f"{checked} attachment(s) checked, {problems} problem(s).")
    if problems:
        raise SystemExit(1)


cli = FlaskGroup(
    name="iso55001",
    create_app=create_app,
    # Flask's own `run` would start Werkzeug with its version banner: ours replaces it.
    add_default_commands=False,
    help="ISO 55001 compliance platform: serve it (run), set it up (init-db), demo it (seed-demo).",
)
for default_command in (run_command, routes_command, shell_command):
    cli.add_command(default_command)

if __name__ == "__main__":
    cli()
