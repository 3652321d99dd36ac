"""Results of checks done before JointCheck, imported from a CSV or XLSX results file.

The file is read whole and checked row by row before anything is written: one bad row
refuses the file and nothing is imported (all-or-nothing, like every import). Imported
results go to `past_results`, never into draws or assignments that did not happen.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Enterprise, ResultCategory
from models.records import PastResult
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.clock import SHANGHAI
from services.common.dates import parse_date
from services.common.errors import Conflict, DomainError, InvalidInput
from services.common.numbers import read_int
from services.common.text import strip_unsafe
from services.directory import creditcode
from services.directory.imports.formats import open_table
from services.directory.imports.limits import Limits

MAX_ROWS = 10_000  # a district's history before JointCheck; far more is the wrong file
MAX_COUNT = 100_000
# Each column by its Chinese header, with the English one a file may use instead.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("统一社会信用代码", "credit code"),
    "plan": ("抽查计划", "plan"),
    "date": ("检查日期", "check date"),
    "categories": ("检查结果", "result"),
    "problems": ("问题数", "problems"),
    "notices": ("责令整改数", "orders to correct"),
    "cases": ("立案数", "cases"),
}
_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass(frozen=True)
class FileRows:
    """The cells of a results file by column name, with each row's number in the file."""

    rows: list[tuple[int, dict[str, str]]]
    sha256: str


def _header_map(header: list[str]) -> dict[str, int]:
    seen = [h.strip().lower() for h in header]
    where: dict[str, int] = {}
    for name, titles in COLUMNS.items():
        found = [i for i, h in enumerate(seen) if h in (t.lower() for t in titles)]
        if not found:
            raise InvalidInput("past.missing_column", column=titles[0])
        where[name] = found[0]
    return where


def read_file(path: Path, limits: Limits | None = None) -> FileRows:
    """Read a results file (CSV or XLSX) into rows, refusing a file that cannot be read."""
    try:
        return _read(path, limits or Limits())
    except OSError:
        raise InvalidInput("past.unreadable", file=path.name) from None


def _read(path: Path, limits: Limits) -> FileRows:
    out: list[tuple[int, dict[str, str]]] = []
    where: dict[str, int] | None = None
    with open_table(path, limits) as table:
        while batch := table.read(1000):
            for i, cells in enumerate(batch.cells):
                if where is None:
                    where = _header_map(cells)
                    continue
                if not any(c.strip() for c in cells):
                    continue  # blank lines at the end of a sheet
                if len(out) >= MAX_ROWS:
                    raise InvalidInput("past.too_many", limit=MAX_ROWS)
                row = {n: (cells[j] if j < len(cells) else "").strip() for n, j in where.items()}
                out.append((batch.number(i), row))
        digest = table.sha256()
    if where is None or not out:
        raise InvalidInput("past.no_rows")
    return FileRows(out, digest)


async def _category_codes(session: AsyncSession) -> dict[str, str]:
    rows = (await session.scalars(select(ResultCategory))).all()
    names: dict[str, str] = {}
    for c in rows:
        for alias in (c.code, c.name_zh, c.name_en):
            names[alias.strip().lower()] = c.code
    return names


def _count(row: int, column: str, text: str) -> int:
    value = 0 if text == "" else read_int(text, 0, MAX_COUNT)
    if value is None:
        raise InvalidInput("past.bad_count", row=row, column=column, value=text, high=MAX_COUNT)
    return value


def _one(
    number: int,
    row: dict[str, str],
    enterprises: dict[str, int],
    categories: dict[str, str],
    today: date,
) -> PastResult:
    try:
        code = creditcode.validate(row["code"])
    except creditcode.InvalidCreditCode:
        raise InvalidInput("past.bad_code", row=number, value=row["code"]) from None
    if code not in enterprises:
        raise InvalidInput("past.unknown_enterprise", row=number, value=code)
    plan = strip_unsafe(row["plan"]).strip()
    if not plan or len(plan) > 200:
        raise InvalidInput("past.bad_plan", row=number)
    try:
        checked_on = parse_date(row["date"])
    except DomainError:
        raise InvalidInput("past.bad_date", row=number, value=row["date"]) from None
    if checked_on > today:
        raise InvalidInput("past.bad_date", row=number, value=row["date"])
    words = [w for w in _SPLIT.split(row["categories"]) if w]
    unknown = [w for w in words if w.lower() not in categories]
    if unknown or not words:
        raise InvalidInput("past.bad_category", row=number, value=row["categories"])
    return PastResult(
        enterprise_id=enterprises[code],
        plan_name=plan,
        checked_on=checked_on,
        categories=",".join(dict.fromkeys(categories[w.lower()] for w in words)),
        problems=_count(number, COLUMNS["problems"][0], row["problems"]),
        notices=_count(number, COLUMNS["notices"][0], row["notices"]),
        cases=_count(number, COLUMNS["cases"][0], row["cases"]),
    )


async def _enterprises(session: AsyncSession, rows: FileRows) -> dict[str, int]:
    codes = {creditcode.normalize(r["code"]) for _, r in rows.rows}
    found: dict[str, int] = {}
    listed = sorted(codes)
    for start in range(0, len(listed), 500):  # bounded IN lists on both databases
        chunk = listed[start : start + 500]
        stmt = select(Enterprise.credit_code, Enterprise.id).where(
            Enterprise.credit_code.in_(chunk)
        )
        found.update({c: i for c, i in await session.execute(stmt)})
    return found


async def import_results(
    session: AsyncSession,
    actor: Actor | None,
    path: Path,
    now: datetime,
    limits: Limits | None = None,
) -> int:
    """Import every row of a results file, or none of them; return how many were imported."""
    if actor is not None:
        require_role(actor, "coordinator")
    rows = await asyncio.to_thread(read_file, path, limits)
    done = await session.scalar(
        select(PastResult.id).where(PastResult.source_sha256 == rows.sha256).limit(1)
    )
    if done is not None:
        raise Conflict("past.already_imported", file=path.name)
    enterprises = await _enterprises(session, rows)
    categories = await _category_codes(session)
    today = now.astimezone(SHANGHAI).date()
    checked = [_one(n, r, enterprises, categories, today) for n, r in rows.rows]
    for result in checked:
        result.source, result.source_sha256, result.imported_at = path.name[:255], rows.sha256, now
    session.add_all(checked)
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="past_results.import",
        object_type="past_results",
        after={"file": path.name, "sha256": rows.sha256, "rows": len(checked)},
    )
    return len(checked)
