"""The pre-signed upload flow against the S3 server on loopback, with real HTTP PUT and GET."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from core.config import Settings
from tests import evidence_files as f
from tests.evidence_store import Store, configure_store


@pytest.fixture
def s3(request: pytest.FixtureRequest) -> Store:
    return configure_store("s3", request)


def presign(
    client: FlaskClient,
    assessment_id: int,
    content: bytes,
    content_type: str = "application/pdf",
    **extra: Any,
) -> Any:
    body = {
        "assessment_id": assessment_id,
        "filename": "board minutes.pdf",
        "content_type": content_type,
        "size": len(content),
        **extra,
    }
    return client.post("/attachments/presign_upload", json=body)


def put(ticket: dict[str, Any], content: bytes) -> None:
    response = requests.put(
        ticket["upload_url"], data=content, headers=ticket["headers"], timeout=10
    )
    assert response.status_code == 200, response.text


def complete(client: FlaskClient, assessment_id: int, ticket: dict[str, Any], **extra: Any) -> Any:
    body = {
        "assessment_id": assessment_id,
        "object_key": ticket["object_key"],
        "filename": "board minutes.pdf",
        **extra,
    }
    return client.post("/v1/attachments/complete", json=body)


def test_round_trip(client: FlaskClient, s3: Store, assessment: int) -> None:
    ticket = presign(client, assessment, f.PDF).json
    assert ticket["method"] == "PUT" and ticket["expires_in"] == s3.settings.presign_ttl_seconds
    assert ticket["headers"] == {"Content-Type": "application/pdf"}
    assert s3.rows() == 0
    put(ticket, f.PDF)
    digest = hashlib.sha256(f.PDF).hexdigest()
    done = complete(
        client,
        assessment,
        ticket,
        size=len(f.PDF),
        sha256=digest,
        retention_hold=True,
        evidence_date="2027-02-01",
    )
    assert done.status_code == 201, done.json
    record = done.json
    assert (record["sha256"], record["size"], record["storage"]) == (digest, len(f.PDF), "s3")
    assert record["retention_hold"] is True and record["evidence_date"] == "2027-02-01"

    link = client.get(f"/attachments/{record['id']}/download_url").json
    assert link["expires_in"] == s3.settings.presign_ttl_seconds
    fetched = requests.get(link["url"], timeout=10)
    assert fetched.status_code == 200 and fetched.content == f.PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/attachments/{record['id']}/download").data == f.PDF
    again = complete(client, assessment, ticket)
    assert again.status_code == 409 and str(record["id"]) in again.json["message"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"content_type": "text/html"}, 415),
        ({"content_type": "application/x-msdownload"}, 415),
        ({"size": 1024 * 1024 + 1}, 413),
        ({"size": 0}, 422),
        ({"assessment_id": 999999}, 404),
        ({"surprise": True}, 422),
    ],
)
def test_presign_checks_before_signing(
    client: FlaskClient, s3: Store, assessment: int, body: dict[str, Any], status: int
) -> None:
    response = client.post(
        "/attachments/presign_upload",
        json={
            "assessment_id": assessment,
            "filename": "x.pdf",
            "content_type": "application/pdf",
            "size": 10,
            **body,
        },
    )
    assert response.status_code == status and response.json["message"]
    assert "upload_url" not in response.json


def test_complete_refuses_missing_mismatched_and_foreign_objects(
    client: FlaskClient, s3: Store, assessment: int
) -> None:
    ticket = presign(client, assessment, f.PDF).json
    missing = complete(client, assessment, ticket)
    assert missing.status_code == 422 and "no uploaded object" in missing.json["message"]
    put(ticket, f.PDF)
    wrong_size = complete(client, assessment, ticket, size=len(f.PDF) + 5)
    assert wrong_size.status_code == 422 and "bytes" in wrong_size.json["message"]
    wrong_hash = complete(client, assessment, ticket, sha256="0" * 64)
    assert wrong_hash.status_code == 422
    other = client.post("/assessments", json={"clause_id": "4.1", "status": "Partial"}).json
    foreign = complete(client, other["id"], ticket)
    assert foreign.status_code == 422 and "not issued" in foreign.json["message"]
    forged = complete(client, assessment, {"object_key": "evidence/" + "a" * 32 + "." + "b" * 24})
    assert forged.status_code == 422
    other_org = client.post(
        "/v1/attachments/complete",
        headers={"X-Org-ID": "elsewhere"},
        json={"assessment_id": assessment, "object_key": ticket["object_key"], "filename": "x.pdf"},
    )
    assert other_org.status_code == 404
    assert s3.rows() == 0


def test_disguised_or_oversized_objects_are_refused_and_removed(
    client: FlaskClient, s3: Store, assessment: int
) -> None:
    ticket = presign(client, assessment, f.EXE).json
    put(ticket, f.EXE)  # the signed URL cannot see what the bytes are
    refused = complete(client, assessment, ticket)
    assert refused.status_code == 415
    big = presign(client, assessment, b"a" * 10, "text/plain").json
    put(big, b"a" * (1024 * 1024 + 10))  # more than announced, past the limit
    assert complete(client, assessment, big).status_code == 413
    assert s3.object_keys() == set() and s3.rows() == 0


def test_local_store_answers_409_for_object_store_routes(
    client: FlaskClient, reconfigure: Callable[..., Settings], assessment: int, tmp_path: Any
) -> None:
    reconfigure(evidence_dir=tmp_path / "ev")
    assert presign(client, assessment, f.PDF).status_code == 409
    import io

    record = client.post(
        f"/assessments/{assessment}/attachments",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(f.PDF), "a.pdf", "application/pdf")},
    ).json
    response = client.get(f"/attachments/{record['id']}/download_url")
    assert response.status_code == 409 and "locally" in response.json["message"]


def test_bucket_is_created_when_missing_and_readiness_reports_it(
    client: FlaskClient, reconfigure: Callable[..., Settings], s3_endpoint: str
) -> None:
    bucket = f"fresh-{uuid.uuid4().hex[:12]}"
    reconfigure(
        object_store_endpoint=s3_endpoint,
        object_store_bucket=bucket,
        object_store_access_key="test",
        object_store_secret_key="test",
    )
    first = client.post("/setup", json={"verify_object_store": True}).json["actions"]
    assert f"evidence store: s3 bucket {bucket} created" in first
    second = client.post("/setup", json={"verify_object_store": True}).json["actions"]
    assert f"evidence store: s3 bucket {bucket} present" in second
    ready = client.get("/ready").json
    assert ready["checks"] == {"database": "ok", "evidence_store": "ok"}
    reconfigure(
        object_store_endpoint="http://127.0.0.1:9",
        object_store_bucket="x",
        object_store_access_key="test",
        object_store_secret_key="test",
    )
    down = client.get("/ready")
    assert down.status_code == 503 and "evidence_store" in down.json["message"]
