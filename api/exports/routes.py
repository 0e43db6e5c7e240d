"""Spreadsheet exports (CSV and XLSX), streamed, with the first generation's filters."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Response, stream_with_context
from marshmallow import Schema, fields

from api.base import ResourceBlueprint, one_of
from api.context import runtime
from api.security import current_caller, requires
from core.queries.exports import EXPORTS, ExportFilters, export_xlsx_rows, iter_rows
from core.rules import ASSESSMENT_STATUSES, AUDIT_STATUSES, NC_SEVERITIES, NC_STATUSES
from core.spreadsheets import XLSX_MAX_ROWS, csv_chunks, write_xlsx

blp = ResourceBlueprint("Exports", __name__, description="CSV and XLSX exports for analysts")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


FILTERS: dict[str, type[Schema]] = {
    "audits": Schema.from_dict(
        {
            "status": one_of(AUDIT_STATUSES),
            "scheduled_from": fields.Date(),
            "scheduled_to": fields.Date(),
            "completed_from": fields.Date(),
            "completed_to": fields.Date(),
            "created_from": fields.Date(),
            "created_to": fields.Date(),
        },
        name="AuditExportFilters",
    ),
    "nonconformities": Schema.from_dict(
        {
            "status": one_of(NC_STATUSES),
            "severity": one_of(NC_SEVERITIES),
            "clause_id": fields.String(),
            "audit_id": fields.Integer(),
            "created_from": fields.Date(),
            "created_to": fields.Date(),
            "due_from": fields.Date(),
            "due_to": fields.Date(),
        },
        name="NonconformityExportFilters",
    ),
    "assessments": Schema.from_dict(
        {
            "status": one_of(ASSESSMENT_STATUSES),
            "clause_id": fields.String(),
            "owner": fields.String(),
            "created_from": fields.Date(),
            "created_to": fields.Date(),
            "due_from": fields.Date(),
            "due_to": fields.Date(),
        },
        name="AssessmentExportFilters",
    ),
    "audit_nonconformities": Schema.from_dict(
        {
            "audit_id": fields.Integer(),
            "status": one_of(NC_STATUSES, metadata={"description": "Nonconformity status"}),
            "severity": one_of(NC_SEVERITIES),
        },
        name="AuditNonconformityExportFilters",
    ),
}


def _filename(name: str, extension: str) -> str:
    return f"{name}-{datetime.now(UTC):%Y%m%d-%H%M%S}.{extension}"


def _stream_file(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


def _register(name: str) -> None:
    spec = EXPORTS[name]

    @requires("viewer")
    @blp.arguments(FILTERS[name], location="query")
    @blp.response(200, description="CSV, header row first", content_type="text/csv")
    @blp.errors(422)
    def as_csv(filters: dict[str, Any]) -> Response:
        selected = ExportFilters(**filters)
        selected.check()  # before the response starts: a bad range is a 422, not a broken file
        rows = iter_rows(runtime().database, spec, current_caller().org_id, selected)
        response = Response(
            stream_with_context(csv_chunks(spec.columns, rows)), mimetype="text/csv"
        )
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{_filename(name, "csv")}"'
        return response

    @requires("viewer")
    @blp.arguments(FILTERS[name], location="query")
    @blp.response(200, description="XLSX workbook, one sheet", content_type=XLSX_TYPE)
    @blp.errors(422)
    def as_xlsx(filters: dict[str, Any]) -> Response:
        rows = export_xlsx_rows(
            runtime().database,
            spec,
            current_caller().org_id,
            ExportFilters(**filters),
            XLSX_MAX_ROWS - 1,
        )
        handle, temp = tempfile.mkstemp(prefix="export-", suffix=".xlsx")
        path = Path(temp)
        try:
            with os.fdopen(handle, "wb") as target:
                write_xlsx(target, name, spec.columns, rows)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        response = Response(stream_with_context(_stream_file(path)), mimetype=XLSX_TYPE)
        response.headers["Content-Length"] = str(path.stat().st_size)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{_filename(name, "xlsx")}"'
        )
        return response

    as_csv.__doc__ = f"Export {name.replace('_', ' ')} as CSV"
    as_xlsx.__doc__ = f"Export {name.replace('_', ' ')} as XLSX"
    for view, extension in ((as_csv, "csv"), (as_xlsx, "xlsx")):
        endpoint = f"{name}_{extension}"
        blp.route(f"/export/{name}.{extension}", tags=[blp.name], endpoint=endpoint)(view)
        blp.route(f"/v1/export/{name}.{extension}", tags=[blp.name], endpoint=f"{endpoint}_v1")(
            view
        )


for export_name in EXPORTS:
    _register(export_name)
