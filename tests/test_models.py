"""The typed tables behave on both databases: unique keys, UTC times, partial index."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from handlers.core.db import unit_of_work
from models import Department, Draw, Enterprise, OutboxMessage, Plan


async def _department(app) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        dept = Department(code="SCJG", name="市场监管局")
        session.add(dept)
        await session.flush()
        return dept.id


def _enterprise(code: str) -> Enterprise:
    return Enterprise(credit_code=code, name="测试商行", risk_class="B", status="active")


async def test_credit_code_is_unique(app) -> None:
    async with unit_of_work(app.sessions) as session:
        session.add(_enterprise("91440300192317458F"))
    with pytest.raises(IntegrityError):
        async with unit_of_work(app.sessions) as session:
            session.add(_enterprise("91440300192317458F"))


async def test_times_come_back_as_utc(app) -> None:
    shanghai = timezone(timedelta(hours=8))
    due = datetime(2026, 12, 1, 9, 0, tzinfo=shanghai)
    async with unit_of_work(app.sessions) as session:
        session.add(OutboxMessage(kind="t", due_at=due, payload={}, dedupe_key="k", created_at=due))
    async with unit_of_work(app.sessions, write=False) as session:
        row = await session.scalar(select(OutboxMessage))
    assert row is not None
    assert row.due_at == due
    assert row.due_at.tzinfo is not None
    assert row.due_at.utcoffset() == timedelta(0)
    assert row.due_at.hour == 1


async def test_naive_time_is_refused(app) -> None:
    naive = datetime(2026, 12, 1, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError):
        async with unit_of_work(app.sessions) as session:
            session.add(
                OutboxMessage(kind="t", due_at=naive, payload={}, dedupe_key="n", created_at=naive)
            )


async def test_one_live_draw_per_plan(app) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    async with unit_of_work(app.sessions) as session:
        plan = Plan(
            name="p",
            ratios={},
            check_start=date(2026, 12, 1),
            check_end=date(2026, 12, 31),
            created_at=now,
        )
        session.add(plan)
        await session.flush()
        plan_id = plan.id

    def draw(status: str) -> Draw:
        return Draw(
            plan_id=plan_id,
            status=status,
            seed_hex="0" * 64,
            commitment="c" * 64,
            enterprise_snapshot="e",
            inspector_snapshot="i",
            params={},
            snapshot_blob=b"",
            frozen_at=now,
        )

    async with unit_of_work(app.sessions) as session:
        session.add(draw("voided"))
        session.add(draw("voided"))
        session.add(draw("frozen"))
    with pytest.raises(IntegrityError):
        async with unit_of_work(app.sessions) as session:
            session.add(draw("final"))
