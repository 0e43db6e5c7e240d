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

from core.jobs.service import JobService
from core.queries.exports import ExportSpec
from core.services.attachments import AttachmentService
from core.spreadsheets import XLSX_TYPE, write_xlsx
from core.storage.base import attachment_disposition
from web.caller import current_caller
from web.runtime import runtime

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


def stored_file_response(
    chunks: Iterator[bytes], size: int, file_name: str, content_type: str
) -> Response:
    """A file from the evidence store, streamed as a download, never rendered inline."""
    response = Response(stream_with_context(chunks), mimetype=content_type)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = attachment_disposition(file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def evidence_download(attachment_id: int) -> Response:
    """An attachment's file as a download (shared with the dashboard)."""
    evidence = AttachmentService(runtime())
    attachment = evidence.get(current_caller(), attachment_id)
    response = stored_file_response(
        evidence.content(attachment), attachment.size, attachment.filename, attachment.content_type
    )
    response.headers["ETag"] = f'"{attachment.sha256}"'
    return response


def job_result_download(job_id: str) -> Response:
    """What a finished job made, as a download (shared with the dashboard)."""
    job, chunks, size = JobService(runtime()).result_file(current_caller(), job_id)
    result = job.result or {}
    return stored_file_response(
        chunks,
        size,
        str(result.get("file_name", f"job-{job.id}")),
        str(result.get("content_type", "application/octet-stream")),
    )
