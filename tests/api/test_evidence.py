"""Evidence attachments on both stores (local files and S3 on loopback): one contract."""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.models import Attachment
from tests import evidence_files as f
from tests.evidence_store import Store, configure_store

OOXML = "application/vnd.openxmlformats-officedocument"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest) -> Store:
    return configure_store(request.param, request)


def upload(
    client: FlaskClient,
    assessment_id: int,
    content: bytes,
    name: str = "evidence.pdf",
    declared: str = "application/pdf",
    **form: Any,
) -> Any:
    data = {"file": (io.BytesIO(content), name, declared), **form}
    return client.post(
        f"/assessments/{assessment_id}/attachments", data=data, content_type="multipart/form-data"
    )


def test_upload_list_download_verify(client: FlaskClient, store: Store, assessment: int) -> None:
    created = upload(
        client,
        assessment,
        f.PDF,
        "SAMP v3.pdf",
        evidence_date="2027-01-31",
        retention_until="2032-12-31",
        disposition="destroy",
    )
    assert created.status_code == 201, created.json
    record = created.json
    assert record["sha256"] == hashlib.sha256(f.PDF).hexdigest()
    assert (record["size"], record["content_type"], record["storage"]) == (
        len(f.PDF),
        "application/pdf",
        store.kind,
    )
    assert (record["filename"], record["evidence_date"], record["retention_until"]) == (
        "SAMP v3.pdf",
        "2027-01-31",
        "2032-12-31",
    )
    assert record["retention_hold"] is False and record["disposition"] == "destroy"
    assert len(store.object_keys()) == 1 and "SAMP" not in next(iter(store.object_keys()))

    listed = client.get(f"/assessments/{assessment}/attachments")
    assert listed.headers["X-Total-Count"] == "1" and listed.json[0]["id"] == record["id"]
    assert client.get(f"/v1/assessments/{assessment}/attachments").json["total"] == 1

    download = client.get(f"/attachments/{record['id']}/download")
    assert download.status_code == 200 and download.data == f.PDF
    assert download.headers["Content-Disposition"].startswith('attachment; filename="SAMP v3.pdf"')
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.mimetype == "application/pdf"

    check = client.get(f"/v1/attachments/{record['id']}/verify").json
    assert check == {
        "id": record["id"],
        "ok": True,
        "sha256": record["sha256"],
        "actual_sha256": record["sha256"],
        "missing": False,
    }


