from __future__ import annotations

from marshmallow import Schema, fields

from api.base import PageArgsSchema


class ClauseSchema(Schema):
    clause_id = fields.String(metadata={"example": "6.2.1"})
    parent_id = fields.String(allow_none=True, metadata={"example": "6.2"})
    title = fields.String(metadata={"example": "Strategic asset management plan (SAMP)"})
    summary = fields.String()
    level = fields.Integer(metadata={"description": "1 for '4', 2 for '4.5', 3 for '4.5.1'"})
    keywords = fields.List(fields.String())
    is_leaf = fields.Boolean(metadata={"description": "Only leaf clauses can be assessed"})
    group_id = fields.String(metadata={"description": "Top-level clause: '4'..'10'"})


class ClauseQuerySchema(PageArgsSchema):
    q = fields.String(
        metadata={"description": "Matches id, title, summary and keywords, case-insensitively"}
    )
