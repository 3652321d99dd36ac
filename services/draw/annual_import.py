"""Checking an annual joint plan's rows against the item list and departments.

Every row is checked and every problem named with its row, column and value (the same
`Problem` the list imports report); one problem refuses the whole file (all-or-nothing,
like every import). A row's departments must be those of its item in the item list:
the initiating department the item's, each cooperating department one taking part in
the item (departments the row leaves out still take part, as the list says: a note).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AnnualPlan, Department, Item, ItemDepartment
from services.common.errors import Conflict, DomainError, InvalidInput
from services.common.numbers import read_int
from services.common.text import strip_unsafe
from services.directory.imports.limits import Limits
from services.directory.imports.rows import Problem, shown
from services.draw import annual_sheet
from services.draw.annual_sheet import Sheet, Window

MAX_DOC_NUMBER = 50  # 计划编号 is "<number>-<seq>" within 64 characters
MAX_TITLE = 200
MAX_FREQUENCY = 100


@dataclass(frozen=True)
class CheckedRow:
    """A row that passed every check, with its references resolved."""

    number: int  # the row's number in the file
    seq: int
    item_id: int
    item_code: str
    item_name: str
    initiating_id: int
    cooperating: list[str]  # department codes
    ratio: str  # a decimal string, for every risk class
    frequency: str | None
    window: Window


@dataclass
class AnnualCheck:
    """What a plan's file comes to: its document, the rows and every problem found."""

    file_name: str
    sha256: str
    year: int
    doc_number: str
    title: str
    total: int  # the file's rows under the header, blank ones aside
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # not refusals
    annual_id: int | None = None  # set once imported

    @property
    def ok(self) -> bool:
        """Whether the file can be imported as it is."""
        return not self.problems


@dataclass(frozen=True)
class _Directory:
    items: dict[str, Item]
    departments: dict[str, Department]  # by code and by name
    by_id: dict[int, Department]
    members: dict[int, dict[int, str]]  # item id -> department id -> role


async def _directory(session: AsyncSession) -> _Directory:
    items = {annual_sheet.normal(i.code): i for i in (await session.scalars(select(Item))).all()}
    departments: dict[str, Department] = {}
    by_id: dict[int, Department] = {}
    for d in (await session.scalars(select(Department).order_by(Department.id))).all():
        by_id[d.id] = d
        departments[annual_sheet.normal(d.code)] = d
        departments.setdefault(annual_sheet.normal(d.name), d)
    members: dict[int, dict[int, str]] = {}
    for item_id, department_id, role in await session.execute(
        select(ItemDepartment.item_id, ItemDepartment.department_id, ItemDepartment.role)
    ):
        members.setdefault(item_id, {})[department_id] = role
    return _Directory(items, departments, by_id, members)


async def check_file(
    session: AsyncSession, path: Path, name: str | None = None, limits: Limits | None = None
) -> AnnualCheck:
    """Read and check a plan's file, writing nothing (the dry run; also before importing)."""
    sheet = await asyncio.to_thread(annual_sheet.read_sheet, path, limits)
    return await check_sheet(session, sheet, name or path.name)


async def check_sheet(session: AsyncSession, sheet: Sheet, file_name: str) -> AnnualCheck:
    """Check a read sheet: its document, then every row."""
    first = sheet.rows[0][1]
    meta = dict(sheet.meta)
    for name in ("year", "doc_number"):
        if not meta.get(name) and sheet.cell(first, name):
            meta[name] = sheet.cell(first, name)
    doc_number = strip_unsafe(meta.get("doc_number", "")).strip()
    if not doc_number:
        raise InvalidInput("annual.no_doc_number")
    if len(doc_number) > MAX_DOC_NUMBER:
        raise InvalidInput("annual.doc_number_long", limit=MAX_DOC_NUMBER)
    year = annual_sheet.year_of(meta)
    if year is None:
        raise InvalidInput("annual.no_year")
    title = (meta.get("title") or "").strip()[:MAX_TITLE] or f"{year}年度部门联合抽查计划"
    check = AnnualCheck(file_name, sheet.sha256, year, doc_number, title, len(sheet.rows))
    found = await session.scalar(select(AnnualPlan.id).where(AnnualPlan.doc_number == doc_number))
    if found is not None:
        raise Conflict("annual.already_imported", doc_number=doc_number, id=found)
    directory = await _directory(session)
    seqs: dict[int, int] = {}
    for running, (number, cells) in enumerate(sheet.rows, start=1):
        row = _RowCheck(sheet, check, directory, number, cells)
        checked = row.run(running, seqs)
        if checked is not None:
            check.rows.append(checked)
    return check


