"""Record tables whose paging and sorting happen in the database."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from dash.dash_table.DataTable import DataTable

from core.paging import Page, PageRequest
from core.repositories.records import SortOrder
from dashboard.theme import FONT_FAMILY, readable

PAGE_SIZE = 15


def record_table(
    table_id: str,
    columns: Sequence[tuple[str, str]],
    *,
    colored: Mapping[str, Mapping[str, str]] | None = None,
    page_size: int = PAGE_SIZE,
    selectable: bool = False,
) -> DataTable:
    """A table fed page by page by a callback; `colored` maps column -> value -> colour."""
    conditional: list[dict[str, Any]] = []
    for column, colors in (colored or {}).items():
        for value, color in colors.items():
            conditional.append(
                {
                    "if": {"filter_query": f'{{{column}}} = "{value}"', "column_id": column},
                    "color": readable(color),
                    "fontWeight": "600",
                }
            )
    return DataTable(
        id=table_id,
        columns=[{"name": label, "id": key} for key, label in columns],
        data=[],
        page_action="custom",
        page_current=0,
        page_size=page_size,
        page_count=1,
        sort_action="custom",
        sort_mode="single",
        sort_by=[],
        row_selectable="single" if selectable else False,
        selected_rows=[],
        cell_selectable=True,
        style_as_list_view=True,
        style_table={"overflowX": "auto"},
        style_header={"fontWeight": "600", "backgroundColor": "#f1f3f5"},
        style_cell={
            "fontFamily": FONT_FAMILY,
            "fontSize": "0.875rem",
            "textAlign": "left",
            "padding": "6px 10px",
            "maxWidth": "28rem",
            "overflow": "hidden",
            "textOverflow": "ellipsis",
        },
        style_data_conditional=conditional,
        tooltip_delay=300,
        tooltip_duration=None,
    )


def page_request(page_current: int | None, page_size: int | None) -> PageRequest:
    size = page_size or PAGE_SIZE
    return PageRequest(limit=size, offset=(page_current or 0) * size)


def sort_order(sort_by: list[dict[str, str]] | None) -> SortOrder | None:
    if not sort_by:
        return None
    return SortOrder(column=sort_by[0]["column_id"], descending=sort_by[0]["direction"] == "desc")


def page_count(page: Page[Any]) -> int:
    return max(1, -(-page.total // page.limit))


def cell(value: Any) -> Any:
    """Table-friendly value: dates as ISO text, lists joined, None blank."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return value


def rows(records: Sequence[Any], columns: Sequence[str]) -> list[dict[str, Any]]:
    return [{column: cell(getattr(record, column)) for column in columns} for record in records]
