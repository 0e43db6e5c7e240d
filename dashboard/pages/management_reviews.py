"""Management reviews (clause 9.3): sorted and paged in the database; record and edit reviews."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from core.models import ManagementReview
from core.queries.records import list_records
from core.services.management_reviews import ManagementReviewService
from core.specs.management_reviews import MANAGEMENT_REVIEW
from dashboard.components.access import lacks_role
from dashboard.components.forms import form_values, record_fields
from dashboard.components.record_page import register_declared_forms, register_record_page
from dashboard.components.tables import (
    cell,
    page_count,
    page_request,
    record_table,
    rows,
    sort_order,
)
from web.caller import current_caller
from web.runtime import runtime

dash.register_page(
    __name__,
    path="/reviews",
    name="Reviews",
    title="Management reviews · ISO 55001",
    order=7,
)

EDITOR = "editor"
COLUMNS = [
    ("id", "#"),
    ("title", "Title"),
    ("period_start", "Period from"),
    ("period_end", "Period to"),
    ("meeting_date", "Meeting"),
    ("participants", "Participants"),
]
# The card's header shows the title; the other fields are listed below it.
FACTS = tuple(field for field in MANAGEMENT_REVIEW.fields if field.name != "title")


def layout(id: str | None = None, **_query: str) -> html.Div:
    selected = int(id) if id and id.isdigit() else None
    can_edit = not lacks_role(EDITOR)
    new_button = (
        dbc.Button("New review", id="reviews-new-open", color="primary", size="sm")
        if can_edit
        else html.Span()
    )
    return html.Div(
        [
            dcc.Store(id="reviews-selected", data=selected),
            dcc.Store(id="reviews-refresh", data=0),
            dcc.Store(id="reviews-feedback-store"),
            dcc.Location(id="reviews-url", refresh=False),
            html.Div(
                [html.H2("Management reviews", className="h3 mb-0 me-auto"), new_button],
                className="d-flex align-items-center mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Loading(
                            record_table("reviews-table", COLUMNS, selectable=True),
                            delay_show=300,
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            html.Div(id="reviews-feedback", className="mb-2"),
                            html.Div(id="reviews-detail"),
                        ],
                        lg=5,
                    ),
                ],
                className="g-3",
            ),
            html.Div(id="reviews-empty"),
            _create_modal() if can_edit else html.Div(),
        ]
    )


def _create_modal() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle("New management review")),
            dbc.ModalBody(
                [
                    *record_fields("reviews-new", MANAGEMENT_REVIEW, {}),
                    html.Div(id="reviews-new-feedback"),
                ]
            ),
            dbc.ModalFooter(dbc.Button("Create", id="reviews-new-submit", color="primary")),
        ],
        id="reviews-new-modal",
        is_open=False,
        size="lg",
    )


@callback(
    Output("reviews-table", "data"),
    Output("reviews-table", "page_count"),
    Output("reviews-table", "selected_rows"),
    Output("reviews-empty", "children"),
    Input("reviews-table", "page_current"),
    Input("reviews-table", "page_size"),
    Input("reviews-table", "sort_by"),
    Input("reviews-refresh", "data"),
)
def load_page(
    page_current: int | None,
    size: int | None,
    sort_by: list[dict[str, str]] | None,
    _refresh: int,
) -> Any:
    page = list_records(
        runtime().database,
        current_caller(),
        ManagementReview,
        {},
        page_request(page_current, size),
        sort_order(sort_by),
    )
    empty: Any = ""
    if page.total == 0:
        empty = dbc.Alert(
            "No management reviews yet. Record one with “New review”, create them through the "
            "API (POST /management-reviews), or load demo data with `iso55001 seed-demo`.",
            color="info",
            className="empty-state mt-3",
        )
    return rows(page.items, [key for key, _ in COLUMNS]), page_count(page), [], empty


def _facts(record: ManagementReview) -> list[Any]:
    facts: list[Any] = []
    for field in FACTS:
        value = getattr(record, field.name)
        if value:
            facts.append(html.P([html.Strong(f"{field.label}: "), cell(value)], className="mb-1"))
    return facts


def _detail(record: ManagementReview, can_edit: bool) -> dbc.Card:
    header = html.H3(f"Review #{record.id}: {record.title}", className="h5 mb-3")
    if not can_edit:
        return dbc.Card(
            dbc.CardBody([header, *_facts(record)]), className="shadow-sm", id="reviews-card"
        )
    return dbc.Card(
        dbc.CardBody(
            [
                header,
                *record_fields("reviews-edit", MANAGEMENT_REVIEW, record),
                dbc.Button("Save changes", id="reviews-save", color="primary", size="sm"),
                dcc.Store(id="reviews-version", data=record.version),
                dcc.Store(id="reviews-original", data=form_values(record, MANAGEMENT_REVIEW.names)),
            ]
        ),
        className="shadow-sm",
        id="reviews-card",
    )


register_record_page(
    "reviews", ManagementReview, "Management review", _detail, "Select a review to see and edit it."
)
register_declared_forms("reviews", MANAGEMENT_REVIEW, ManagementReviewService, "Review")
