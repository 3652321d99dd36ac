"""The annual joint plan's sheet as clerks keep it, read into cells and parsed cell by cell.

The sheet (CSV or XLSX, read by the import readers within their limits): a title line, a
line with the document number and the year (`发文文号：乐市监联办〔2026〕1号`, `年度：2026`,
as one cell or a label cell followed by its value), then the table with one row per
joint task. The year and document number may instead be columns of the table (the same
in every row). The format: docs/annual-plan.md; template: examples/annual_plan.csv.
Nothing here touches the database (`annual_import` checks the codes, `annual` writes).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from services.common.dates import parse_date
from services.common.errors import DomainError, InvalidInput
from services.common.text import strip_unsafe
from services.directory.imports.columns import fold_header
from services.directory.imports.formats import open_table
from services.directory.imports.limits import Limits

MAX_ROWS = 2000  # a county's year has dozens of joint tasks; thousands is the wrong file
HEADER_SEARCH = 10  # lines above the table: title, document number, year
# Each column by its Chinese header, then the other names accepted (compared folded).
COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("年度", "year"),
    "doc_number": ("发文文号", "文号", "document number", "doc number"),
    "seq": ("序号", "no.", "no", "seq"),
    "item": ("事项编码", "抽查事项编码", "item code"),
    "item_name": ("抽查事项", "事项名称", "item"),
    "initiating": ("发起部门", "initiating department"),
    "cooperating": ("配合部门", "cooperating departments"),
    "ratio": ("抽查比例", "比例", "ratio"),
    "frequency": ("抽查频次", "频次", "frequency"),
    "window": ("季度/时间窗口", "季度", "时间窗口", "抽查时间", "quarter or window", "window"),
}
REQUIRED = ("item", "initiating", "window")
_FOLDED = {name: {fold_header(h) for h in names} for name, names in COLUMNS.items()}
_LABELS = {"year": _FOLDED["year"], "doc_number": _FOLDED["doc_number"]}
_QUARTER = re.compile(r"^(?:(\d{4})年?)?第?([一二三四1-4])(?:季度?)?$|^(?:(\d{4})年?)?q([1-4])$")
_HALVES = {"上半年": (1, 6), "下半年": (7, 12), "全年": (1, 12), "年内": (1, 12), "全年度": (1, 12)}
_DATES = re.compile(r"^(\d{4}\D\d{1,2}\D\d{1,2}日?)(?:至|到|~|-|—|–)(\d{4}\D\d{1,2}\D\d{1,2}日?)$")
_MONTHS = re.compile(r"^(\d{1,2})月?份?(?:至|到|~|-|—|–)(\d{1,2})月份?$|^(\d{1,2})月份?$")
_YEAR_IN = re.compile(r"(20\d{2})\s*年")
_YEAR_IN_NUMBER = re.compile(r"[〔\[(【](\d{4})[〕\])】]")
_ABOVE = re.compile(r"^(?:不低于|不少于|≥|>=)")
_CHINESE_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass
class Sheet:
    """A plan's file read: the lines above the table, its header and rows, the hash."""

    meta: dict[str, str]  # year / doc_number / title, as found above the table
    header: list[str]
    where: dict[str, int]  # column name -> position in the header
    rows: list[tuple[int, list[str]]]  # (row number in the file, cells)
    sha256: str
    refused: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row -> (col, key)

    def cell(self, cells: list[str], name: str) -> str:
        """A row's cell of a named column, trimmed ("" when the column is absent)."""
        position = self.where.get(name)
        if position is None or position >= len(cells):
            return ""
        return strip_unsafe(cells[position]).strip()

    def heading(self, name: str) -> str:
        """The column's header as written in the file (or its Chinese name when absent)."""
        position = self.where.get(name)
        return self.header[position].strip() if position is not None else COLUMNS[name][0]


