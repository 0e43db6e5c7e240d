"""Exports: pick a dataset, a format and its filters, see the row count, download the file.

The file comes from dashboard.downloads (same filters, queries and streaming as the API's
/export routes), so a big export streams from the server instead of passing through Dash.
An XLSX above XLSX_SYNC_ROWS rows is built by a job, followed with the progress component.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from marshmallow import ValidationError

from core.errors import DomainError
from core.jobs.kinds import xlsx_export_params
from core.jobs.service import JobService
from core.queries.exports import EXPORTS, ExportFilters, count_rows, xlsx_row_count
from core.rules import ASSESSMENT_STATUSES, AUDIT_STATUSES, NC_SEVERITIES, NC_STATUSES
from core.spreadsheets import XLSX_MAX_ROWS
from dashboard.components.forms import choice, failure, labelled, text_input
from dashboard.components.progress import job_progress, register_job_progress
from web.caller import current_caller
from web.exports import FILTERS
from web.runtime import runtime

log = logging.getLogger(__name__)

dash.register_page(
    __name__,
    path="/exports",
    name="Exports",
    title="Exports · ISO 55001",
    order=8,
)

DATASETS = {
    "nonconformities": "Nonconformities",
    "audits": "Audits",
    "assessments": "Assessments",
    "audit_nonconformities": "Audits with their nonconformities",
}
FORMATS = {"csv": "CSV", "xlsx": "XLSX"}
STATUSES = {
    "audits": AUDIT_STATUSES,
    "nonconformities": NC_STATUSES,
    "assessments": ASSESSMENT_STATUSES,
    "audit_nonconformities": NC_STATUSES,
}
TEXT_FILTERS = {"clause_id": "Clause", "audit_id": "Audit #", "owner": "Owner"}
DATE_RANGES = {
    "created": "Created",
    "due": "Due",
    "scheduled": "Scheduled",
    "completed": "Completed",
}
# Every filter control, in the order the callbacks list them.
CONTROLS = ("status", "severity", *TEXT_FILTERS, *DATE_RANGES)
DEFAULT_DATASET = "nonconformities"


def _accepted(dataset: str) -> set[str]:
    """The query names the dataset's export takes (the API's filter schema decides)."""
    return set(FILTERS[dataset]().fields)


def _applies(dataset: str, control: str) -> bool:
    accepted = _accepted(dataset)
    if control in DATE_RANGES:
        return f"{control}_from" in accepted
    return control in accepted


def _date_range(name: str) -> dcc.DatePickerRange:
    return dcc.DatePickerRange(
        id=f"exports-filter-{name}",
        display_format="YYYY-MM-DD",
        first_day_of_week=1,  # weeks start on Monday (ISO 8601)
        clearable=True,
        start_date_placeholder_text="From",
        end_date_placeholder_text="To",
        className="d-block",
    )


def _field(control: str, body: Any, dataset: str) -> html.Div:
    return html.Div(
        body,
        id=f"exports-field-{control}",
        className="col-md-3",
        hidden=not _applies(dataset, control),
    )


def layout(dataset: str | None = None, **_query: str) -> html.Div:
    chosen = dataset if dataset in DATASETS else DEFAULT_DATASET
    fields = [
        _field(
            "status",
            labelled("Status", choice("exports-filter-status", [*STATUSES[chosen]])),
            chosen,
        ),
        _field(
            "severity",
            labelled("Severity", choice("exports-filter-severity", list(NC_SEVERITIES))),
            chosen,
        ),
        *[
            _field(
                name,
                labelled(
                    label,
                    text_input(
                        f"exports-filter-{name}",
                        type="number" if name == "audit_id" else "text",
                        debounce=True,
                    ),
                ),
                chosen,
            )
            for name, label in TEXT_FILTERS.items()
        ],
        *[
            _field(name, labelled(label, _date_range(name)), chosen)
            for name, label in DATE_RANGES.items()
        ],
    ]
    return html.Div(
        [
            html.H2("Exports", className="h3 mb-1"),
            html.P(
                "Spreadsheet exports for analysts: pick what to export and narrow it down; the "
                "file is built on the server when you download it.",
                className="text-muted mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        labelled(
                            "Dataset",
                            dcc.Dropdown(
                                id="exports-dataset",
                                options=[
                                    {"label": label, "value": value}
                                    for value, label in DATASETS.items()
                                ],
                                value=chosen,
                                clearable=False,
                                className="small",
                            ),
                        ),
                        md=4,
                    ),
                    dbc.Col(
                        labelled(
                            "Format",
                            dbc.RadioItems(
                                id="exports-format",
                                options=[
                                    {"label": label, "value": value}
                                    for value, label in FORMATS.items()
                                ],
                                value="csv",
                                inline=True,
                            ),
                        ),
                        md=3,
                    ),
                ],
                className="g-2 mb-2",
            ),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H3("Filters", className="h6 text-muted mb-2"),
                        html.Div(fields, className="row g-2"),
                    ]
                ),
                className="shadow-sm mb-3",
            ),
            dcc.Loading(html.Div(id="exports-result"), delay_show=300),
            html.Div(id="exports-build-error", className="mt-2"),
            job_progress("exports"),
        ]
    )


@callback(
    Output("exports-filter-status", "options"),
    Output("exports-filter-status", "value"),
    *[Output(f"exports-field-{control}", "hidden") for control in CONTROLS],
    Input("exports-dataset", "value"),
    prevent_initial_call=True,
)
def show_filters(dataset: str | None) -> Any:
    chosen = dataset if dataset in DATASETS else DEFAULT_DATASET
    options = [{"label": status, "value": status} for status in STATUSES[chosen]]
    # Statuses differ between datasets: a kept value could name nothing in the new one.
    return options, None, *[not _applies(chosen, control) for control in CONTROLS]


def _query(dataset: str, values: dict[str, Any]) -> dict[str, str]:
    """The chosen filters as download query parameters, only those the dataset takes."""
    accepted = _accepted(dataset)
    query: dict[str, str] = {}
    for name, value in values.items():
        text = "" if value is None else str(value).strip()
        if name in accepted and text:
            # Date pickers may add a time; the export filters take the day.
            query[name] = text[:10] if name.endswith(("_from", "_to")) else text
    return query


def _empty(dataset: str, filtered: bool) -> dbc.Alert:
    label = DATASETS[dataset].lower()
    advice = (
        f"No {label} match these filters: clear some of them to export more."
        if filtered
        else f"There are no {label} in this organisation yet. Record some (in the dashboard or "
        "through the API), or load demo data with `iso55001 seed-demo`, then export them here."
    )
    return dbc.Alert(advice, color="info", className="empty-state mt-3 mb-0")


# The filter controls' values, in the order `_selection` reads them.
FILTER_PROPS = (
    ("exports-filter-status", "value"),
    ("exports-filter-severity", "value"),
    *[(f"exports-filter-{name}", "value") for name in TEXT_FILTERS],
    *[
        (f"exports-filter-{name}", prop)
        for name in DATE_RANGES
        for prop in ("start_date", "end_date")
    ],
)
FILTER_NAMES = (
    "status",
    "severity",
    *TEXT_FILTERS,
    *[f"{prefix}_{end}" for prefix in DATE_RANGES for end in ("from", "to")],
)


def _selection(dataset: str | None, values: Sequence[Any]) -> tuple[str, dict[str, str]]:
    """The chosen dataset and its filters as query parameters."""
    name = dataset if dataset in DATASETS else DEFAULT_DATASET
    return name, _query(name, dict(zip(FILTER_NAMES, values, strict=True)))


@callback(
    Output("exports-result", "children"),
    Input("exports-dataset", "value"),
    Input("exports-format", "value"),
    *[Input(component, prop) for component, prop in FILTER_PROPS],
)
def summarise(dataset: str | None, extension: str | None, *values: Any) -> Any:
    name, query = _selection(dataset, values)
    extension = extension if extension in FORMATS else "csv"
    try:
        filters = ExportFilters.of(FILTERS[name]().load(query))
        filters.check()
        total = count_rows(runtime().database, EXPORTS[name], current_caller().org_id, filters)
    except ValidationError as error:
        problems = error.messages if isinstance(error.messages, dict) else {}
        named = "; ".join(f"{field}: {' '.join(map(str, why))}" for field, why in problems.items())
        return failure(f"Check the filters ({named or 'invalid'})")
    except DomainError as error:
        return failure(error)
    rows_text = f"{total:,} row{'s' if total != 1 else ''}"
    if extension == "xlsx" and total > XLSX_MAX_ROWS - 1:
        return dbc.Alert(
            [
                html.Strong(f"{rows_text}: too many for XLSX. "),
                f"A spreadsheet sheet holds {XLSX_MAX_ROWS - 1:,} rows under its header; choose "
                "CSV for this selection, or narrow the filters.",
            ],
            color="warning",
            id="exports-too-many",
        )
    filename = f"{name}.{extension}"
    if extension == "xlsx" and total > runtime().settings.xlsx_sync_rows:
        # Too long to wait for in one request: a job builds it while the bar shows how far.
        action: Any = dbc.Button(
            "Build XLSX", id="exports-build", color="primary", className="me-3"
        )
        hint: Any = html.P(
            "Large workbooks are built in the background: follow the progress below and "
            "download the file when it is ready.",
            className="small text-muted mt-2 mb-0",
        )
    else:
        href = dash.get_relative_path(f"/download/{filename}")
        if query:
            href = f"{href}?{urlencode(query)}"
        action = html.A(
            f"Download {FORMATS[extension]}",
            id="exports-link",
            href=href,
            download=filename,
            className="btn btn-primary me-3",
        )
        hint = ""
    result: list[Any] = [
        html.Div(
            [action, html.Span(rows_text, id="exports-count", className="text-muted")],
            className="d-flex align-items-center",
        ),
        hint,
    ]
    if total == 0:
        result.append(_empty(name, bool(query)))
    return result


@callback(
    Output("exports-job", "data"),
    Output("exports-build-error", "children"),
    Input("exports-build", "n_clicks"),
    State("exports-dataset", "value"),
    *[State(component, prop) for component, prop in FILTER_PROPS],
    prevent_initial_call=True,
)
def build(clicks: int | None, dataset: str | None, *values: Any) -> Any:
    if not clicks:
        return dash.no_update, dash.no_update
    name, query = _selection(dataset, values)
    try:
        filters = ExportFilters.of(FILTERS[name]().load(query))
        total = xlsx_row_count(runtime().database, EXPORTS[name], current_caller().org_id, filters)
        job = JobService(runtime()).start(
            current_caller(), "export_xlsx", xlsx_export_params(name, filters)
        )
    except ValidationError:
        return dash.no_update, failure("Check the filters")
    except DomainError as error:
        return dash.no_update, failure(error)
    log.info("export job %s started for %s rows of %s", job.id, total, name)
    return job.id, ""


register_job_progress("exports")
