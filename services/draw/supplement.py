"""A supplementary draw: filling the teams a draw left short or unformed, from a new pool.

Two steps, like the draw itself: `freeze` snapshots the inspectors eligible now and
commits to a new secret seed, published before anything is formed; `form` reveals the
seed with an optional public salt and fills the short teams by the draw's team-forming
passes (services/draw/amend.py). The enterprises drawn do not change.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Draw, Enterprise, Inspector, Plan, Recusal
from models.plans import DrawAmendment
from services.accounts import reach
from services.accounts.actors import Actor, audit_name, require_role
from services.common import audit
from services.common.errors import Conflict, InvalidInput
from services.common.rows import existing
from services.draw import eligibility, notify, roster
from services.draw.amend import Filled
from services.draw.engine import commitment, draw_key, snapshot_hash
from services.draw.notify import Chats

MAX_SALT = 200


def fillable(loaded: roster.Loaded) -> list[str]:
    """The drawn codes, in rank order, whose team is short and may still change."""
    r = loaded.roster
    return [
        code
        for code in r.order
        if r.shortfalls[code]
        and code not in r.cancelled
        and loaded.assignments[code].status in ("pending", "unstaffed")
        and loaded.record_status[code] in roster.NOT_ENTERED
    ]


async def frozen_supplement(session: AsyncSession, draw_id: int) -> DrawAmendment | None:
    """The draw's supplementary draw frozen but not formed yet, if any."""
    return await session.scalar(
        select(DrawAmendment).where(
            DrawAmendment.draw_id == draw_id,
            DrawAmendment.kind == "supplement",
            DrawAmendment.status == "frozen",
        )
    )


@dataclass(frozen=True)
class Outlook:
    """What a supplementary draw would do: the teams short or unformed, the pool now."""

    draw_id: int
    short: int
    unformed: int
    officers: int
    experts: int


async def _final(session: AsyncSession, actor: Actor | None, draw_id: int, lock: bool) -> Draw:
    if actor is not None:
        require_role(actor, "coordinator")
    draw = await existing(session, Draw, draw_id, "draw.not_found", lock=lock)
    if draw.status != "final":
        raise Conflict("supp.not_final", id=draw_id)
    return draw


async def outlook(session: AsyncSession, actor: Actor | None, draw_id: int) -> Outlook:
    """Count the teams a supplementary draw would fill (refused when none) and the
    inspectors eligible now."""
    draw = await _final(session, actor, draw_id, lock=False)
    loaded = await roster.load(session, draw)
    codes = fillable(loaded)
    if not codes:
        raise Conflict("supp.none_short", id=draw_id)
    plan = await session.get(Plan, draw.plan_id)
    assert plan is not None
    pool = (await eligibility.compute(session, plan)).inspectors
    unformed = sum(1 for c in codes if not loaded.roster.teams[c])
    experts = sum(1 for i in pool if i.expert)
    return Outlook(draw_id, len(codes) - unformed, unformed, len(pool) - experts, experts)


async def freeze(
    session: AsyncSession,
    actor: Actor | None,
    draw_id: int,
    now: datetime,
    chats: Chats = (),
) -> DrawAmendment:
    """Freeze the pool and publish the commitment of a new seed; nothing is formed yet."""
    draw = await _final(session, actor, draw_id, lock=True)
    if await frozen_supplement(session, draw_id) is not None:
        raise Conflict("supp.already_frozen", id=draw_id)
    loaded = await roster.load(session, draw)
    codes = fillable(loaded)
    if not codes:
        raise Conflict("supp.none_short", id=draw_id)
    plan = await session.get(Plan, draw.plan_id)
    assert plan is not None
    pool = (await eligibility.compute(session, plan)).inspectors
    certs = {i.cert for i in pool}
    pairs: set[tuple[str, str]] = set()
    for start in range(0, len(codes), 500):  # within every database's parameter limit
        rows = await session.execute(
            select(Inspector.cert_no, Enterprise.credit_code)
            .select_from(Recusal)
            .join(Inspector, Inspector.id == Recusal.inspector_id)
            .join(Enterprise, Enterprise.id == Recusal.enterprise_id)
            .where(Enterprise.credit_code.in_(codes[start : start + 500]))
        )
        pairs |= {(c, e) for c, e in rows if c in certs}
    recusals = sorted(pairs)
    seed = secrets.token_bytes(32)
    published = {"commitment": commitment(seed), "snapshot": snapshot_hash(certs)}
    entry = {
        "reason": "",
        "frozen_at": roster.utc_text(now),
        "commitment": published["commitment"],
        "inspector_snapshot": published["snapshot"],
        "inspectors": [
            {"cert": i.cert, "department": i.department, "expert": i.expert}
            for i in sorted(pool, key=lambda i: i.cert)
        ],
        "recusals": [list(p) for p in recusals],
    }
    amendment = DrawAmendment(
        draw_id=draw_id,
        kind="supplement",
        status="frozen",
        entry=entry,
        before={},
        seed_hex=seed.hex(),
        created_at=now,
        created_by=None if actor is None else actor.user_id,
    )
    session.add(amendment)
    await session.flush()
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.supplement_freeze",
        object_type="draw",
        object_id=draw_id,
        after={**published, "inspectors": len(pool), "short": len(codes)},
    )
    params = {"id": str(draw_id), "count": str(len(pool)), **published}
    await notify.announce(
        session, chats, f"supplement-frozen:{amendment.id}", "supp.frozen", params, now
    )
    return amendment


