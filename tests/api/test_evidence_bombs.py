"""Archives are judged without inflating them: a zip bomb costs no memory and little CPU."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import core.storage.media

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INFLATED_MB = 500


@pytest.fixture(scope="session")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """~0.5 MB that looks like OOXML and whose `mimetype` entry inflates to 500 MB."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            block = b"\0" * (1 << 20)
            for _ in range(INFLATED_MB):
                entry.write(block)
    return path.read_bytes()


def _upload(client: FlaskClient, assessment: int, content: bytes, name: str) -> tuple[int, str]:
    response = client.post(
        f"/assessments/{assessment}/attachments",
        data={"file": (io.BytesIO(content), name, DOCX)},
        content_type="multipart/form-data",
    )
    return response.status_code, str(response.json.get("message", ""))


def test_a_zip_bomb_is_refused_without_inflating_it(
    client: FlaskClient, assessment: int, bomb: bytes, tmp_path: Path
) -> None:
    assert len(bomb) < 1024 * 1024
    started = time.process_time()
    status, _ = _upload(client, assessment, bomb, "report.docx")
    cpu = time.process_time() - started
    assert status == 415
    assert cpu < 1.0, f"judging the archive took {cpu:.2f} s of CPU"

    tracemalloc.start()
    try:
        status, _ = _upload(client, assessment, bomb, "report.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 415
    # The upload is staged on disk: memory stays far below even the compressed size x 20.
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1024**2:.0f} MB while judging"
    assert client.get(f"/assessments/{assessment}/attachments").json == []


def test_an_archive_declaring_more_than_the_inflation_cap_is_a_413(
    client: FlaskClient, assessment: int, bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(core.storage.media, "ZIP_MAX_INFLATED", 100 * 1024**2)
    status, message = _upload(client, assessment, bomb, "report.docx")
    assert status == 413
    assert "inflates to more than 100 MB" in message


def test_an_archive_with_too_many_entries_is_refused_before_its_directory_is_read(
    client: FlaskClient, assessment: int
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for n in range(core.storage.media.ZIP_MAX_ENTRIES):
            archive.writestr(f"word/{n}", b"")
    status, message = _upload(client, assessment, buffer.getvalue(), "many.docx")
    assert status == 415
    assert "entries" in message


def test_real_documents_are_still_recognised(client: FlaskClient, assessment: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    status, _ = _upload(client, assessment, buffer.getvalue(), "policy.docx")
    assert status == 201
