from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.queries.readiness import GroupReadiness
from core.rules import MATURITY_LEVELS, MATURITY_MAX
from dashboard.theme import CURRENT_COLOR, FONT_FAMILY, STATUS_COLORS, TARGET_COLOR


def _group_label(group: GroupReadiness) -> str:
    return f"{group.group_id} {group.title}"


def readiness_by_group(groups: Sequence[GroupReadiness]) -> go.Figure:
    """Horizontal bars: readiness % per clause group, coloured by how close it is."""
    labels = [_group_label(g) for g in groups]
    colors = [
        STATUS_COLORS["Compliant"]
        if g.percent >= 80
        else STATUS_COLORS["Partial"]
        if g.percent >= 50
        else STATUS_COLORS["Noncompliant"]
        for g in groups
    ]
    figure = go.Figure(
        go.Bar(
            x=[g.percent for g in groups],
            y=labels,
            orientation="h",
            marker_color=colors,
            text=[f"{g.percent:.1f}%" for g in groups],
            textposition="auto",
            customdata=[[g.assessed, g.applicable] for g in groups],
            hovertemplate="%{y}<br>Readiness %{x:.1f}%<br>"
            "Assessed %{customdata[0]} of %{customdata[1]} applicable<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"range": [0, 100], "title": "Readiness %", "ticksuffix": "%"},
        yaxis={"autorange": "reversed"},
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        height=320,
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
    )
    return figure


def maturity_radar(groups: Sequence[GroupReadiness]) -> go.Figure:
    """Current vs target maturity (0-5) per clause group on a radar."""
    labels = [_group_label(g) for g in groups]
    closed = [*labels, labels[0]] if labels else []

    def ring(values: list[float | None]) -> list[float]:
        filled = [0.0 if v is None else v for v in values]
        return [*filled, filled[0]] if filled else []

    figure = go.Figure()
    for name, values, color in (
        ("Target", [g.target_maturity for g in groups], TARGET_COLOR),
        ("Current", [g.current_maturity for g in groups], CURRENT_COLOR),
    ):
        figure.add_trace(
            go.Scatterpolar(
                r=ring(values),
                theta=closed,
                name=name,
                fill="toself",
                line_color=color,
                opacity=0.75,
                hovertemplate="%{theta}<br>" + name + " maturity %{r:.2f}<extra></extra>",
            )
        )
    figure.update_layout(
        polar={
            "radialaxis": {
                "range": [0, MATURITY_MAX],
                "angle": 90,
                "tickfont": {"size": 9},
                "tickvals": list(MATURITY_LEVELS),
                "ticktext": [f"{k} {v}" for k, v in MATURITY_LEVELS.items()],
            }
        },
        legend={"orientation": "h", "y": -0.1},
        margin={"l": 60, "r": 60, "t": 30, "b": 30},
        height=420,
        font_family=FONT_FAMILY,
    )
    return figure
