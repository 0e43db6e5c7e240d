"""What a file is, judged on its bytes, not on the name or type the uploader declared."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from core.errors import PayloadTooLarge, UnsupportedMedia

HEAD_BYTES = 8192
# An archive is judged by its directory and one small entry, never by inflating it: a
# few hundred KB can inflate to gigabytes (a zip bomb). These bound what is looked at.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_INFLATED = 1024**3
MIMETYPE_MAX_BYTES = 256
# The end-of-central-directory record: signature, then its entry count at offset 10.
EOCD_SIGNATURE = b"PK\x05\x06"
EOCD_SEARCH_BYTES = 22 + 65_535

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


def _declared_entries(path: Path) -> int | None:
    """The entry count the archive's last directory record declares, read before parsing."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - EOCD_SEARCH_BYTES))
        tail = handle.read()
    at = tail.rfind(EOCD_SIGNATURE)
    if at < 0 or len(tail) < at + 12:
        return None
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return int(entries)


def _zip_type(path: Path) -> str:
    entries = _declared_entries(path)
    if entries is None:
        return "application/zip"
    # 0xFFFF defers the count to a ZIP64 record: only archives far beyond any document.
    if entries >= min(ZIP_MAX_ENTRIES, 0xFFFF):
        raise UnsupportedMedia(f"Archives with more than {ZIP_MAX_ENTRIES} entries are refused")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > ZIP_MAX_INFLATED:
                raise PayloadTooLarge(
                    f"The archive inflates to more than {ZIP_MAX_INFLATED // 1024**2} MB"
                )
            names = {member.filename for member in members}
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(MIMETYPE_MAX_BYTES).decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, media_type in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return media_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError):
        pass
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