class _RowCheck:
    """The checks of one row; each problem is added to the file's check."""

    def __init__(
        self, sheet: Sheet, check: AnnualCheck, directory: _Directory, number: int, cells: list[str]
    ) -> None:
        self.sheet, self.check, self.directory = sheet, check, directory
        self.number, self.cells = number, cells
        self.failed = False

    def problem(self, column: str, key: str, **params: object) -> None:
        value = shown(self.sheet.cell(self.cells, column)) if column else ""
        heading = self.sheet.heading(column) if column else ""
        self.check.problems.append(Problem(self.number, heading, value, key, dict(params)))
        self.failed = True

    def run(self, running: int, seqs: dict[int, int]) -> CheckedRow | None:
        for position, key in self.sheet.refused.get(self.number, []):
            header = self.sheet.header[position] if position < len(self.sheet.header) else ""
            self.check.problems.append(Problem(self.number, header, "", key))
            self.failed = True
        self._document("year", str(self.check.year))
        self._document("doc_number", self.check.doc_number)
        seq = self._seq(running, seqs)
        item = self._item()
        initiating = self._initiating(item)
        cooperating = self._cooperating(item, initiating)
        ratio = self._ratio(item)
        frequency = self._frequency()
        window = self._window()
        if self.failed:
            return None
        assert item is not None and initiating is not None and ratio is not None
        assert window is not None and cooperating is not None
        return CheckedRow(
            self.number,
            seq,
            item.id,
            item.code,
            item.name,
            initiating,
            cooperating,
            ratio,
            frequency,
            window,
        )

    def _document(self, column: str, expected: str) -> None:
        value = self.sheet.cell(self.cells, column)
        if not value:
            return
        same = annual_sheet.normal(value) == annual_sheet.normal(expected)
        if column == "year":
            same = annual_sheet.year_of({"year": value}) == self.check.year
        if not same:
            self.problem(column, "annual.reason.other_document", value=expected)

    def _seq(self, running: int, seqs: dict[int, int]) -> int:
        if "seq" not in self.sheet.where:
            return running
        text = self.sheet.cell(self.cells, "seq")
        seq = read_int(text.removesuffix(".0"), 1, 9999)
        if seq is None:
            self.problem("seq", "annual.reason.bad_seq")
            return running
        if seq in seqs:
            self.problem("seq", "annual.reason.duplicate_seq", row=seqs[seq])
        seqs.setdefault(seq, self.number)
        return seq

    def _item(self) -> Item | None:
        code = self.sheet.cell(self.cells, "item")
        item = self.directory.items.get(annual_sheet.normal(code)) if code else None
        if item is None:
            self.problem("item", "annual.reason.unknown_item" if code else "annual.reason.empty")
        elif not item.active:
            self.problem("item", "annual.reason.inactive_item")
        return item

    def _department(self, text: str) -> Department | None:
        return self.directory.departments.get(annual_sheet.normal(text))

    def _initiating(self, item: Item | None) -> int | None:
        text = self.sheet.cell(self.cells, "initiating")
        department = self._department(text) if text else None
        if department is None:
            key = "annual.reason.unknown_department" if text else "annual.reason.empty"
            self.problem("initiating", key)
            return None
        if item is not None and department.id != item.initiating_department_id:
            owner = self.directory.by_id.get(item.initiating_department_id)
            name = owner.name if owner is not None else "?"
            self.problem("initiating", "annual.reason.not_initiator", department=name)
        return department.id

    def _cooperating(self, item: Item | None, initiating: int | None) -> list[str] | None:
        members = self.directory.members.get(item.id, {}) if item is not None else {}
        expected = [d for d in self.directory.by_id.values() if members.get(d.id) == "cooperating"]
        words = annual_sheet.split_list(self.sheet.cell(self.cells, "cooperating"))
        if not words:  # an empty cell: the departments the item list names
            return [d.code for d in expected]
        listed: list[Department] = []
        for word in words:
            department = self._department(word)
            if department is None:
                self.problem("cooperating", "annual.reason.unknown_cooperating", name=word)
            elif department.id == initiating or department in listed:
                continue
            elif item is not None and department.id not in members:
                self.problem("cooperating", "annual.reason.not_in_item", name=department.name)
            else:
                listed.append(department)
        left = [d.name for d in expected if d not in listed]
        if left and item is not None and not self.failed:
            heading = self.sheet.heading("cooperating")
            names = {"names": "、".join(left)}
            note = Problem(self.number, heading, "", "annual.note.cooperating_left_out", names)
            self.check.notes.append(note)
        return [d.code for d in listed]

    def _ratio(self, item: Item | None) -> str | None:
        text = self.sheet.cell(self.cells, "ratio") or (item.ratio or "" if item else "")
        if not text:
            if item is not None:
                self.problem("ratio", "annual.reason.no_ratio")
            return None
        try:
            return annual_sheet.parse_ratio_cell(text)
        except DomainError as exc:
            self.problem("ratio", exc.key, **exc.params)
            return None

    def _frequency(self) -> str | None:
        text = self.sheet.cell(self.cells, "frequency")
        if len(text) > MAX_FREQUENCY:
            self.problem("frequency", "annual.reason.too_long", limit=MAX_FREQUENCY)
        return text or None

    def _window(self) -> Window | None:
        text = self.sheet.cell(self.cells, "window")
        if not text:
            self.problem("window", "annual.reason.empty")
            return None
        try:
            return annual_sheet.parse_window(text, self.check.year)
        except DomainError as exc:
            self.problem("window", exc.key, **exc.params)
            return None


def window_dates(row: CheckedRow) -> tuple[int | None, date | None, date | None]:
    """How a row's window is stored: the quarter alone, or the two dates."""
    if row.window.quarter is not None:
        return row.window.quarter, None, None
    return None, row.window.start, row.window.end
