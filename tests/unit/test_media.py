"""Media types judged on bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.storage.base import attachment_disposition
from core.storage.media import declared_matches, detect_media_type, normalise
from tests import evidence_files as f

OOXML = "application/vnd.openxmlformats-officedocument"


@pytest.mark.parametrize(
    ("content", "declared", "expected"),
    [
        (f.PDF, None, "application/pdf"),
        (f.PNG, None, "image/png"),
        (f.JPEG, None, "image/jpeg"),
        (f.GIF, None, "image/gif"),
        (f.WEBP, None, "image/webp"),
        (f.TEXT, "text/plain", "text/plain"),
        (f.CSV, "text/csv", "text/csv"),
        (f.CSV, None, "text/plain"),
        (f.docx(), None, f"{OOXML}.wordprocessingml.document"),
        (f.xlsx(), None, f"{OOXML}.spreadsheetml.sheet"),
        (f.odt(), None, "application/vnd.oasis.opendocument.text"),
        (f.plain_zip(), None, "application/zip"),
        (f.EXE, "application/pdf", "application/x-msdownload"),
        (f.ELF, None, "application/x-executable"),
        (b"#!/bin/sh\nrm -rf /\n", "text/plain", "text/x-shellscript"),
        (f.HTML, "text/plain", "text/html"),
        (b"\n  " + f.SVG, "image/svg+xml", "text/html"),
        (f.UNKNOWN_BINARY, None, None),
    ],
)
def test_detection(tmp_path: Path, content: bytes, declared: str | None, expected: str) -> None:
    path = tmp_path / "sample"
    path.write_bytes(content)
    assert detect_media_type(path, declared) == expected


def test_declarations() -> None:
    assert normalise("Image/JPG; charset=x") == "image/jpeg"
    assert declared_matches(None, "application/pdf")
    assert declared_matches("application/octet-stream", "image/png")
    assert declared_matches("text/plain", "text/csv")
    assert not declared_matches("application/pdf", "image/png")


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ('a"b\r\nX: 1.pdf', "a_b_X: 1.pdf"),
        ("..hidden", "hidden"),
        ("back\\slash.txt", "back_slash.txt"),
    ],
)
def test_download_names_are_safe_and_keep_the_original(name: str, plain: str) -> None:
    header = attachment_disposition(name)
    assert header.startswith(f"attachment; filename=\"{plain}\"; filename*=UTF-8''")
    assert "\r" not in header and "\n" not in header
    assert not plain.startswith("..")
