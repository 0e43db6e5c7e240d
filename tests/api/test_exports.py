"""Exports re-read as a spreadsheet user would: csv module and openpyxl."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import insert

from core.db import Database
from core.models import Assessment, Audit, Nonconformity
from core.queries.exports import EXPORTS, ExportFilters, iter_rows
from core.spreadsheets import csv_chunks

HOSTILE = ['=HYPERLINK("http://evil")', "+1+2", "-3+4", "@SUM(A1)", "\tTAB", "\rCR"]


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def read_xlsx(response: Any) -> tuple[Any, list[list[Any]]]:
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def export_table(response: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and rows (by column name) of a CSV or XLSX export."""
    if response.headers["Content-Type"].startswith("text/csv"):
        rows = read_csv(response)
        return response.get_data(as_text=True).splitlines()[0].split(","), rows
    _, table = read_xlsx(response)
    header = [str(name) for name in table[0]]
    return header, [dict(zip(header, row, strict=True)) for row in table[1:]]


@pytest.fixture
def records(client: FlaskClient) -> dict[str, Any]:
    audit = client.post(
        "/audits",
        json={
            "title": HOSTILE[0],
            "status": "Completed",
            "scheduled_date": "2026-03-01",
            "completed_date": "2026-03-04",
            "scope_clause_ids": ["8.1", "9.1"],
        },
    ).json
    lonely = client.post(
        "/audits",
        json={"title": "No findings", "status": "Planned", "scheduled_date": "2026-09-01"},
    ).json
    ncs = [
        client.post(
            "/nonconformities",
            json={
                "description": text,
                "severity": severity,
                "audit_id": audit["id"],
                "clause_id": "8.1",
                "due_date": f"2026-0{index + 1}-15",
                "owner": "ops",
            },
        ).json
        for index, (text, severity) in enumerate(
            zip(HOSTILE, ["Minor", "Major", "Critical"] * 2, strict=True)
        )
    ]
    client.patch(f"/nonconformities/{ncs[1]['id']}", json={"status": "Closed"})
    client.post(
        "/assessments",
        json={
            "clause_id": "8.1",
            "status": "Partial",
            "owner": "=cmd|' /C calc'!A0",
            "due_date": "2026-12-31",
        },
    )
    client.post(
        "/nonconformities",
        json={"description": "elsewhere", "severity": "Minor"},
        headers={"X-Org-ID": "other"},
    )
    return {"audit": audit, "lonely": lonely, "ncs": ncs}


def test_nonconformities_csv_columns_filters_and_formula_safety(
    client: FlaskClient, records: dict[str, Any]
) -> None:
    rows = read_csv(client.get("/export/nonconformities.csv"))
    header = client.get("/export/nonconformities.csv").get_data(as_text=True).split("\r\n")[0]
    assert header.startswith("id,audit_id,clause_id,severity,status,description,")
    assert len(rows) == 6  # the other organisation's row is not exported
    assert [row["description"] for row in rows] == [f"'{text}" for text in HOSTILE]
    assert rows[1]["status"] == "Closed" and rows[1]["closed_date"]
    assert rows[0]["due_date"] == "2026-01-15"
    assert len(read_csv(client.get("/export/nonconformities.csv?severity=Critical"))) == 2
    assert len(read_csv(client.get("/export/nonconformities.csv?status=Closed"))) == 1
    assert (
        len(
            read_csv(
                client.get("/v1/export/nonconformities.csv?due_from=2026-02-01&due_to=2026-03-31")
            )
        )
        == 2
    )
    assert (
        len(read_csv(client.get(f"/export/nonconformities.csv?audit_id={records['audit']['id']}")))
        == 6
    )
    assert read_csv(client.get("/export/nonconformities.csv?created_to=2000-01-01")) == []
    bad = client.get("/export/nonconformities.csv?due_from=2026-05-01&due_to=2026-01-01")
    assert bad.status_code == 422 and "due_to" in bad.json["message"]
    assert client.get("/export/nonconformities.csv?severity=Huge").status_code == 422


