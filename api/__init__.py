"""The REST API: flask-smorest blueprints over core services and queries."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

from api.assessments import routes as assessment_routes
from api.attachments import routes as attachment_routes
from api.audits import routes as audit_routes
from api.base import PlatformApi
from api.clauses import routes as clause_routes
from api.docs import SWAGGER_UI_STATIC, swagger_files
from api.exports import routes as export_routes
from api.history import routes as history_routes
from api.jobs import routes as job_routes
from api.kpis import routes as kpi_routes
from api.nonconformities import routes as nonconformity_routes
from api.operations import routes as operation_routes
from api.organizations import routes as organization_routes
from api.registers import register_blueprint
from api.security import BEARER_SCHEME
from api.setup import routes as setup_routes
from core.config import Settings
from core.specs import registers

# Declared registers' groups come after the built-in record types, before the rest.
RECORD_MODULES = (
    operation_routes,
    clause_routes,
    assessment_routes,
    attachment_routes,
    audit_routes,
    nonconformity_routes,
)
MODULES = (
    history_routes,
    kpi_routes,
    export_routes,
    job_routes,
    organization_routes,
    setup_routes,
)


def init_api(app: Flask, settings: Settings) -> PlatformApi:
    app.config.update(
        API_TITLE="ISO 55001 Compliance Platform API",
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=SWAGGER_UI_STATIC,
        API_SPEC_OPTIONS={
            "info": {
                "description": (
                    "Clauses, assessments, evidence, audits, nonconformities and management "
                    "reviews for an ISO 55001 asset-management system. Lists take `limit` "
                    "and `offset` and set `X-Total-Count`; `/v1` lists answer with an "
                    "envelope `{items, total, limit, offset}`."
                )
            }
        },
    )
    api = PlatformApi(app)
    api.spec.components.security_scheme(
        BEARER_SCHEME,
        {"type": "http", "scheme": "bearer", "bearerFormat": "JWT or static API token"},
    )
    for module in RECORD_MODULES:
        api.register_blueprint(module.blp)
    for register in registers():
        api.register_blueprint(register_blueprint(register))
    for module in MODULES:
        api.register_blueprint(module.blp)
    app.register_blueprint(swagger_files)
    wildcard = "*" in settings.cors_allowed_origins
    CORS(
        app,
        origins="*" if wildcard else list(settings.cors_allowed_origins),
        send_wildcard=wildcard,
        expose_headers=["X-Total-Count", "X-Request-ID", "ETag"],
        allow_headers=["Authorization", "Content-Type", "If-Match", "X-Org-ID", "X-Request-ID"],
        methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
    )
    return api
