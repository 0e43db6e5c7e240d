"""Declared lengths and enums hold at the service, whichever door the values came in by.

The API's schemas refuse these values before the service sees them; the dashboard and
imports call the service directly, so without its own check an over-long owner would
reach PostgreSQL as a database error instead of a 422-style InvalidInput.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.caller import Caller
from core.db import Database
from core.errors import InvalidInput
from core.services.assessments import AssessmentService
from core.services.audits import AuditService
from core.services.nonconformities import NonconformityService
from core.services.records import RecordService
from core.services.registers import service_of

ManagementReviewService = service_of("management_review")

EDITOR = Caller(org_id="acme", user="ana", role="editor", request_id="r-1")
VALID: dict[type[RecordService[Any]], dict[str, Any]] = {
    AssessmentService: {"clause_id": "7.2", "status": "Partial"},
    AuditService: {"title": "Stores audit"},
    ManagementReviewService: {"title": "Annual review"},
    NonconformityService: {"description": "Pump log missing", "severity": "Minor"},
}
BOUNDED = [
    (service, field.name, field.max_length)
    for service in VALID
    if service.spec is not None
    for field in service.spec.fields
    if field.max_length is not None
]


def _too_long(name: str, limit: int) -> Any:
    return ["7.2"] * (limit + 1) if name == "scope_clause_ids" else "x" * (limit + 1)


def test_an_over_long_owner_typed_in_the_dashboard_names_the_field(database: Database) -> None:
    service = NonconformityService(database)
    created = service.create(EDITOR, VALID[NonconformityService])
    with pytest.raises(InvalidInput) as refused:
        service.update(EDITOR, created.id, {"owner": "o" * 256})
    assert refused.value.fields == {"owner": ["Longer than maximum length 255."]}
    assert service.update(EDITOR, created.id, {"owner": "o" * 255}).owner == "o" * 255


@pytest.mark.parametrize(
    ("service_type", "name", "limit"),
    BOUNDED,
    ids=[f"{service.__name__}.{name}" for service, name, _ in BOUNDED],
)
def test_every_declared_length_is_refused_on_create_and_update(
    database: Database, service_type: type[RecordService[Any]], name: str, limit: int
) -> None:
    service = service_type(database)
    message = [f"Longer than maximum length {limit}."]
    with pytest.raises(InvalidInput) as refused:
        service.create(EDITOR, {**VALID[service_type], name: _too_long(name, limit)})
    assert refused.value.fields == {name: message}
    created = service.create(EDITOR, VALID[service_type])
    with pytest.raises(InvalidInput) as refused:
        service.update(EDITOR, created.id, {name: _too_long(name, limit)})
    assert refused.value.fields == {name: message}


def test_enums_and_never_empty_fields_hold_at_the_service(database: Database) -> None:
    audits = AuditService(database)
    with pytest.raises(InvalidInput) as refused:
        audits.create(EDITOR, {"title": "Stores audit", "status": "Done"})
    assert refused.value.fields == {
        "status": ["Must be one of: Planned, InProgress, Completed, Cancelled."]
    }
    created = audits.create(EDITOR, {"title": "Stores audit"})
    with pytest.raises(InvalidInput) as refused:
        audits.update(EDITOR, created.id, {"status": None})
    assert refused.value.fields == {"status": ["Cannot be empty."]}
    with pytest.raises(InvalidInput) as refused:
        audits.update(EDITOR, created.id, {"title": ""})
    assert refused.value.fields == {"title": ["Cannot be empty."]}
