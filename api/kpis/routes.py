"""KPIs: overview counts, nonconformity trends, overdue nonconformities, readiness."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.base import PageArgsSchema, ResourceBlueprint, page_request
from api.nonconformities.schemas import NonconformitySchema
from api.security import requires
from core.queries import kpis
from core.queries.periods import DateRange
from core.queries.readiness import Readiness, readiness
from core.queries.readiness_history import readiness_as_of, readiness_trend
from core.rules import NC_SEVERITIES
from web.caller import current_caller
from web.inputs import Date, InputSchema, Integer, one_of
from web.runtime import runtime

blp = ResourceBlueprint("KPIs", __name__, description="Indicators computed by the database")


def readiness_body(summary: Readiness) -> dict[str, Any]:
    return {
        "percent": summary.percent,
        "assessed": summary.assessed,
        "applicable": summary.applicable,
        "by_clause_group": {
            group.group_id: {
                "percent": group.percent,
                "assessed": group.assessed,
                "applicable": group.applicable,
                "title": group.title,
                "current_maturity": group.current_maturity,
                "target_maturity": group.target_maturity,
            }
            for group in summary.groups
        },
    }


class ReadinessArgs(InputSchema):
    as_of = Date(
        metadata={
            "description": (
                "Readiness as it stood at the end of this day, replayed from the change history"
            )
        }
    )


class ReadinessTrendArgs(InputSchema):
    from_date = Date(metadata={"description": "First point; default 12 months before to_date"})
    to_date = Date(metadata={"description": "Last day; default today"})
    interval = one_of(("week", "month"), load_default="month")


class BlockerSchema(Schema):
    clause_id = fields.String()
    nonconformity_id = fields.Integer()
    severity = fields.String(metadata={"enum": ["Major", "Critical"]})
    due_date = fields.Date(allow_none=True)
    overdue = fields.Boolean()


class OverviewArgs(InputSchema):
    created_from = Date()
    created_to = Date()
    as_of = Date(metadata={"description": "Date for overdue checks (default today)"})


def _counts(description: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": description}
    )


class CountsSchema(Schema):
    total = fields.Integer()
    by_status = _counts("Every status, 0 where none")


class NcCountsSchema(CountsSchema):
    by_severity = _counts("Every severity, 0 where none")
    overdue = fields.Integer(metadata={"description": "Not closed and due before as_of"})


class AssessmentCountsSchema(Schema):
    by_status = _counts("Every status, 0 where none")


class OverviewSchema(Schema):
    audits = fields.Nested(CountsSchema)
    nonconformities = fields.Nested(NcCountsSchema)
    assessments = fields.Nested(AssessmentCountsSchema)
    readiness = fields.Dict(metadata={"description": "percent and by_clause_group 4..10"})
    generated_at = fields.AwareDateTime()


class TrendArgs(InputSchema):
    from_date = Date()
    to_date = Date()
    severity = one_of(NC_SEVERITIES)


class TrendSchema(Schema):
    months = fields.List(fields.String(), metadata={"example": ["2026-11", "2026-12"]})
    opened = _counts("Nonconformities created per month")
    closed = _counts("Nonconformities closed per month")


# A century: as_of minus days stays a calendar date.
MAX_OVERDUE_DAYS = 36_500


class OverdueArgs(PageArgsSchema):
    days = Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OVERDUE_DAYS),
        metadata={"description": "At least this many days overdue"},
    )
    as_of = Date()


OverdueItemSchema = NonconformitySchema.from_dict(
    {"days_overdue": fields.Integer()}, name="OverdueItemSchema"
)


class OverdueSchema(Schema):
    count = fields.Integer()
    items = fields.List(fields.Nested(OverdueItemSchema))
    limit = fields.Integer()
    offset = fields.Integer()


@blp.route_both("/kpi/overview")
class OverviewKpi(MethodView):
    @requires("viewer")
    @blp.arguments(OverviewArgs, location="query")
    @blp.response(200, OverviewSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Counts by status and severity, overdue nonconformities, readiness"""
        created = DateRange(
            args.get("created_from"), args.get("created_to"), "created_from", "created_to"
        )
        found = kpis.overview(
            runtime().database, current_caller().org_id, created, args.get("as_of")
        )
        return {
            "audits": {
                "total": sum(found.audits_by_status.values()),
                "by_status": found.audits_by_status,
            },
            "nonconformities": {
                "total": sum(found.nc_by_status.values()),
                "by_status": found.nc_by_status,
                "by_severity": found.nc_by_severity,
                "overdue": found.nc_overdue,
            },
            "assessments": {"by_status": found.assessments_by_status},
            "readiness": readiness_body(found.readiness),
            "generated_at": found.generated_at,
        }


