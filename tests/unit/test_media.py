"""Media types judged on bytes."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from core.errors import PayloadTooLarge, UnsupportedMedia
from core.storage.base import attachment_disposition
from core.storage.media import declared_matches, detect_media_type, normalise
from tests import evidence_files as f
from tests import zip_bombs

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


DOCX = f"{OOXML}.wordprocessingml.document"
MAX_ENTRIES = 10_000
MAX_DIRECTORY_BYTES = 2 * zip_bombs.MB


def _judge(path: Path) -> tuple[str | None, int]:
    """The detected type and the peak memory Python allocated while judging."""
    tracemalloc.start()
    try:
        detected = detect_media_type(path)
        return detected, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "compression",
    [
        pytest.param(zipfile.ZIP_STORED, id="stored"),
        pytest.param(zipfile.ZIP_DEFLATED, id="deflated"),
        pytest.param(zipfile.ZIP_BZIP2, id="bzip2"),
        pytest.param(zipfile.ZIP_LZMA, id="lzma"),
    ],
)
def test_only_the_first_bytes_of_an_entry_are_ever_inflated(
    tmp_path: Path, compression: int
) -> None:
    # A stored or deflated entry is read in bounded steps; bzip2 and LZMA are never opened.
    document = zip_bombs.write_bomb(tmp_path / "a.docx", inflated_mb=48, compression=compression)
    detected, peak = _judge(document)
    assert detected == DOCX
    assert peak < 256 * 1024, f"{peak / zip_bombs.MB:.1f} MB to judge"


def test_an_archive_that_would_inflate_far_beyond_its_size_is_a_413(tmp_path: Path) -> None:
    bomb = zip_bombs.write_bomb(tmp_path / "bomb.docx", inflated_mb=80)
    with pytest.raises(PayloadTooLarge, match="would inflate to 80 MB"):
        detect_media_type(bomb)
    # The directory's sizes are what count, even when they lie about the content.
    honest = zip_bombs.archive_of({"[Content_Types].xml": b"<Types/>", "word/x.xml": b"<w/>"})
    lying = zip_bombs.patch_directory_entry(
        honest, "word/x.xml", zip_bombs.INFLATED_SIZE_AT, struct.pack("<I", 2**31 - 1)
    )
    (tmp_path / "lying.docx").write_bytes(lying)
    with pytest.raises(PayloadTooLarge):
        detect_media_type(tmp_path / "lying.docx")


def test_documents_inflating_within_the_allowance_are_recognised(tmp_path: Path) -> None:
    document = zip_bombs.write_bomb(tmp_path / "large.docx", inflated_mb=60)
    assert detect_media_type(document) == DOCX


def _many_entries(count: int) -> bytes:
    return zip_bombs.archive_of({f"word/{n}.xml": b"" for n in range(count)})


def test_archives_with_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    path.write_bytes(_many_entries(MAX_ENTRIES + 1))
    with pytest.raises(UnsupportedMedia, match="more than 10000 entries"):
        detect_media_type(path)
    # An end record that undercounts does not let a larger directory through.
    path.write_bytes(
        zip_bombs.patch_end_record(
            _many_entries(MAX_ENTRIES + 1), zip_bombs.ENTRIES_AT, struct.pack("<HH", 1, 1)
        )
    )
    with pytest.raises(UnsupportedMedia, match="more than 10000 entries"):
        detect_media_type(path)


def test_a_zip64_record_declaring_a_huge_directory_is_refused_before_it_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "zip64.docx"
    path.write_bytes(
        zip_bombs.with_zip64_end_records(
            f.docx(), entries=3, directory_bytes=MAX_DIRECTORY_BYTES + 1
        )
    )
    with pytest.raises(UnsupportedMedia, match="directory larger than 2 MB"):
        detect_media_type(path)


def _odt_with_mimetype_header(offset: int, value: bytes) -> bytes:
    odt = zip_bombs.archive_of({"mimetype": b"application/vnd.oasis.opendocument.text"})
    return zip_bombs.patch_directory_entry(odt, "mimetype", offset, value)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_odt_with_mimetype_header(zip_bombs.FLAGS_AT, b"\x01\x00"), id="encrypted"),
        pytest.param(
            _odt_with_mimetype_header(zip_bombs.FLAGS_AT, b"\x40\x00"), id="strong-crypto"
        ),
        pytest.param(_odt_with_mimetype_header(zip_bombs.VERSION_AT, b"\x64\x00"), id="zip-10.0"),
        pytest.param(_odt_with_mimetype_header(zip_bombs.METHOD_AT, b"\x63\x00"), id="aes"),
        pytest.param(
            zip_bombs.archive_of({"m\u00e9": b""}).replace("m\u00e9".encode(), b"m\xff\xfe"),
            id="utf8-flagged-name-that-is-not",
        ),
    ],
)
def test_damaged_or_exotic_archives_are_plain_zip(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.zip"
    path.write_bytes(content)
    assert detect_media_type(path) == "application/zip"
