"""Export each list with the headers its import accepts, and write templates.

An export imports back unchanged: values are written the way the import reads them
(statuses in Chinese, 是/否, dates as 2024-05-01, departments by name, lists with 、).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import CheckPoint, Department, Enterprise, Inspector, Item, ItemDepartment, Recusal
from services.accounts.actors import Actor, require_role
from services.common.errors import InvalidInput
from services.directory.creditcode import make_code
from services.directory.imports.columns import SPECS, KindSpec
from services.directory.imports.values import LABELS
from services.directory.imports.writers import open_writer

STREAM = 5000  # rows fetched at a time
STEP = 1000  # rows written between two calls of the progress callback
# Columns kept as text in XLSX (Excel would turn long digit strings into numbers).
TEXT_FIELDS = {"code", "item_code", "credit_code", "cert_no", "contact_phone", "phone"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _label(vocabulary: str) -> Callable[[Any], str]:
    return lambda value: LABELS[vocabulary].get(value, _text(value))


# How each stored value is written, by kind and field (others: as text).
_FORMATS: dict[tuple[str, str], Callable[[Any], str]] = {
    ("departments", "active"): _label("active"),
    ("items", "active"): _label("active"),
    ("items", "kind"): _label("item_kind"),
    ("enterprises", "status"): _label("enterprise_status"),
    ("inspectors", "status"): _label("inspector_status"),
    ("inspectors", "is_expert"): _label("yes_no"),
}


async def _departments(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    for d in await session.scalars(select(Department).order_by(Department.code)):
        yield {"code": d.code, "name": d.name, "active": d.active}


async def _items(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    rows = await session.execute(select(Department.id, Department.name))
    names: dict[int, str] = {department_id: name for department_id, name in rows}
    cooperating: dict[int, list[str]] = {}
    links = await session.execute(
        select(ItemDepartment.item_id, ItemDepartment.department_id)
        .where(ItemDepartment.role == "cooperating")
        .order_by(ItemDepartment.item_id, ItemDepartment.department_id)
    )
    for item_id, department_id in links:
        cooperating.setdefault(item_id, []).append(names[department_id])
    for item in await session.scalars(select(Item).order_by(Item.code)):
        row = {c.field: getattr(item, c.field, None) for c in SPECS["items"].columns}
        row["initiating"] = names[item.initiating_department_id]
        row["cooperating"] = cooperating.get(item.id, [])
        yield row


async def _enterprises(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    fields = [c.field for c in SPECS["enterprises"].columns]
    table = Enterprise.__table__
    result = await session.stream(
        select(*(table.c[f] for f in fields))
        .order_by(table.c.credit_code)
        .execution_options(yield_per=STREAM)
    )
    async for row in result:
        yield dict(zip(fields, row, strict=True))


async def _inspectors(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    rows = await session.execute(
        select(Inspector, Department.name)
        .join(Department, Department.id == Inspector.department_id)
        .order_by(Inspector.cert_no)
    )
    for inspector, department in rows:
        row = {c.field: getattr(inspector, c.field, None) for c in SPECS["inspectors"].columns}
        row["department"] = department
        yield row


async def _recusals(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    person, firm = aliased(Inspector), aliased(Enterprise)
    rows = await session.execute(
        select(person.cert_no, person.name, firm.credit_code, firm.name, Recusal.reason)
        .join(person, person.id == Recusal.inspector_id)
        .join(firm, firm.id == Recusal.enterprise_id)
        .order_by(person.cert_no, firm.credit_code)
    )
    for cert, inspector_name, code, enterprise_name, reason in rows:
        yield {
            "cert_no": cert,
            "inspector_name": inspector_name,
            "credit_code": code,
            "enterprise_name": enterprise_name,
            "reason": reason,
        }


async def _checkpoints(session: AsyncSession) -> AsyncIterator[dict[str, Any]]:
    rows = await session.execute(
        select(Item.code, Item.name, CheckPoint)
        .join(Item, Item.id == CheckPoint.item_id)
        .order_by(Item.code, CheckPoint.seq)
    )
    for code, name, point in rows:
        yield {
            "item_code": code,
            "item_name": name,
            "seq": point.seq,
            "content": point.content,
            "method": point.method,
            "basis": point.basis,
        }


_ROWS = {
    "departments": _departments,
    "items": _items,
    "enterprises": _enterprises,
    "inspectors": _inspectors,
    "recusals": _recusals,
    "checkpoints": _checkpoints,
}


def _spec(kind: str) -> KindSpec:
    if kind not in SPECS:
        raise InvalidInput("import.unknown_kind", kinds=", ".join(SPECS))
    return SPECS[kind]


def _text_columns(spec: KindSpec) -> list[int]:
    return [i for i, c in enumerate(spec.columns) if c.field in TEXT_FIELDS]


_TABLES = {
    "departments": Department,
    "items": Item,
    "enterprises": Enterprise,
    "inspectors": Inspector,
    "recusals": Recusal,
    "checkpoints": CheckPoint,
}


async def count_rows(session: AsyncSession, kind: str) -> int:
    """How many rows an export of `kind` writes (for a progress bar's total)."""
    _spec(kind)
    return await session.scalar(select(func.count()).select_from(_TABLES[kind])) or 0


async def export_kind(
    session: AsyncSession,
    actor: Actor | None,
    kind: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a list to `path` (XLSX for .xlsx, otherwise CSV); the number of rows written.

    `progress` is called with the rows written since its last call, every `STEP` rows.
    """
    if actor is not None:
        require_role(actor, "coordinator")
    spec = _spec(kind)
    count = 0
    with open_writer(path, _text_columns(spec)) as out:
        out.write([c.header for c in spec.columns])
        async for row in _ROWS[kind](session):
            out.write(
                [_FORMATS.get((kind, c.field), _text)(row.get(c.field)) for c in spec.columns]
            )
            count += 1
            if progress is not None and count % STEP == 0:
                progress(STEP)
    if progress is not None and count % STEP:
        progress(count % STEP)
    return count


EXAMPLE_CODE = make_code("91630202MA0000001")
EXAMPLES: dict[str, dict[str, str]] = {
    "departments": {"code": "SCJG", "name": "市场监管局", "active": "启用"},
    "items": {
        "code": "LD-001",
        "name": "食品经营行为检查",
        "sub_item": "食品经营许可情况",
        "legal_basis": "《中华人民共和国食品安全法》第一百一十条",
        "initiating": "市场监管局",
        "cooperating": "卫生健康局、公安局",
        "object_type": "食品经营者",
        "ratio": "5%",
        "frequency": "每年一次",
        "method": "现场检查",
        "inspector_requirements": "持有效执法证",
        "kind": "重点",
        "level": "县级",
        "notes": "",
        "active": "启用",
    },
    "enterprises": {
        "name": "乐都区示例商贸有限公司",
        "credit_code": EXAMPLE_CODE,
        "legal_rep": "张三",
        "address": "海东市乐都区碾伯镇古城大街1号",
        "district": "碾伯镇",
        "industry": "批发和零售业",
        "object_type": "食品经营者",
        "contact_person": "李四",
        "contact_phone": "13909720000",
        "risk_class": "B",
        "status": "存续",
        "last_checked_on": "2024-05-01",
    },
    "inspectors": {
        "name": "王五",
        "department": "市场监管局",
        "cert_no": "63020100001",
        "cert_expiry": "2027-12-31",
        "fields": "食品、药品",
        "post": "执法人员",
        "phone": "0972-8612345",
        "status": "在岗",
        "is_expert": "否",
    },
    "recusals": {
        "cert_no": "63020100001",
        "inspector_name": "王五",
        "credit_code": EXAMPLE_CODE,
        "enterprise_name": "乐都区示例商贸有限公司",
        "reason": "近亲属在该企业任职",
    },
    "checkpoints": {
        "item_code": "LD-001",
        "item_name": "食品经营行为检查",
        "seq": "1",
        "content": "是否取得食品经营许可证，许可证是否在有效期内，是否悬挂于经营场所显著位置",
        "method": "查验食品经营许可证原件，核对经营场所、经营项目与许可证载明事项是否一致",
        "basis": "《中华人民共和国食品安全法》第三十五条",
    },
}


def write_template(kind: str, path: Path) -> None:
    """Write the headers of a list and one example row (XLSX for .xlsx, otherwise CSV)."""
    spec = _spec(kind)
    with open_writer(path, _text_columns(spec)) as out:
        out.write([c.header for c in spec.columns])
        out.write([EXAMPLES[kind].get(c.field, "") for c in spec.columns])
