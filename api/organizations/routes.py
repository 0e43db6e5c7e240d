"""Organisations (tenants), administered under /v1/orgs."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.base import PageArgsSchema, ResourceBlueprint, StrictSchema, page_request
from api.security import requires
from core.caller import PLATFORM_ADMIN
from core.models import Organization
from core.paging import Page
from core.queries.organizations import get_organization, list_organizations
from core.rules import IDENTIFIER
from core.services.organizations import register_organization, update_organization
from web.caller import current_caller
from web.inputs import Boolean, Date, Integer
from web.runtime import runtime

blp = ResourceBlueprint(
    "Organizations",
    __name__,
    description=(
        "Tenants. A tenant `admin` sees and renames its own organisation only (another one"
        " is 404); a `platform-admin` manages every organisation and alone registers them."
    ),
)

NAME = validate.Length(min=1, max=255)


class OrganizationSettingsSchema(Schema):
    certification_date = fields.Date(
        allow_none=True,
        metadata={"description": "The certification audit's first day, if booked"},
    )
    readiness_target = fields.Integer(
        metadata={"description": "Readiness (percent) the organisation aims for; default 80"}
    )
    capa_strict = fields.Boolean(
        metadata={
            "description": (
                "Strict CAPA: moving to Action needs root_cause, to Verification "
                "corrective_action, closing verified_by and verified_on; default false"
            )
        }
    )


class OrganizationSchema(Schema):
    id = fields.String(metadata={"example": "northshire-water"})
    name = fields.String(metadata={"example": "Northshire Water"})
    settings = fields.Nested(OrganizationSettingsSchema, attribute="effective_settings")
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class OrganizationSettingsPatchSchema(StrictSchema):
    certification_date = Date(allow_none=True)
    readiness_target = Integer(validate=validate.Range(min=0, max=100))
    capa_strict = Boolean()


class OrganizationCreateSchema(StrictSchema):
    id = fields.String(
        required=True,
        validate=validate.Regexp(IDENTIFIER, error="Use 1-64 letters, digits, '.', '_' or '-'."),
    )
    name = fields.String(required=True, validate=NAME)


class OrganizationPatchSchema(StrictSchema):
    name = fields.String(validate=NAME)
    settings = fields.Nested(
        OrganizationSettingsPatchSchema,
        metadata={"description": "Only the settings given change; the others keep their values"},
    )


@blp.collection(
    "/orgs", args=PageArgsSchema, item=OrganizationSchema, decorators=(requires("admin"),)
)
def list_orgs(args: dict[str, Any]) -> Page[Organization]:
    """List organisations (a tenant admin's own only)"""
    return list_organizations(runtime().database, page_request(args), current_caller())


@blp.route_both("/orgs")
class Organizations(MethodView):
    @requires(PLATFORM_ADMIN)
    @blp.arguments(
        OrganizationCreateSchema, example={"id": "northshire-water", "name": "Northshire Water"}
    )
    @blp.response(201, OrganizationSchema)
    @blp.alt_response(200, schema=OrganizationSchema, description="Already registered")
    def post(self, data: dict[str, Any]) -> Any:
        """Register an organisation (idempotent: 200 with the existing one)"""
        organization, created = register_organization(
            runtime().database, data["id"], data["name"], current_caller()
        )
        return organization, 201 if created else 200


@blp.route_both("/orgs/<string:org_id>")
class OrganizationById(MethodView):
    @requires("admin")
    @blp.response(200, OrganizationSchema)
    @blp.errors(404)
    def get(self, org_id: str) -> Organization:
        """One organisation"""
        return get_organization(runtime().database, org_id, current_caller())

    @requires("admin")
    @blp.arguments(
        OrganizationPatchSchema,
        example={
            "name": "Northshire Water plc",
            "settings": {"certification_date": "2027-03-15", "readiness_target": 85},
        },
    )
    @blp.response(200, OrganizationSchema)
    @blp.errors(404)
    def patch(self, data: dict[str, Any], org_id: str) -> Organization:
        """Rename an organisation or change its settings"""
        return update_organization(
            runtime().database,
            org_id,
            current_caller(),
            name=data.get("name"),
            settings=data.get("settings"),
        )
