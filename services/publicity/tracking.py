"""Open objections and abnormal-operations proposals as deadlines: for the reminders
(services/records/deadlines.py) and the follow-up list (services/records/followup.py).

Imports the models, `office` and the department rule of `records.parts` only, so that the
records subject can ask it without importing the rest of this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AbnormalProposal, Assignment, Enterprise, InspectionResult, Objection
from services.accounts.actors import Actor
from services.common.errors import NotAllowed
from services.publicity import office
from services.records import parts

# Reminders come this many working days before the deadline.
OBJECTION_REMIND_DAYS = 3
ABNORMAL_REMIND_DAYS = 3


@dataclass(frozen=True)
class Tracked:
    """An open objection ("o") or abnormal-operations proposal ("a") with its deadline."""

    kind: str
    id: int
    number: str  # the objection's reference; the enterprise's credit code for a proposal
    enterprise: str
    due: date
    status: str
    department_id: int

    def overdue(self, today: date) -> bool:
        """Whether its deadline has passed."""
        return self.due < today


async def open_tracked(session: AsyncSession) -> list[Tracked]:
    """Every open objection and proposal, the earliest deadline first."""
    objections = await session.execute(
        select(
            Objection.id,
            Objection.reference,
            Enterprise.name,
            Objection.review_due,
            InspectionResult.department_id,
        )
        .join(InspectionResult, InspectionResult.id == Objection.result_id)
        .join(Assignment, Assignment.id == InspectionResult.assignment_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Objection.status == "open")
    )
    proposals = await session.execute(
        select(
            AbnormalProposal.id,
            Enterprise.credit_code,
            Enterprise.name,
            AbnormalProposal.due,
            InspectionResult.department_id,
        )
        .join(Enterprise, Enterprise.id == AbnormalProposal.enterprise_id)
        .join(InspectionResult, InspectionResult.id == AbnormalProposal.result_id)
        .where(AbnormalProposal.status == "open")
    )
    out = [Tracked("o", i, ref, name, due, "open", d) for i, ref, name, due, d in objections]
    out += [Tracked("a", i, code, name, due, "open", d) for i, code, name, due, d in proposals]
    out.sort(key=lambda t: (t.due, t.kind, t.id))
    return out


async def for_followup(session: AsyncSession, actor: Actor | None) -> list[Tracked]:
    """What the actor follows up: the office everything, a reviewer its department's
    objections, anyone else nothing."""
    try:
        department = parts.reviews_department(actor)
    except NotAllowed:
        return []
    found = await open_tracked(session)
    if department is None:
        return found
    return [t for t in found if t.kind == "o" and t.department_id == department]


@dataclass(frozen=True)
class Due:
    """A reminder the deadline sweep should queue: kind, ref, recipients, deadline, values."""

    kind: str  # "objection" / "abnormal"
    ref: str
    users: list[int]
    deadline: date
    before: int  # working days before the deadline
    params: dict[str, str]


async def deadlines(session: AsyncSession) -> list[Due]:
    """The reminders of open objections (coordinators and the part's reviewers) and of open
    proposals (coordinators), keyed by deadline so that a moved one is reminded afresh."""
    out: list[Due] = []
    coordinators = await office.coordinators(session)
    for t in await open_tracked(session):
        params = {"number": t.number, "enterprise": t.enterprise, "due": t.due.isoformat()}
        if t.kind == "o":
            users = await office.handlers_of(session, t.department_id)
            out.append(
                Due("objection", f"{t.id}:{t.due}", users, t.due, OBJECTION_REMIND_DAYS, params)
            )
        else:
            out.append(
                Due(
                    "abnormal", f"{t.id}:{t.due}", coordinators, t.due, ABNORMAL_REMIND_DAYS, params
                )
            )
    return out
