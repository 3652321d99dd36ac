"""The published record of a draw (docs/draw-algorithm.md) and its verification."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Draw, Plan
from models.plans import DrawAmendment
from services.common.errors import Conflict
from services.common.rows import existing
from services.draw import snapshot
from services.draw.engine import DrawOutcome, EnterpriseIn, TeamOut
from services.draw.freeze import engine_params
from services.draw.roster import done_amendments
from services.draw.run import teams_of
from services.draw.verify import build_record, verify_record


async def export_record(session: AsyncSession, draw_id: int) -> dict[str, Any]:
    """The full record of a drawn draw: anyone can recompute it from this alone."""
    draw = await existing(session, Draw, draw_id, "draw.not_found")
    if draw.drawn_at is None:
        # The seed stays secret until the draw is done, else the result could be foreseen.
        raise Conflict("draw.not_drawn", id=draw_id)
    plan = await session.get(Plan, draw.plan_id)
    assert plan is not None
    elig = snapshot.unpack(draw.snapshot_blob)
    enterprises = [EnterpriseIn(code, risk, depts) for code, risk, depts in elig.enterprises()]
    amendments = await done_amendments(session, draw_id)
    outcome = DrawOutcome(
        {c: (v["population"], v["k"]) for c, v in draw.strata.items()},
        await _as_drawn(session, draw_id, amendments),
    )
    record = build_record(
        draw_id=draw.id,
        plan_id=plan.id,
        plan_name=plan.name,
        params=engine_params(draw.params),
        check_start=draw.params["check_start"],
        check_end=draw.params["check_end"],
        enterprises=enterprises,
        inspectors=elig.inspectors,
        recusals=elig.recusals,
        seed=bytes.fromhex(draw.seed_hex),
        salt=draw.salt or "",
        outcome=outcome,
        amendments=[a.entry for a in amendments],
        input_hash=draw.input_hash,
    )
    record["status"] = draw.status
    if draw.status == "voided":
        record["void_reason"] = draw.void_reason
    return record


async def _as_drawn(
    session: AsyncSession, draw_id: int, amendments: list[DrawAmendment]
) -> tuple[TeamOut, ...]:
    """The teams as drawn: the stored ones with every amendment undone, latest first."""
    teams = await teams_of(session, draw_id)
    ranks = dict(
        (
            await session.execute(
                select(Assignment.position, Assignment.rank_hex).where(
                    Assignment.draw_id == draw_id
                )
            )
        ).all()
    )
    state = {
        t.credit_code: (
            [cert for _, cert, _ in t.members],
            next((cert for name, cert, _ in t.members if name == t.lead), None),
            list(t.shortfalls),
        )
        for t in teams
    }
    for amendment in reversed(amendments):
        for code, was in amendment.before.items():
            state[code] = (was["team"], was["team"][0] if was["team"] else None, was["shortfalls"])
    return tuple(
        TeamOut(
            t.credit_code,
            bytes.fromhex(ranks[t.position]),
            tuple(state[t.credit_code][0]),
            state[t.credit_code][1],
            tuple(state[t.credit_code][2]),
        )
        for t in teams
    )


# Free text and who did what: the verifiers never need them, and a reason ("病假") or a
# cause ("sick") says something about the person named beside it.
_PRIVATE = ("void_reason",)
_PRIVATE_IN_AMENDMENTS = ("by", "reason", "cause")


def public_record(record: dict[str, Any]) -> dict[str, Any]:
    """The record for anyone to download: what verification needs, no personal remarks."""
    public = {k: v for k, v in record.items() if k not in _PRIVATE}
    if isinstance(record.get("amendments"), list):
        public["amendments"] = [
            {k: v for k, v in a.items() if k not in _PRIVATE_IN_AMENDMENTS}
            if isinstance(a, dict)
            else a
            for a in record["amendments"]
        ]
    return public


def verify(record: dict[str, Any]) -> list[str]:
    """Recompute a record; an empty list means it is consistent."""
    return verify_record(record)
