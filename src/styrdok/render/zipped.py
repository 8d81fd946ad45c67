"""Reproducible zip files (DOCX): fixed member order, times and attributes, each member compressed once.

The bytes are those of `zipfile` writing the members with `writestr` at level 6 (a test holds
them equal); what this adds is that a member can be given already compressed: the embedded
fonts (600 kB that would otherwise be deflated in every process, from the per-user cache) and
the members of a DOCX this module wrote, when a later step changes only some of them.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import usercache

CONTENT_TYPES = "[Content_Types].xml"
LEVEL = 6
_VERSION = 20  # "version needed" and "made by" as zipfile writes them for deflated members
_EXTERNAL_ATTR = 0o600 << 16  # what zipfile writes for a member without attributes
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True)
class Deflated:
    """A member's data compressed (a raw deflate stream), with its CRC-32 and uncompressed size."""

    crc: int
    size: int
    data: bytes


def deflate(data: bytes) -> Deflated:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return Deflated(zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def deflate_cached(data: bytes) -> Deflated:
    """`deflate(data)`, kept in the per-user cache: for large members that are the same in every
    document (font files)."""
    name = usercache.key("deflate", str(LEVEL), zlib.ZLIB_RUNTIME_VERSION, hashlib.sha256(data).digest())
    compressed = usercache.cached("deflate", name, lambda: deflate(data).data)
    return Deflated(zlib.crc32(data), len(data), compressed)


def date_time(ts: datetime) -> tuple[int, int, int, int, int, int]:
    """A timestamp as a zip (DOS) date and time, in UTC, clamped to what the format holds."""
    t = ts.astimezone(timezone.utc).replace(tzinfo=None) if ts.tzinfo else ts
    if t.year < 1980:  # the zip (DOS) date format starts in 1980
        return (1980, 1, 1, 0, 0, 0)
    if t.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def write(members: Mapping[str, bytes | Deflated], timestamp: datetime) -> bytes:
    """A zip of `members` ({name: data, or data already deflated}): [Content_Types].xml first (OPC
    readers expect it), the rest sorted, every member deflated and dated `timestamp`."""
    year, month, day, hour, minute, second = date_time(timestamp)
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    out = io.BytesIO()
    central = []
    for name in sorted(members, key=lambda n: (n != CONTENT_TYPES, n)):
        member = members[name]
        packed = member if isinstance(member, Deflated) else deflate(member)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate, packed.crc,
                              len(packed.data), packed.size, len(encoded), 0))
        out.write(encoded)
        out.write(packed.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime,
                                     dosdate, packed.crc, len(packed.data), packed.size, len(encoded), 0, 0, 0, 0,
                                     _EXTERNAL_ATTR, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    size = out.tell() - start
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


def read(data: bytes) -> dict[str, bytes]:
    """The members of a zip ({name: data}); of a name given twice the last, as readers take it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in dict.fromkeys(archive.namelist()) if not name.endswith("/")}


def read_deflated(data: bytes) -> dict[str, bytes | Deflated]:
    """The members of a zip this module wrote, the deflated ones as they are stored (not
    decompressed): `write` then copies them unchanged, the same bytes as compressing them again."""
    out: dict[str, bytes | Deflated] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.endswith("/"):
                continue
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
                out[info.filename] = archive.read(info)
                continue
            header = _LOCAL.unpack_from(data, info.header_offset)
            start = info.header_offset + _LOCAL.size + header[10] + header[11]
            out[info.filename] = Deflated(info.CRC, info.file_size, data[start:start + info.compress_size])
    return out


def normalize(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite a zip so identical content gives identical bytes (fixed order, times, attributes)."""
    return write(read(data), timestamp)
