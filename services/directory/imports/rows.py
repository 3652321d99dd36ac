"""Checking a batch of rows: cells too long or extra, values, duplicate keys, blank rows.

The result keeps the valid rows column by column (a `Batch`) and, for the others, every
problem with the row number, the column as headed in the file and the value.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from services.directory.imports.columns import HeaderMap, KindSpec
from services.directory.imports.formats import Rows
from services.directory.imports.schemas import Reason, column_validators
from services.directory.imports.writers import unneutralise

CELL_LIMIT = 2000  # characters in one cell; a longer cell is refused, never stored
SHOWN = 40  # characters of a refused value repeated in a problem

Render = Callable[[str, dict[str, Any]], str]  # a catalog key and values -> the user's text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where, what was there, and why (a catalog key)."""

    row: int
    column: str  # the header as written in the file; "" for the row as a whole
    value: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def describe(self, render: Render) -> str:
        """Column and reason in the user's language, for the rejects file."""
        reason = render(self.key, self.params)
        if not self.column:
            return reason
        return render("import.cell_reason", {"column": self.column, "reason": reason})


def shown(value: str) -> str:
    """A value as repeated to the user: short, on one line."""
    flat = value.replace("\r", " ").replace("\n", " ")
    return flat if len(flat) <= SHOWN else flat[:SHOWN] + "…"


def _clean(cells: Sequence[str], apostrophes: bool) -> list[str | None]:
    """Cells trimmed, empty ones None, an export's formula apostrophe taken off."""
    if apostrophes and "'" in "".join(cells):
        return [unneutralise(v.strip()) or None for v in cells]
    return [v.strip() or None for v in cells]


@dataclass
class Batch:
    """The rows of a batch that are still valid, column by column (field -> values)."""

    numbers: list[int]  # the rows' numbers in the file
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.numbers)

    def keep(self, indexes: Sequence[int]) -> Batch:
        """The same batch with only these rows."""
        return Batch(
            [self.numbers[i] for i in indexes],
            {name: [values[i] for i in indexes] for name, values in self.columns.items()},
        )


# A row refused by a target: its index in the batch, the field at fault and why.
Refusal = tuple[int, str, Reason]


@dataclass
class Outcome:
    """What a checked batch comes to: rows read, the valid ones, the refused ones."""

    count: int  # rows read, blank rows not counted
    valid: Batch
    problems: list[Problem]
    rejected: list[tuple[list[str], list[Problem]]]  # each refused row as read
    # The cells of the valid rows as read, when their references are still to be checked
    # (by the importing process: a refused one goes to the rejects file as read).
    cells: list[list[str]] | None = None

    def refuse(self, refusals: Sequence[Refusal], headers: dict[str, str]) -> Outcome:
        """The outcome with valid rows refused after all (references that do not resolve)."""
        assert self.cells is not None, "the cells of the valid rows were not kept"
        late: dict[int, list[Problem]] = {}
        for index, name, reason in refusals:
            value = self.valid.columns[name][index]
            text = "、".join(value) if isinstance(value, list) else str(value)
            number = self.valid.numbers[index]
            problem = Problem(
                number, headers.get(name, name), shown(text), reason.key, reason.params
            )
            late.setdefault(index, []).append(problem)
        keep = [i for i in range(len(self.valid)) if i not in late]
        rejected = self.rejected + [(self.cells[i], found) for i, found in late.items()]
        rejected.sort(key=lambda entry: entry[1][0].row)
        problems = [p for _, found in rejected for p in found]
        cells = [self.cells[i] for i in keep]
        return Outcome(self.count, self.valid.keep(keep), problems, rejected, cells)


@dataclass
class Checked:
    """A checked batch: its valid rows, and the problems of the others."""

    rows: Rows
    problems_at: dict[int, list[Problem]]
    valid_indexes: list[int]
    valid: Batch
    blank: int

    @property
    def count(self) -> int:
        """Rows read, blank rows not counted."""
        return len(self.rows) - self.blank

    def outcome(self, *, cells: bool = False) -> Outcome:
        """The batch's outcome: its valid rows and its problems, in row order (and the
        valid rows' cells, when asked)."""
        order = sorted(self.problems_at)
        return Outcome(
            self.count,
            self.valid,
            [p for at in order for p in self.problems_at[at]],
            [(self.rows.cells[at], self.problems_at[at]) for at in order],
            [self.rows.cells[at] for at in self.valid_indexes] if cells else None,
        )


