"""Figures are pure: query results in, Plotly figures out."""

from __future__ import annotations

from core.queries.clause_status import ClauseStatus
from core.queries.readiness import GroupReadiness
from dashboard.figures.heatmap import STATUS_CODE, clause_heatmap
from dashboard.figures.readiness import maturity_radar, readiness_by_group


def cell(clause_id: str, status: str | None, owner: str | None = None) -> ClauseStatus:
    group = clause_id.split(".")[0]
    return ClauseStatus(
        clause_id,
        f"Title {clause_id}",
        group,
        f"Group {group}",
        status,
        2 if status else None,
        4 if status else None,
        owner,
        None,
        None,
    )


def test_heatmap_rows_are_groups_and_cells_are_coloured_by_status() -> None:
    figure = clause_heatmap(
        [cell("4.1", "Compliant", "ana"), cell("4.2", None), cell("5.1", "Noncompliant")]
    )
    trace = figure.data[0]
    assert list(trace.y) == ["4 Group 4", "5 Group 5"]
    assert [list(row) for row in trace.z] == [
        [STATUS_CODE["Compliant"], STATUS_CODE["NotAssessed"]],
        [STATUS_CODE["Noncompliant"], None],
    ]
    assert [list(row) for row in trace.text] == [["4.1", "4.2"], ["5.1", ""]]
    assert list(trace.customdata[0][0]) == [
        "Title 4.1",
        "Compliant",
        "2 Developing",
        "4 Optimizing",
        "ana",
    ]
    assert trace.customdata[0][1][1] == "Not assessed" and trace.customdata[0][1][4] == "Unassigned"
    assert list(trace.colorbar.ticktext) == [
        "Not assessed",
        "Noncompliant",
        "Partial",
        "Compliant",
        "Not applicable",
    ]


def group(
    group_id: str, percent: float, current: float | None, target: float | None
) -> GroupReadiness:
    return GroupReadiness(group_id, f"Group {group_id}", percent, 1, 2, 0.0, current, target)


def test_readiness_bars_and_radar() -> None:
    groups = [group("4", 25.0, 2.0, 4.0), group("5", 90.0, None, None)]
    bars = readiness_by_group(groups).data[0]
    assert list(bars.x) == [25.0, 90.0]
    assert list(bars.text) == ["25.0%", "90.0%"]
    assert bars.marker.color[0] != bars.marker.color[1]
    radar = maturity_radar(groups)
    target, current = radar.data
    assert (target.name, current.name) == ("Target", "Current")
    assert list(current.r) == [2.0, 0.0, 2.0]  # unrated groups sit at 0, ring closed
    assert list(target.theta) == ["4 Group 4", "5 Group 5", "4 Group 4"]
