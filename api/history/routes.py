"""The append-only change history of business records (read-only by design)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from api.base import PageArgsSchema, ResourceBlueprint, page_request
from api.security import requires
from core.models import ChangeRecord
from core.paging import Page
from core.queries.history import list_changes
from web.caller import current_caller
from web.runtime import runtime

blp = ResourceBlueprint(
    "History",
    __name__,
    description="Who changed which record, when, in which request, and how (clause 7.5)",
)


class ChangeRecordSchema(Schema):
    id = fields.Integer()
    entity = fields.String(metadata={"example": "nonconformity"})
    entity_id = fields.String(metadata={"example": "42"})
    action = fields.String(metadata={"enum": ["create", "update", "delete"]})
    actor = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    at = fields.AwareDateTime()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class HistoryQuerySchema(PageArgsSchema):
    entity = fields.String(
        metadata={"description": "assessment, audit, nonconformity or management_review"}
    )
    entity_id = fields.String()


@blp.collection(
    "/history", args=HistoryQuerySchema, item=ChangeRecordSchema, decorators=(requires("viewer"),)
)
def list_history(args: dict[str, Any]) -> Page[ChangeRecord]:
    """The change history, oldest first, optionally for one record"""
    return list_changes(
        runtime().database,
        current_caller(),
        page_request(args),
        entity=args.get("entity"),
        entity_id=args.get("entity_id"),
    )
