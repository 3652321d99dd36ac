"""One draw as the public site shows it: the drawn enterprises, the timeline, the record.

The timeline reads the amendments' entries field by field: when, the enterprises they
concern, a supplement's commitment, seed and salt. No entry's reason, cause, author or
certificates: free text beside a check may name a person or a recusal (the downloadable
record leaves them out too, `record.public_record`). Only a void shows its reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from models import Assignment, Draw, Enterprise
from models.plans import DrawAmendment
from services.common.errors import NotFound
from services.draw import record
from services.draw.public import DrawnEnterprise, DrawPage, DrawSummary, Event, public_plan


async def _draw(session: AsyncSession, draw_id: int) -> Draw:
    draw = await session.scalar(
        select(Draw).options(defer(Draw.snapshot_blob, raiseload=True)).where(Draw.id == draw_id)
    )
    if draw is None:
        raise NotFound("draw.not_found", id=draw_id)
    return draw


async def drawn_enterprises(session: AsyncSession, draw_id: int) -> list[DrawnEnterprise]:
    """The enterprises a draw drew, in rank order (none before the draw)."""
    rows = await session.execute(
        select(Assignment.position, Enterprise.name, Enterprise.credit_code, Assignment.status)
        .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
        .where(Assignment.draw_id == draw_id)
        .order_by(Assignment.position)
    )
    return [
        DrawnEnterprise(position, name, code, status == "cancelled")
        for position, name, code, status in rows
    ]


def _when(text: object, fallback: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        return fallback
    return moment if moment.tzinfo is not None else fallback


def _amendment_events(amendment: DrawAmendment, names: dict[str, str]) -> list[Event]:
    entry: dict[str, Any] = amendment.entry

    def named(codes: list[str]) -> list[tuple[str, str]]:
        return [(names.get(code, ""), code) for code in codes]

    at = _when(entry.get("at"), amendment.created_at)
    if amendment.kind == "cancel":
        return [Event(at, "cancel", amendment.seq, named([entry["code"]]))]
    if amendment.kind == "substitution":
        return [Event(at, "substitution", amendment.seq, named([entry["code"]]))]
    frozen = Event(
        _when(entry.get("frozen_at"), amendment.created_at),
        "supplement_frozen",
        commitment=entry.get("commitment"),
    )
    if amendment.status != "done":
        return [frozen]
    filled = [t["code"] for t in entry.get("teams", []) if t.get("added")]
    done = Event(
        at, "supplement", amendment.seq, named(filled), seed=entry.get("seed"), salt=entry["salt"]
    )
    return [frozen, done]


async def _timeline(
    session: AsyncSession, draw: Draw, summary: DrawSummary, names: dict[str, str]
) -> list[Event]:
    events = [Event(draw.frozen_at, "freeze", commitment=draw.commitment)]
    if draw.drawn_at is not None:
        events.append(Event(draw.drawn_at, "draw", seed=summary.seed, salt=summary.salt))
    amendments = (
        await session.scalars(
            select(DrawAmendment)
            .where(DrawAmendment.draw_id == draw.id)
            .order_by(DrawAmendment.created_at, DrawAmendment.id)
        )
    ).all()
    for amendment in amendments:
        events += _amendment_events(amendment, names)
    if draw.status == "voided" and draw.voided_at is not None:
        events.append(Event(draw.voided_at, "void", reason=draw.void_reason))
    # Stable: the freeze stays before a draw of the same instant, and so on.
    return sorted(events, key=lambda e: e.at)


async def draw_page(session: AsyncSession, draw_id: int) -> DrawPage:
    """A frozen, final or voided draw with its plan, enterprises and timeline."""
    draw = await _draw(session, draw_id)
    plan = await public_plan(session, draw.plan_id)
    summary = next(d for d in plan.draws if d.id == draw_id)
    enterprises = await drawn_enterprises(session, draw_id) if draw.drawn_at else []
    names = {e.credit_code: e.name for e in enterprises}
    return DrawPage(plan, summary, enterprises, await _timeline(session, draw, summary, names))


async def downloadable_record(session: AsyncSession, draw_id: int) -> dict[str, Any]:
    """The record of a drawn draw for anyone, without personal remarks; NotFound before the
    draw (its seed is secret)."""
    drawn = await session.execute(select(Draw.drawn_at).where(Draw.id == draw_id))
    if drawn.scalar() is None:
        raise NotFound("draw.not_found", id=draw_id)
    return record.public_record(await record.export_record(session, draw_id))
