"""Proposals to list an unreachable enterprise in the abnormal-operations list (经营异常名录).

A part published with the "unreachable" category (通过登记的住所（经营场所）无法联系)
proposes its enterprise to the registration department, to be settled within a number of
working days (local practice) on the official calendar. The office marks a proposal
listed (列入) or dropped (不予列入) and exports the list for the registration department.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AbnormalProposal,
    Assignment,
    Department,
    Enterprise,
    InspectionResult,
    ResultCategory,
    ResultCategoryLink,
)
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.calendar_store import calendar
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.policy import ABNORMAL_PROPOSAL_WORKING_DAYS
from services.common.rows import existing
from services.publicity import office
from services.records.export import neutralise

UNREACHABLE = "unreachable"
STATUSES = ("open", "listed", "dropped")
STATUS_ZH = {"open": "待办理", "listed": "已列入", "dropped": "不予列入"}
HEADERS_ZH = (
    "企业名称",
    "统一社会信用代码",
    "住所（经营场所）",
    "检查实施机关",
    "检查日期",
    "建议日期",
    "办理期限",
    "状态",
)
MAX_NOTE = 500


async def _carries_unreachable(session: AsyncSession, result_id: int) -> bool:
    found = await session.scalar(
        select(ResultCategoryLink.result_id)
        .join(ResultCategory, ResultCategory.id == ResultCategoryLink.category_id)
        .where(ResultCategoryLink.result_id == result_id, ResultCategory.code == UNREACHABLE)
    )
    return found is not None


async def _audit(
    session: AsyncSession, actor: str, action: str, proposal: AbnormalProposal, now: datetime
) -> None:
    await audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        object_type="abnormal_proposal",
        object_id=proposal.id,
        after={
            "result": proposal.result_id,
            "status": proposal.status,
            "proposed_on": proposal.proposed_on.isoformat(),
            "due": proposal.due.isoformat(),
            "note": proposal.note,
        },
    )


async def propose_if_unreachable(
    session: AsyncSession,
    result: InspectionResult,
    today: date,
    now: datetime,
    *,
    days: int = ABNORMAL_PROPOSAL_WORKING_DAYS,
) -> AbnormalProposal | None:
    """Propose the enterprise of a published unreachable part for listing (once per part)."""
    if result.status != "published" or not await _carries_unreachable(session, result.id):
        return None
    found = await session.scalar(
        select(AbnormalProposal).where(AbnormalProposal.result_id == result.id)
    )
    if found is not None and found.status != "dropped":
        return found
    due = (await calendar(session)).add_working_days(today, days).day
    if found is not None:
        # Dropped after a correction, then corrected back: proposed afresh.
        found.status, found.proposed_on, found.due = "open", today, due
        found.closed_on, found.note = None, None
        proposal = found
    else:
        enterprise_id = await session.scalar(
            select(Assignment.enterprise_id).where(Assignment.id == result.assignment_id)
        )
        assert enterprise_id is not None
        proposal = AbnormalProposal(
            result_id=result.id,
            enterprise_id=enterprise_id,
            proposed_on=today,
            due=due,
            status="open",
        )
        try:
            async with session.begin_nested():
                session.add(proposal)
        except IntegrityError:
            # Proposed by a publication at the same moment: that proposal stands.
            return await session.scalar(
                select(AbnormalProposal).where(AbnormalProposal.result_id == result.id)
            )
    await _audit(session, "system", "abnormal.propose", proposal, now)
    name = await session.scalar(
        select(Enterprise.name).where(Enterprise.id == proposal.enterprise_id)
    )
    await office.tell(
        session,
        await office.coordinators(session),
        kind="abnormal.proposed",
        ref=f"abnormal:{proposal.id}:proposed:{today.isoformat()}",
        key="abnormal.proposed_notice",
        params={"enterprise": name or "", "due": due.isoformat(), "id": proposal.id},
        now=now,
    )
    return proposal


async def after_correction(
    session: AsyncSession,
    result: InspectionResult,
    codes: set[str],
    today: date,
    now: datetime,
    *,
    days: int = ABNORMAL_PROPOSAL_WORKING_DAYS,
) -> None:
    """Open a proposal when a correction adds "unreachable"; drop an open one it removes."""
    if UNREACHABLE in codes:
        await propose_if_unreachable(session, result, today, now, days=days)
        return
    found = await session.scalar(
        select(AbnormalProposal).where(
            AbnormalProposal.result_id == result.id, AbnormalProposal.status == "open"
        )
    )
    if found is not None:
        found.status, found.closed_on, found.note = "dropped", today, "更正后不再适用"
        await _audit(session, "system", "abnormal.drop", found, now)


@dataclass(frozen=True)
class ProposalRow:
    """A proposal with what the registration department needs."""

    id: int
    enterprise: str
    credit_code: str
    address: str | None
    department: str
    checked_on: date | None
    proposed_on: date
    due: date
    status: str
    note: str | None

    def overdue(self, today: date) -> bool:
        """Whether an open proposal is past its deadline."""
        return self.status == "open" and self.due < today

    def cells(self) -> list[str]:
        """The row's cells in the order of HEADERS_ZH."""
        return [
            self.enterprise,
            self.credit_code,
            self.address or "",
            self.department,
            "" if self.checked_on is None else self.checked_on.isoformat(),
            self.proposed_on.isoformat(),
            self.due.isoformat(),
            STATUS_ZH.get(self.status, self.status),
        ]


