"""The draw against a real database: eligibility, rules, one final draw, the record."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from handlers.core.db import unit_of_work
from models import Assignment, AuditEntry, Draw, OutboxMessage, Plan
from services.common.errors import Conflict, InvalidInput
from services.draw import freeze as draws
from services.draw import record as draw_record
from services.draw import run
from tests import draw_fixture as fx


async def _draw(app, plan_id: int, salt: str = "") -> Draw:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        return await run.execute(session, None, frozen.id, salt, app.clock.now())


async def _record(app, draw_id: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    async with unit_of_work(app.sessions, write=False) as session:
        return await draw_record.export_record(session, draw_id)


def _teams(record: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {row["code"]: row["team"] for row in record["result"]}


async def test_preview_counts_every_exclusion_by_reason(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions, write=False) as session:
        pv = await draws.preview(session, None, plan_id)
    assert pv.enterprise_exclusions == {
        "status": 1,
        "district": 1,
        "no_item": 1,
        "recently_checked": 1,
    }
    assert pv.inspector_exclusions == {"status_on_leave": 1, "cert_expired": 1, "department": 1}
    assert pv.populations == {"A": 1, "B": 1, "C": 2, "D": 2}
    assert pv.officers_by_department == {"X": 4, "Y": 2}
    assert pv.experts == 1


async def test_each_stratum_k_follows_its_ratio(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app, ratios={"A": "0.01", "B": "0.08", "C": "0.5", "D": "1"})
    record = await _record(app, (await _draw(app, plan_id)).id)
    assert {c: v["k"] for c, v in record["strata"].items()} == {"A": 1, "B": 1, "C": 1, "D": 2}
    assert len(record["result"]) == 5


async def test_excluded_people_and_enterprises_are_never_drawn(app) -> None:
    await fx.build(app)
    record = await _record(app, (await _draw(app, await fx.plan(app))).id)
    drawn = {row["code"] for row in record["result"]}
    members = {cert for row in record["result"] for cert in row["team"]}
    assert drawn == {fx.code(n) for n in (1, 2, 3, 4, 5, 6)}
    assert not members & {"X05", "X06", "Z01"}  # on leave, expired certificate, other dept


async def test_every_team_has_two_officers_and_covers_its_departments(app) -> None:
    await fx.build(app)
    record = await _record(app, (await _draw(app, await fx.plan(app, experts_per_team=1))).id)
    for row in record["result"]:
        officers = [c for c in row["team"] if c != "E01"]
        assert len(officers) >= 2
        if row["code"] in (fx.code(1), fx.code(2)):  # 餐饮: items of departments X and Y
            assert any(c.startswith("X") for c in officers)
            assert any(c.startswith("Y") for c in officers)


async def test_recusal_is_respected_even_when_it_leaves_one_choice(app) -> None:
    await fx.build(app, recusals=[("Y01", 1)])
    record = await _record(app, (await _draw(app, await fx.plan(app))).id)
    team = _teams(record)[fx.code(1)]
    assert "Y01" not in team
    assert "Y02" in team  # the only other officer of department Y


async def test_load_cap_and_an_exhausted_pool_are_reported_not_hidden(app) -> None:
    await fx.build(app)
    record = await _record(app, (await _draw(app, await fx.plan(app, load_cap=1))).id)
    members = [c for row in record["result"] for c in row["team"]]
    assert len(members) == len(set(members))  # nobody in two teams
    # Six officers, load cap 1, teams of two: three teams; the other three enterprises get
    # none, and each says why.
    assert sum(1 for row in record["result"] if row["team"]) == 3
    unstaffed = [row for row in record["result"] if not row["team"]]
    assert len(unstaffed) == 3 and all(
        any(s.startswith("officers:") for s in r["shortfalls"]) for r in unstaffed
    )
    async with unit_of_work(app.sessions, write=False) as session:
        statuses = (await session.scalars(select(Assignment.status))).all()
    assert statuses.count("unstaffed") == len(unstaffed)


async def test_a_department_without_officers_is_named(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    from sqlalchemy import update

    from models import Inspector

    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Inspector).where(Inspector.cert_no.like("Y%")).values(status="left")
        )
        pv = await draws.preview(session, None, plan_id)
    assert ("draw.warn_no_officer", {"department": "部门Y"}) in pv.warnings
    record = await _record(app, (await _draw(app, plan_id)).id)
    assert "department:Y" in _teams_shortfalls(record)[fx.code(1)]
    assert len(_teams(record)[fx.code(1)]) >= 2  # the draw went on for everything else


async def test_an_item_for_every_type_brings_its_department_to_every_enterprise(app) -> None:
    from models import Department, Item, ItemDepartment

    await fx.build(app)
    async with unit_of_work(app.sessions) as session:
        z = await session.scalar(select(Department).where(Department.code == "Z"))
        assert z is not None
        general = Item(code="I3", name="I3", object_type=None, initiating_department_id=z.id)
        session.add(general)
        await session.flush()
        session.add(ItemDepartment(item_id=general.id, department_id=z.id, role="initiating"))
    record = await _record(app, (await _draw(app, await fx.plan(app, items=["I1", "I2", "I3"]))).id)
    departments = {e["code"]: e["departments"] for e in record["enterprises"]}
    # 加油站 has no item of its own: the general item alone brings it in, with Z.
    assert departments[fx.code(9)] == ["Z"]
    assert departments[fx.code(1)] == ["X", "Y", "Z"]
    assert draw_record.verify(record) == []


def _teams_shortfalls(record: dict) -> dict[str, list[str]]:  # type: ignore[type-arg]
    return {row["code"]: row["shortfalls"] for row in record["result"]}


async def test_exported_record_verifies_and_tampering_fails(app) -> None:
    await fx.build(app)
    record = await _record(app, (await _draw(app, await fx.plan(app), salt="8848")).id)
    assert draw_record.verify(record) == []
    changed = {**record, "enterprises": [dict(e) for e in record["enterprises"]]}
    changed["enterprises"][0]["code"] = fx.code(99)
    assert draw_record.verify(changed)
    swapped = {**record, "result": [dict(r) for r in record["result"]]}
    first = swapped["result"][0]
    first["team"] = [first["team"][0], "X04" if first["team"][1] != "X04" else "X03"]
    assert draw_record.verify(swapped)


async def test_void_needs_a_reason_and_a_new_draw_needs_a_new_freeze(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    first = await _draw(app, plan_id)
    with pytest.raises(InvalidInput):
        async with unit_of_work(app.sessions) as session:
            await run.void(session, None, first.id, " ", app.clock.now())
    async with unit_of_work(app.sessions) as session:
        await run.void(session, None, first.id, "名单录入错误", app.clock.now())
    async with unit_of_work(app.sessions, write=False) as session:
        plan = await session.get(Plan, plan_id)
        statuses = set((await session.scalars(select(Assignment.status))).all())
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert plan is not None and plan.status == "draft"
    assert statuses == {"void"}
    assert "draw.void" in actions
    second = await _draw(app, plan_id)
    assert second.commitment != first.commitment
    assert (await _record(app, first.id))["status"] == "voided"


async def test_drawing_a_plan_twice_is_refused(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    await _draw(app, plan_id)
    with pytest.raises(Conflict):
        await _draw(app, plan_id)


async def test_concurrent_double_draw_gives_one_draw(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    results = await asyncio.gather(_draw(app, plan_id), _draw(app, plan_id), return_exceptions=True)
    assert sum(isinstance(r, Draw) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    async with unit_of_work(app.sessions, write=False) as session:
        live = await session.scalar(select(func.count()).select_from(Draw))
    assert live == 1


async def test_concurrent_execution_of_one_frozen_draw_draws_once(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())

    async def execute() -> Draw:
        async with unit_of_work(app.sessions) as session:
            return await run.execute(session, None, frozen.id, "1", app.clock.now())

    results = await asyncio.gather(execute(), execute(), return_exceptions=True)
    assert sum(isinstance(r, Draw) for r in results) == 1
    assert [r.key for r in results if isinstance(r, Conflict)] == ["draw.already_final"]
    async with unit_of_work(app.sessions, write=False) as session:
        count = await session.scalar(select(func.count()).select_from(Assignment))
    assert count == 6


async def test_draw_interrupted_after_freeze_completes_after_restart(
    db_url, settings_for, clock
) -> None:
    first = await build_app(settings_for(db_url), clock=clock)
    await fx.build(first)
    plan_id = await fx.plan(first)
    async with unit_of_work(first.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, first.clock.now())
    await first.aclose()  # the process stops between freeze and draw

    second = await build_app(settings_for(db_url), clock=clock)
    try:
        async with unit_of_work(second.sessions) as session:
            drawn = await run.execute(session, None, frozen.id, "", second.clock.now())
        record = await _record(second, drawn.id)
        assert record["commitment"] == frozen.commitment
        assert draw_record.verify(record) == []
    finally:
        await second.aclose()


async def test_crash_mid_draw_leaves_no_partial_draw(app) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from models import AssignmentMember

    await fx.build(app)
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())

    def crash(session: Session, *_: object) -> None:
        # A failure at the database seam after some assignments were written.
        if sum(isinstance(o, AssignmentMember) for o in session.new) >= 2:
            raise RuntimeError("disk full")

    event.listen(Session, "before_flush", crash)
    try:
        with pytest.raises(RuntimeError):
            async with unit_of_work(app.sessions) as session:
                await run.execute(session, None, frozen.id, "", app.clock.now())
    finally:
        event.remove(Session, "before_flush", crash)
    async with unit_of_work(app.sessions, write=False) as session:
        assignments = await session.scalar(select(func.count()).select_from(Assignment))
        draw = await session.get(Draw, frozen.id)
    assert assignments == 0
    assert draw is not None and draw.status == "frozen"
    async with unit_of_work(app.sessions) as session:
        done = await run.execute(session, None, frozen.id, "", app.clock.now())
    assert done.status == "final"


async def test_team_members_are_told_of_their_assignment(app) -> None:
    await fx.build(app)
    record = await _record(app, (await _draw(app, await fx.plan(app))).id)
    places = sum(len(row["team"]) for row in record["result"])
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == "assignment.new")
            )
        ).all()
    assert len(rows) == places
    assert all(r.payload["key"] == "draw.assigned" for r in rows)
