"""Archives are judged without inflating them: a zip bomb costs little CPU and no memory."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests import zip_bombs
from tests.api.test_evidence_presigned import complete, presign, put
from tests.evidence_store import Store, configure_store

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What a bomb may cost the request that refuses it, measured rather than timed.
MAX_CPU_SECONDS = 1.0
MAX_PEAK_BYTES = 10 * zip_bombs.MB


@pytest.fixture(scope="session", params=["mimetype", "[Content_Types].xml"])
def bomb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """~0.5 MB of OOXML-looking archive with one entry that inflates to 500 MB."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.docx"
    return zip_bombs.write_bomb(path, entry=request.param, inflated_mb=500).read_bytes()


def _upload(client: FlaskClient, assessment: int, content: bytes, name: str) -> tuple[int, str]:
    response = client.post(
        f"/assessments/{assessment}/attachments",
        data={"file": (io.BytesIO(content), name, DOCX)},
        content_type="multipart/form-data",
    )
    return response.status_code, str((response.json or {}).get("message", ""))


def test_a_zip_bomb_is_refused_without_inflating_it(
    client: FlaskClient, assessment: int, bomb: bytes
) -> None:
    assert len(bomb) < zip_bombs.MB
    started = time.process_time()
    status, message = _upload(client, assessment, bomb, "report.docx")
    cpu = time.process_time() - started
    assert status == 413
    assert "would inflate to 500 MB" in message
    assert cpu < MAX_CPU_SECONDS, f"refusing the bomb took {cpu:.2f} s of CPU"

    tracemalloc.start()
    try:
        status, _ = _upload(client, assessment, bomb, "report.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 413
    # The upload is staged on disk and only the directory is parsed: memory stays flat.
    assert peak < MAX_PEAK_BYTES, f"peak {peak / zip_bombs.MB:.1f} MB while judging"
    assert client.get(f"/assessments/{assessment}/attachments").json == []


def test_a_zip_bomb_uploaded_to_a_presigned_url_is_refused_and_removed(
    client: FlaskClient, request: pytest.FixtureRequest, assessment: int, bomb: bytes
) -> None:
    s3: Store = configure_store("s3", request)
    ticket = presign(client, assessment, bomb, DOCX).json
    put(ticket, bomb)
    started = time.process_time()
    refused = complete(client, assessment, ticket)
    cpu = time.process_time() - started
    assert refused.status_code == 413
    assert cpu < MAX_CPU_SECONDS, f"refusing the bomb took {cpu:.2f} s of CPU"
    assert s3.object_keys() == set() and s3.rows() == 0


def test_an_archive_with_too_many_entries_is_refused_before_its_directory_is_read(
    client: FlaskClient, assessment: int
) -> None:
    many = {f"word/{n}.xml": b"" for n in range(10_001)}
    content = zip_bombs.archive_of({"[Content_Types].xml": b"<Types/>", **many})
    status, message = _upload(client, assessment, content, "many.docx")
    assert status == 415
    assert "more than 10000 entries" in message


def test_real_documents_are_still_recognised(
    client: FlaskClient, assessment: int, tmp_path: Path
) -> None:
    # Highly compressible, but within what any archive may inflate to.
    document = zip_bombs.write_bomb(tmp_path / "policy.docx", entry="word/media.bin", inflated_mb=8)
    status, _ = _upload(client, assessment, document.read_bytes(), "policy.docx")
    assert status == 201
