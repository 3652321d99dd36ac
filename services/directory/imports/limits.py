"""The bounds every imported file is held to, and the budget of the process checking it.

A file is refused as a whole, with the bound it broke named, before its rows are read where
the bound can be seen from outside (an XLSX's zip directory and sheet XML), or as soon as
the reading gets there (a CSV's rows). The defaults fit the largest real county list with
room to spare (a county's enterprise directory has tens of thousands of rows); the
settings `IMPORT_*` change them (`bot/settings.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common.errors import InvalidInput

MB = 2**20


@dataclass(frozen=True)
class Limits:
    """Bounds of a file, and the checking worker's budget."""

    max_rows: int = 2_000_000  # rows of a file, and the highest row number of a sheet
    max_columns: int = 256  # the last column a cell may sit in
    max_blank_rows: int = 10_000  # empty (or skipped) rows one after another
    # Uncompressed size of a sheet or the shared strings of an XLSX; the other XML parts,
    # which openpyxl parses whole into a tree, may have an eighth of it.
    max_part_mb: int = 64
    max_zip_ratio: int = 100  # uncompressed / compressed size of a part over 1 MB
    # Characters of one cell (four times Excel's own 32,767; the csv module's default).
    # Cells over 2,000 characters refuse their row (rows.CELL_LIMIT); a cell over this
    # refuses the file while being read, never held whole.
    max_cell_chars: int = 131_072
    check_seconds: int = 600  # CPU seconds of the checking worker (wall: twice as long)
    check_memory_mb: int = 1024  # address space of the checking worker

    @property
    def part_bytes(self) -> int:
        """The largest sheet or shared-strings part, uncompressed, in bytes."""
        return self.max_part_mb * MB

    @property
    def small_part_bytes(self) -> int:
        """The largest other XML part of an XLSX (parsed whole by openpyxl), in bytes."""
        return self.part_bytes // 8

    @property
    def line_bytes(self) -> int:
        """The longest line of a CSV, in bytes: a cell at the limit in a 4-byte encoding."""
        return 4 * self.max_cell_chars


class RowGuard:
    """Counts the rows read, and the empty ones one after another, against the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows = 0
        self.blank = 0
        self.blank_from = 0

    def check(self, start: int, cells: list[list[str]]) -> None:
        """Count rows numbered from `start`; refuse the file once they pass a limit."""
        self.rows += len(cells)
        if self.rows > self.limits.max_rows:
            raise InvalidInput("import.too_many_rows", limit=self.limits.max_rows)
        if all(map(any, cells)):  # the usual batch, without an empty row: looked at in C
            self.blank = 0
            return
        for index, row in enumerate(cells):
            if any(row):
                self.blank = 0
                continue
            if not self.blank:
                self.blank_from = start + index
            self.blank += 1
            if self.blank > self.limits.max_blank_rows:
                raise InvalidInput(
                    "import.blank_rows", row=self.blank_from, limit=self.limits.max_blank_rows
                )
