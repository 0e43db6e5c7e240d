"""The routes of every declared register, one blueprint each, built from its declaration."""

from __future__ import annotations

from api.base import ResourceBlueprint
from api.records import RecordRoutes
from api.specs import create_schema, patch_schema, query_schema, record_schema
from core.services.registers import service_of
from core.specs.record import Register


def register_blueprint(register: Register) -> ResourceBlueprint:
    spec = register.spec
    blp = ResourceBlueprint(register.group, __name__, description=register.description)
    RecordRoutes(
        path=register.path,
        id_name=register.id_name,
        service=service_of(spec.entity),
        schema=record_schema(spec),
        create_schema=create_schema(spec),
        patch_schema=patch_schema(spec),
        query_schema=query_schema(spec, register.filters),
        filters=register.filters,
        create_example=dict(register.create_example),
        patch_example=dict(register.patch_example),
    ).register(blp)
    return blp
