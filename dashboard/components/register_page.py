"""The whole page of a declared register: a sorted, paged table, a detail card that
edits the record, a "New" modal, and the CSV/XLSX export of what the table shows.

A register's page module declares a `RegisterPage` and registers it; the forms, the
columns' values and the messages all come from the register's declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from core.models import model_of
from core.queries.records import list_records
from core.services.registers import service_of
from core.specs.record import RecordSpec, Register
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
from web.runtime import DASHBOARD_PREFIX, runtime

EDITOR = "editor"


@dataclass(frozen=True)
class RegisterPage:
    register: Register
    prefix: str  # component ids start "<prefix>-"
    heading: str  # "Management reviews"
    noun: str  # one record, capitalised: "Review"
    columns: tuple[tuple[str, str], ...]  # the table's (field, header) pairs, id first
    title_field: str = "title"  # what the detail card's header names the record by

    @property
    def spec(self) -> RecordSpec:
        return self.register.spec

    def layout(self, id: str | None = None, **_query: str) -> html.Div:
        prefix = self.prefix
        selected = int(id) if id and id.isdigit() else None
        can_edit = not lacks_role(EDITOR)
        new_button = (
            dbc.Button(
                f"New {self.noun.lower()}", id=f"{prefix}-new-open", color="primary", size="sm"
            )
            if can_edit
            else html.Span()
        )
        return html.Div(
            [
                dcc.Store(id=f"{prefix}-selected", data=selected),
                dcc.Store(id=f"{prefix}-refresh", data=0),
                dcc.Store(id=f"{prefix}-feedback-store"),
                dcc.Location(id=f"{prefix}-url", refresh=False),
                html.Div(
                    [
                        html.H2(self.heading, className="h3 mb-0 me-auto"),
                        *self._exports(),
                        new_button,
                    ],
                    className="d-flex align-items-center mb-3",
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            dcc.Loading(
                                record_table(
                                    f"{prefix}-table", list(self.columns), selectable=True
                                ),
                                delay_show=300,
                            ),
                            lg=7,
                        ),
                        dbc.Col(
                            [
                                html.Div(id=f"{prefix}-feedback", className="mb-2"),
                                html.Div(id=f"{prefix}-detail"),
                            ],
                            lg=5,
                        ),
                    ],
                    className="g-3",
                ),
                html.Div(id=f"{prefix}-empty"),
                self._create_modal() if can_edit else html.Div(),
            ]
        )

    def _exports(self) -> list[Any]:
        name = self.register.export
        if name is None:
            return []
        return [
            dbc.Button(
                f"Export {extension.upper()}",
                href=f"{DASHBOARD_PREFIX}download/{name}.{extension}",
                external_link=True,
                color="secondary",
                outline=True,
                size="sm",
                className="me-2",
                id=f"{self.prefix}-export-{extension}",
            )
            for extension in ("csv", "xlsx")
        ]

    def _create_modal(self) -> dbc.Modal:
        prefix = self.prefix
        return dbc.Modal(
            [
                dbc.ModalHeader(dbc.ModalTitle(f"New {self.spec.label.lower()}")),
                dbc.ModalBody(
                    [
                        *record_fields(f"{prefix}-new", self.spec, {}),
                        html.Div(id=f"{prefix}-new-feedback"),
                    ]
                ),
                dbc.ModalFooter(dbc.Button("Create", id=f"{prefix}-new-submit", color="primary")),
            ],
            id=f"{prefix}-new-modal",
            is_open=False,
            size="lg",
        )

    def _facts(self, record: Any) -> list[Any]:
        facts: list[Any] = []
        for field in self.spec.fields:
            value = getattr(record, field.name)
            if field.name != self.title_field and value:
                facts.append(
                    html.P([html.Strong(f"{field.label}: "), cell(value)], className="mb-1")
                )
        return facts

    def _detail(self, record: Any, can_edit: bool) -> dbc.Card:
        prefix = self.prefix
        title = getattr(record, self.title_field)
        header = html.H3(f"{self.noun} #{record.id}: {title}", className="h5 mb-3")
        if not can_edit:
            return dbc.Card(
                dbc.CardBody([header, *self._facts(record)]),
                className="shadow-sm",
                id=f"{prefix}-card",
            )
        return dbc.Card(
            dbc.CardBody(
                [
                    header,
                    *record_fields(f"{prefix}-edit", self.spec, record),
                    dbc.Button("Save changes", id=f"{prefix}-save", color="primary", size="sm"),
                    dcc.Store(id=f"{prefix}-version", data=record.version),
                    dcc.Store(id=f"{prefix}-original", data=form_values(record, self.spec.names)),
                ]
            ),
            className="shadow-sm",
            id=f"{prefix}-card",
        )

    def wire(self) -> None:
        """Register the page's callbacks (once, when its module is imported)."""
        prefix, register = self.prefix, self.register
        model = model_of(self.spec.entity)
        keys = [key for key, _ in self.columns]

        @callback(
            Output(f"{prefix}-table", "data"),
            Output(f"{prefix}-table", "page_count"),
            Output(f"{prefix}-table", "selected_rows"),
            Output(f"{prefix}-empty", "children"),
            Input(f"{prefix}-table", "page_current"),
            Input(f"{prefix}-table", "page_size"),
            Input(f"{prefix}-table", "sort_by"),
            Input(f"{prefix}-refresh", "data"),
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
                model,
                {},
                page_request(page_current, size),
                sort_order(sort_by),
            )
            empty: Any = ""
            if page.total == 0:
                empty = dbc.Alert(
                    f"No {self.heading.lower()} yet. Record one with “New {self.noun.lower()}”, "
                    f"create them through the API (POST {register.path}), or load demo data "
                    "with `iso55001 seed-demo`.",
                    color="info",
                    className="empty-state mt-3",
                )
            return rows(page.items, keys), page_count(page), [], empty

        load_page.__name__ = f"load_{prefix}_page"
        register_record_page(
            prefix,
            model,
            self.spec.label,
            self._detail,
            f"Select a {self.noun.lower()} to see and edit it.",
        )
        register_declared_forms(prefix, self.spec, service_of(self.spec.entity), self.noun)
