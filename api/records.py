"""The routes every tenant record type shares: list, create, get, patch, delete.

A resource module describes itself with `RecordRoutes` (paths, schemas, service,
filters, examples); `register` turns that into thin views — parse, call one service
or query, serialise — at the legacy path and under /v1, with roles and ETags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask.views import MethodView
from marshmallow import Schema

from api.base import (
    ETAG_HEADER,
    ResourceBlueprint,
    etag_of,
    expected_version,
    page_request,
)
from api.security import requires
from core.paging import Page
from core.queries.records import get_record, list_records
from core.services.records import RecordService
from web.caller import current_caller
from web.runtime import runtime


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


@dataclass(frozen=True)
class RecordRoutes:
    path: str  # "/audits"
    id_name: str  # "audit_id"
    service: type[RecordService[Any]]
    schema: type[Schema]
    create_schema: type[Schema]
    patch_schema: type[Schema]
    query_schema: type[Schema]
    filters: tuple[str, ...]
    create_example: dict[str, Any] = field(default_factory=dict)
    patch_example: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.service.label

    def register(self, blp: ResourceBlueprint) -> None:
        routes = self
        model = self.service.model
        plural = blp.name.lower()

        def fetch(args: dict[str, Any]) -> Page[Any]:
            equals = {name: args.get(name) for name in routes.filters}
            return list_records(
                runtime().database, current_caller(), model, equals, page_request(args)
            )

        fetch.__name__ = f"list_{self.id_name.removesuffix('_id')}s"
        fetch.__doc__ = f"List {plural}" + (
            f", filtered by {', '.join(self.filters)}" if self.filters else ""
        )
        blp.collection(
            self.path, args=self.query_schema, item=self.schema, decorators=(requires("viewer"),)
        )(fetch)

        class Collection(MethodView):
            @requires("editor")
            @blp.arguments(routes.create_schema, example=routes.create_example)
            @blp.response(201, routes.schema, headers=ETAG_HEADER)
            @blp.doc(summary=f"Create {_article(routes.label)} {routes.label.lower()}")
            def post(self, data: dict[str, Any]) -> Any:
                record = routes.service(runtime().database).create(current_caller(), data)
                return record, 201, {"ETag": etag_of(record)}

        class Item(MethodView):
            @requires("viewer")
            @blp.response(200, routes.schema, headers=ETAG_HEADER)
            @blp.errors(404)
            @blp.doc(summary=f"One {routes.label.lower()}")
            def get(self, **ids: int) -> Any:
                record = get_record(
                    runtime().database, current_caller(), model, ids[routes.id_name], routes.label
                )
                return record, 200, {"ETag": etag_of(record)}

            @requires("editor")
            @blp.arguments(routes.patch_schema, example=routes.patch_example)
            @blp.response(200, routes.schema, headers=ETAG_HEADER)
            @blp.errors(404, 409, 412)
            @blp.honours_if_match
            @blp.doc(
                summary=f"Change some fields of {_article(routes.label)} {routes.label.lower()}"
            )
            def patch(self, changes: dict[str, Any], **ids: int) -> Any:
                record = routes.service(runtime().database).update(
                    current_caller(),
                    ids[routes.id_name],
                    changes,
                    expected_version=expected_version(),
                )
                return record, 200, {"ETag": etag_of(record)}

            @requires("admin")
            @blp.response(204)
            @blp.errors(404, 409, 412)
            @blp.honours_if_match
            @blp.doc(summary=f"Delete {_article(routes.label)} {routes.label.lower()}")
            def delete(self, **ids: int) -> None:
                routes.service(runtime().database).delete(
                    current_caller(), ids[routes.id_name], expected_version=expected_version()
                )

        name = self.schema.__name__.removesuffix("Schema")
        Collection.__name__ = f"{name}Collection"
        Item.__name__ = f"{name}ById"
        blp.route_both(self.path)(Collection)
        blp.route_both(f"{self.path}/<int:{self.id_name}>")(Item)