def _rows() -> Select[*tuple[Any, ...]]:
    return (
        select(
            AbnormalProposal,
            Enterprise.name,
            Enterprise.credit_code,
            Enterprise.address,
            Department.name,
            InspectionResult.checked_on,
        )
        .join(Enterprise, Enterprise.id == AbnormalProposal.enterprise_id)
        .join(InspectionResult, InspectionResult.id == AbnormalProposal.result_id)
        .join(Department, Department.id == InspectionResult.department_id)
    )


async def proposals(
    session: AsyncSession, actor: Actor | None, status: str | None = "open"
) -> list[ProposalRow]:
    """Proposals in a status (None: all), the earliest deadline first (the office)."""
    if actor is not None:
        require_role(actor, "coordinator")
    stmt = _rows()
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput("abnormal.bad_status", status=status[:20])
        stmt = stmt.where(AbnormalProposal.status == status)
    rows = await session.execute(stmt.order_by(AbnormalProposal.due, AbnormalProposal.id))
    return [
        ProposalRow(
            p.id, name, code, address, dept, checked, p.proposed_on, p.due, p.status, p.note
        )
        for p, name, code, address, dept, checked in rows
    ]


async def mark(
    session: AsyncSession,
    actor: Actor | None,
    proposal_id: int,
    status: str,
    today: date,
    now: datetime,
    note: str | None = None,
) -> AbnormalProposal:
    """Mark an open proposal listed or dropped (with an optional note)."""
    if actor is not None:
        require_role(actor, "coordinator")
    if status not in ("listed", "dropped"):
        raise InvalidInput("abnormal.bad_status", status=status[:20])
    proposal = await existing(
        session, AbnormalProposal, proposal_id, "abnormal.not_found", lock=True
    )
    if proposal.status != "open":
        raise Conflict("abnormal.closed", id=proposal_id)
    proposal.status, proposal.closed_on = status, today
    text = (note or "").strip()
    if text:
        proposal.note = text[:MAX_NOTE]
    await _audit(session, audit_name(actor), f"abnormal.{status}", proposal, now)
    return proposal


async def proposal(session: AsyncSession, actor: Actor | None, proposal_id: int) -> ProposalRow:
    """One proposal (the office)."""
    if actor is not None:
        require_role(actor, "coordinator")
    row = (await session.execute(_rows().where(AbnormalProposal.id == proposal_id))).first()
    if row is None:
        raise NotFound("abnormal.not_found", id=proposal_id)
    p, name, code, address, dept, checked = row
    return ProposalRow(
        p.id, name, code, address, dept, checked, p.proposed_on, p.due, p.status, p.note
    )


def to_csv(rows: list[ProposalRow]) -> bytes:
    """UTF-8 CSV with a BOM (so that Excel reads the Chinese), formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS_ZH)
    for row in rows:
        writer.writerow([neutralise(c) for c in row.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[ProposalRow]) -> bytes:
    """The workbook for the registration department: one row per proposal."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "经营异常名录建议"
    sheet.append(list(HEADERS_ZH))
    for row in rows:
        sheet.append([neutralise(c) for c in row.cells()])
    for column, width in zip("ABCDEFGH", (36, 22, 40, 24, 12, 12, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
