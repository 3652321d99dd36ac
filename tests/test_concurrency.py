"""Concurrent writers lose nothing: BEGIN IMMEDIATE on SQLite, atomic upserts everywhere."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.app import build_app
from handlers.core.db import unit_of_work
from models import Counter
from services.common.counters import next_value

WRITERS = 20
ROUNDS = 10


async def test_twenty_read_modify_write_writers_on_sqlite(sqlite_url, settings_for, clock) -> None:
    app = await build_app(settings_for(sqlite_url), clock=clock)
    async with unit_of_work(app.sessions) as session:
        session.add(Counter(name="c", value=0))

    async def writer() -> None:
        for _ in range(ROUNDS):
            async with unit_of_work(app.sessions) as session:
                row = await session.get(Counter, "c")
                assert row is not None
                await asyncio.sleep(0)  # let the others run between the read and the write
                row.value += 1

    try:
        await asyncio.gather(*(writer() for _ in range(WRITERS)))
        async with unit_of_work(app.sessions, write=False) as session:
            value = await session.scalar(select(Counter.value).where(Counter.name == "c"))
        assert value == WRITERS * ROUNDS
    finally:
        await app.aclose()


async def test_next_value_is_gapless_under_concurrency(app) -> None:
    async def writer() -> list[int]:
        got = []
        for _ in range(ROUNDS):
            async with unit_of_work(app.sessions) as session:
                got.append(await next_value(session, "notice:2026"))
        return got

    results = await asyncio.gather(*(writer() for _ in range(WRITERS)))
    values = sorted(v for r in results for v in r)
    assert values == list(range(1, WRITERS * ROUNDS + 1))
