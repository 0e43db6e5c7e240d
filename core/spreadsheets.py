"""CSV and XLSX writers for exports: streamed, typed, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter

# Excel's sheet limit, header row included.
# Control characters XML 1.0 (and so a workbook) cannot hold; tab, LF and CR it can.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_ROWS = 1_048_576
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_FLUSH_ROWS = 500
WIDE_COLUMNS = {
    "description",
    "evidence",
    "notes",
    "title",
    "root_cause",
    "corrective_action",
    "containment",
    "preventive_action",
    "verification_method",
    "audit_title",
}


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


FORMULA_STARTS = frozenset(FORMULA_TRIGGERS)


def _csv_row(row: Sequence[Any]) -> list[Any]:
    """Values as CSV text. csv writes None as empty and dates in ISO form by itself; this
    handles the rest in one pass (it runs for every cell of every row)."""
    return [
        (f"'{value}" if value[:1] in FORMULA_STARTS else value)
        if isinstance(value, str)
        else value.isoformat()
        if isinstance(value, datetime)
        else _csv_list(value)
        if isinstance(value, list | tuple)
        else value
        for value in row
    ]


def _csv_list(values: Sequence[Any]) -> str:
    return spreadsheet_safe(" ".join(map(str, values)))


def csv_chunks(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], *, formatted: bool = False
) -> Iterator[bytes]:
    """UTF-8 CSV, header first, yielded every few hundred rows.

    `formatted` rows are already CSV text (see core.queries.exports.iter_csv_rows) and are
    written as they are; other rows are formatted here.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row if formatted else _csv_row(row))
        if len(batch) >= CSV_FLUSH_ROWS:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue().encode("utf-8")


def _cell_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: write UTC wall-clock time.
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, list | tuple):
        value = " ".join(map(str, value))
    if isinstance(value, str):
        # Rows written before input refused control characters: openpyxl refuses them.
        # Stripped first, so text they hid a formula behind is still made safe.
        return spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def write_xlsx(
    target: BinaryIO,
    sheet: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    staging: Path | None = None,
) -> int:
    """Write a one-sheet workbook row by row; returns rows written.

    XlsxWriter's constant-memory mode keeps one row in memory whatever the sheet's
    length (and writes about twice as fast as openpyxl's write-only mode). Text is
    always written as text, never as a formula; dates and times are real cell values.
    `staging` is where it keeps its temporary files (the system's temp dir by default).
    """
    options: dict[str, Any] = {"constant_memory": True}
    if staging is not None:
        options["tmpdir"] = str(staging)
    workbook = xlsxwriter.Workbook(target, options)
    worksheet = workbook.add_worksheet(sheet[:31])
    worksheet.freeze_panes(1, 0)
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for index, name in enumerate(columns):
        width = 48 if name in WIDE_COLUMNS else max(12, min(24, len(name) + 4))
        worksheet.set_column(index, index, width)
        worksheet.write_string(0, index, name, bold)
    written = 0
    for written, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            converted = _cell_value(value)
            if converted is None:
                continue
            if isinstance(converted, str):
                worksheet.write_string(written, index, converted)
            elif isinstance(converted, datetime):
                worksheet.write_datetime(written, index, converted, moment)
            elif isinstance(converted, date):
                worksheet.write_datetime(written, index, converted, day)
            elif isinstance(converted, bool):
                worksheet.write_boolean(written, index, converted)
            else:
                worksheet.write_number(written, index, converted)
    workbook.close()
    return written
