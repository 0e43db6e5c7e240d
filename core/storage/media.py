"""What a file is, judged on its bytes, not on the name or type the uploader declared."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from core.errors import PayloadTooLarge, UnsupportedMedia

HEAD_BYTES = 8192
# An archive is judged by its directory and the first bytes of one small entry, never
# by inflating it: a few hundred bytes can inflate to gigabytes (a zip bomb). These
# bound what is looked at; documents come nowhere near them.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_DIRECTORY_BYTES = 2 * 1024**2
# Documents inflate a few to a few dozen times; a bomb thousands of times. Any archive
# may declare the allowance; past it, at most this ratio to its own size (as Apache POI).
ZIP_INFLATED_ALLOWANCE = 64 * 1024**2
ZIP_MAX_RATIO = 100
MIMETYPE_MAX_BYTES = 256
# Only these are inflated in bounded steps by zipfile; bzip2 and LZMA inflate each
# compressed chunk whole, so an entry packed with them is never opened.
BOUNDED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
ENCRYPTED_FLAG = 0x1
# The end-of-central-directory record (entry count at offset 10, directory size at 12),
# and the ZIP64 locator and record zipfile takes instead when the locator precedes it.
EOCD = struct.Struct("<4s6xHI6x")
EOCD_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_BYTES = 20
ZIP64_EOCD = struct.Struct("<4s28xQQ8x")
ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
# The end record, the longest comment after it and the ZIP64 records before it.
END_RECORDS_BYTES = EOCD.size + 65_535 + ZIP64_LOCATOR_BYTES + ZIP64_EOCD.size
# Archives that cannot be read are judged as plain ZIP: whatever zipfile raises on
# damaged or exotic input (unsupported versions and flags, encryption, bad names).
UNREADABLE_ARCHIVE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    KeyError,
    ValueError,
    RuntimeError,
)

OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
    (b"\xcf\xfa\xed\xfe", "application/x-mach-binary"),
    (b"#!", "text/x-shellscript"),
)
# Markup a browser would render or run if the file were ever served inline.
MARKUP_MARKERS = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<svg",
    b"<iframe",
    b"<?xml",
    b"<object",
    b"<embed",
)
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
}
UNSPECIFIC = {"", "application/octet-stream", "binary/octet-stream"}


def normalise(media_type: str | None) -> str:
    base = (media_type or "").split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def _directory_extent(path: Path) -> tuple[int, int] | None:
    """(entries, directory bytes) as the archive's end records declare them, before parsing.

    zipfile trusts the same records (the ZIP64 one when its locator is present) to decide
    how much directory to read and parse, so they are checked before it does.
    """
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - END_RECORDS_BYTES))
        tail = handle.read()
    at = tail.rfind(EOCD_SIGNATURE)
    if at < 0 or len(tail) < at + EOCD.size:
        return None
    _, entries, directory_bytes = EOCD.unpack_from(tail, at)
    locator = at - ZIP64_LOCATOR_BYTES
    record = locator - ZIP64_EOCD.size
    if (
        record >= 0
        and tail.startswith(ZIP64_LOCATOR_SIGNATURE, locator)
        and tail.startswith(ZIP64_EOCD_SIGNATURE, record)
    ):
        _, entries, directory_bytes = ZIP64_EOCD.unpack_from(tail, record)
    return int(entries), int(directory_bytes)


def _refuse_oversized(entries: int, directory_bytes: int) -> None:
    if entries > ZIP_MAX_ENTRIES or directory_bytes > ZIP_MAX_DIRECTORY_BYTES:
        raise UnsupportedMedia(
            f"Archives with more than {ZIP_MAX_ENTRIES} entries or a directory larger than "
            f"{ZIP_MAX_DIRECTORY_BYTES // 1024**2} MB are refused"
        )


def _refuse_bombs(members: list[zipfile.ZipInfo], archive_bytes: int) -> None:
    inflated = sum(member.file_size for member in members)
    if inflated > max(ZIP_INFLATED_ALLOWANCE, ZIP_MAX_RATIO * archive_bytes):
        raise PayloadTooLarge(
            f"The archive would inflate to {inflated // 1024**2} MB: more than "
            f"{ZIP_INFLATED_ALLOWANCE // 1024**2} MB and {ZIP_MAX_RATIO} times its size"
        )


def _opens_bounded(member: zipfile.ZipInfo) -> bool:
    return member.compress_type in BOUNDED_COMPRESSION and not member.flag_bits & ENCRYPTED_FLAG


def _document_type(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> str:
    by_name = {member.filename: member for member in members}
    mimetype = by_name.get("mimetype")
    if mimetype is not None and _opens_bounded(mimetype):
        with archive.open(mimetype) as entry:
            declared = entry.read(MIMETYPE_MAX_BYTES).decode("ascii", "replace").strip()
        if declared.startswith("application/vnd.oasis.opendocument."):
            return declared
    if "[Content_Types].xml" in by_name:
        for prefix, media_type in OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in by_name):
                return media_type
    return "application/zip"


def _zip_type(path: Path) -> str:
    extent = _directory_extent(path)
    if extent is None:
        return "application/zip"
    entries, directory_bytes = extent
    _refuse_oversized(entries, directory_bytes)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            # The directory may hold more entries than the end record counts.
            _refuse_oversized(len(members), directory_bytes)
            _refuse_bombs(members, path.stat().st_size)
            return _document_type(archive, members)
    except UNREADABLE_ARCHIVE:
        return "application/zip"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return False
    return True


def detect_media_type(path: Path, declared: str | None = None) -> str | None:
    """The file's media type from its content; None when it cannot be told."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, media_type in SIGNATURES:
        if head.startswith(signature):
            return media_type
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in lowered[:1024] for marker in MARKUP_MARKERS):
        return "text/html"
    if _looks_like_text(head):
        return "text/csv" if normalise(declared) == "text/csv" else "text/plain"
    return None


def declared_matches(declared: str | None, detected: str) -> bool:
    """A declared type agrees with the detected one (an unspecific declaration always does)."""
    claimed = normalise(declared)
    if claimed in UNSPECIFIC or claimed == detected:
        return True
    # CSV is plain text; either label fits the same bytes.
    return {claimed, detected} == {"text/plain", "text/csv"}
