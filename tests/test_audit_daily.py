"""The daily audit checkpoint: to the leaders' group chats through the outbox, and to a file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import OutboxMessage
from scheduler.delivery import deliver_due
from scheduler.sweeps import sweep
from services.common.audit_files import read_checkpoints
from tests import audit_fixture as fx
from tests.test_meetings import Inbox

CHATS = (("console", "-1001"), ("wecom-robot", "robot"))  # conftest's START is 09:00 Shanghai


async def _queued(app: App) -> list[tuple[str | None, str | None, dict]]:  # type: ignore[type-arg]
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "audit.checkpoint")
            .order_by(OutboxMessage.id)
        )
        return [(r.platform, r.chat_id, r.payload["params"]) for r in rows]


def _file(app: App) -> Path:
    return app.settings.data_dir / "audit-checkpoints.txt"


async def test_daily_checkpoint_goes_to_each_group_chat_and_the_file(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    head = await fx.head(app)
    await sweep(app.sessions, app.clock, chats=CHATS, checkpoints=_file(app))
    params = {"date": "2026-11-25", "seq": 3, "hash": head.hash}
    assert await _queued(app) == [(p, c, params) for p, c in CHATS]
    assert [(r.checkpoint, r.source) for r in read_checkpoints(_file(app))] == [(head, "daily")]


async def test_daily_checkpoint_is_taken_once_a_day(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    await sweep(app.sessions, app.clock, chats=CHATS, checkpoints=_file(app))
    await fx.write(app, 1)
    app.clock.advance(timedelta(hours=3))
    await sweep(app.sessions, app.clock, chats=CHATS, checkpoints=_file(app))
    assert [r.checkpoint.seq for r in read_checkpoints(_file(app))] == [3]
    assert len(await _queued(app)) == len(CHATS)


async def test_the_next_day_brings_the_next_checkpoint(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    await sweep(app.sessions, app.clock, checkpoints=_file(app))
    await fx.write(app, 2)
    app.clock.advance(timedelta(days=1))
    await sweep(app.sessions, app.clock, checkpoints=_file(app))
    assert [r.checkpoint.seq for r in read_checkpoints(_file(app))] == [3, 5]


async def test_no_checkpoint_before_its_time_of_day(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    app.clock.advance(timedelta(hours=23, minutes=59))  # 08:59 the next morning
    await sweep(app.sessions, app.clock, chats=CHATS, checkpoints=_file(app))
    assert await _queued(app) == []
    assert not _file(app).exists()


async def test_no_checkpoint_of_an_empty_history(app) -> None:
    await sweep(app.sessions, app.clock, chats=CHATS, checkpoints=_file(app))
    assert await _queued(app) == []
    assert not _file(app).exists()


async def test_the_group_receives_seq_and_hash(app) -> None:
    # Needs the catalog text "audit.checkpoint" (handlers/reports/texts.py).
    app = await fx.keyed(app)
    await fx.write(app, 3)
    head = await fx.head(app)
    await sweep(app.sessions, app.clock, chats=CHATS[:1])
    inbox = Inbox()
    assert await deliver_due(app.sessions, {"console": inbox}, app.clock, "w") == 1
    (text,) = inbox.texts_for("-1001")
    assert f"3:{head.hash}" in text