@dataclass(frozen=True)
class Formed:
    """A supplementary draw done: its place in the record and each team it looked at."""

    draw_id: int
    seq: int
    seed: str
    teams: list[Filled]


async def form(
    session: AsyncSession,
    actor: Actor | None,
    draw_id: int,
    salt: str,
    now: datetime,
    chats: Chats = (),
) -> Formed:
    """Reveal the frozen supplement's seed and fill the short teams, in rank order."""
    salt = salt.strip()
    if len(salt) > MAX_SALT:
        raise InvalidInput("draw.salt_too_long", limit=MAX_SALT)
    draw = await _final(session, actor, draw_id, lock=True)
    frozen = await frozen_supplement(session, draw_id)
    if frozen is None or frozen.seed_hex is None:
        raise Conflict("supp.not_frozen", id=draw_id)
    loaded = await roster.load(session, draw)
    r, codes = loaded.roster, fillable(loaded)
    before = {c: {"team": list(r.teams[c]), "shortfalls": list(r.shortfalls[c])} for c in codes}
    pool = roster.pool_of(frozen.entry)
    recusals = [(c, e) for c, e in frozen.entry["recusals"]]
    key = draw_key(bytes.fromhex(frozen.seed_hex), salt)
    filled = r.supplement(pool, recusals, key, codes)
    for f in filled:
        await roster.write_team(session, loaded.assignments[f.code], f.team, f.shortfalls, r.known)
    seq = await roster.next_seq(session, draw_id)
    teams = [
        {
            "code": f.code,
            "added": list(f.added),
            "team": list(f.team),
            "lead": f.lead,
            "shortfalls": list(f.shortfalls),
        }
        for f in filled
    ]
    head = {"seq": seq, "kind": "supplement", "at": roster.utc_text(now), "by": audit_name(actor)}
    frozen.entry = {**head, **frozen.entry, "seed": frozen.seed_hex, "salt": salt, "teams": teams}
    frozen.seq, frozen.status, frozen.before = seq, "done", before
    await session.flush()
    await _tell_newcomers(session, actor, draw, loaded, filled, seq, now)
    added = sum(len(f.added) for f in filled)
    still = sum(1 for f in filled if f.shortfalls)
    await audit.record(
        session,
        at=now,
        actor=audit_name(actor),
        action="draw.supplement",
        object_type="draw",
        object_id=draw_id,
        after={"seq": seq, "salt": salt, "seed": frozen.seed_hex, "added": added, "short": still},
    )
    params = {"id": str(draw_id), "seq": str(seq), "seed": frozen.seed_hex, "salt": salt or "-"}
    params |= {"filled": str(sum(1 for f in filled if f.added)), "short": str(still)}
    await notify.announce(session, chats, f"supplement:{draw_id}:{seq}", "supp.formed", params, now)
    return Formed(draw_id, seq, frozen.seed_hex, filled)


async def _tell_newcomers(
    session: AsyncSession,
    actor: Actor | None,
    draw: Draw,
    loaded: roster.Loaded,
    filled: list[Filled],
    seq: int,
    now: datetime,
) -> None:
    plan = await session.get(Plan, draw.plan_id)
    assert plan is not None
    certs = sorted({c for f in filled for c in f.added})
    if not certs:
        return
    found = await session.execute(
        select(Inspector.cert_no, Inspector.id).where(Inspector.cert_no.in_(certs))
    )
    ids: dict[str, int] = {cert: inspector_id for cert, inspector_id in found}
    # Newcomers without a user get one, so that their task waits for them to bind.
    await reach.ensure_users(session, actor, list(ids.values()), now)
    users = await notify.users_of(session, ids.values())
    for f in filled:
        assignment = loaded.assignments[f.code]
        name = await session.scalar(
            select(Enterprise.name).where(Enterprise.id == assignment.enterprise_id)
        )
        await notify.tell(
            session,
            [u for cert in f.added for u in users.get(ids[cert], [])],
            kind="assignment.new",
            ref=f"assignment:{assignment.id}:supp:{seq}",
            key="draw.assigned",
            params={
                "plan": plan.name,
                "enterprise": name or "",
                "start": plan.check_start.isoformat(),
                "end": plan.check_end.isoformat(),
            },
            now=now,
        )
