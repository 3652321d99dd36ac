"""The streaming count of an XLSX sheet's rows and cells (or its shared strings).

Fed by expat a piece at a time (`xlsx`), it refuses as soon as a bound is passed: a row
number out of order or over the limit, a run of empty rows, a cell beyond the last column
or over the character limit (counted as the pieces of its text come), more shared strings
than cells could refer to. Nothing it sees is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from services.common.errors import InvalidInput
from services.common.numbers import read_int
from services.directory.imports.limits import Limits

CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")


class Scan:
    """Counts a sheet's rows and each cell's characters (or each shared string's)."""

    def __init__(self, limits: Limits, *, cell: str) -> None:
        self.limits = limits
        self.cell = cell  # the element whose text is one value: "c" or "si"
        self.inside = False
        self.chars = 0  # characters of the current cell (or element, outside cells)
        self.rows = 0
        self.last_row = 0
        self.blank = 0  # empty rows one after another so far
        self.blank_from = 0  # the first of them
        self.filled = True  # whether the current row has any text
        self.shared = 0  # cells holding a shared string (a sheet)
        self.strings = 0  # strings so far (the shared strings)
        self.max_strings = 0
        self._starts: dict[str, Callable[[dict[str, str]], None]] = {
            "row": self._row,
            "c": self._column,
            "dimension": self._dimension,
        }

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """An element opens: a row, a cell, a shared string, the dimension."""
        name = tag.rpartition("|")[2]
        if name == self.cell:
            self.inside, self.chars = True, 0
            if name == "si":
                self._string()
        elif not self.inside:
            self.chars = 0
        if self.cell == "c" and name in self._starts:
            self._starts[name](attrs)

    def end(self, tag: str) -> None:
        """An element closes."""
        name = tag.rpartition("|")[2]
        if name == self.cell:
            self.inside = False
        if not self.inside:
            self.chars = 0

    def text(self, data: str) -> None:
        """A piece of text: counted against the cell limit as it comes."""
        self.chars += len(data)
        if self.chars > self.limits.max_cell_chars:
            raise InvalidInput(
                "import.cell_too_big", row=self.last_row, limit=self.limits.max_cell_chars
            )
        if not self.filled and self.inside and not data.isspace():
            self.filled = True

    def _row(self, attrs: dict[str, str]) -> None:
        self._close_row()
        raw = attrs.get("r")
        number = self.last_row + 1 if raw is None else read_int(raw, 1, 10**18)
        if number is None or number <= self.last_row:
            raise InvalidInput("import.bad_xlsx", error="row number")
        if number > self.limits.max_rows:
            raise InvalidInput("import.too_many_rows", limit=self.limits.max_rows)
        if number > self.last_row + 1:
            self._blank(self.last_row + 1, number - self.last_row - 1)  # skipped: empty
        self.rows += 1
        self.last_row = number
        self.filled = False

    def _close_row(self) -> None:
        if not self.last_row:
            return
        if self.filled:
            self.blank = 0
        else:
            self._blank(self.last_row, 1)

    def end_of_sheet(self) -> None:
        """The sheet has ended: its last row counts too."""
        self._close_row()

    def _blank(self, first: int, count: int) -> None:
        if not self.blank:
            self.blank_from = first
        self.blank += count
        if self.blank > self.limits.max_blank_rows:
            raise InvalidInput(
                "import.blank_rows", row=self.blank_from, limit=self.limits.max_blank_rows
            )

    def _string(self) -> None:
        self.strings += 1
        if self.strings > self.max_strings:
            raise InvalidInput("import.xlsx_strings", limit=self.max_strings)

    def _column(self, attrs: dict[str, str]) -> None:
        if attrs.get("t") == "s":
            self.shared += 1
        ref = attrs.get("r")
        if ref is None:
            return
        found = CELL_REF.fullmatch(ref)
        if found is None:
            raise InvalidInput("import.bad_xlsx", error="cell reference")
        if column_number(found.group(1)) > self.limits.max_columns:
            raise InvalidInput("import.too_many_columns", cell=ref, limit=self.limits.max_columns)

    def _dimension(self, attrs: dict[str, str]) -> None:
        # The range the sheet declares it uses; openpyxl would pad every row to its width
        # and add empty rows up to its end (the reader resets it, and checks it here).
        corners = [CELL_REF.fullmatch(part) for part in attrs.get("ref", "").split(":")]
        last = corners[-1]
        if last is None:
            return  # not a range openpyxl can read either: it ignores it
        if int(last.group(2)) > self.limits.max_rows:
            raise InvalidInput("import.too_many_rows", limit=self.limits.max_rows)
        if column_number(last.group(1)) > self.limits.max_columns:
            raise InvalidInput(
                "import.too_many_columns", cell=last.group(0), limit=self.limits.max_columns
            )


def column_number(letters: str) -> int:
    """A column's number from its letters: A is 1, Z 26, AA 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number
