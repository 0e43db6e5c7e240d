from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go

from core.queries.clause_status import ClauseStatus
from core.rules import MATURITY_MAX, NOT_ASSESSED, maturity_name
from dashboard.theme import FONT_FAMILY, STATUS_COLORS, STATUS_LABELS

# Cell codes in legend order; the colour scale below maps each code to one colour.
STATUS_ORDER = (NOT_ASSESSED, "Noncompliant", "Partial", "Compliant", "NotApplicable")
STATUS_CODE = {status: index for index, status in enumerate(STATUS_ORDER)}
MEASURES = {
    "status": "Latest status",
    "maturity": "Current maturity",
    "target": "Target maturity",
    "gap": "Maturity gap (target - current)",
}
MATURITY_SCALE = [[0.0, "#fff3e0"], [0.5, "#64b5f6"], [1.0, "#0d47a1"]]
GAP_SCALE = [[0.0, "#e8f5e9"], [0.4, "#ffb74d"], [1.0, "#b71c1c"]]


def _discrete_colorscale() -> list[list[float | str]]:
    steps = len(STATUS_ORDER)
    scale: list[list[float | str]] = []
    for index, status in enumerate(STATUS_ORDER):
        scale.append([index / steps, STATUS_COLORS[status]])
        scale.append([(index + 1) / steps, STATUS_COLORS[status]])
    return scale


def maturity_gap(cell: ClauseStatus) -> int | None:
    if cell.maturity is None or cell.target_maturity is None:
        return None
    return max(0, cell.target_maturity - cell.maturity)


def _status_code(cell: ClauseStatus) -> int:
    return STATUS_CODE[cell.status or NOT_ASSESSED]


VALUE_OF: dict[str, Callable[[ClauseStatus], int | None]] = {
    "status": _status_code,
    "maturity": lambda cell: cell.maturity,
    "target": lambda cell: cell.target_maturity,
    "gap": maturity_gap,
}


def clause_heatmap(cells: Sequence[ClauseStatus], measure: str = "status") -> go.Figure:
    """Clause groups 4-10 as rows, their leaf clauses as cells, coloured by `measure`."""
    value_of = VALUE_OF[measure]
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
        z.append([value_of(c) for c in members] + [None] * padding)
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
    trace: dict[str, Any] = {
        "z": z,
        "x": [f"#{n}" for n in range(1, width + 1)],
        "y": [f"{g} {titles[g]}" for g in groups],
        "text": text,
        "texttemplate": "%{text}",
        "customdata": hover,
        "hovertemplate": "<b>%{text} %{customdata[0]}</b><br>Status: %{customdata[1]}"
        "<br>Maturity: %{customdata[2]} (target %{customdata[3]})"
        "<br>Owner: %{customdata[4]}<extra></extra>",
        "xgap": 3,
        "ygap": 3,
        "hoverongaps": False,
    }
    if measure == "status":
        trace.update(
            colorscale=_discrete_colorscale(),
            zmin=-0.5,
            zmax=len(STATUS_ORDER) - 0.5,
            colorbar={
                "tickvals": list(range(len(STATUS_ORDER))),
                "ticktext": [STATUS_LABELS[s] for s in STATUS_ORDER],
                "title": {"text": MEASURES[measure]},
            },
        )
    else:
        trace.update(
            colorscale=GAP_SCALE if measure == "gap" else MATURITY_SCALE,
            zmin=0,
            zmax=MATURITY_MAX,
            colorbar={"title": {"text": MEASURES[measure]}, "tickvals": list(range(6))},
        )
    figure = go.Figure(go.Heatmap(**trace))
    figure.update_layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"showgrid": False, "side": "top", "showticklabels": False},
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        height=90 + 56 * len(groups),
        font_family=FONT_FAMILY,
        plot_bgcolor="white",
        clickmode="event",
    )
    return figure
