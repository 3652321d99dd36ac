"""Files as clerks have them, and the calls tests of the import feature share."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from models import Department, Enterprise, User, UserRole
from services.directory import creditcode
from services.directory.imports import ImportReport, Options, import_file
from tests.helpers import console_account

ENTERPRISE_HEADER = [
    "企业名称",
    "统一社会信用代码",
    "法定代表人",
    "住所",
    "所属区域",
    "行业",
    "对象类型",
    "联系人",
    "联系电话",
    "信用风险等级",
    "经营状态",
    "最近检查日期",
]


def code(n: int) -> str:
    """A valid credit code numbered n."""
    return creditcode.make_code(f"91630202{n:09d}")


def enterprise_row(n: int, **changes: str) -> list[str]:
    """An enterprise row as a clerk's list has it."""
    row = {
        "企业名称": f"乐都区测试{n}商贸有限公司",
        "统一社会信用代码": code(n),
        "法定代表人": "张三",
        "住所": f"海东市乐都区碾伯镇古城大街{n}号",
        "所属区域": "碾伯镇",
        "行业": "批发和零售业",
        "对象类型": "食品经营者",
        "联系人": "李四",
        "联系电话": f"139{n:08d}",
        "信用风险等级": "ABCD"[n % 4],
        "经营状态": "存续",
        "最近检查日期": "2024-05-01" if n % 2 else "",
    }
    row.update(changes)
    return [row[h] for h in ENTERPRISE_HEADER]


def enterprise_rows(count: int, start: int = 1) -> list[list[str]]:
    """Rows of `count` enterprises numbered from `start`."""
    return [enterprise_row(n) for n in range(start, start + count)]


def csv_bytes(
    header: Sequence[str], rows: Sequence[Sequence[str]], encoding: str = "utf-8"
) -> bytes:
    """A CSV file's bytes in an encoding (utf-8, utf-8-sig, gbk ...)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8"
) -> Path:
    """Write a CSV file and return its path."""
    path.write_bytes(csv_bytes(header, [[str(c) for c in r] for r in rows], encoding))
    return path


def write_xlsx(path: Path, header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> Path:
    """Write an XLSX file (cells as given: text, numbers, dates or formulas)."""
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


async def add_departments(app: App, *pairs: tuple[str, str]) -> None:
    """Add departments (code, name)."""
    async with unit_of_work(app.sessions) as session:
        for dept_code, name in pairs or (("SCJG", "市场监管局"), ("GA", "公安局")):
            session.add(Department(code=dept_code, name=name))


async def run_import(
    app: App,
    path: Path,
    kind: str | None = "enterprises",
    *,
    rejects: Path | None = None,
    **options: bool,
) -> ImportReport:
    """Import a file from the command line's side (no actor), in one transaction."""
    async with unit_of_work(app.sessions) as session:
        return await import_file(
            session,
            None,
            kind,
            path,
            app.clock.now(),
            options=Options(**options),
            rejects=rejects,
            render=lambda key, params: t("zh", key, **params),
        )


def counts(report: ImportReport) -> dict[str, int]:
    """The counts of a report, for one-line assertions."""
    return {
        "rows": report.rows,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "deactivated": report.deactivated,
        "rejected": report.rejected,
    }


async def enterprises(app: App) -> list[tuple[Any, ...]]:
    """Every enterprise as a tuple of its columns (no id), by credit code."""
    columns = [c for c in Enterprise.__table__.c if c.name not in ("id", "updated_at")]
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(select(*columns).order_by(Enterprise.credit_code))
        return [tuple(r) for r in rows]


async def user(app: App, login: str, role: str) -> None:
    """A user with one role, bound to the console account `login`."""
    async with unit_of_work(app.sessions) as session:
        person = User(login=login, display_name=login, created_at=app.clock.now())
        session.add(person)
        await session.flush()
        session.add(UserRole(user_id=person.id, role=role))
    await console_account(app, login)


# XLSX files written part by part, streaming, for the files openpyxl would choke on.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
STRINGS_HEAD = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'
STRINGS_TAIL = "</sst>"


def xml_row(number: int, cells: Sequence[str]) -> str:
    """A sheet row of inline strings."""
    inline = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(cells)
    )
    return f'<row r="{number}">{inline}</row>'


def write_raw_xlsx(
    path: Path,
    sheet: Iterable[str | bytes],
    strings: Iterable[str | bytes] = (STRINGS_HEAD, STRINGS_TAIL),
) -> Path:
    """An XLSX whose sheet (and shared strings) are the pieces given, streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for name, pieces in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ):
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    part.write(piece.encode() if isinstance(piece, str) else piece)
    return path


def enterprise_sheet(
    rows: Sequence[Sequence[str]], numbers: Sequence[int] | None = None
) -> list[str]:
    """The pieces of a sheet: the enterprise header in row 1, then the rows (numbered as given)."""
    numbers = numbers or range(2, len(rows) + 2)
    body = [xml_row(n, r) for n, r in zip(numbers, rows, strict=True)]
    return [SHEET_HEAD, xml_row(1, ENTERPRISE_HEADER), *body, SHEET_TAIL]
