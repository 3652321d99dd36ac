"""Drawing a frozen plan, and what a final draw looks like (voiding: services/draw/cancel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, AssignmentMember, Draw, Enterprise, Inspector, Plan, User
from services.accounts import reach
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.common.rows import existing
from services.documents import notify as document_notices
from services.draw import snapshot
from services.draw.cancel import void as void  # its old address, still used
from services.draw.engine import RISK_CLASSES, TeamOut, draw_enterprises, draw_key, draw_teams
from services.draw.freeze import Frozen, engine_params
from services.draw.parallel import rank_in_two
from services.messaging import outbox

MAX_SALT = 200


async def _locked_draw(session: AsyncSession, draw_id: int) -> Draw:
    return await existing(session, Draw, draw_id, "draw.not_found", lock=True)


async def execute(
    session: AsyncSession,
    actor: Actor | None,
    draw_id: int,
    salt: str,
    now: datetime,
    frozen: Frozen | None = None,
) -> Draw:
    """Draw a frozen plan with the public salt; all of it lands in one transaction.

    `frozen`, from `draws.freeze_keeping_lists` in this process, is used when it is this
    draw's; otherwise the lists come from the stored snapshot.
    """
    if actor is not None:
        require_role(actor, "coordinator")
    salt = salt.strip()
    if len(salt) > MAX_SALT:
        raise InvalidInput("draw.salt_too_long", limit=MAX_SALT)
    draw = await _locked_draw(session, draw_id)
    if draw.status == "final":
        raise Conflict("draw.already_final", id=draw_id)
    if draw.status != "frozen":
        raise Conflict("draw.not_frozen", id=draw_id, status=draw.status)
    elig = frozen.lists if frozen and frozen.matches(draw) else snapshot.unpack(draw.snapshot_blob)
    params = engine_params(draw.params)
    key = draw_key(bytes.fromhex(draw.seed_hex), salt)
    selection = draw_enterprises(elig.codes_by_risk(), params, key, rank_in_two)
    wanted = {code for _, code in selection.drawn}
    teams = draw_teams(
        selection.drawn, elig.departments_of(wanted), elig.inspectors, elig.recusals, params, key
    )
    await _store(session, draw, teams)
    draw.status, draw.salt, draw.drawn_at = "final", salt, now
    draw.drawn_by = None if actor is None else actor.user_id
    draw.strata = {
        c: {"population": selection.strata[c][0], "k": selection.strata[c][1]} for c in RISK_CLASSES
    }
    await session.execute(update(Plan).where(Plan.id == draw.plan_id).values(status="drawn"))
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.final",
        object_type="draw",
        object_id=draw.id,
        after={
            "salt": salt,
            "seed": draw.seed_hex,
            "drawn": len(teams),
            "short": sum(1 for t in teams if t.shortfalls),
        },
    )
    # Officers without a user get one, so that their assignment waits for them to bind.
    await reach.prepare_team(session, actor, draw.id, now)
    await _notify_members(session, draw, now)
    # The team gets the notice to the enterprise (抽查通知书) to print and hand over.
    await document_notices.notice_for_draw(session, draw.id, now)
    return draw


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    # Keeps IN lists well below every database's bound-parameter limit.
    return [values[i : i + size] for i in range(0, len(values), size)]


async def _store(session: AsyncSession, draw: Draw, teams: tuple[TeamOut, ...]) -> None:
    codes = [t.code for t in teams]
    certs = sorted({c for t in teams for c in t.team})
    enterprise_ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        found = await session.execute(
            select(Enterprise.credit_code, Enterprise.id).where(Enterprise.credit_code.in_(chunk))
        )
        enterprise_ids.update({code: eid for code, eid in found})
    inspectors: dict[str, tuple[int, bool]] = {}
    for chunk in _chunks(certs):
        found_i = await session.execute(
            select(Inspector.cert_no, Inspector.id, Inspector.is_expert).where(
                Inspector.cert_no.in_(chunk)
            )
        )
        inspectors.update({cert: (iid, expert) for cert, iid, expert in found_i})
    assignments = [
        Assignment(
            draw_id=draw.id,
            plan_id=draw.plan_id,
            enterprise_id=enterprise_ids[team.code],
            position=position,
            rank_hex=team.rank.hex(),
            lead_inspector_id=inspectors[team.lead][0] if team.lead else None,
            shortfalls=list(team.shortfalls),
            status="pending" if team.team else "unstaffed",
        )
        for position, team in enumerate(teams, start=1)
    ]
    session.add_all(assignments)
    await session.flush()  # one batched INSERT for every assignment
    session.add_all(
        AssignmentMember(
            assignment_id=assignment.id,
            inspector_id=inspectors[cert][0],
            role="expert" if inspectors[cert][1] else "officer",
            position=order,
        )
        for assignment, team in zip(assignments, teams, strict=True)
        for order, cert in enumerate(team.team, start=1)
    )
    await session.flush()


async def _notify_members(session: AsyncSession, draw: Draw, now: datetime) -> None:
    plan = await session.get(Plan, draw.plan_id)
    assert plan is not None
    rows = await session.execute(
        select(Assignment.id, Enterprise.name, User.id)
        .join(AssignmentMember, AssignmentMember.assignment_id == Assignment.id)
        .join(User, User.inspector_id == AssignmentMember.inspector_id)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Assignment.draw_id == draw.id)
    )
    # One statement for every member of every team: a county-wide draw has hundreds.
    await outbox.enqueue_rows(
        session,
        [
            outbox.row(
                kind="assignment.new",
                due_at=now,
                now=now,
                dedupe_key=f"assignment:{assignment_id}:user:{user_id}",
                recipient_user_id=user_id,
                key="draw.assigned",
                params={
                    "plan": plan.name,
                    "enterprise": enterprise,
                    "start": plan.check_start.isoformat(),
                    "end": plan.check_end.isoformat(),
                },
            )
            for assignment_id, enterprise, user_id in rows
        ],
    )


@dataclass(frozen=True)
class TeamView:
    """One drawn enterprise with its team, as people read it."""

    position: int
    enterprise: str
    credit_code: str
    members: list[tuple[str, str, str]]  # (name, cert, role)
    lead: str | None
    shortfalls: list[str]


async def teams_of(session: AsyncSession, draw_id: int) -> list[TeamView]:
    """The drawn enterprises and teams of a draw, in rank order."""
    rows = (
        await session.execute(
            select(Assignment, Enterprise.name, Enterprise.credit_code)
            .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
            .where(Assignment.draw_id == draw_id)
            .order_by(Assignment.position)
        )
    ).all()
    members = await session.execute(
        select(
            AssignmentMember.assignment_id,
            Inspector.name,
            Inspector.cert_no,
            AssignmentMember.role,
            Inspector.id,
        )
        .join(Inspector, Inspector.id == AssignmentMember.inspector_id)
        .join(Assignment, Assignment.id == AssignmentMember.assignment_id)
        .where(Assignment.draw_id == draw_id)
        .order_by(AssignmentMember.position)
    )
    by_assignment: dict[int, list[tuple[str, str, str, int]]] = {}
    for aid, name, cert, role, iid in members:
        by_assignment.setdefault(aid, []).append((name, cert, role, iid))
    out = []
    for assignment, name, code in rows:
        team = by_assignment.get(assignment.id, [])
        lead = next((m[0] for m in team if m[3] == assignment.lead_inspector_id), None)
        out.append(
            TeamView(
                assignment.position,
                name,
                code,
                [m[:3] for m in team],
                lead,
                list(assignment.shortfalls),
            )
        )
    return out
