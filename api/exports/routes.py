"""Spreadsheet exports (CSV and XLSX), streamed, with the first generation's filters."""

from __future__ import annotations

from typing import Any

from flask import Response

from api.base import BINARY_FILE, ResourceBlueprint
from api.security import requires
from core.queries.exports import EXPORTS, ExportFilters, csv_export, export_xlsx_rows
from core.spreadsheets import XLSX_MAX_ROWS
from web.caller import current_caller
from web.exports import FILTERS
from web.files import XLSX_TYPE, csv_response, xlsx_response
from web.hardening import limit_exports
from web.runtime import runtime

blp = ResourceBlueprint("Exports", __name__, description="CSV and XLSX exports for analysts")


def _register(name: str) -> None:
    spec = EXPORTS[name]

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
    @blp.arguments(FILTERS[name], location="query")
    @blp.response(200, BINARY_FILE, description="XLSX workbook, one sheet", content_type=XLSX_TYPE)
    @blp.errors(422, 429)
    def as_xlsx(filters: dict[str, Any]) -> Response:
        rows = export_xlsx_rows(
            runtime().database,
            spec,
            current_caller().org_id,
            ExportFilters.of(filters),
            XLSX_MAX_ROWS - 1,
        )
        return xlsx_response(spec, rows, name)

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
