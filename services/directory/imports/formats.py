"""Reading the files clerks have: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Both readers stream, a batch of rows at a time: a CSV is decoded through a buffered
reader, an XLSX is read with openpyxl's read-only mode once its bounds have been checked
(`xlsx`); neither holds the file in memory. What cannot be read (empty, binary, another
or mixed encoding, a broken or oversized XLSX) is refused with `InvalidInput` before a
row is looked at; what shows only while reading (a CSV line or cell over the limit, too
many rows, a long run of empty rows, a change of encoding after the first megabyte) is
refused when the reading gets there, within the limits' bounded work.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from services.common.errors import DomainError, InvalidInput
from services.common.text import strip_unsafe
from services.directory.imports.encoding import detect_encoding
from services.directory.imports.limits import MB, Limits, RowGuard
from services.directory.imports.schemas import Reason
from services.directory.imports.xlsx import check_xlsx

CHUNK = MB
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
def open_table(path: Path, limits: Limits) -> Iterator[Table]:
    """Open a CSV or XLSX file for reading within `limits`, or refuse it."""
    with path.open("rb") as f:
        head = f.read(CHUNK)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InvalidInput("import.empty_file")
    if head.startswith(_OLE_MAGIC):
        raise InvalidInput("import.old_xls")
    opener = _open_xlsx if is_xlsx(path) else _open_csv
    with opener(path, limits) as table:
        yield table


class _Counting(io.RawIOBase):
    """A binary file that counts and hashes the bytes read, and refuses an overlong line."""

    def __init__(self, raw: io.BufferedReader, line_bytes: int) -> None:
        self.raw = raw
        self.count = 0
        self.digest = hashlib.sha256()
        self.apostrophes = False  # 0x27 is never part of a UTF-8 or GB18030 character
        self.line_bytes = line_bytes
        self.lines = 0  # newlines read so far
        self.run = 0  # bytes of the line still open at the end of the last read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        self.count += n
        data = bytes(memoryview(buffer)[:n])
        self.digest.update(data)
        self.apostrophes = self.apostrophes or b"'" in data
        self._lines(data)
        return n

    def _lines(self, data: bytes) -> None:
        # Checked here, a read at a time, so that the text layer above never gathers a
        # line of hundreds of megabytes before the csv module's field limit could object.
        last = data.rfind(b"\n")
        if last < 0:
            self.run += len(data)
        else:
            if len(data) > self.line_bytes:  # a line may lie within this read
                lengths = list(map(len, data[:last].split(b"\n")))
                lengths[0] += self.run
                self._refuse(max(lengths), self.lines + lengths.index(max(lengths)) + 1)
            self._refuse(self.run + data.find(b"\n"), self.lines + 1)
            self.lines += data.count(b"\n")
            self.run = len(data) - last - 1
        self._refuse(self.run, self.lines + 1)

    def _refuse(self, length: int, line: int) -> None:
        if length > self.line_bytes:
            raise InvalidInput("import.line_too_long", line=line, limit=self.line_bytes)


def _delimiter(path: Path, encoding: str, limits: Limits) -> str:
    # Only a guess: a byte the encoding refuses is refused by the reading itself.
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        first = f.readline(limits.line_bytes)
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


class _CsvTable:
    def __init__(self, reader: Any, counting: _Counting, size: int, guard: RowGuard) -> None:
        self.reader = reader
        self.counting = counting
        self.size = size or 1
        self.guard = guard
        self.next = 1

    def read(self, size: int) -> Rows:
        try:
            cells = list(islice(self.reader, size))
        except csv.Error as exc:
            line = self.reader.line_num
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                raise InvalidInput("import.cell_too_big", row=line, limit=limit) from None
            raise InvalidInput("import.bad_csv", row=line) from None
        except UnicodeDecodeError:
            # The first megabyte was UTF-8 (see detect_encoding); this part is not.
            raise InvalidInput("import.encoding_changes", line=self.reader.line_num) from None
        rows = Rows(self.next, cells, apostrophes=self.counting.apostrophes)
        self.next += len(cells)
        self.guard.check(rows.start, rows.cells)
        return rows

    def done(self) -> float | None:
        return self.counting.count / self.size

    def sha256(self) -> str:
        return self.counting.digest.hexdigest()


@contextmanager
def _open_csv(path: Path, limits: Limits) -> Iterator[Table]:
    encoding = detect_encoding(path, limits)
    delimiter = _delimiter(path, encoding, limits)
    with path.open("rb") as raw:
        counting = _Counting(raw, limits.line_bytes)
        text = io.TextIOWrapper(io.BufferedReader(counting, CHUNK), encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        yield _CsvTable(reader, counting, path.stat().st_size, RowGuard(limits))


@contextmanager
def _open_xlsx(path: Path, limits: Limits) -> Iterator[Table]:
    facts = check_xlsx(path, limits)  # before openpyxl inflates or parses anything
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula is seen as a formula, never as its cached result;
        # keep_links=False: external links hold cached copies of other workbooks.
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
        sheet = book.worksheets[0]
        # Without a declared size openpyxl pads no row to it and adds no empty rows up to
        # it: only the rows and cells that are there are read (the check saw them).
        sheet.reset_dimensions()
    except MemoryError:
        raise
    except Exception as exc:  # a damaged workbook raises almost anything from openpyxl
        raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
    try:
        yield _XlsxTable(sheet, _file_sha256(path), facts.last_row, RowGuard(limits))
    finally:
        book.close()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _XlsxTable:
    def __init__(self, sheet: Any, sha256: str, last_row: int, guard: RowGuard) -> None:
        self.rows = sheet.iter_rows(min_row=1)
        self.total = last_row or None
        self.next = 1
        self.digest = sha256
        self.guard = guard

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
        except (MemoryError, DomainError):
            raise
        except Exception as exc:  # a damaged sheet shows only while it is read
            raise InvalidInput("import.bad_xlsx", error=type(exc).__name__) from None
        self.next += len(rows)
        self.guard.check(rows.start, rows.cells)
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
        # openpyxl turns _x0000_ escapes back into characters, NUL and lone surrogates
        # included, which no database column or UTF-8 rejects file can hold.
        return strip_unsafe(value)
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
