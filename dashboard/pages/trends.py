"""Nonconformity trends: opened vs closed, backlog, time to close; filters live in the URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from core.errors import InvalidInput
from core.queries import kpis
from core.queries.periods import DateRange, utc_today
from core.rules import NC_SEVERITIES
from dashboard.components.forms import choice, labelled
from dashboard.figures.trends import monthly_flow, open_backlog, time_to_close
from dashboard.theme import GRAPH_CONFIG
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__, path="/trends", name="Trends", title="Nonconformity trends · ISO 55001", order=3
)


def _graph(graph_id: str) -> dbc.Col:
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(dcc.Loading(dcc.Graph(id=graph_id, config=GRAPH_CONFIG), delay_show=300)),
            className="shadow-sm",
        ),
        lg=12 if graph_id == "trends-flow" else 6,
    )


def layout(**query: str) -> html.Div:
    severity = query.get("severity") if query.get("severity") in NC_SEVERITIES else None
    return html.Div(
        [
            dcc.Location(id="trends-url", refresh=False),
            # The period as the link asked for it; core resolves and checks it on first draw.
            dcc.Store(id="trends-requested", data=[query.get("from"), query.get("to")]),
            html.H2("Nonconformity trends", className="h3 mb-3"),
            dbc.Row(
                [
                    dbc.Col(
                        labelled(
                            "Period",
                            dcc.DatePickerRange(
                                id="trends-range",
                                display_format="YYYY-MM-DD",
                                first_day_of_week=1,  # Monday (ISO 8601)
                                max_date_allowed=utc_today().isoformat(),
                                minimum_nights=0,
                            ),
                        ),
                        md="auto",
                    ),
                    dbc.Col(
                        labelled(
                            "Severity", choice("trends-severity", list(NC_SEVERITIES), severity)
                        ),
                        md=2,
                    ),
                ],
                className="g-3 mb-2",
            ),
            html.Div(id="trends-message"),
            html.Div(id="trends-empty"),
            dbc.Row(
                [_graph("trends-flow"), _graph("trends-backlog"), _graph("trends-close")],
                className="g-3",
            ),
        ]
    )


@callback(
    Output("trends-flow", "figure"),
    Output("trends-backlog", "figure"),
    Output("trends-close", "figure"),
    Output("trends-url", "search"),
    Output("trends-message", "children"),
    Output("trends-empty", "children"),
    Output("trends-range", "start_date"),
    Output("trends-range", "end_date"),
    Input("trends-range", "start_date"),
    Input("trends-range", "end_date"),
    Input("trends-severity", "value"),
    State("trends-requested", "data"),
)
def redraw(
    start_text: str | None,
    end_text: str | None,
    severity: str | None,
    requested_in_link: list[str | None],
) -> Any:
    if dash.ctx.triggered_id is None:  # the first draw: the period the link asked for
        start_text, end_text = requested_in_link
    try:
        trends = kpis.nc_trends(
            runtime().database,
            current_caller().org_id,
            DateRange.from_text(start_text, end_text),
            severity,
            with_backlog=True,
        )
    except InvalidInput as error:  # the API's 422 message for the same dates
        return (
            (dash.no_update,) * 4
            + (dbc.Alert(error.message, color="warning"), "")
            + (dash.no_update,) * 2
        )
    period, backlog = trends.period, trends.backlog
    assert period.start is not None and period.end is not None and backlog is not None
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    if severity:
        query["severity"] = severity
    empty: Any = ""
    if not any(trends.opened.values()) and not any(backlog.open_at_month_end.values()):
        empty = dbc.Alert(
            "No nonconformities in this period. Widen the dates, clear the severity filter, or "
            "raise nonconformities on the Nonconformities page.",
            color="info",
            className="empty-state",
        )
    return (
        monthly_flow(trends),
        open_backlog(backlog),
        time_to_close(backlog),
        "?" + urlencode(query),
        "",
        empty,
        query["from"],
        query["to"],
    )