class BatchCheck:
    """Checks batches of one file against its kind."""

    def __init__(self, spec: KindSpec, mapping: HeaderMap, header: list[str]) -> None:
        self.spec = spec
        self.fields = mapping.fields
        self.headers = mapping.headers
        self.header = header
        self.validators = column_validators(spec.model, list(mapping.fields))

    def _column_name(self, position: int) -> str:
        return self.header[position].strip() if position < len(self.header) else f"#{position + 1}"

    def run(self, rows: Rows, seen: dict[Hashable, int]) -> Checked:
        """Check a batch; remember its keys in `seen` (key -> first row) across batches."""
        problems: dict[int, list[Problem]] = {}

        def add(index: int, column: str, value: str, reason: Reason) -> None:
            problem = Problem(rows.number(index), column, shown(value), reason.key, reason.params)
            problems.setdefault(index, []).append(problem)

        width = len(self.header)
        for index, cells in enumerate(rows.cells):
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                add(index, "", "", Reason("import.reason.extra_cells", {"columns": width}))
        for index, refused in rows.refused.items():
            for position, why in refused.items():
                add(index, self._column_name(position), rows.cells[index][position], why)
        table = list(zip_longest(*rows.cells, fillvalue=""))
        blank_column = ("",) * len(rows)
        columns: dict[str, list[Any]] = {}
        failed: dict[str, set[int]] = {}
        for name, position in self.fields.items():
            column = table[position] if position < len(table) else blank_column
            columns[name], failed[name] = self._column(name, column, rows.apostrophes, add)
        self._keys(rows, columns, failed, seen, add)
        blank = [i for i in problems if not "".join(rows.cells[i]).strip()]
        for index in blank:
            del problems[index]
        numbers = list(range(rows.start, rows.start + len(rows)))
        if not problems and not blank:
            return Checked(rows, problems, list(range(len(rows))), Batch(numbers, columns), 0)
        skip = problems.keys() | set(blank)
        valid_indexes = [i for i in range(len(rows)) if i not in skip]
        valid = Batch(numbers, columns).keep(valid_indexes)
        return Checked(rows, problems, valid_indexes, valid, len(blank))

    def _column(
        self,
        name: str,
        cells: tuple[str, ...],
        apostrophes: bool,
        add: Callable[[int, str, str, Reason], None],
    ) -> tuple[list[Any], set[int]]:
        """Validate one column; the values and the indexes refused."""
        header = self.headers[name]
        failed: set[int] = set()
        if max(map(len, cells), default=0) > CELL_LIMIT:
            for index, cell in enumerate(cells):
                if len(cell) > CELL_LIMIT:
                    reason = Reason(
                        "import.reason.cell_too_long", {"length": len(cell), "limit": CELL_LIMIT}
                    )
                    add(index, header, cell, reason)
                    failed.add(index)
            cells = tuple("" if i in failed else c for i, c in enumerate(cells))
        values, refusals = self.validators[name].validate(_clean(cells, apostrophes))
        for index, reason in refusals.items():
            if index not in failed:
                add(index, header, cells[index], reason)
                failed.add(index)
        return values, failed

    def _keys(
        self,
        rows: Rows,
        columns: dict[str, list[Any]],
        failed: dict[str, set[int]],
        seen: dict[Hashable, int],
        add: Callable[[int, str, str, Reason], None],
    ) -> None:
        key_fields = self.spec.key
        keys: list[Hashable] = (
            list(zip(*(columns[f] for f in key_fields), strict=True))
            if len(key_fields) > 1
            else columns[key_fields[0]]
        )
        unusable = set().union(*(failed[f] for f in key_fields))
        numbers = range(rows.start, rows.start + len(rows))
        if not unusable:
            # The usual case, in C: every key new to the batch and to the file so far.
            fresh = dict(zip(keys, numbers, strict=True))
            if len(fresh) == len(keys) and not fresh.keys() & seen.keys():
                seen.update(fresh)
                return
        header = self.headers[key_fields[0]]
        for index, key in enumerate(keys):
            if index in unusable:
                continue
            number = numbers[index]
            first = seen.setdefault(key, number)
            if first != number:
                text = "/".join(map(str, key)) if isinstance(key, tuple) else str(key)
                add(index, header, text, Reason("import.reason.duplicate", {"row": first}))
