"""Hostile archives built on the spot: bombs, and directories whose records lie."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

MB = 1024**2
# Offsets inside a central-directory file header (APPNOTE 4.3.12).
VERSION_AT = 6
FLAGS_AT = 8
METHOD_AT = 10
INFLATED_SIZE_AT = 24
# Inside the end-of-central-directory record (APPNOTE 4.3.16): the entries on this
# disk, then in total, two bytes each.
ENTRIES_AT = 8


def write_bomb(
    path: Path,
    entry: str = "mimetype",
    inflated_mb: int = 500,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """An OOXML-looking archive whose `entry` is `inflated_mb` MB of zeros, streamed in."""
    with zipfile.ZipFile(path, "w", compression, compresslevel=9) as archive:
        if entry != "[Content_Types].xml":
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        # force_zip64: the size is not known when the entry is opened for writing.
        with archive.open(entry, "w", force_zip64=True) as stream:
            block = bytes(MB)
            for _ in range(inflated_mb):
                stream.write(block)
    return path


def archive_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def patch_directory_entry(content: bytes, name: str, offset: int, value: bytes) -> bytes:
    """`content` with `value` written at `offset` of `name`'s central-directory header."""
    header = content.index(b"PK\x01\x02")
    while content[header + 46 : header + 46 + len(name.encode())] != name.encode():
        header = content.index(b"PK\x01\x02", header + 4)
    at = header + offset
    return content[:at] + value + content[at + len(value) :]


def patch_end_record(content: bytes, offset: int, value: bytes) -> bytes:
    at = content.rindex(b"PK\x05\x06") + offset
    return content[:at] + value + content[at + len(value) :]


def with_zip64_end_records(content: bytes, entries: int, directory_bytes: int) -> bytes:
    """`content` with a ZIP64 end record and locator declaring another directory extent."""
    end = content.rindex(b"PK\x05\x06")
    record = struct.pack(
        "<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, directory_bytes, 0
    )
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, end, 1)
    return content[:end] + record + locator + content[end:]
