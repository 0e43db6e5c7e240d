from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.queries.clause_status import ClauseStatus
from core.rules import NOT_ASSESSED, maturity_name
from dashboard.theme import FONT_FAMILY, STATUS_COLORS, STATUS_LABELS

# Cell codes in legend order; the colour scale below maps each code to one colour.
STATUS_ORDER = (NOT_ASSESSED, "Noncompliant", "Partial", "Compliant", "NotApplicable")
STATUS_CODE = {status: index for index, status in enumerate(STATUS_ORDER)}


def _discrete_colorscale() -> list[list[float | str]]:
    steps = len(STATUS_ORDER)
    scale: list[list[float | str]] = []
    for index, status in enumerate(STATUS_ORDER):
        scale.append([index / steps, STATUS_COLORS[status]])
        scale.append([(index + 1) / steps, STATUS_COLORS[status]])
    return scale


def clause_heatmap(cells: Sequence[ClauseStatus]) -> go.Figure:
    """Clause groups 4-10 as rows, their leaf clauses as cells, coloured by latest status."""
    groups: dict[str, list[ClauseStatus]] = {}
    titles: dict[str, str] = {}
    for cell in cells:
        groups.setdefault(cell.group_id, []).append(cell)
        titles[cell.group_id] = cell.group_title
    width = max((len(row) for row in groups.values()), default=0)
    z: list[list[int | None]] = []
    text: list[list[str]] = []
    hover: list[list[list[str]]] = []
    for members in groups.values():
        padding = width - len(members)
        z.append([STATUS_CODE[c.status or NOT_ASSESSED] for c in members] + [None] * padding)
        text.append([c.clause_id for c in members] + [""] * padding)
        hover.append(
            [
                [
                    c.title,
                    STATUS_LABELS[c.status or NOT_ASSESSED],
                    maturity_name(c.maturity),
                    maturity_name(c.target_maturity),
                    c.owner or "Unassigned",
                ]
                for c in members
            ]
            + [["", "", "", "", ""]] * padding
        )
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[f"#{n}" for n in range(1, width + 1)],
            y=[f"{g} {titles[g]}" for g in groups],
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="<b>%{text} %{customdata[0]}</b><br>Status: %{customdata[1]}"
            "<br>Maturity: %{customdata[2]} (target %{customdata[3]})"
            "<br>Owner: %{customdata[4]}<extra></extra>",
            colorscale=_discrete_colorscale(),
            zmin=-0.5,
            zmax=len(STATUS_ORDER) - 0.5,
            xgap=3,
            ygap=3,
            colorbar={
                "tickvals": list(range(len(STATUS_ORDER))),
                "ticktext": [STATUS_LABELS[s] for s in STATUS_ORDER],
                "title": {"text": "Latest status"},
            },
        )
    )
    figure.update_layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"showgrid": False, "side": "top", "showticklabels": False},
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        height=90 + 56 * len(groups),
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
    )
    return figure
