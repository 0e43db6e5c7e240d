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


def _luminance(color: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


DARK_TEXT: Final = "#212529"
WHITE: Final = "#ffffff"


def text_on(background: str) -> str:
    """White or dark text on `background`, whichever reads better (WCAG contrast)."""
    return WHITE if contrast(WHITE, background) >= contrast(DARK_TEXT, background) else DARK_TEXT


def readable(color: str, background: str = WHITE) -> str:
    """`color` darkened until text in it meets WCAG AA (4.5:1) on `background`."""
    red, green, blue = (int(color[index : index + 2], 16) for index in (1, 3, 5))
    shade = color
    while contrast(shade, background) < 4.5:
        red, green, blue = (int(value * 0.9) for value in (red, green, blue))
        shade = f"#{red:02x}{green:02x}{blue:02x}"
    return shade
