"""The global ISO 55001:2024 clause catalogue (read-only)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask.views import MethodView

from api.base import ETAG_HEADER, ResourceBlueprint, page_request
from api.clauses.schemas import ClauseQuerySchema, ClauseSchema
from api.security import requires
from core.models import Clause
from core.paging import Page
from core.queries import catalogue
from web.runtime import runtime

blp = ResourceBlueprint("Clauses", __name__, description="ISO 55001:2024 clause catalogue")


@blp.collection(
    "/clauses", args=ClauseQuerySchema, item=ClauseSchema, decorators=(requires("viewer"),)
)
def list_clauses(args: dict[str, Any]) -> Page[Clause]:
    """List and search clauses in natural order"""
    return catalogue.search_clauses(runtime().database, args.get("q"), page_request(args))


@blp.route_both("/clauses/<string:clause_id>")
class ClauseById(MethodView):
    @requires("viewer")
    @blp.response(200, ClauseSchema, headers=ETAG_HEADER)
    @blp.errors(404)
    def get(self, clause_id: str) -> Any:
        """One clause"""
        clause = catalogue.get_clause(runtime().database, clause_id)
        digest = hashlib.sha256(f"{clause.title}\x00{clause.summary}".encode()).hexdigest()[:16]
        return clause, 200, {"ETag": f'"{digest}"'}
