"""The one place flask-smorest is customised.

- every error has the `{code, status, message, errors}` body, with a message;
- lists take `limit`/`offset`, set `X-Total-Count`, and answer twice: a bare array at
  the legacy path and a `{items, total, limit, offset}` envelope under `/v1`;
- every other route is served at its legacy path and under `/v1`;
- domain errors from `core` become HTTP errors;
- ETags come from the records' version column;
- the OpenAPI document says what the routes do: file responses are binary of their media
  type, 429 and 503 carry Retry-After, If-Match is declared where it is honoured, and a
  PATCH body names at least one field.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, Protocol

from apispec import APISpec, BasePlugin
from flask import Flask, request
from flask_smorest import Api, Blueprint
from flask_smorest.error_handler import ErrorSchema
from marshmallow import RAISE, Schema, fields, validate
from werkzeug.exceptions import HTTPException

from core.paging import DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest
from web.inputs import INT64_MAX, INT64_MIN, BoundedParser, Date, InputSchema, Integer

V1_PREFIX = "/v1"
TOTAL_COUNT_HEADER = {
    "X-Total-Count": {
        "description": "Rows matching the filters, ignoring limit and offset",
        "schema": {"type": "integer"},
    }
}
ETAG_HEADER = {"ETag": {"description": "Version of the record", "schema": {"type": "string"}}}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": "ETag of the version this change applies to; a stale one answers 412",
    "schema": {"type": "string"},
}
# The body of a file response (exports, evidence downloads), under its media type.
BINARY_FILE = {"type": "string", "format": "binary"}
RETRY_AFTER_HEADER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
}
# Error responses that tell the client when to come back.
ERROR_HEADERS = {429: RETRY_AFTER_HEADER, 503: RETRY_AFTER_HEADER}
# What api.inputs refuses before a schema runs, stated in the spec: text without control
# characters other than tab, LF and CR; dates from year 1000 to 9998.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F]*$"
DATE_PATTERN = r"^(1\d{3}|[2-8]\d{3}|9[0-8]\d{2}|99[0-8]\d|999[0-8])-"


class StrictSchema(InputSchema):
    """Request bodies: an unknown field is a 422, never silently dropped."""

    class Meta:
        unknown = RAISE


class TrackedSchema(Schema):
    """Fields every business record carries, set by the server only."""

    id = fields.Integer(dump_only=True)
    org_id = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
    created_by = fields.String(dump_only=True, allow_none=True)
    updated_by = fields.String(dump_only=True, allow_none=True)
    request_id = fields.String(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True, metadata={"description": "Also sent as the ETag"})


class PageArgsSchema(InputSchema):
    limit = Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Rows per page, 1..{MAX_LIMIT}"},
    )
    offset = Integer(
        load_default=0,
        validate=validate.Range(min=0),
        metadata={"description": "Rows to skip"},
    )


def page_request(args: dict[str, Any]) -> PageRequest:
    return PageRequest(limit=args["limit"], offset=args["offset"])


_envelopes: dict[type[Schema], type[Schema]] = {}


def envelope_schema(item_schema: type[Schema]) -> type[Schema]:
    """`{items, total, limit, offset}` around `item_schema`, one class per item schema."""
    if item_schema not in _envelopes:
        name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
        _envelopes[item_schema] = Schema.from_dict(
            {
                "items": fields.List(fields.Nested(item_schema), required=True),
                "total": fields.Integer(required=True),
                "limit": fields.Integer(required=True),
                "offset": fields.Integer(required=True),
            },
            name=name,
        )
    return _envelopes[item_schema]


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def etag_of(record: Versioned) -> str:
    return f'"v{record.version}"'


def expected_version() -> int | None:
    """The version named by If-Match; None when the header is absent or `*`.

    A tag that is not one of ours can never be current, so it maps to -1 (a 412).
    """
    if_match = request.if_match
    if not if_match or if_match.star_tag:
        return None
    for tag in if_match.as_set():
        # An empty tag (`If-Match: ""`) parses as None: it matches no version.
        if tag and tag.startswith("v") and tag[1:].isdigit():
            return int(tag[1:])
    return -1


ListFetcher = Callable[..., Page[Any]]  # (query args, **path params) -> Page


class ResourceBlueprint(Blueprint):
    """A resource served at its legacy path and under /v1, documented under one tag."""

    ARGUMENTS_PARSER = BoundedParser()

    def route_both(self, rule: str, **options: Any) -> Callable[[Any], Any]:
        def decorator(view: Any) -> Any:
            self.route(rule, tags=[self.name], **options)(view)
            self.route(V1_PREFIX + rule, tags=[self.name], **options)(view)
            return view

        return decorator

    def collection(
        self,
        rule: str,
        *,
        args: type[Schema],
        item: type[Schema],
        decorators: tuple[Callable[[Any], Any], ...] = (),
    ) -> Callable[[ListFetcher], ListFetcher]:
        """Serve `fetch(args) -> Page` at GET `rule` (array) and GET /v1`rule` (envelope)."""

        def decorator(fetch: ListFetcher) -> ListFetcher:
            summary = (fetch.__doc__ or "").strip().splitlines()[0] if fetch.__doc__ else None

            def legacy(query: dict[str, Any], **path: Any) -> Any:
                page = fetch(query, **path)
                return page.items, 200, {"X-Total-Count": str(page.total)}

            def enveloped(query: dict[str, Any], **path: Any) -> Any:
                page = fetch(query, **path)
                body = {
                    "items": page.items,
                    "total": page.total,
                    "limit": page.limit,
                    "offset": page.offset,
                }
                return body, 200, {"X-Total-Count": str(page.total)}

            for path, view, schema, suffix in (
                (rule, legacy, item(many=True), "legacy"),
                (V1_PREFIX + rule, enveloped, envelope_schema(item)(), "v1"),
            ):
                view.__name__ = f"{fetch.__name__}_{suffix}"
                wrapped: Any = self.response(200, schema, headers=TOTAL_COUNT_HEADER)(view)
                wrapped = self.arguments(args, location="query", as_kwargs=False)(wrapped)
                wrapped = self.doc(summary=summary)(wrapped)
                for extra in reversed(decorators):
                    wrapped = extra(wrapped)
                self.route(path, methods=["GET"], tags=[self.name], endpoint=view.__name__)(wrapped)
            return fetch

        return decorator

    def errors(self, *codes: int) -> Callable[[Any], Any]:
        """Document the error responses a view can give, with the shared error schema."""

        def decorator(view: Any) -> Any:
            for code in codes:
                if code in ERROR_HEADERS:
                    view = self.alt_response(
                        code,
                        schema=ErrorSchema,
                        description=HTTPStatus(code).phrase,
                        headers=ERROR_HEADERS[code],
                    )(view)
                else:
                    view = self.alt_response(code, response=HTTPStatus(code).name)(view)
            return view

        return decorator

    def honours_if_match(self, view: Any) -> Any:
        """Document If-Match on a write that checks it (never on reads, which ignore it)."""
        return self.doc(parameters=[IF_MATCH_PARAMETER])(view)


class PatchBodiesNameAField(BasePlugin):
    """Every PATCH body is documented with `minProperties: 1`: `{}` changes nothing and is
    refused (422), so a client generated from the spec should not send it."""

    def init_spec(self, spec: APISpec) -> None:
        self.spec = spec

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        body = (operations or {}).get("patch", {}).get("requestBody", {})
        for media in body.get("content", {}).values():
            # The marshmallow plugin ran first: the body schema is a reference to a component.
            name = str(media.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1]
            if name in self.spec.components.schemas:
                self.spec.components.schemas[name]["minProperties"] = 1


def _validation_message(errors: Any) -> str:
    if isinstance(errors, dict):
        parts = []
        for location, problems in errors.items():
            names = ", ".join(sorted(map(str, problems))) if isinstance(problems, dict) else ""
            parts.append(f"{location}: {names}" if names else str(location))
        return "Invalid request (" + "; ".join(parts) + ")"
    return "Invalid request"


def input_bounds(
    converter: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """apispec attribute function: the bounds of request fields (api.inputs) in the spec."""
    if not isinstance(field.root, InputSchema):
        return {}
    if isinstance(field, Integer):
        return {"minimum": ret.get("minimum", INT64_MIN), "maximum": ret.get("maximum", INT64_MAX)}
    if isinstance(field, Date):
        return {"pattern": DATE_PATTERN}
    if isinstance(field, fields.String) and not {"enum", "pattern"} & set(ret):
        return {"pattern": TEXT_PATTERN}
    return {}


class PlatformApi(Api):
    """flask-smorest's Api with a message on every error and the headers it would drop."""

    def __init__(
        self, app: Flask | None = None, *, spec_kwargs: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [
            *spec_kwargs.get("extra_plugins", ()),
            PatchBodiesNameAField(),
        ]
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def handle_http_exception(self, error: HTTPException) -> Any:
        payload, code, headers = super().handle_http_exception(error)
        headers = dict(headers or {})
        if "message" not in payload:
            if code == 422 and "errors" in payload:
                payload["message"] = _validation_message(payload["errors"])
            else:
                payload["message"] = error.description or error.name
        for name, value in error.get_headers():
            # flask-smorest drops Allow (405) and WWW-Authenticate (401) otherwise.
            if name.lower() in {"allow", "www-authenticate", "retry-after"}:
                headers.setdefault(name, value)
        return payload, code, headers

    def init_app(self, app: Flask, *args: Any, **kwargs: Any) -> None:
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(input_bounds)