def test_xlsx_has_dates_bold_frozen_header_and_safe_text(
    client: FlaskClient, records: dict[str, Any]
) -> None:
    sheet, rows = read_xlsx(client.get("/export/nonconformities.xlsx?severity=Minor"))
    header = rows[0]
    assert header[:6] == ["id", "audit_id", "clause_id", "severity", "status", "description"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    assert len(rows) == 3
    by_name = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert by_name[0]["description"] == f"'{HOSTILE[0]}"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    due = sheet.cell(row=2, column=header.index("due_date") + 1)
    assert due.is_date and due.value.date() == date(2026, 1, 15)
    created = sheet.cell(row=2, column=header.index("created_at") + 1)
    assert created.is_date and isinstance(created.value, datetime)


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_audit_nonconformities_is_a_left_join(
    client: FlaskClient, records: dict[str, Any], extension: str
) -> None:
    _, rows = export_table(
        client.get(f"/export/audit_nonconformities.{extension}?severity=Critical")
    )
    lonely = [row for row in rows if str(row["audit_id"]) == str(records["lonely"]["id"])]
    assert len(lonely) == 1 and lonely[0]["nc_id"] in ("", None)
    findings = [row for row in rows if str(row["audit_id"]) == str(records["audit"]["id"])]
    assert len(findings) == 2 and {row["severity"] for row in findings} == {"Critical"}
    assert str(findings[0]["audit_title"]).startswith("'=")


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_audits_and_assessments(
    client: FlaskClient, records: dict[str, Any], extension: str
) -> None:
    def rows_of(path: str) -> list[dict[str, Any]]:
        response = client.get(path)
        if extension == "csv":
            return read_csv(response)
        _, table = read_xlsx(response)
        return [dict(zip(table[0], row, strict=True)) for row in table[1:]]

    audits = rows_of(f"/export/audits.{extension}?status=Completed")
    assert len(audits) == 1 and audits[0]["scope_clause_ids"] == "8.1 9.1"
    assert len(rows_of(f"/export/audits.{extension}?scheduled_from=2026-06-01")) == 1
    assert len(rows_of(f"/export/audits.{extension}?completed_to=2026-03-31")) == 1
    assessments = rows_of(f"/export/assessments.{extension}?status=Partial")
    assert len(assessments) == 1 and assessments[0]["owner"].startswith("'=cmd")
    assert rows_of(f"/export/assessments.{extension}?owner=nobody") == []


def test_xlsx_over_the_sheet_limit_is_a_clear_error(
    client: FlaskClient, records: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.queries.exports.XLSX_MAX_ROWS", 4)
    response = client.get("/export/nonconformities.xlsx")
    assert response.status_code == 422
    assert "6 rows" in response.json["message"] and "CSV" in response.json["message"]


def _bulk(database: Database, count: int) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "org_id": "bulk",
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "description": f"finding {n} " + "x" * 80,
            "severity": "Minor",
            "status": "Open",
            "state": "New",
        }
        for n in range(count)
    ]
    with database.session() as session:
        session.execute(insert(Nonconformity), rows)
        session.commit()


def _peak_bytes(database: Database) -> int:
    spec = EXPORTS["nonconformities"]
    tracemalloc.start()
    written = 0
    for chunk in csv_chunks(spec.columns, iter_rows(database, spec, "bulk", ExportFilters())):
        written += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert written > 0
    return peak


def test_csv_export_memory_stays_flat(database: Database) -> None:
    _bulk(database, 1_000)
    small = _peak_bytes(database)
    _bulk(database, 19_000)
    large = _peak_bytes(database)
    # Twenty times the rows must not cost anywhere near twenty times the memory.
    assert large < small * 3, (small, large)


FIRST_GENERATION_AUDIT_NC_COLUMNS = [
    "audit_id",
    "audit_title",
    "nc_id",
    "severity",
    "status",
    "description",
    "owner",
    "due_date",
    "closed_date",
    "created_at",
]


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_audit_nonconformities_starts_with_the_first_generation_columns(
    client: FlaskClient, records: dict[str, Any], extension: str
) -> None:
    header, rows = export_table(client.get(f"/v1/export/audit_nonconformities.{extension}"))
    assert header[:10] == FIRST_GENERATION_AUDIT_NC_COLUMNS
    assert set(header[10:]) >= {"audit_status", "clause_id", "state"}
    finding = next(row for row in rows if row["nc_id"] not in ("", None))
    assert finding["status"] in ("Open", "InProgress", "Closed")
    assert finding["created_at"]


@pytest.fixture
def stored_before_refusal(database: Database) -> None:
    """Text with control characters, written past the API as input accepted it once."""
    with database.session() as session:
        audit = Audit(
            org_id="default", title="Old\x01import\x0b", scope_clause_ids=["4.1\x02"], version=1
        )
        session.add(audit)
        session.flush()
        session.add(
            Nonconformity(
                org_id="default",
                audit_id=audit.id,
                description="\x01" + HOSTILE[0],
                severity="Minor",
                version=1,
            )
        )
        session.add(
            Assessment(
                org_id="default", clause_id="7.5.3", status="Partial", notes="a\x1fb", version=1
            )
        )
        session.commit()


CLEANED = {
    "audits": {"Oldimport", "4.1"},
    "nonconformities": {f"'{HOSTILE[0]}"},
    "assessments": {"ab"},
    "audit_nonconformities": {"Oldimport", f"'{HOSTILE[0]}"},
}


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_xlsx_exports_survive_control_characters_stored_before_they_were_refused(
    client: FlaskClient, stored_before_refusal: None, export: str
) -> None:
    response = client.get(f"/export/{export}.xlsx")
    assert response.status_code == 200
    _, rows = export_table(response)
    texts = {value for row in rows for value in row.values() if isinstance(value, str)}
    # Stripped, and a formula the control character hid is still defused.
    assert CLEANED[export] <= texts
    assert not any(ILLEGAL_CHARACTERS_RE.search(text) for text in texts)
