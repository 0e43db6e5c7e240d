from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.theme import WHITE, text_on


def kpi_card(label: str, value: str, detail: str = "", *, card_id: str | None = None) -> dbc.Card:
    body = [
        html.Div(label, className="text-muted small text-uppercase"),
        html.Div(value, className="fs-2 fw-semibold kpi-value"),
    ]
    if detail:
        body.append(html.Div(detail, className="small text-muted"))
    card = dbc.Card(dbc.CardBody(body), className="h-100 shadow-sm")
    if card_id:
        card.id = card_id
    return card


def empty_state(title: str, advice: str) -> dbc.Alert:
    return dbc.Alert(
        [html.H5(title, className="alert-heading"), html.P(advice, className="mb-0")],
        color="info",
        className="empty-state",
    )


NO_ASSESSMENTS_ADVICE = (
    "Record assessments through the API (POST /assessments) or load the demo data with "
    "`iso55001 seed-demo`; this page fills in as clauses are assessed."
)


def badge(text: str, background: str, **options: Any) -> dbc.Badge:
    """A badge whose text (Bootstrap's white or dark) reads best on its background."""
    text_color = "white" if text_on(background) == WHITE else "dark"
    return dbc.Badge(text, color=background, text_color=text_color, **options)
