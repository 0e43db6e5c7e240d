"""The record declarations: what each field refuses, that a declaration is whole, and
that the dashboard draws and reads its forms by them."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InvalidInput
from core.specs.assessments import ASSESSMENT
from core.specs.audits import AUDIT
from core.specs.management_reviews import MANAGEMENT_REVIEW
from core.specs.nonconformities import NONCONFORMITY
from core.specs.record import FieldSpec, Kind, RecordSpec
from dashboard.components.forms import parse_record, record_fields, value_property

SPECS = (ASSESSMENT, AUDIT, MANAGEMENT_REVIEW, NONCONFORMITY)


def test_a_field_refuses_what_its_declaration_excludes() -> None:
    level = FieldSpec("level", Kind.INTEGER, "Level", minimum=0, maximum=5)
    assert level.problem(5) is None
    assert level.problem(6) == "Must be between 0 and 5."
    assert level.problem(None) is None
    assert FieldSpec("count", Kind.INTEGER, "Count", minimum=0).problem(-1) == "Must be at least 0."
    status = FieldSpec("status", Kind.ENUM, "Status", nullable=False, choices=("A", "B"))
    assert status.problem("C") == "Must be one of: A, B."
    assert status.problem(None) == "Cannot be empty."
    title = FieldSpec("title", Kind.TEXT, "Title", required=True, max_length=3)
    assert title.problem("abc") is None
    assert title.problem("abcd") == "Longer than maximum length 3."
    assert title.problem("") == "Cannot be empty."


def test_problems_come_in_declaration_order() -> None:
    values = {"maturity": 9, "status": "Done", "notes": "fine"}
    assert list(ASSESSMENT.problems(values)) == ["status", "maturity"]


def test_an_export_order_must_name_every_exported_field() -> None:
    fields = (FieldSpec("a", Kind.TEXT, "A"), FieldSpec("b", Kind.TEXT, "B"))
    assert RecordSpec("thing", "Thing", fields, export_order=("b", "a")).exported == ("b", "a")
    with pytest.raises(ValueError, match="export_order"):
        RecordSpec("thing", "Thing", fields, export_order=("b",))


@pytest.mark.parametrize("spec", SPECS, ids=[spec.entity for spec in SPECS])
def test_declarations_are_consistent(spec: RecordSpec) -> None:
    names = [field.name for field in spec.fields]
    assert len(names) == len(set(names))
    for field in spec.fields:
        assert bool(field.choices) == (field.kind is Kind.ENUM), field.name
        if field.kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.STRINGS) and not field.references:
            assert field.max_length, f"{spec.entity}.{field.name} has no length bound"


def test_a_record_form_is_read_by_its_declaration() -> None:
    form = {
        "title": "  Stores audit ",
        "description": "",
        "status": "Planned",
        "scheduled_date": "2027-03-01T00:00:00",
        "scope_clause_ids": "8.1, 9.1;10.2",
    }
    assert parse_record(AUDIT, form) == {
        "title": "Stores audit",
        "description": None,
        "status": "Planned",
        "scheduled_date": date(2027, 3, 1),
        "scope_clause_ids": ["8.1", "9.1", "10.2"],
    }
    with pytest.raises(InvalidInput) as refused:
        parse_record(AUDIT, {"status": None, "completed_date": "someday"})
    assert refused.value.fields == {
        "status": ["Choose a status."],
        "completed_date": ["Not a valid date (YYYY-MM-DD)."],
    }


def test_a_record_form_draws_every_declared_field_with_consecutive_dates_in_one_row() -> None:
    drawn = record_fields("reviews-new", MANAGEMENT_REVIEW, {})
    dates = [field.name for field in MANAGEMENT_REVIEW.fields if field.kind is Kind.DATE]
    assert len(drawn) == len(MANAGEMENT_REVIEW.fields) - len(dates) + 1
    row = drawn[1]
    assert [col.children.children[1].id for col in row.children] == [
        f"reviews-new-{name}" for name in dates
    ]
    assert value_property(MANAGEMENT_REVIEW.field("period_start")) == "date"
    assert value_property(MANAGEMENT_REVIEW.field("summary")) == "value"
