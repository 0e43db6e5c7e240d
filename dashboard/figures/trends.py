from __future__ import annotations

import plotly.graph_objects as go

from core.queries.kpis import Backlog, Trends
from dashboard.theme import BACKLOG_COLOR, CLOSED_COLOR, FONT_FAMILY, OPENED_COLOR


def _layout(figure: go.Figure, title: str, height: int = 300, *, counts: bool = True) -> go.Figure:
    """`counts`: the y axis counts things, so it shows whole numbers only."""
    figure.update_layout(
        title={"text": title, "font": {"size": 14}},
        height=height,
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.2},
        yaxis={"gridcolor": "#eee", "rangemode": "tozero"},
    )
    if counts:
        values = [v for trace in figure.data for v in (trace.y or ()) if v is not None]
        # Small counts would get ticks at 0.5: one tick per unit keeps them whole.
        unit = {"dtick": 1, "tick0": 0} if max(values, default=0) < 6 else {}
        figure.update_yaxes(tickformat=",d", **unit)
    return figure


def monthly_flow(trends: Trends) -> go.Figure:
    """Nonconformities opened and closed per month."""
    figure = go.Figure(
        [
            go.Bar(
                x=trends.months,
                y=[trends.opened[m] for m in trends.months],
                name="Opened",
                marker_color=OPENED_COLOR,
            ),
            go.Bar(
                x=trends.months,
                y=[trends.closed[m] for m in trends.months],
                name="Closed",
                marker_color=CLOSED_COLOR,
            ),
        ]
    )
    figure.update_layout(barmode="group")
    return _layout(figure, "Opened and closed per month")


def open_backlog(backlog: Backlog) -> go.Figure:
    """Open nonconformities at each month's end."""
    figure = go.Figure(
        go.Scatter(
            x=backlog.months,
            y=[backlog.open_at_month_end[m] for m in backlog.months],
            mode="lines+markers",
            name="Open at month end",
            line_color=BACKLOG_COLOR,
            fill="tozeroy",
        )
    )
    return _layout(figure, "Open backlog at month end")


def time_to_close(backlog: Backlog) -> go.Figure:
    """Median days from raising to closing, for nonconformities closed each month."""
    values = [backlog.median_days_to_close[m] for m in backlog.months]
    figure = go.Figure(
        go.Bar(
            x=backlog.months,
            y=values,
            name="Median days to close",
            marker_color=CLOSED_COLOR,
            text=[f"{v:.0f}" if v is not None else "" for v in values],
            textposition="outside",
        )
    )
    return _layout(figure, "Median days to close (by month closed)", counts=False)
