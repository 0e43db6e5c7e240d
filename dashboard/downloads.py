"""Export downloads for the dashboard's Exports page.

Served under /dashboard/ so that the signed-in dashboard session is the credential (the
API's /export routes only take bearer tokens or open dev access). Same filters, same
core queries and the same streamed responses as the API.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from marshmallow import ValidationError

from core.errors import InvalidInput
from core.queries.exports import EXPORTS, ExportFilters, csv_export, iter_rows, xlsx_row_count
from web.caller import demand, refuse
from web.exports import FILTERS
from web.files import csv_response, job_result_download, xlsx_response
from web.hardening import limit_exports
from web.runtime import runtime

downloads = Blueprint("dashboard_downloads", __name__, url_prefix="/dashboard/download")
FORMATS = ("csv", "xlsx")


def _filters(name: str) -> ExportFilters:
    try:
        loaded = FILTERS[name]().load(request.args)
    except ValidationError as error:
        problems = error.messages if isinstance(error.messages, dict) else {}
        named = ", ".join(sorted(map(str, problems))) or "query"
        refuse(422, f"Invalid filters ({named})", errors={"query": problems})
    selected = ExportFilters.of(loaded)
    # Before the response starts: a bad range is a 422, not a broken file.
    selected.check()
    return selected


@downloads.get("/<name>.<extension>")
@limit_exports
def download(name: str, extension: str) -> Response:
    org_id = demand("viewer").org_id
    spec = EXPORTS.get(name)
    if spec is None or extension not in FORMATS:
        refuse(404, f"No export named {name}.{extension}; try one of: {', '.join(EXPORTS)}")
    selected = _filters(name)
    if extension == "csv":
        return csv_response(csv_export(runtime().database, spec, org_id, selected), name)
    database, limit = runtime().database, runtime().settings.xlsx_sync_rows
    total = xlsx_row_count(database, spec, org_id, selected)
    if total > limit:
        # The Exports page builds these as a job; a request never waits on one.
        raise InvalidInput(
            f"{total:,} rows is more than a direct XLSX download holds ({limit:,}): "
            "build the workbook from the Exports page"
        )
    return xlsx_response(spec, iter_rows(database, spec, org_id, selected), name)


@downloads.get("/jobs/<job_id>")
def job_result(job_id: str) -> Response:
    """A finished job's file (a large export, a pack), for the signed-in person's organisation."""
    demand("viewer")
    return job_result_download(job_id)
