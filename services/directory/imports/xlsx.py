"""An XLSX file's bounds, checked before openpyxl reads any of it.

openpyxl trusts a workbook: it inflates each part it needs, holds a cell's text whole,
parses the small parts into trees, and in read-only mode yields an empty row for every row
number skipped (a second row numbered 1,048,576 costs a million rows of work). So the
zip's directory comes first (each part's size and compression ratio, no compression but
deflate), then the first sheet's XML and the shared strings are streamed through expat in
1 MB pieces: the declared dimension, the row numbers (increasing, within the row limit, no
run of empty rows over the blank limit), the columns, and the characters of each cell and
shared string, counted as they come so that a cell over the limit is refused without ever
being held whole. A DOCTYPE (entity expansion) refuses the file.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from services.common.errors import InvalidInput
from services.directory.imports.limits import MB, Limits
from services.directory.imports.sheetscan import Scan

CHUNK = MB
MAX_PARTS = 10_000  # parts in the zip; a real workbook has dozens
_RATIO_FROM = MB  # smaller parts may compress as they like
_WORKBOOK_TYPES = tuple(
    f"application/vnd.{kind}"
    for kind in (
        "openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "openxmlformats-officedocument.spreadsheetml.template.main+xml",
        "ms-excel.sheet.macroEnabled.main+xml",
        "ms-excel.template.macroEnabled.main+xml",
    )
)
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WORKSHEET_REL = "/worksheet"
# What zipfile raises for a damaged archive: bad offsets (OSError, struct.error), flags
# and versions it does not know (NotImplementedError), a bad CRC or inflate stream...
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    KeyError,
    ValueError,
    OverflowError,
    NotImplementedError,
    RuntimeError,
    OSError,
)
_CELL_BYTES = 20  # the shortest cell with a shared string: <c t="s"><v>0</v></c>


@dataclass(frozen=True)
class SheetFacts:
    """What the check learnt of the first sheet: its rows, and the last row's number."""

    rows: int
    last_row: int


def check_xlsx(path: Path, limits: Limits) -> SheetFacts:
    """Check an XLSX's parts and first sheet against `limits`, or refuse it."""
    try:
        with zipfile.ZipFile(path) as archive:
            types = _check_parts(archive, limits)
            sheet = _first_sheet(archive, types)
            scan = Scan(limits, cell="c")
            _stream(archive, sheet, scan)
            scan.end_of_sheet()
            strings = next((n for n, t in types.items() if t == _STRINGS_TYPE), None)
            if strings is not None and strings in archive.NameToInfo:
                table = Scan(limits, cell="si")
                # No workbook holds more shared strings than cells that refer to them: this
                # sheet's, and as many as the other sheets' bytes could hold at the least.
                others = sum(
                    archive.getinfo(n).file_size
                    for n, t in types.items()
                    if t == _WORKSHEET_TYPE and n != sheet and n in archive.NameToInfo
                )
                table.max_strings = scan.shared + others // _CELL_BYTES
                _stream(archive, strings, table)
    except _DAMAGED as exc:
        raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
    except expat.ExpatError:
        raise InvalidInput("import.bad_xlsx", error="XML") from None
    return SheetFacts(scan.rows, scan.last_row)


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    """Refuse a part too large, too compressed or not deflated; the parts' content types."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise InvalidInput("import.xlsx_parts", parts=len(infos), limit=MAX_PARTS)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            # Encrypted, or bzip2/lzma, which zipfile inflates without a bound per read.
            raise InvalidInput("import.bad_xlsx", error="compression")
        _check_size(info, limits.part_bytes)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FROM and ratio > limits.max_zip_ratio:
            raise InvalidInput(
                "import.xlsx_ratio",
                part=info.filename,
                ratio=int(ratio),
                limit=limits.max_zip_ratio,
            )
    types = _content_types(archive)
    for info in infos:
        big = types.get(info.filename) in (_STRINGS_TYPE, _WORKSHEET_TYPE)
        if not big and info.filename.endswith((".xml", ".rels")):
            _check_size(info, limits.small_part_bytes)
    return types


def _check_size(info: zipfile.ZipInfo, limit: int) -> None:
    # zipfile stops inflating a part at its declared size (and then fails its CRC), so the
    # declared size bounds what reading it can cost.
    if info.file_size > limit:
        raise InvalidInput(
            "import.xlsx_part_too_big",
            part=info.filename,
            size=-(-info.file_size // MB),
            limit=limit // MB,
        )


def _elements(archive: zipfile.ZipFile, name: str, wanted: str) -> list[dict[str, str]]:
    """The attributes of every `wanted` element of a small part (namespaces dropped)."""
    found: list[dict[str, str]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag.rpartition("|")[2] == wanted:
            found.append({k.rpartition("|")[2]: v for k, v in attrs.items()})

    parser = _parser()
    parser.StartElementHandler = start
    with archive.open(name) as part:
        parser.ParseFile(part)
    return found


def _content_types(archive: zipfile.ZipFile) -> dict[str, str]:
    overrides = _elements(archive, "[Content_Types].xml", "Override")
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType", "") for o in overrides}


def _first_sheet(archive: zipfile.ZipFile, types: dict[str, str]) -> str:
    """The part of the sheet openpyxl reads as the first worksheet."""
    workbook = next((n for n, t in types.items() if t in _WORKBOOK_TYPES), "xl/workbook.xml")
    folder, file = posixpath.split(workbook)
    rels = posixpath.join(folder, "_rels", f"{file}.rels")
    targets: dict[str, str] = {}
    for rel in _elements(archive, rels, "Relationship"):
        if rel.get("Type", "").endswith(_WORKSHEET_REL):
            target = rel.get("Target", "")
            part = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            targets[rel.get("Id", "")] = posixpath.normpath(part)
    for sheet in _elements(archive, workbook, "sheet"):
        found = targets.get(sheet.get("id", ""))
        if found is not None and found in archive.NameToInfo:
            return found
    raise InvalidInput("import.bad_xlsx", error="no worksheet")


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator="|")
    parser.buffer_text = False  # text comes in pieces as read: a long one is never joined

    def refuse(*_: object) -> None:
        raise InvalidInput("import.bad_xlsx", error="DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _stream(archive: zipfile.ZipFile, name: str, scan: Scan) -> None:
    parser = _parser()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
