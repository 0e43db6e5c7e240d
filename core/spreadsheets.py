"""CSV and XLSX writers for exports: streamed, typed, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Excel's sheet limit, header row included.
XLSX_MAX_ROWS = 1_048_576
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
    target: BinaryIO, sheet: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write a one-sheet workbook in openpyxl's write-only mode; returns rows written."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.freeze_panes = "A2"
    for index, name in enumerate(columns, start=1):
        width = 48 if name in WIDE_COLUMNS else max(12, min(24, len(name) + 4))
        worksheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(worksheet, value=name)
        cell.font = bold
        header.append(cell)
    worksheet.append(header)
    written = 0
    for row in rows:
        cells = []
        for value in row:
            converted = _cell_value(value)
            cell = WriteOnlyCell(worksheet, value=converted)
            if isinstance(converted, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(converted, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(converted, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        worksheet.append(cells)
        written += 1
    workbook.save(target)
    return written
