"""Replacing one member of a team after the draw, while its record is not entered.

The substitute is chosen by the published ranking (services/draw/amend.py), so anyone
holding the record can recompute the choice. When a member stops being eligible after the
freeze, services/draw/proposals.py offers the coordinators the substitution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Department,
    Draw,
    Enterprise,
    Inspector,
    Plan,
    Recusal,
)
from services.accounts import reach
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict
from services.common.rows import existing
from services.draw import notify, roster
from services.draw.amend import AmendError
from services.draw.cancel import clean_reason
from services.draw.engine import InspectorIn
from services.draw.notify import Chats

# The first word of a reason names its cause (the record's `cause`); else "other".
CAUSE_WORDS = {
    "sick": "sick",
    "病假": "sick",
    "生病": "sick",
    "患病": "sick",
    "left": "left",
    "离职": "left",
    "离岗": "left",
    "调离": "left",
    "recusal": "recusal",
    "回避": "recusal",
    "other": "other",
    "其他": "other",
}


def read_cause(reason: str) -> str:
    """The cause the reason's first word names ("sick", "病假", ...), else "other"."""
    words = reason.split()
    return CAUSE_WORDS.get(words[0].lower(), "other") if words else "other"


@dataclass(frozen=True)
class Substituted:
    """A substitution done: who left the team, who joined it, and its place in the record."""

    assignment_id: int
    seq: int
    removed: str
    removed_name: str
    added: str
    added_name: str
    rank: str


async def _unavailable(session: AsyncSession, pool: list[InspectorIn], end: date) -> list[str]:
    """The certificates of the pool no longer eligible: gone, inactive, certificate ending
    before the check does, or an officer now of another department."""
    listed = {i.cert: i for i in pool}
    fine: set[str] = set()
    certs = sorted(listed)
    for start in range(0, len(certs), 500):
        rows = await session.execute(
            select(Inspector.cert_no, Inspector.status, Inspector.cert_expiry, Department.code)
            .join(Department, Department.id == Inspector.department_id)
            .where(Inspector.cert_no.in_(certs[start : start + 500]))
        )
        for cert, status, expiry, department in rows:
            i = listed[cert]
            if status == "active" and expiry >= end and (i.expert or department == i.department):
                fine.add(cert)
    return [c for c in certs if c not in fine]


async def _recusals(session: AsyncSession, enterprise_id: int, code: str) -> set[tuple[str, str]]:
    rows = await session.scalars(
        select(Inspector.cert_no)
        .join(Recusal, Recusal.inspector_id == Inspector.id)
        .where(Recusal.enterprise_id == enterprise_id)
    )
    return {(cert, code) for cert in rows}


async def _team(session: AsyncSession, assignment_id: int) -> list[tuple[int, str, str]]:
    rows = await session.execute(
        select(Inspector.id, Inspector.cert_no, Inspector.name)
        .join(AssignmentMember, AssignmentMember.inspector_id == Inspector.id)
        .where(AssignmentMember.assignment_id == assignment_id)
        .order_by(AssignmentMember.position)
    )
    return [(i, c, n) for i, c, n in rows]