def normal(text: str) -> str:
    """Half-width, without spaces: how codes, ratios and windows are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def read_sheet(path: Path, limits: Limits | None = None) -> Sheet:
    """Read a plan's file (CSV or XLSX) within the limits; refuse what is not a plan."""
    try:
        return _read(path, limits or Limits())
    except OSError as exc:
        raise InvalidInput("import.cannot_read", error=exc.strerror or str(exc)) from None


def _read(path: Path, limits: Limits) -> Sheet:
    above: list[list[str]] = []
    sheet: Sheet | None = None
    with open_table(path, limits) as table:
        while batch := table.read(500):
            for index, cells in enumerate(batch.cells):
                number = batch.number(index)
                if sheet is None:
                    where = _header(cells)
                    if where is None:
                        if number > HEADER_SEARCH:
                            raise InvalidInput("annual.no_header", columns=_required_names())
                        above.append(cells)
                        continue
                    sheet = Sheet(_meta(above), cells, where, [], "")
                    continue
                if not any(c.strip() for c in cells):
                    continue  # blank lines between or after the rows
                if len(sheet.rows) >= MAX_ROWS:
                    raise InvalidInput("annual.too_many_rows", limit=MAX_ROWS)
                sheet.rows.append((number, cells))
                for position, reason in batch.refused.get(index, {}).items():
                    sheet.refused.setdefault(number, []).append((position, reason.key))
        digest = table.sha256()
    if sheet is None:
        raise InvalidInput("annual.no_header", columns=_required_names())
    if not sheet.rows:
        raise InvalidInput("annual.no_rows")
    sheet.sha256 = digest
    return sheet


def _required_names() -> str:
    return "、".join(COLUMNS[name][0] for name in REQUIRED)


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column positions when this line is the table's header (names the required ones)."""
    where: dict[str, int] = {}
    for position, cell in enumerate(cells):
        folded = fold_header(cell)
        for name, names in _FOLDED.items():
            if folded in names and name not in where:
                where[name] = position
                break
    return where if all(name in where for name in REQUIRED) else None


def _meta(lines: list[list[str]]) -> dict[str, str]:
    """The title, year and document number written above the table."""
    found: dict[str, str] = {}
    for cells in lines:
        texts = [strip_unsafe(c).strip() for c in cells]
        labelled = False
        for position, text in enumerate(texts):
            label, colon, value = unicodedata.normalize("NFKC", text).partition(":")
            for name, labels in _LABELS.items():
                if fold_header(label) not in labels:
                    continue
                labelled = True
                if not colon:  # the value is in the next non-empty cell
                    value = next((t for t in texts[position + 1 :] if t), "")
                found.setdefault(name, value.strip())
        first = next((t for t in texts if t), "")
        if first and not labelled and "title" not in found:
            found["title"] = first
    return found


def year_of(meta: dict[str, str]) -> int | None:
    """The plan's year: written as such, else in the title (2026年度), else the number."""
    for text, pattern in (
        (meta.get("year", ""), re.compile(r"^(\d{4})\s*年?度?$")),
        (meta.get("title", ""), _YEAR_IN),
        (unicodedata.normalize("NFKC", meta.get("doc_number", "")), _YEAR_IN_NUMBER),
    ):
        match = pattern.search(text.strip())
        if match and 2000 <= int(match.group(1)) <= 2100:
            return int(match.group(1))
    return None


def parse_ratio_cell(text: str) -> str:
    """A sampling ratio as written (5%, 0.05, 不低于5%) as a decimal string such as "0.05"."""
    value = _ABOVE.sub("", normal(text))
    percent = value.endswith("%")
    number = value.rstrip("%")
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", number):
        raise InvalidInput("annual.reason.bad_ratio")
    try:
        amount = Decimal(number) / (100 if percent else 1)
    except InvalidOperation:
        raise InvalidInput("annual.reason.bad_ratio") from None
    if not 0 < amount <= 1:
        raise InvalidInput("annual.reason.bad_ratio")
    shown = format(amount.normalize(), "f")
    if len(shown) > 12:  # the plan's bound (services.draw.plans.MAX_RATIO_CHARS)
        raise InvalidInput("annual.reason.bad_ratio")
    return shown


