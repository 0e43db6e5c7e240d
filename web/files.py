"""File responses both doors send: streamed CSV and XLSX exports, evidence downloads."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Response, stream_with_context

from core.queries.exports import ExportSpec
from core.services.attachments import AttachmentService
from core.spreadsheets import write_xlsx
from core.storage.base import attachment_disposition
from web.caller import current_caller
from web.runtime import runtime

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def attachment_name(name: str, extension: str) -> str:
    return f"{name}-{datetime.now(UTC):%Y%m%d-%H%M%S}.{extension}"


def _stream_file(path: Path) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
    finally:
        path.unlink(missing_ok=True)


def csv_response(chunks: Iterator[bytes], name: str) -> Response:
    """CSV streamed as it is produced (core.queries.exports.csv_export): never all in memory.

    The first chunk is produced before the response starts: it runs the query, so an
    outage or a refused filter is still an error response, not a download cut short.
    """
    first = next(chunks, b"")
    body = itertools.chain([first], chunks)
    response = Response(stream_with_context(body), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{attachment_name(name, "csv")}"'
    )
    return response


def xlsx_response(spec: ExportSpec, rows: Iterable[tuple[Any, ...]], name: str) -> Response:
    """A workbook can only be zipped up whole: write it to a temp file, stream, delete."""
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
        f'attachment; filename="{attachment_name(name, "xlsx")}"'
    )
    return response


def evidence_download(attachment_id: int) -> Response:
    """The stored file as a download, never rendered inline (shared with the dashboard)."""
    evidence = AttachmentService(runtime())
    attachment = evidence.get(current_caller(), attachment_id)
    response = Response(
        stream_with_context(evidence.content(attachment)), mimetype=attachment.content_type
    )
    response.headers["Content-Length"] = str(attachment.size)
    response.headers["Content-Disposition"] = attachment_disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["ETag"] = f'"{attachment.sha256}"'
    return response
