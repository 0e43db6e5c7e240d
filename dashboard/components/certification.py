"""The overview's answer to "are we ready for the certification audit, and what stands in
the way?": readiness against target beside the adjusted figure, the countdown, the
blockers, the trend and the weakest clause group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from core.queries.clause_status import ClauseStatus
from core.queries.readiness import Blocker, GroupReadiness, Readiness
from core.queries.readiness_history import ReadinessPoint
from dashboard.components.cards import badge
from dashboard.figures.certification import readiness_gauge, readiness_over_time
from dashboard.theme import GRAPH_CONFIG, SEVERITY_COLORS

BLOCKER_ROWS = 6


def page_link(text: str, path: str, **options: Any) -> dcc.Link:
    """A link to another dashboard page (`path` below the dashboard's prefix)."""
    return dcc.Link(text, href=dash.get_relative_path(path), **options)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def explanation(summary: Readiness) -> str:
    """One sentence on why adjusted readiness differs from readiness (or that it does not)."""
    if not summary.blockers:
        return "No open Major or Critical findings: adjusted readiness equals readiness."
    clauses = len({blocker.clause_id for blocker in summary.blockers})
    return (
        f"{_plural(len(summary.blockers), 'open Major or Critical finding')} on "
        f"{_plural(clauses, 'clause')} count those clauses as at most half met, which takes "
        f"readiness from {summary.percent:.1f}% to {summary.adjusted_percent:.1f}%."
    )


def _target_line(summary: Readiness) -> str:
    gap = summary.target - summary.adjusted_percent
    if gap <= 0:
        return f"At or above the {summary.target}% target, blockers counted."
    return f"{gap:.1f} points below the {summary.target}% target, blockers counted."


def _readiness_card(summary: Readiness) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Ready for certification?", className="h6"),
                dbc.Row(
                    [
                        dbc.Col(
                            dcc.Graph(
                                id="overview-gauge",
                                figure=readiness_gauge(summary.percent, summary.target),
                                config={**GRAPH_CONFIG, "displayModeBar": False},
                            ),
                            xs=7,
                        ),
                        dbc.Col(
                            [
                                html.Div("Adjusted", className="text-muted small text-uppercase"),
                                html.Div(
                                    f"{summary.adjusted_percent:.1f}%",
                                    id="overview-adjusted",
                                    className="fs-2 fw-semibold",
                                ),
                                html.Div(f"Target {summary.target}%", className="small"),
                            ],
                            xs=5,
                            className="align-self-center",
                        ),
                    ],
                    className="g-0",
                ),
                html.P(explanation(summary), id="overview-explain", className="small mb-1"),
                html.P(_target_line(summary), className="small text-muted mb-0"),
            ]
        ),
        id="overview-certification",
        className="shadow-sm h-100",
    )


def _countdown_card(summary: Readiness) -> dbc.Card:
    when, days = summary.certification_date, summary.days_to_certification
    if when is None or days is None:
        body: list[Any] = [
            html.Div("No date set", className="fs-3 fw-semibold"),
            html.P(
                [
                    "An administrator books it on the ",
                    page_link("Organisations", "/organizations"),
                    " page.",
                ],
                className="small text-muted mb-0",
            ),
        ]
    elif days >= 0:
        body = [
            html.Div("Today" if days == 0 else _plural(days, "day"), className="fs-2 fw-semibold"),
            html.P(f"to the audit on {when.isoformat()}", className="small text-muted mb-0"),
        ]
    else:
        body = [
            html.Div(f"{-days} days ago", className="fs-3 fw-semibold"),
            html.P(f"The audit date {when.isoformat()} has passed.", className="small mb-0"),
        ]
    return dbc.Card(
        dbc.CardBody([html.H3("Certification audit", className="h6"), *body]),
        id="overview-countdown",
        className="shadow-sm h-100",
    )


