"""Reaching people: who of a draw's teams has a bound chat account, and telling them.

A drawn officer with no user yet gets one at the final draw, so that their assignment
is queued for them and waits in the outbox until they bind an account; the coordinator
is told who those officers are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Assignment,
    AssignmentMember,
    Department,
    Draw,
    Inspector,
    Plan,
    PlatformAccount,
    User,
    UserRole,
)
from services.accounts.actors import Actor, audit_name
from services.accounts.users import free_login
from services.common import audit
from services.messaging import outbox


@dataclass(frozen=True)
class Member:
    """A team member of a draw and whether a message can reach them now."""

    inspector_id: int
    name: str
    cert_no: str
    department: str
    user_id: int | None
    bound: bool


async def team_members(session: AsyncSession, draw_id: int) -> list[Member]:
    """Every team member of a draw, whether a message can reach them now or not."""
    drawn = (
        select(AssignmentMember.inspector_id)
        .join(Assignment, Assignment.id == AssignmentMember.assignment_id)
        .where(
            Assignment.draw_id == draw_id,
            Assignment.status.not_in(("void", "cancelled")),  # called off
        )
    )
    has_account = exists().where(PlatformAccount.user_id == User.id)
    rows = await session.execute(
        select(
            Inspector.id,
            Inspector.name,
            Inspector.cert_no,
            Department.name,
            User.id,
            and_(User.active, has_account),
        )
        .join(Department, Department.id == Inspector.department_id)
        .outerjoin(User, User.inspector_id == Inspector.id)
        .where(Inspector.id.in_(drawn))
        .order_by(Department.name, Inspector.cert_no)
    )
    return [
        Member(iid, name, cert, department, user_id, bool(bound))
        for iid, name, cert, department, user_id, bound in rows
    ]


async def unbound_members(session: AsyncSession, draw_id: int) -> list[Member]:
    """The team members of a draw whom no message can reach yet (no bound, active account)."""
    return [m for m in await team_members(session, draw_id) if not m.bound]


async def prepare_team(
    session: AsyncSession, actor: Actor | None, draw_id: int, now: datetime
) -> list[Member]:
    """At the final draw: give every drawn officer a user, tell the coordinator who is unbound.

    Called before the assignments are announced, so that the announcement of an officer
    without an account waits for them. Returns the unbound members.
    """
    members = await team_members(session, draw_id)
    await ensure_users(session, actor, [m.inspector_id for m in members if m.user_id is None], now)
    unbound = [m for m in members if not m.bound]
    if unbound:
        await _notify(session, actor, draw_id, unbound, now)
    return unbound


async def ensure_users(
    session: AsyncSession, actor: Actor | None, inspector_ids: list[int], now: datetime
) -> int:
    """Give each of these directory inspectors without a user one (login cert-NUMBER); how many.

    For whoever joins a team (drawn, substituted in, added by a supplement) before their
    messages are queued: a message needs a user to wait for.
    """
    wanted = list(dict.fromkeys(inspector_ids))
    # In batches, not one query per person: a county-wide draw brings hundreds of officers.
    missing: list[Inspector] = []
    for i in range(0, len(wanted), 500):  # within every database's bound-parameter limit
        chunk = wanted[i : i + 500]
        have = set(
            (
                await session.scalars(select(User.inspector_id).where(User.inspector_id.in_(chunk)))
            ).all()
        )
        found = await session.scalars(select(Inspector).where(Inspector.id.in_(chunk)))
        missing += [inspector for inspector in found.all() if inspector.id not in have]
    if not missing:
        return 0
    order = {inspector_id: n for n, inspector_id in enumerate(wanted)}
    missing.sort(key=lambda inspector: order[inspector.id])
    taken: set[str] = set()
    for i in range(0, len(missing), 500):
        bases = [f"cert-{inspector.cert_no}" for inspector in missing[i : i + 500]]
        taken.update((await session.scalars(select(User.login).where(User.login.in_(bases)))).all())
    users = []
    for inspector in missing:
        base = f"cert-{inspector.cert_no}"
        # A login an admin chose may hold the made-up one already: then base-2, base-3...
        login = await free_login(session, base) if base in taken else base
        users.append(
            User(
                login=login,
                display_name=inspector.name,
                inspector_id=inspector.id,
                department_id=inspector.department_id,
                created_at=now,
            )
        )
    session.add_all(users)
    await session.flush()
    session.add_all(UserRole(user_id=user.id, role="inspector") for user in users)
    # One entry for the batch, naming every login made (as an import does for its rows).
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="user.create",
        object_type="user",
        object_id=users[0].id if len(users) == 1 else None,
        after={"role": "inspector", "logins": [u.login for u in users]},
    )
    return len(users)


async def _notify(
    session: AsyncSession, actor: Actor | None, draw_id: int, unbound: list[Member], now: datetime
) -> None:
    if actor is not None:
        recipients = [actor.user_id]
    else:  # drawn from the command line: every coordinator
        recipients = list(
            (
                await session.scalars(
                    select(UserRole.user_id)
                    .join(User, User.id == UserRole.user_id)
                    .where(UserRole.role == "coordinator", User.active)
                )
            ).all()
        )
    draw = await session.get(Draw, draw_id)
    plan = None if draw is None else await session.get(Plan, draw.plan_id)
    # One line per person, free of words, so that the text reads in either language.
    lines = "\n".join(f"- {m.name} {m.cert_no} {m.department}" for m in unbound)
    for user_id in recipients:
        await outbox.enqueue(
            session,
            kind="reach.unbound",
            due_at=now,
            now=now,
            dedupe_key=f"reach:unbound:draw:{draw_id}:user:{user_id}",
            recipient_user_id=user_id,
            key="reach.unbound",
            params={
                "draw": draw_id,
                "plan": "" if plan is None else plan.name,
                "count": len(unbound),
                "members": lines,
            },
        )