@blp.route_both("/kpi/nc_trends")
class TrendsKpi(MethodView):
    @requires("viewer")
    @blp.arguments(TrendArgs, location="query")
    @blp.response(200, TrendSchema)
    def get(self, args: dict[str, Any]) -> kpis.Trends:
        """Nonconformities opened and closed per month (every month listed)"""
        return kpis.nc_trends(
            runtime().database,
            current_caller().org_id,
            DateRange(args.get("from_date"), args.get("to_date")),
            args.get("severity"),
        )


@blp.route_both("/kpi/overdue_nonconformities")
class OverdueKpi(MethodView):
    @requires("viewer")
    @blp.arguments(OverdueArgs, location="query")
    @blp.response(200, OverdueSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Open nonconformities overdue by at least `days`, most overdue first"""
        page = kpis.overdue_nonconformities(
            runtime().database,
            current_caller().org_id,
            args.get("as_of"),
            args["days"],
            page_request(args),
        )
        body = {
            "count": page.total,
            "items": page.items,
            "limit": page.limit,
            "offset": page.offset,
        }
        return body, 200, {"X-Total-Count": str(page.total)}


@blp.route_both("/kpi/readiness")
class ReadinessKpi(MethodView):
    @requires("viewer")
    @blp.response(
        200,
        Schema.from_dict(
            {
                "percent": fields.Float(),
                "assessed": fields.Integer(),
                "applicable": fields.Integer(),
                "by_clause_group": fields.Dict(),
                "adjusted_percent": fields.Float(
                    metadata={
                        "description": (
                            "percent, with a leaf clause that has a blocker counting at most 0.5"
                        )
                    }
                ),
                "target": fields.Integer(metadata={"description": "The readiness_target setting"}),
                "days_to_certification": fields.Integer(
                    allow_none=True,
                    metadata={"description": "Days to the certification_date setting, or null"},
                ),
                "blockers": fields.List(
                    fields.Nested(BlockerSchema),
                    metadata={
                        "description": (
                            "Open Major or Critical nonconformities on leaf clauses, in clause "
                            "order then id"
                        )
                    },
                ),
            },
            name="ReadinessSchema",
        ),
    )
    @blp.arguments(ReadinessArgs, location="query")
    @blp.errors(422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Readiness for certification, overall and per clause group, and what blocks it"""
        org_id = current_caller().org_id
        as_of = args.get("as_of")
        summary = (
            readiness(runtime().database, org_id)
            if as_of is None
            else readiness_as_of(runtime().database, org_id, as_of)
        )
        return {
            **readiness_body(summary),
            "adjusted_percent": summary.adjusted_percent,
            "target": summary.target,
            "days_to_certification": summary.days_to_certification,
            "blockers": [
                {
                    "clause_id": blocker.clause_id,
                    "nonconformity_id": blocker.nonconformity_id,
                    "severity": blocker.severity,
                    "due_date": blocker.due_date,
                    "overdue": blocker.overdue,
                }
                for blocker in summary.blockers
            ],
        }


@blp.route_both("/kpi/readiness_trend")
class ReadinessTrendKpi(MethodView):
    @requires("viewer")
    @blp.arguments(ReadinessTrendArgs, location="query")
    @blp.response(
        200,
        Schema.from_dict(
            {
                "points": fields.List(
                    fields.Nested(
                        Schema.from_dict(
                            {
                                "date": fields.Date(),
                                "percent": fields.Float(),
                                "adjusted_percent": fields.Float(),
                            },
                            name="ReadinessPointSchema",
                        )
                    )
                )
            },
            name="ReadinessTrendSchema",
        ),
    )
    @blp.errors(422)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Readiness at the end of each week or month of a period (at most 400 points)"""
        points = readiness_trend(
            runtime().database,
            current_caller().org_id,
            DateRange(args.get("from_date"), args.get("to_date")),
            args["interval"],
        )
        return {
            "points": [
                {"date": p.day, "percent": p.percent, "adjusted_percent": p.adjusted_percent}
                for p in points
            ]
        }
