"""Spreadsheet exports (CSV and XLSX), streamed, with the first generation's filters.

A large XLSX (more than XLSX_SYNC_ROWS rows, or any with `async=true`) is built by a
job instead: the answer is 202 with the job, whose download is the same workbook.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from api.base import BINARY_FILE, ResourceBlueprint
from api.jobs.routes import LOCATION_HEADER, JobSchema, accepted
from api.security import requires
from core.jobs.kinds import xlsx_export_params
from core.jobs.service import JobService
from core.queries.exports import EXPORTS, ExportFilters, csv_export, iter_rows, xlsx_row_count
from web.caller import current_caller
from web.exports import FILTERS
from web.files import XLSX_TYPE, csv_response, xlsx_response
from web.hardening import limit_exports
from web.inputs import FormBoolean
from web.runtime import runtime

blp = ResourceBlueprint("Exports", __name__, description="CSV and XLSX exports for analysts")

ASYNC_HELP = (
    "true: build the workbook as a job (202 and the job) whatever its size; without it, "
    "exports above XLSX_SYNC_ROWS rows (default 20,000) are jobs and smaller ones stream"
)


def _register(name: str) -> None:
    spec = EXPORTS[name]
    xlsx_args = FILTERS[name].from_dict(
        {
            "run_async": FormBoolean(
                data_key="async", load_default=False, metadata={"description": ASYNC_HELP}
            )
        },
        name=f"{FILTERS[name].__name__}Xlsx",
    )

    @requires("viewer")
    @blp.arguments(FILTERS[name], location="query")
    @blp.response(200, BINARY_FILE, description="CSV, header row first", content_type="text/csv")
    @blp.errors(422, 429)
    def as_csv(filters: dict[str, Any]) -> Response:
        selected = ExportFilters.of(filters)
        selected.check()  # before the response starts: a bad range is a 422, not a broken file
        chunks = csv_export(runtime().database, spec, current_caller().org_id, selected)
        return csv_response(chunks, name)

    @requires("viewer")
    @blp.arguments(xlsx_args, location="query")
    @blp.response(200, BINARY_FILE, description="XLSX workbook, one sheet", content_type=XLSX_TYPE)
    @blp.alt_response(
        202,
        schema=JobSchema,
        description="Too many rows to wait for (or async=true): the job that builds it",
        headers=LOCATION_HEADER,
    )
    @blp.errors(422, 429, 503)
    def as_xlsx(args: dict[str, Any]) -> Response:
        run_async = args.pop("run_async")
        selected = ExportFilters.of(args)
        caller = current_caller()
        database = runtime().database
        total = xlsx_row_count(database, spec, caller.org_id, selected)
        if run_async or total > runtime().settings.xlsx_sync_rows:
            params = xlsx_export_params(name, selected)
            return accepted(JobService(runtime()).start(caller, "export_xlsx", params))
        return xlsx_response(spec, iter_rows(database, spec, caller.org_id, selected), name)

    as_csv.__doc__ = f"Export {name.replace('_', ' ')} as CSV"
    as_xlsx.__doc__ = f"Export {name.replace('_', ' ')} as XLSX"
    for view, extension in ((as_csv, "csv"), (as_xlsx, "xlsx")):
        endpoint = f"{name}_{extension}"
        view.__name__ = f"export_{endpoint}"
        view = limit_exports(view)
        blp.route(f"/export/{name}.{extension}", tags=[blp.name], endpoint=endpoint)(view)
        blp.route(f"/v1/export/{name}.{extension}", tags=[blp.name], endpoint=f"{endpoint}_v1")(
            view
        )


for export_name in EXPORTS:
    _register(export_name)
