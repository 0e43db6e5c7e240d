"""What a file is, judged on its bytes, not on the name or type the uploader declared."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEAD_BYTES = 8192

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


def _zip_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for prefix, media_type in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return media_type
    except (zipfile.BadZipFile, OSError, KeyError):
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
