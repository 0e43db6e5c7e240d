"""The work behind each job kind. A handler gets a `JobRun` and returns the job's result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from core.jobs.runner import Handler, JobRun
from core.queries.exports import EXPORTS, ExportFilters, iter_rows, xlsx_row_count
from core.spreadsheets import XLSX_TYPE, write_xlsx

# Rows between two progress reports: a report is one UPDATE, a few thousand rows a
# fraction of a second of writing.
PROGRESS_ROWS = 5_000


def xlsx_export_params(name: str, filters: ExportFilters) -> dict[str, Any]:
    """An `export_xlsx` job's parameters (checked by the caller before queueing)."""
    return {"export": name, "filters": filters.to_params()}


def export_xlsx(run: JobRun) -> dict[str, Any]:
    """One export as a workbook, written row by row into the evidence store."""
    name = run.params["export"]
    spec = EXPORTS[name]
    filters = ExportFilters.from_params(run.params["filters"])
    total = xlsx_row_count(run.database, spec, run.org_id, filters)
    run.progress(0, f"Writing rows 0 of {total:,}")

    def reported(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for count, row in enumerate(rows, start=1):
            yield row
            if count % PROGRESS_ROWS == 0:
                # The last percent is for zipping and storing the file.
                run.progress(count * 99 // max(total, 1), f"Writing rows {count:,} of {total:,}")

    file_name = f"{name}.xlsx"
    with run.result_file(XLSX_TYPE) as target:
        written = write_xlsx(
            target,
            name,
            spec.columns,
            reported(iter_rows(run.database, spec, run.org_id, filters)),
            staging=run.runtime.store.staging_dir(),
        )
        run.progress(99, f"Saving the workbook ({written:,} rows)")
    return {"file_name": file_name, "content_type": XLSX_TYPE, "rows": written}


HANDLERS: dict[str, Handler] = {"export_xlsx": export_xlsx}