@pytest.mark.parametrize(
    ("content", "name", "declared", "expected"),
    [
        (f.PNG, "site.png", "image/png", "image/png"),
        (f.JPEG, "photo.jpg", "image/jpeg", "image/jpeg"),
        (f.CSV, "register.csv", "text/csv", "text/csv"),
        (f.TEXT, "minutes.txt", "text/plain", "text/plain"),
        (f.docx(), "policy.docx", "application/octet-stream", f"{OOXML}.wordprocessingml.document"),
        (f.xlsx(), "risks.xlsx", f"{OOXML}.spreadsheetml.sheet", f"{OOXML}.spreadsheetml.sheet"),
        (
            f.odt(),
            "plan.odt",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_allowed_kinds(
    client: FlaskClient,
    store: Store,
    assessment: int,
    content: bytes,
    name: str,
    declared: str,
    expected: str,
) -> None:
    response = upload(client, assessment, content, name, declared)
    assert response.status_code == 201, response.json
    assert response.json["content_type"] == expected


REFUSALS = [
    ("executable disguised as pdf", f.EXE, "report.pdf", "application/pdf", 415),
    ("elf binary", f.ELF, "tool", "application/octet-stream", 415),
    ("html declared as text", f.HTML, "notes.txt", "text/plain", 415),
    ("svg", f.SVG, "logo.svg", "image/svg+xml", 415),
    ("png declared as pdf", f.PNG, "scan.pdf", "application/pdf", 415),
    ("unknown binary", f.UNKNOWN_BINARY, "data.bin", "application/octet-stream", 415),
    ("plain zip", f.plain_zip(), "bundle.zip", "application/zip", 415),
    ("empty file", b"", "empty.txt", "text/plain", 422),
    ("one byte over the limit", b"a" * (1024 * 1024 + 1), "big.txt", "text/plain", 413),
]


@pytest.mark.parametrize(
    ("case", "content", "name", "declared", "status"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_refusals_leave_nothing_behind(
    client: FlaskClient,
    store: Store,
    assessment: int,
    case: str,
    content: bytes,
    name: str,
    declared: str,
    status: int,
) -> None:
    response = upload(client, assessment, content, name, declared)
    assert response.status_code == status, response.json
    assert response.json["message"]
    assert store.object_keys() == set() and store.rows() == 0 and store.staged() == []


def test_exactly_the_limit_is_accepted(client: FlaskClient, store: Store, assessment: int) -> None:
    response = upload(client, assessment, b"a" * (1024 * 1024), "limit.txt", "text/plain")
    assert response.status_code == 201 and response.json["size"] == 1024 * 1024


def test_a_body_far_over_the_limit_is_refused_before_reading(
    client: FlaskClient, store: Store, assessment: int
) -> None:
    response = upload(client, assessment, b"a" * (3 * 1024 * 1024), "huge.txt", "text/plain")
    assert response.status_code == 413 and response.json["code"] == 413
    assert store.object_keys() == set() and store.rows() == 0


@pytest.mark.parametrize(
    ("path", "form", "status"),
    [
        ("/assessments/999999/attachments", {}, 404),
        (None, {"colour": "red"}, 422),
        (None, {"retention_until": "soon"}, 422),
    ],
)
def test_bad_requests_store_nothing(
    client: FlaskClient,
    store: Store,
    assessment: int,
    path: str | None,
    form: dict[str, str],
    status: int,
) -> None:
    data = {"file": (io.BytesIO(f.PDF), "a.pdf", "application/pdf"), **form}
    response = client.post(
        path or f"/assessments/{assessment}/attachments",
        data=data,
        content_type="multipart/form-data",
    )
    assert response.status_code == status
    assert store.object_keys() == set() and store.rows() == 0 and store.staged() == []
    missing_file = client.post(
        f"/assessments/{assessment}/attachments", data={}, content_type="multipart/form-data"
    )
    assert missing_file.status_code == 422 and "file" in missing_file.json["errors"]["files"]


def test_another_organisations_assessment_is_404(
    client: FlaskClient, store: Store, assessment: int
) -> None:
    response = client.post(
        f"/assessments/{assessment}/attachments",
        headers={"X-Org-ID": "other"},
        data={"file": (io.BytesIO(f.PDF), "a.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404 and store.object_keys() == set()
    record = upload(client, assessment, f.PDF).json
    for path in (
        f"/attachments/{record['id']}",
        f"/attachments/{record['id']}/download",
        f"/attachments/{record['id']}/verify",
    ):
        assert client.get(path, headers={"X-Org-ID": "other"}).status_code == 404
    foreign = client.get(f"/assessments/{assessment}/attachments", headers={"X-Org-ID": "other"})
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.txt", 'quote"d.txt', "..\\..\\win.txt", "\u00dcbersicht \u2013 plan.txt"],
)
def test_hostile_names_are_display_only(
    client: FlaskClient, store: Store, assessment: int, name: str
) -> None:
    record = upload(client, assessment, f.TEXT, name, "text/plain").json
    assert "/" not in record["filename"] and "\n" not in record["filename"]
    assert all(name.split("/")[-1][:3] not in key for key in store.object_keys() if len(name) > 6)
    header = client.get(f"/attachments/{record['id']}/download").headers["Content-Disposition"]
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert not plain.startswith("..") and not set(plain) & set('"/\\\r\n')
    assert "filename*=UTF-8''" in header


def test_retention_hold_and_date_block_deletion(
    client: FlaskClient, store: Store, assessment: int
) -> None:
    future = (date.today() + timedelta(days=30)).isoformat()
    record = upload(client, assessment, f.PDF, retention_hold="true").json
    url = f"/attachments/{record['id']}"
    held = client.delete(url)
    assert held.status_code == 409 and "hold" in held.json["message"]
    released = client.patch(url, json={"retention_hold": False, "retention_until": future})
    assert released.status_code == 200 and released.json["retention_until"] == future
    early = client.delete(url)
    assert early.status_code == 409 and future in early.json["message"]
    assert len(store.object_keys()) == 1
    client.patch(url, json={"retention_until": None})
    assert client.delete(url).status_code == 204
    assert store.object_keys() == set() and store.rows() == 0
    history = client.get(f"/v1/history?entity=attachment&entity_id={record['id']}").json
    assert [c["action"] for c in history["items"]] == ["create", "update", "update", "delete"]
    assert client.patch(url, json={"filename": "x"}).status_code in (404, 422)


def test_assessment_with_evidence_cannot_be_deleted(
    client: FlaskClient, store: Store, assessment: int
) -> None:
    upload(client, assessment, f.PDF)
    response = client.delete(f"/assessments/{assessment}")
    assert response.status_code == 409 and "evidence" in response.json["message"]


def test_concurrent_uploads(app: Flask, store: Store, assessment: int, db_kind: str) -> None:
    results: list[int] = []

    def send(n: int) -> None:
        response = upload(
            app.test_client(), assessment, f.TEXT + str(n).encode(), f"{n}.txt", "text/plain"
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 6
    assert len(store.object_keys()) == 6 and store.rows() == 6 and store.staged() == []


def test_integrity_check_finds_tampered_and_missing_files(
    app: Flask, client: FlaskClient, store: Store, assessment: int
) -> None:
    first = upload(client, assessment, f.PDF).json
    second = upload(client, assessment, f.TEXT, "b.txt", "text/plain").json
    with store.database.session() as session:
        keys = {
            row.id: row.storage_key
            for row in session.execute(select(Attachment.id, Attachment.storage_key))
        }
    store.tamper(keys[first["id"]], f.PDF + b"tampered")
    store.remove(keys[second["id"]])
    tampered = client.get(f"/attachments/{first['id']}/verify").json
    assert tampered["ok"] is False and tampered["actual_sha256"] != first["sha256"]
    gone = client.get(f"/attachments/{second['id']}/verify").json
    assert gone["ok"] is False and gone["missing"] is True

    result = app.test_cli_runner().invoke(args=["verify-evidence"])
    assert result.exit_code == 1
    assert f"MISMATCH attachment {first['id']}" in result.output
    assert f"MISSING attachment {second['id']}" in result.output
    assert "2 attachment(s) checked, 2 problem(s)." in result.output


def test_names_with_control_characters_are_cleaned(
    app: Flask, store: Store, assessment: int
) -> None:
    # An HTTP client cannot put a raw newline in a multipart filename; the service still
    # must not keep one, whoever calls it.
    from core.caller import Caller
    from core.services.attachments import AttachmentService

    service = AttachmentService(app.extensions["iso55001"])
    record = service.upload(
        Caller(org_id="default", role="editor"),
        assessment,
        "new\nline\r\x00.txt",
        "text/plain",
        io.BytesIO(f.TEXT),
        {},
    )
    assert record.filename == "new line .txt"


@pytest.mark.parametrize("prefix", ["", "/v1"])
def test_evidence_of_a_missing_or_foreign_assessment_is_a_404(
    client: FlaskClient, assessment: int, prefix: str
) -> None:
    missing = client.get(f"{prefix}/assessments/{assessment + 1000}/attachments")
    assert missing.status_code == 404
    assert missing.json["message"] == f"Assessment {assessment + 1000} not found"
    foreign = client.get(
        f"{prefix}/assessments/{assessment}/attachments", headers={"X-Org-ID": "other"}
    )
    assert foreign.status_code == 404
    assert client.get(f"{prefix}/assessments/{assessment}/attachments").status_code == 200
