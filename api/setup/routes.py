"""POST /setup: idempotent first-run set-up for administrators."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from api.base import ResourceBlueprint, StrictSchema
from api.security import requires
from core.operations.setup import SetupOptions, run_setup
from web.inputs import Boolean
from web.runtime import runtime

blp = ResourceBlueprint("Setup", __name__, description="Idempotent set-up (admin)")


class SetupRequestSchema(StrictSchema):
    run_migrations = Boolean(load_default=False)
    reseed_clauses = Boolean(load_default=False)
    verify_object_store = Boolean(load_default=False)


class SetupResultSchema(Schema):
    ok = fields.Boolean()
    actions = fields.List(fields.String())


@blp.route_both("/setup")
class Setup(MethodView):
    @requires("admin")
    @blp.arguments(
        SetupRequestSchema,
        required=False,
        example={"run_migrations": True, "verify_object_store": True},
    )
    @blp.response(200, SetupResultSchema)
    def post(self, options: dict[str, Any]) -> dict[str, Any]:
        """Migrate, load the clause catalogue when empty, create DEFAULT_ORG_ID's organisation"""
        actions = run_setup(runtime(), SetupOptions(**options))
        return {"ok": True, "actions": actions}
