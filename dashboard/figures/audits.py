from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

from core.models import Audit
from core.rules import AUDIT_STATUSES
from dashboard.theme import AUDIT_STATUS_COLORS, FONT_FAMILY


def audit_timeline(audits: Sequence[Audit], today: date) -> go.Figure:
    """Audits on a time axis, one lane per status, with a line at today."""
    figure = go.Figure()
    for status in AUDIT_STATUSES:
        lane = [a for a in audits if a.status == status and a.scheduled_date]
        if not lane:
            continue
        figure.add_trace(
            go.Scatter(
                x=[a.scheduled_date for a in lane],
                y=[status] * len(lane),
                mode="markers",
                name=status,
                marker={"size": 14, "color": AUDIT_STATUS_COLORS[status], "symbol": "diamond"},
                customdata=[[a.id, a.title, a.lead_auditor or "—"] for a in lane],
                hovertemplate="<b>%{customdata[1]}</b><br>%{x|%Y-%m-%d} · "
                + status
                + "<br>Lead: %{customdata[2]}<extra>#%{customdata[0]}</extra>",
            )
        )
    figure.add_vline(x=today.isoformat(), line_dash="dot", line_color="#6c757d")
    figure.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        yaxis={"categoryorder": "array", "categoryarray": list(AUDIT_STATUSES)},
        showlegend=False,
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
        xaxis={"showgrid": True, "gridcolor": "#eee"},
    )
    return figure
