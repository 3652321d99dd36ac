"""Writing lists out: CSV (UTF-8 with BOM, so that Excel opens it) and XLSX.

A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
carriage return) is written with a leading apostrophe; imports take that apostrophe off
again, so that an export imports back unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from services.common.errors import InvalidInput

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576  # Excel's limit, header included


def _runs(value: str) -> bool:
    # A formula start, possibly behind apostrophes an earlier export added.
    return value.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """A cell value that no spreadsheet will run as a formula (and that imports back as is)."""
    return "'" + value if _runs(value) else value


def unneutralise(value: str) -> str:
    """Undo `neutralise`: one apostrophe before a formula start is taken off."""
    return value[1:] if value.startswith("'") and _runs(value[1:]) else value


class RowWriter(Protocol):
    """Something rows of text can be written to."""

    def write(self, cells: Sequence[str]) -> None:
        """Write one row."""


class _CsvWriter:
    def __init__(self, out: Any) -> None:
        self.writer = csv.writer(out)

    def write(self, cells: Sequence[str]) -> None:
        self.writer.writerow([neutralise(c) for c in cells])


class _XlsxWriter:
    def __init__(self, sheet: Any, text_columns: Iterable[int]) -> None:
        from openpyxl.cell import WriteOnlyCell

        self.sheet = sheet
        self.cell = WriteOnlyCell
        self.text_columns = set(text_columns)
        self.rows = 0

    def write(self, cells: Sequence[str]) -> None:
        self.rows += 1
        if self.rows > XLSX_MAX_ROWS:
            raise InvalidInput("import.xlsx_too_many_rows", limit=XLSX_MAX_ROWS - 1)
        row = []
        for position, value in enumerate(cells):
            cell = self.cell(self.sheet, value=neutralise(value) if value else None)
            if position in self.text_columns:
                cell.number_format = "@"  # keep codes and phone numbers as text
            row.append(cell)
        self.sheet.append(row)


@contextmanager
def open_writer(path: Path, text_columns: Iterable[int] = ()) -> Iterator[RowWriter]:
    """A writer of rows to `path`: XLSX for .xlsx, otherwise CSV in UTF-8 with BOM."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        yield _XlsxWriter(sheet, text_columns)
        book.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        yield _CsvWriter(out)