async def substitute(
    session: AsyncSession,
    actor: Actor | None,
    assignment_id: int,
    member: str | int,
    reason: str,
    now: datetime,
    chats: Chats = (),
) -> Substituted:
    """Replace a member (certificate, name, or inspector id) of a team by the ranking."""
    if actor is not None:
        require_role(actor, "coordinator")
    reason = clean_reason(reason, "sub.reason")
    assignment = await existing(session, Assignment, assignment_id, "task.not_found")
    draw = await existing(session, Draw, assignment.draw_id, "draw.not_found", lock=True)
    await session.refresh(assignment)  # as it stands under the draw's lock
    if draw.status != "final" or assignment.status not in ("pending", "in_progress"):
        raise Conflict("sub.not_live", id=assignment_id)
    loaded = await roster.load(session, draw)
    code = next(c for c, a in loaded.assignments.items() if a.id == assignment_id)
    if loaded.record_status[code] not in roster.NOT_ENTERED:
        raise Conflict("sub.record_entered", id=assignment_id)
    team = await _team(session, assignment_id)
    gone = next((m for m in team if member in (m[0], m[1], m[2])), None)
    if gone is None:
        raise Conflict("sub.not_member", id=assignment_id, who=str(member))
    r = loaded.roster
    end = date.fromisoformat(draw.params["check_end"])
    unavailable = await _unavailable(session, r.pool, end)
    recusals = sorted(await _recusals(session, assignment.enterprise_id, code) - r.recused)
    before = {code: {"team": list(r.teams[code]), "shortfalls": list(r.shortfalls[code])}}
    try:
        added, rank = r.substitute(code, gone[1], unavailable, recusals)
    except AmendError:
        raise Conflict("sub.no_candidate", id=assignment_id, who=gone[2]) from None
    await roster.write_team(session, assignment, r.teams[code], r.shortfalls[code], r.known)
    entry = {
        "reason": reason,
        "cause": read_cause(reason),
        "code": code,
        "removed": gone[1],
        "added": added,
        "rank": rank.hex(),
        "unavailable": unavailable,
        "recusals": [list(p) for p in recusals],
    }
    amendment = await roster.add(session, draw, actor, now, "substitution", entry, before)
    seq = amendment.seq or 0
    added_name = await session.scalar(select(Inspector.name).where(Inspector.cert_no == added))
    done = Substituted(assignment_id, seq, gone[1], gone[2], added, added_name or added, rank.hex())
    await _tell(session, actor, assignment, gone[0], done, reason, now)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.substitute",
        object_type="assignment",
        object_id=assignment_id,
        before={"member": gone[1]},
        after={"member": added, "reason": reason, "amendment": seq},
    )
    params = {"id": str(draw.id), "seq": str(seq), "enterprise": await _name(session, assignment)}
    params |= {"removed": gone[1], "added": added, "reason": reason}
    await notify.announce(
        session, chats, f"substitute:{draw.id}:{seq}", "sub.announced", params, now
    )
    return done


async def _name(session: AsyncSession, assignment: Assignment) -> str:
    name = await session.scalar(
        select(Enterprise.name).where(Enterprise.id == assignment.enterprise_id)
    )
    return name or ""


async def _tell(
    session: AsyncSession,
    actor: Actor | None,
    assignment: Assignment,
    removed_id: int,
    done: Substituted,
    reason: str,
    now: datetime,
) -> None:
    """The removed member's reminders withdrawn and the change told to everyone concerned."""
    plan = await session.get(Plan, assignment.plan_id)
    assert plan is not None
    gone_users = (await notify.users_of(session, [removed_id])).get(removed_id, [])
    await notify.withdraw(session, assignment.id, gone_users)
    enterprise = await _name(session, assignment)
    base = {"id": str(assignment.id), "enterprise": enterprise, "plan": plan.name}
    ref = f"sub:{assignment.id}:{done.seq}"
    await notify.tell(
        session,
        gone_users,
        kind="assignment.ended",
        ref=f"{ref}:out",
        key="sub.removed_notice",
        params={**base, "reason": reason},
        now=now,
    )
    team = await notify.team_users(session, assignment.id)
    added_id = await session.scalar(select(Inspector.id).where(Inspector.cert_no == done.added))
    if added_id is not None:
        # A newcomer without a user gets one, so that the new task waits for them to bind.
        await reach.ensure_users(session, actor, [added_id], now)
    newcomers = (await notify.users_of(session, [added_id] if added_id else [])).get(
        added_id or 0, []
    )
    await notify.tell(
        session,
        newcomers,
        kind="assignment.new",
        ref=f"assignment:{assignment.id}:sub:{done.seq}",
        key="draw.assigned",
        params={**base, "start": plan.check_start.isoformat(), "end": plan.check_end.isoformat()},
        now=now,
    )
    await notify.tell(
        session,
        [u for u in team if u not in newcomers],
        kind="assignment.changed",
        ref=f"{ref}:team",
        key="sub.team_notice",
        params={**base, "removed": done.removed_name, "added": done.added_name},
        now=now,
    )
