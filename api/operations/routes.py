"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

import logging
from typing import Any

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from api.base import ResourceBlueprint
from web.runtime import runtime

blp = ResourceBlueprint("Operations", __name__, description="Health and readiness probes")
log = logging.getLogger(__name__)


class HealthSchema(Schema):
    status = fields.String(metadata={"example": "ok"})


class ReadySchema(Schema):
    status = fields.String(metadata={"example": "ready"})
    checks = fields.Dict(keys=fields.String(), values=fields.String())


@blp.route_both("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """Liveness: the process answers; touches nothing else"""
        return {"status": "ok"}


@blp.route_both("/ready")
class Ready(MethodView):
    @blp.response(200, ReadySchema)
    @blp.errors(503)
    def get(self) -> dict[str, Any]:
        """Readiness: the database answers, the evidence store takes writes; else 503 naming it"""
        checks: dict[str, str] = {}
        current = runtime()
        try:
            current.database.ping()
            checks["database"] = "ok"
        except Exception:  # a probe reports the failure instead of raising it
            log.exception("readiness: database check failed")
            checks["database"] = "unavailable"
        try:
            current.store.check_writable()
            checks["evidence_store"] = "ok"
        except Exception:
            log.exception("readiness: evidence store check failed")
            checks["evidence_store"] = "unavailable"
        failing = sorted(name for name, state in checks.items() if state != "ok")
        if failing:
            abort(503, message=f"Not ready: {', '.join(failing)} unavailable", errors=checks)
        return {"status": "ready", "checks": checks}
