"""Colours and labels shared by every page, so a status looks the same everywhere."""

from __future__ import annotations

from typing import Any, Final

STATUS_COLORS: Final = {
    "Compliant": "#2e7d32",
    "Partial": "#f9a825",
    "Noncompliant": "#c62828",
    "NotApplicable": "#90a4ae",
    "NotAssessed": "#e0e0e0",
}
STATUS_LABELS: Final = {
    "Compliant": "Compliant",
    "Partial": "Partial",
    "Noncompliant": "Noncompliant",
    "NotApplicable": "Not applicable",
    "NotAssessed": "Not assessed",
}
SEVERITY_COLORS: Final = {"Minor": "#f9a825", "Major": "#ef6c00", "Critical": "#c62828"}
NC_STATUS_COLORS: Final = {"Open": "#c62828", "InProgress": "#f9a825", "Closed": "#2e7d32"}
AUDIT_STATUS_COLORS: Final = {
    "Planned": "#1565c0",
    "InProgress": "#f9a825",
    "Completed": "#2e7d32",
    "Cancelled": "#90a4ae",
}
OPENED_COLOR: Final = "#c62828"
CLOSED_COLOR: Final = "#2e7d32"
BACKLOG_COLOR: Final = "#6a1b9a"
CURRENT_COLOR: Final = "#1565c0"
TARGET_COLOR: Final = "#ef6c00"
FONT_FAMILY: Final = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
# Every chart offers a PNG download from the Plotly toolbar.
GRAPH_CONFIG: Final[Any] = {"displaylogo": False, "toImageButtonOptions": {"format": "png"}}
