"""Benchmark: Telegram updates per second through the whole stack, against a minimal handler.

Ours: an HTTP POST of the update to the webhook (uvicorn, the Starlette app of bot/web.py, the
secret check) -> the python-telegram-bot Application -> our handler -> the core in one
transaction (the account, the processed-update ledger, /tasks: an inspector's assignments
with their teams and buttons) -> the database -> sendMessage to a fake Bot API server on
127.0.0.1, answered before the webhook returns.
Baseline, in the same run, on the same stack (same web app, route, Application settings,
database engine, queue in front of SQLite and fake server): a minimal handler doing one
database read (the sender's account) and one write (a processed-update row) per update,
then a reply.
Both are fed by the same concurrent client, alternating rounds. Prints both rates, their
ratio and p50/p99 latency. Target: ours at least 70% of the baseline's rate.

    python bench/updates.py [--updates N] [--users N] [--concurrency N] [--rounds N]
                            [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-webhook-secret"
TODAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
FIRST_USER = 500_000


async def _district(app: Any, users: int) -> None:
    """One department, one item, enough shops for about three tasks per inspector, `users`
    inspectors with Telegram accounts, and the plan drawn."""
    from handlers.core.db import unit_of_work
    from models import (
        Department,
        Enterprise,
        Inspector,
        Item,
        ItemDepartment,
        PlatformAccount,
        User,
        UserRole,
    )
    from services.directory import creditcode
    from services.draw import freeze as draws
    from services.draw import plans
    from services.draw import run as draw_run

    async with unit_of_work(app.sessions) as session:
        dept = Department(code="SCJG", name="乐都区市场监督管理局")
        session.add(dept)
        await session.flush()
        item = Item(
            code="I1",
            name="食品经营行为检查",
            object_type="食品",
            legal_basis="《食品安全法》第一百一十条",
            initiating_department_id=dept.id,
        )
        session.add(item)
        await session.flush()
        session.add(ItemDepartment(item_id=item.id, department_id=dept.id, role="initiating"))
        for n in range(users * 3 // 2):
            session.add(
                Enterprise(
                    credit_code=creditcode.make_code(f"91630202{n:09d}"),
                    name=f"乐都区第{n}食品店",
                    address=f"海东市乐都区碾伯镇{n}号",
                    object_type="食品",
                    risk_class="B",
                    district="碾伯镇",
                    status="active",
                )
            )
        for n in range(users):
            inspector = Inspector(
                cert_no=f"6302019{n:05d}",
                cert_expiry=TODAY + timedelta(days=900),
                name=f"检查员{n:03d}",
                department_id=dept.id,
            )
            session.add(inspector)
            await session.flush()
            user = User(
                login=f"insp{n:03d}",
                display_name=inspector.name,
                inspector_id=inspector.id,
                created_at=NOW,
            )
            session.add(user)
            await session.flush()
            session.add(UserRole(user_id=user.id, role="inspector"))
            tid = str(FIRST_USER + n)
            session.add(
                PlatformAccount(
                    user_id=user.id,
                    platform="telegram",
                    external_id=tid,
                    chat_id=tid,
                    bound_at=NOW,
                )
            )
    spec = plans.parse_spec(
        {
            "name": "2026年食品经营联合抽查",
            "items": ["I1"],
            "check_start": TODAY - timedelta(days=5),
            "check_end": TODAY + timedelta(days=20),
            "districts": ["碾伯镇"],
            "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
            "team_size": 2,
            "load_cap": 3,
        }
    )
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, spec, NOW)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan.id, NOW)
    async with unit_of_work(app.sessions) as session:
        await draw_run.execute(session, None, frozen.id, "", NOW)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    # IPPROTO_TCP given: asyncio only sets TCP_NODELAY on such sockets, and without it
    # every keep-alive request waits 40 ms for a delayed ACK.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    return sock


async def _serve(web: Any) -> tuple[str, Any, asyncio.Task[None]]:
    import uvicorn

    sock = _free_socket()
    config = uvicorn.Config(
        web,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        timeout_keep_alive=60,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, task


def _baseline_application(app: Any, config: Any) -> Any:
    """The same Application settings as ours, with a one-read, one-write handler."""
    from sqlalchemy import select
    from telegram import Update
    from telegram.ext import ContextTypes, TypeHandler

    from bot.telegram import application_builder
    from handlers.core.db import unit_of_work
    from models import PlatformAccount, ProcessedUpdate

    # The same queue in front of the database as ours (one writer at a time on SQLite).
    gate = asyncio.Semaphore(1 if app.engine.dialect.name == "sqlite" else config.concurrency)

    async def minimal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        async with gate, unit_of_work(app.sessions) as session:
            account = await session.scalar(
                select(PlatformAccount.id).where(
                    PlatformAccount.platform == "telegram",
                    PlatformAccount.external_id == str(user.id),
                )
            )
            session.add(
                ProcessedUpdate(
                    platform="bench", update_key=str(update.update_id), processed_at=NOW
                )
            )
        await context.bot.send_message(chat.id, f"账号 {account}")

    application = application_builder(config).build()
    application.add_handler(TypeHandler(Update, minimal))
    return application


async def _round(
    url: str, fake: Any, users: int, count: int, concurrency: int, text: str
) -> tuple[float, list[float]]:
    """Post `count` updates with `concurrency` in flight; (seconds, latencies)."""
    import httpx

    from bot.telegram import SECRET_HEADER, WEBHOOK_PATH

    updates = [
        fake.message(FIRST_USER + n % users, text, name=f"Inspector {n % users}")
        for n in range(count)
    ]
    queue = iter(updates)
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def worker() -> None:
            for update in queue:
                started = time.perf_counter()
                response = await client.post(
                    WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET}
                )
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    from bot.app import build_app
    from bot.settings import Settings
    from services.common.clock import ManualClock

    with tempfile.TemporaryDirectory(prefix="jc-bench-updates-") as folder:
        workdir = Path(folder)
        url = args.database_url or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        async with _database(url) as db_url:
            settings = Settings(_env_file=None, database_url=db_url, data_dir=workdir / "data")
            app = await build_app(settings, clock=ManualClock(NOW))
            return await _measure(app, args)


@asynccontextmanager
async def _database(url: str) -> AsyncIterator[str]:
    """SQLite: the file itself. PostgreSQL: a database of this run, dropped at the end, so
    that the server's database named in the URL is never written to."""
    if not url.startswith("postgresql"):
        yield url
        return
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    admin_url = make_url(url)
    name = f"jc_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _measure(app: Any, args: argparse.Namespace) -> int:
    from bot.telegram import TelegramBot, TelegramConfig, webhook_route
    from bot.web import create_web_app
    from tests.fake_telegram import FakeTelegram

    await _district(app, args.users)
    fake = await FakeTelegram().start()
    config = TelegramConfig(
        token=fake.token,
        base_url=fake.base_url,
        webhook_url="https://jointcheck.example.org/telegram/webhook",
        webhook_secret=SECRET,
        rate_limit=False,
        menu_sync_seconds=0,
    )
    ours = TelegramBot(app, config)
    baseline = _baseline_application(app, config)
    await ours.start()
    assert ours.initial_menus is not None
    await ours.initial_menus
    await baseline.initialize()
    await baseline.start()
    ours_url, ours_server, ours_task = await _serve(create_web_app(app, extra_routes=ours.routes()))
    base_web = create_web_app(app, extra_routes=[webhook_route(baseline, SECRET)])
    base_url, base_server, base_task = await _serve(base_web)
    try:
        results: dict[str, tuple[float, list[float]]] = {"baseline": (0.0, []), "ours": (0.0, [])}
        targets = {"baseline": base_url, "ours": ours_url}
        warm = min(200, args.updates)
        for name in ("baseline", "ours"):
            await _round(targets[name], fake, args.users, warm, args.concurrency, args.command)
        for _, name in itertools.product(range(args.rounds), ("baseline", "ours")):
            fake.calls.clear()
            elapsed, latencies = await _round(
                targets[name], fake, args.users, args.updates, args.concurrency, args.command
            )
            replies = fake.sent("sendMessage")
            assert len(replies) == args.updates, (name, len(replies))
            if name == "ours" and args.command == "/tasks":
                assert all("第 1/" in c.text for c in replies), replies[0].text
            total, all_latencies = results[name]
            results[name] = (total + elapsed, all_latencies + latencies)
    finally:
        for server in (ours_server, base_server):
            server.should_exit = True
        await asyncio.gather(ours_task, base_task)
        await baseline.stop()
        await baseline.shutdown()
        await ours.stop()
        await fake.stop()
        await app.aclose()

    print(
        f"database: {app.engine.dialect.name}; users: {args.users}; "
        f"updates per round: {args.updates}; rounds: {args.rounds}; "
        f"concurrency: {args.concurrency}"
    )
    rates = {}
    for name, (elapsed, latencies) in results.items():
        rates[name] = len(latencies) / elapsed
        label = f"ours ({args.command})" if name == "ours" else "baseline (1 read + 1 write)"
        print(
            f"{label:30} {rates[name]:8.1f} updates/s   "
            f"p50 {_pct(latencies, 0.50):7.1f} ms   p99 {_pct(latencies, 0.99):7.1f} ms   "
            f"(mean {statistics.fmean(latencies) * 1000:.1f} ms)"
        )
    ratio = rates["ours"] / rates["baseline"]
    verdict = "meets" if ratio >= 0.70 else "MISSES"
    print(f"ratio ours/baseline: {ratio:.0%} ({verdict} the 70% target)")
    return 0 if ratio >= 0.70 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates per round")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each, alternating")
    parser.add_argument("--command", default="/tasks", help="what the users send")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    return asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