def percent(ratio: str | None) -> str:
    """A stored ratio ("0.05") as people write it ("5%")."""
    try:
        value = Decimal(ratio or "") * 100
    except InvalidOperation:
        return ratio or "-"
    return f"{format(value.normalize(), 'f')}%"


@dataclass(frozen=True)
class Window:
    """When a row's batch is checked: a quarter of the year, or the dates given."""

    quarter: int | None
    start: date
    end: date


def quarter_window(year: int, quarter: int) -> Window:
    """The dates of a quarter."""
    first = 3 * quarter - 2
    last = calendar.monthrange(year, first + 2)[1]
    return Window(quarter, date(year, first, 1), date(year, first + 2, last))


def parse_window(text: str, year: int) -> Window:
    """A quarter (第二季度, 二季度, Q2, 2), a half (上半年), months (3-5月) or two dates."""
    value = normal(text).lower()
    quarter = _QUARTER.match(value)
    if quarter:
        written = quarter.group(1) or quarter.group(3)
        number = quarter.group(2) or quarter.group(4)
        if written and int(written) != year:
            raise InvalidInput("annual.reason.window_outside_year", year=year)
        return quarter_window(year, _CHINESE_QUARTER.get(number) or int(number))
    months = _HALVES.get(value.removeprefix(str(year)).removeprefix("年"))
    found = _MONTHS.match(value)
    if months is None and found:
        low = found.group(1) or found.group(3)
        months = (int(low), int(found.group(2) or low))
    if months is not None:
        low, high = months
        if not 1 <= low <= high <= 12:
            raise InvalidInput("annual.reason.bad_window")
        return Window(
            None, date(year, low, 1), date(year, high, calendar.monthrange(year, high)[1])
        )
    dates = _DATES.match(value)
    if not dates:
        raise InvalidInput("annual.reason.bad_window")
    try:
        start, end = parse_date(dates.group(1)), parse_date(dates.group(2))
    except DomainError:
        raise InvalidInput("annual.reason.bad_window") from None
    if end < start:
        raise InvalidInput("annual.reason.bad_window")
    if start.year != year or end.year != year:
        raise InvalidInput("annual.reason.window_outside_year", year=year)
    return Window(None, start, end)


def split_list(text: str) -> list[str]:
    """Departments listed in one cell (、 , ， ; ； / or spaces between them)."""
    return [p for p in re.split(r"[、,，;；/\s]+", strip_unsafe(text).strip()) if p]


TEMPLATE_TITLE = "乐都区2026年度部门联合双随机抽查计划"
TEMPLATE_DOCUMENT = ("发文文号", "乐市监联办〔2026〕1号", "年度", "2026")
TEMPLATE_HEADER = (
    "序号",
    "事项编码",
    "抽查事项",
    "发起部门",
    "配合部门",
    "抽查比例",
    "抽查频次",
    "季度/时间窗口",
)
TEMPLATE_ROWS = (
    (
        "1",
        "LD-003",
        "餐饮服务食品安全检查",
        "市场监管局",
        "卫生健康局",
        "5%",
        "每年1次",
        "第二季度",
    ),
    (
        "2",
        "LD-006",
        "娱乐场所经营活动检查",
        "文体旅游广电局",
        "公安局",
        "10%",
        "每年1次",
        "第三季度",
    ),
    ("3", "LD-005", "特种设备使用安全检查", "市场监管局", "应急管理局", "5%", "每年1次", "9-11月"),
    ("4", "LD-008", "旅馆业治安管理检查", "公安局", "卫生健康局", "8%", "每年1次", "下半年"),
)


def write_template(path: Path) -> None:
    """Write the template (the demo district's example plan): CSV, or XLSX by the name."""
    from services.directory.imports.writers import open_writer

    with open_writer(path, text_columns=range(len(TEMPLATE_HEADER))) as out:
        out.write([TEMPLATE_TITLE])
        out.write(TEMPLATE_DOCUMENT)
        out.write(TEMPLATE_HEADER)
        for row in TEMPLATE_ROWS:
            out.write(row)
