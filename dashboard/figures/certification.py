"""The certification figures: readiness against target, and readiness over time."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.queries.readiness_history import ReadinessPoint
from dashboard.theme import CURRENT_COLOR, FONT_FAMILY, STATUS_COLORS, TARGET_COLOR

ADJUSTED_COLOR = "#6a1b9a"


def readiness_gauge(percent: float, target: int) -> go.Figure:
    """Readiness on a 0-100 dial, the target marked; green once it is reached."""
    reached = percent >= target
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=percent,
            number={"suffix": "%", "valueformat": ".1f"},
            gauge={
                "axis": {"range": [0, 100], "ticksuffix": "%", "dtick": 20},
                "bar": {"color": STATUS_COLORS["Compliant" if reached else "Partial"]},
                "threshold": {
                    "line": {"color": TARGET_COLOR, "width": 4},
                    "thickness": 0.85,
                    "value": target,
                },
                "bgcolor": "#f1f3f5",
            },
        )
    )
    figure.update_layout(
        height=210, margin={"l": 40, "r": 40, "t": 10, "b": 0}, font_family=FONT_FAMILY
    )
    return figure


def readiness_over_time(points: Sequence[ReadinessPoint], target: int) -> go.Figure:
    """Readiness and adjusted readiness at the end of each period, with the target."""
    days = [point.day for point in points]
    figure = go.Figure(
        [
            go.Scatter(
                x=days,
                y=[point.percent for point in points],
                name="Readiness",
                mode="lines+markers",
                line={"color": CURRENT_COLOR, "width": 3},
                hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}%<extra>Readiness</extra>",
            ),
            go.Scatter(
                x=days,
                y=[point.adjusted_percent for point in points],
                name="Adjusted for blockers",
                mode="lines+markers",
                line={"color": ADJUSTED_COLOR, "dash": "dot"},
                hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}%<extra>Adjusted</extra>",
            ),
        ]
    )
    figure.add_hline(
        y=target,
        line={"color": TARGET_COLOR, "dash": "dash"},
        annotation_text=f"Target {target}%",
        annotation_position="top left",
    )
    figure.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        yaxis={"range": [0, 100], "ticksuffix": "%", "title": None},
        xaxis={"tickformat": "%Y-%m-%d", "title": None},
        legend={"orientation": "h", "y": -0.25},
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
    )
    return figure
