"""Reading the files clerks have: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Both readers stream, a batch of rows at a time: a CSV is decoded through a buffered
reader, an XLSX is read with openpyxl's read-only mode; neither holds the file in memory.
What cannot be read (empty, binary, an unknown or mixed encoding, a broken XLSX) is
refused with `InvalidInput`, mostly before a row is looked at; a CSV whose encoding
changes after its first megabyte is refused when the reading gets there (the caller's
transaction then rolls back whatever was written).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from services.common.errors import InvalidInput
from services.directory.imports.schemas import Reason

CHUNK = 1 << 20
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass
class Rows:
    """Consecutive rows of a file, each a list of its cells as text."""

    start: int  # the number of the first row (the file's first row is 1, as in Excel)
    cells: list[list[str]]
    # Cells refused while reading (an XLSX formula or error value): row index -> position.
    refused: dict[int, dict[int, Reason]] = field(default_factory=dict)
    # Whether a cell may start with an export's formula apostrophe (a CSV in which no
    # apostrophe byte has been read need not be looked at cell by cell).
    apostrophes: bool = True

    def __len__(self) -> int:
        return len(self.cells)

    def number(self, index: int) -> int:
        """The file's number of the row at `index`."""
        return self.start + index

    def after(self, index: int) -> Rows:
        """The rows after the one at `index`."""
        refused = {i - index - 1: r for i, r in self.refused.items() if i > index}
        return Rows(self.start + index + 1, self.cells[index + 1 :], refused, self.apostrophes)


class Table(Protocol):
    """An opened file, read a run of rows at a time."""

    def read(self, size: int) -> Rows:
        """The next rows, at most `size`; none at the end of the file."""

    def done(self) -> float | None:
        """The fraction of the file read so far, when it can be known."""

    def sha256(self) -> str:
        """The SHA-256 of the file (known once it has been read to its end)."""


def is_xlsx(path: Path) -> bool:
    """Whether a file is to be read as XLSX (by its name, or its content when unnamed)."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return True
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return False
    with path.open("rb") as f:
        return f.read(4) == _ZIP_MAGIC


@contextmanager
def open_table(path: Path) -> Iterator[Table]:
    """Open a CSV or XLSX file for reading, or refuse it."""
    with path.open("rb") as f:
        head = f.read(CHUNK)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InvalidInput("import.empty_file")
    if head.startswith(_OLE_MAGIC):
        raise InvalidInput("import.old_xls")
    if is_xlsx(path):
        with _open_xlsx(path) as table:
            yield table
    else:
        with _open_csv(path) as table:
            yield table


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030; binary, unknown and mixed encodings refused.

    A first megabyte with Chinese text that decodes as UTF-8 settles it: the file is read
    as strict UTF-8 and a later byte that is not refuses it as mixed. Otherwise the whole
    file is checked as UTF-8 and, failing that, read as GB18030 (a superset of GBK) - but
    only if no line of it is UTF-8: a line with Chinese text that decodes as UTF-8 is
    almost never GBK, so a file holding both kinds of lines was pasted together from two
    sources and its GBK part would become garbage.
    """
    with path.open("rb") as f:
        head = f.read(CHUNK)
    if b"\0" in head:
        raise InvalidInput("import.binary")
    if not head.isascii() and _decodes(head, final=False):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                if b"\0" in chunk:
                    raise InvalidInput("import.binary")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    first_utf8 = first_other = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            if line.isascii():
                continue
            if _decodes(line, final=True):
                first_utf8 = first_utf8 or number
            else:
                first_other = first_other or number
                try:
                    line.decode("gb18030")
                except UnicodeDecodeError:
                    raise InvalidInput("import.bad_encoding", line=number) from None
            if first_utf8 and first_other:
                raise InvalidInput("import.mixed_encoding", utf8=first_utf8, other=first_other)
    return "gb18030"


def _decodes(data: bytes, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


class _Counting(io.RawIOBase):
    """A binary file that counts and hashes the bytes read (for progress and the audit)."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.count = 0
        self.digest = hashlib.sha256()
        self.apostrophes = False  # 0x27 is never part of a UTF-8 or GB18030 character

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.count += n
        data = bytes(memoryview(buffer)[:n])
        self.digest.update(data)
        self.apostrophes = self.apostrophes or b"'" in data
        return n


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


class _CsvTable:
    def __init__(self, text: io.TextIOWrapper, counting: _Counting, size: int, delimiter: str):
        self.reader = csv.reader(text, delimiter=delimiter)
        self.counting = counting
        self.size = size or 1
        self.next = 1

    def read(self, size: int) -> Rows:
        try:
            cells = list(islice(self.reader, size))
        except csv.Error as exc:
            raise InvalidInput("import.bad_csv", row=self.reader.line_num, error=str(exc)) from None
        except UnicodeDecodeError:
            # The first megabyte was UTF-8 (see detect_encoding); this part is not.
            raise InvalidInput("import.encoding_changes", line=self.reader.line_num) from None
        rows = Rows(self.next, cells, apostrophes=self.counting.apostrophes)
        self.next += len(cells)
        return rows

    def done(self) -> float | None:
        return self.counting.count / self.size

    def sha256(self) -> str:
        return self.counting.digest.hexdigest()


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    encoding = detect_encoding(path)
    delimiter = _delimiter(path, encoding)
    with path.open("rb") as raw:
        counting = _Counting(raw)
        text = io.TextIOWrapper(io.BufferedReader(counting, CHUNK), encoding=encoding, newline="")
        yield _CsvTable(text, counting, path.stat().st_size, delimiter)


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only=False: a formula is seen as a formula, never as its cached result.
        book = load_workbook(path, read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except (zipfile.BadZipFile, InvalidFileException) as exc:
        raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
    except Exception as exc:  # a damaged workbook raises almost anything from openpyxl
        raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
    try:
        yield _XlsxTable(sheet, _file_sha256(path))
    finally:
        book.close()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _XlsxTable:
    def __init__(self, sheet: Any, sha256: str) -> None:
        self.rows = sheet.iter_rows()
        rows = sheet.max_row
        self.total = rows if isinstance(rows, int) and rows > 0 else None
        self.next = 1
        self.digest = sha256

    def read(self, size: int) -> Rows:
        rows = Rows(self.next, [])
        try:
            for index, cells in enumerate(islice(self.rows, size)):
                texts: list[str] = []
                for position, cell in enumerate(cells):
                    value = cell.value
                    kind = getattr(cell, "data_type", None)
                    if kind == "f" or (isinstance(value, str) and value.startswith("=")):
                        why = Reason("import.reason.formula", {})
                        rows.refused.setdefault(index, {})[position] = why
                    elif kind == "e":
                        why = Reason("import.reason.excel_error", {})
                        rows.refused.setdefault(index, {})[position] = why
                    texts.append(cell_text(value))
                rows.cells.append(texts)
        except Exception as exc:  # a damaged sheet shows only while it is read
            raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
        self.next += len(rows)
        return rows

    def done(self) -> float | None:
        return None if self.total is None else min(1.0, (self.next - 1) / self.total)

    def sha256(self) -> str:
        return self.digest


def cell_text(value: Any) -> str:
    """An XLSX cell as the text a clerk sees (dates as 2024-05-01, 1.0 as 1)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Above 15 digits Excel has already rounded the number (an all-digit credit code):
        # keep the scientific form so that the problem shows.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)