def _due_text(blocker: Blocker) -> html.Span:
    if blocker.due_date is None:
        return html.Span("no due date", className="text-muted")
    if blocker.overdue:
        return html.Span(f"overdue since {blocker.due_date.isoformat()}", className="text-danger")
    return html.Span(f"due {blocker.due_date.isoformat()}")


def _blockers_card(blockers: Sequence[Blocker]) -> dbc.Card:
    ordered = sorted(blockers, key=lambda blocker: not blocker.overdue)  # stable: clause order
    if not ordered:
        body: Any = html.P(
            "Nothing: no open Major or Critical findings.", className="text-success small mb-0"
        )
    else:
        items = [
            html.Li(
                [
                    badge(blocker.severity, SEVERITY_COLORS[blocker.severity], className="me-2"),
                    page_link(
                        f"#{blocker.nonconformity_id}",
                        f"/nonconformities?id={blocker.nonconformity_id}",
                    ),
                    " on clause ",
                    page_link(blocker.clause_id, f"/checklist?clause={blocker.clause_id}"),
                    ", ",
                    _due_text(blocker),
                ],
                className="mb-1",
            )
            for blocker in ordered[:BLOCKER_ROWS]
        ]
        more = len(ordered) - BLOCKER_ROWS
        if more > 0:
            items.append(
                html.Li(page_link(f"and {more:,} more", "/nonconformities"), className="small")
            )
        body = html.Ul(items, className="list-unstyled small mb-0")
    return dbc.Card(
        dbc.CardBody([html.H3(f"What stands in the way ({len(ordered):,})", className="h6"), body]),
        id="overview-blockers",
        className="shadow-sm h-100",
    )


def _weakest_card(groups: Sequence[GroupReadiness], cells: Sequence[ClauseStatus]) -> dbc.Card:
    scored = [group for group in groups if group.applicable]
    body: list[Any]
    if not scored:
        body = [html.P("No clause applies yet.", className="text-muted small")]
    else:
        weakest = min(scored, key=lambda group: (group.percent, group.group_id))
        gap = next(
            (
                cell.clause_id
                for cell in cells
                if cell.group_id == weakest.group_id
                and cell.status not in ("Compliant", "NotApplicable")
            ),
            None,
        )
        body = [
            html.Div(f"{weakest.group_id} {weakest.title}", className="fw-semibold"),
            html.Div(f"{weakest.percent:.1f}%", className="fs-3 fw-semibold"),
            html.P(
                f"{weakest.assessed} of {weakest.applicable} clauses assessed",
                className="small text-muted mb-1",
            ),
            page_link(f"Open clause {gap} in the checklist", f"/checklist?clause={gap}")
            if gap
            else html.Span("Every clause in it is compliant.", className="small"),
        ]
    return dbc.Card(
        dbc.CardBody([html.H3("Weakest clause group", className="h6"), *body]),
        id="overview-weakest",
        className="shadow-sm h-100",
    )


def certification_rows(
    summary: Readiness,
    trend: Sequence[ReadinessPoint],
    cells: Sequence[ClauseStatus],
) -> list[Any]:
    """The overview's top rows, in the order a manager reads them."""
    trend_card = dbc.Card(
        dbc.CardBody(
            [
                html.H3("Readiness over the last 12 months", className="h6"),
                dcc.Graph(
                    id="overview-trend",
                    figure=readiness_over_time(trend, summary.target),
                    config=GRAPH_CONFIG,
                ),
            ]
        ),
        className="shadow-sm h-100",
    )
    return [
        dbc.Row(
            [
                dbc.Col(_readiness_card(summary), lg=5),
                dbc.Col(_countdown_card(summary), lg=3, md=6),
                dbc.Col(_blockers_card(summary.blockers), lg=4, md=6),
            ],
            className="g-3 mb-3",
        ),
        dbc.Row(
            [
                dbc.Col(trend_card, lg=8),
                dbc.Col(_weakest_card(summary.groups, cells), lg=4),
            ],
            className="g-3 mb-4",
        ),
    ]
