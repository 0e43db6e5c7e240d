"""One progress component for every page that starts a job: a bar with the job's message,
a cancel button, and the download link once the job has made its file.

A page puts `job_progress(prefix)` in its layout, writes the job's id into the
`<prefix>-job` store when it starts one, and calls `register_job_progress(prefix)` once.
The component asks for the job at most once a second, and stops asking when it ends.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from core.errors import DomainError
from core.jobs.service import JobService
from core.models import Job
from web.caller import current_caller
from web.runtime import runtime

POLL_MS = 1000
BAR_COLOURS = {
    "Queued": "info",
    "Running": "primary",
    "Succeeded": "success",
    "Failed": "danger",
    "Cancelled": "secondary",
}


def job_progress(prefix: str) -> html.Div:
    """The component's layout, hidden until a job is started."""
    return html.Div(
        [
            dcc.Store(id=f"{prefix}-job"),
            dcc.Store(id=f"{prefix}-job-refresh", data=0),
            dcc.Interval(id=f"{prefix}-job-poll", interval=POLL_MS, disabled=True),
            html.Div(
                html.Div(
                    "0%",
                    id=f"{prefix}-job-bar",
                    role="progressbar",
                    title="Progress of the job",
                    className=_bar_class("Queued"),
                    style={"width": "0%"},
                    **{"aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0},  # type: ignore[arg-type]
                ),
                className="progress mb-2",
                style={"height": "1.5rem"},
            ),
            html.P(
                id=f"{prefix}-job-message",
                className="small mb-2",
                role="status",  # read out as it changes
            ),
            html.Div(
                [
                    dbc.Button(
                        "Cancel",
                        id=f"{prefix}-job-cancel",
                        color="dark",
                        outline=True,
                        size="sm",
                        className="me-2",
                    ),
                    html.A(
                        "Download",
                        id=f"{prefix}-job-download",
                        className="btn btn-success btn-sm me-2",
                        hidden=True,
                    ),
                    html.Span(id=f"{prefix}-job-note", className="small text-danger"),
                ],
                className="d-flex align-items-center",
            ),
        ],
        id=f"{prefix}-job-panel",
        className="border rounded p-3 mt-3",
        hidden=True,
    )


def _bar_class(status: str) -> str:
    moving = (
        " progress-bar-striped progress-bar-animated" if status in ("Queued", "Running") else ""
    )
    return f"progress-bar bg-{BAR_COLOURS[status]}{moving}"


def _status_line(job: Job) -> str:
    if job.status == "Failed":
        return f"Failed: {job.error or 'no reason recorded'}"
    if job.status == "Succeeded":
        rows = (job.result or {}).get("rows")
        made = f" ({rows:,} rows)" if isinstance(rows, int) else ""
        return f"Done{made}: your file is ready."
    return job.message or job.status


def register_job_progress(prefix: str) -> None:
    @callback(
        Output(f"{prefix}-job-panel", "hidden"),
        Output(f"{prefix}-job-poll", "disabled"),
        Output(f"{prefix}-job-bar", "aria-valuenow"),
        Output(f"{prefix}-job-bar", "children"),
        Output(f"{prefix}-job-bar", "style"),
        Output(f"{prefix}-job-bar", "className"),
        Output(f"{prefix}-job-message", "children"),
        Output(f"{prefix}-job-cancel", "disabled"),
        Output(f"{prefix}-job-download", "href"),
        Output(f"{prefix}-job-download", "hidden"),
        Input(f"{prefix}-job", "data"),
        Input(f"{prefix}-job-poll", "n_intervals"),
        Input(f"{prefix}-job-refresh", "data"),
    )
    def show(job_id: str | None, _ticks: int | None, _refresh: int) -> Any:
        if not job_id:
            return True, True, 0, "0%", {"width": "0%"}, _bar_class("Queued"), "", True, None, True
        try:
            job = JobService(runtime()).get(current_caller(), job_id)
        except DomainError as error:
            failed = _bar_class("Failed")
            return False, True, 0, "", {"width": "0%"}, failed, error.message, True, None, True
        active = job.status in ("Queued", "Running")
        done = job.status == "Succeeded"
        return (
            False,
            not active,
            job.progress,
            f"{job.progress}%",
            {"width": f"{job.progress}%"},
            _bar_class(job.status),
            _status_line(job),
            not active,
            dash.get_relative_path(f"/download/jobs/{job.id}") if done else None,
            not done,
        )

    @callback(
        Output(f"{prefix}-job-refresh", "data"),
        Output(f"{prefix}-job-note", "children"),
        Input(f"{prefix}-job-cancel", "n_clicks"),
        State(f"{prefix}-job", "data"),
        State(f"{prefix}-job-refresh", "data"),
        prevent_initial_call=True,
    )
    def cancel(clicks: int | None, job_id: str | None, refresh: int) -> Any:
        if not clicks or not job_id:
            return dash.no_update, dash.no_update
        note = ""
        try:
            JobService(runtime()).cancel(current_caller(), job_id)
        except DomainError as error:  # refused, or it ended meanwhile
            note = error.message
        return (refresh or 0) + 1, note
