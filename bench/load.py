"""Benchmark: 1,000 simulated inspectors against two web workers and a scheduler, one PostgreSQL.

Each phase runs on a fresh copy of one prepared database (a district, its plan drawn: about
three checks per inspector), with separate processes as deployed: web workers (the code of
`jointcheck run --web-only`) and one scheduler (`--scheduler-only`, delivering the draw's
notices meanwhile), all with Telegram's rate limiter off (as bench/updates.py), against fake
Bot API servers on 127.0.0.1 run by this script (one for the workers' replies, one for the
scheduler's messages). The inspectors work at once, each in turn: /tasks, open a check,
choose "no problem", no problems, no measures, the summary card, submit, /tasks (those who
lead no check: /tasks, /whoami, /tasks); Telegram's webhook pace is kept (40 requests in
flight), the updates are spread over the workers, and every 50th is delivered twice, to two
workers at once, as Telegram does after a timeout.
It prints each phase's throughput, p50 and p99 latency and errors, checks that no update was
lost or answered twice (each gets exactly one message or edit; the ledger has each once), and
prints the two-worker throughput as a ratio of one worker's in the same run.

    python bench/load.py [--inspectors N] [--concurrency N] [--database-url URL]

The database is TEST_DATABASE_URL (or postgresql+asyncpg://postgres@127.0.0.1:5432/test);
when PostgreSQL does not answer, it says so and stops (exit 0). Its databases are dropped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-load-webhook-secret"
DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
FIRST_USER = 700_000
TWICE_EVERY = 50
START_WITHIN = 120.0
SCRIPT = Path(__file__).resolve()


@dataclass
class Plan:
    """What each inspector does: the Telegram id and the check it records (None: none)."""

    leads: dict[int, int | None]
    no_problem: int


@dataclass
class Phase:
    """One phase's figures."""

    workers: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    http_errors: int = 0
    error_replies: int = 0
    lost: int = 0
    twice: int = 0
    unledgered: int = 0
    updates: int = 0
    doubled: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _district(app: Any, inspectors: int, today: date, now: datetime) -> None:
    """One department and item, shops for three checks per inspector, the plan drawn."""
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
    from services.draw import freeze, plans
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
        session.add_all(
            Enterprise(
                credit_code=creditcode.make_code(f"91630202{n:09d}"),
                name=f"乐都区第{n}食品店",
                address=f"海东市乐都区碾伯镇{n}号",
                object_type="食品",
                risk_class="B",
                district="碾伯镇",
                status="active",
            )
            for n in range(inspectors * 3 // 2)
        )
        people = [
            Inspector(
                cert_no=f"6302019{n:05d}",
                cert_expiry=today + timedelta(days=900),
                name=f"检查员{n:04d}",
                department_id=dept.id,
            )
            for n in range(inspectors)
        ]
        session.add_all(people)
        await session.flush()
        users = [
            User(login=f"insp{n:04d}", display_name=p.name, inspector_id=p.id, created_at=now)
            for n, p in enumerate(people)
        ]
        session.add_all(users)
        await session.flush()
        for n, user in enumerate(users):
            tid = str(FIRST_USER + n)
            session.add(UserRole(user_id=user.id, role="inspector"))
            session.add(
                PlatformAccount(
                    user_id=user.id, platform="telegram", external_id=tid, chat_id=tid, bound_at=now
                )
            )
    spec = plans.parse_spec(
        {
            "name": "联合抽查负载测试",
            "items": ["I1"],
            "check_start": today - timedelta(days=5),
            "check_end": today + timedelta(days=20),
            "districts": ["碾伯镇"],
            "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
            "team_size": 2,
            "load_cap": 3,
        }
    )
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, spec, now)
    async with unit_of_work(app.sessions) as session:
        frozen = await freeze.freeze(session, None, plan.id, now)
    async with unit_of_work(app.sessions) as session:
        await draw_run.execute(session, None, frozen.id, "", now)


async def _plan(app: Any, inspectors: int) -> Plan:
    """Each inspector records the first check they lead."""
    from sqlalchemy import select

    from handlers.core.db import unit_of_work
    from models import Assignment, PlatformAccount, ResultCategory, User

    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(
            select(PlatformAccount.external_id, Assignment.id)
            .join(User, User.id == PlatformAccount.user_id)
            .join(Assignment, Assignment.lead_inspector_id == User.inspector_id)
            .order_by(Assignment.id)
        )
        leads: dict[int, int | None] = {FIRST_USER + n: None for n in range(inspectors)}
        for external_id, assignment_id in rows.all():
            if leads.get(int(external_id)) is None:
                leads[int(external_id)] = assignment_id
        no_problem = await session.scalar(
            select(ResultCategory.id).where(ResultCategory.code == "no_problem")
        )
    assert no_problem is not None
    return Plan(leads, no_problem)


# The database


async def _answers(url: str) -> str | None:
    """None when PostgreSQL answers at `url`, else why not."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, connect_args={"timeout": 3})
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        await engine.dispose()
    return None


@contextlib.asynccontextmanager
async def _server_admin(url: str) -> AsyncIterator[Any]:
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    admin = create_async_engine(make_url(url), isolation_level="AUTOCOMMIT")
    try:
        yield admin
    finally:
        await admin.dispose()


async def _sql(admin: Any, statement: str) -> None:
    from sqlalchemy import text

    async with admin.connect() as conn:
        await conn.execute(text(statement))


def _database_url(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


# The processes


def _fake(base: Any) -> Any:
    """A fake Bot API server that remembers each chat's last message (whose buttons we press)."""

    class Recorder(base):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            self.last: dict[str, int] = {}

        def _message_result(self, call: Any) -> dict[str, Any]:
            message: dict[str, Any] = super()._message_result(call)
            if call.method == "sendMessage":
                self.last[call.chat_id] = message["message_id"]
            return message

    return Recorder()


@dataclass
class Worker:
    """A process of this benchmark and its web port."""

    proc: asyncio.subprocess.Process
    port: int
    log: Path


async def _spawn(role: str, env: dict[str, str], folder: Path) -> Worker:
    port = _free_port()
    log = folder / f"{role}-{port}.log"
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, str(SCRIPT), "--serve", role),
            env={**env, "WEB_PORT": str(port)},
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    return Worker(proc, port, log)


async def _ready(client: Any, worker: Worker) -> None:
    """Wait until a web worker is ready (its database answers, the scheduler beats)."""
    async with asyncio.timeout(START_WITHIN):
        while True:
            if worker.proc.returncode is not None:
                raise RuntimeError(worker.log.read_text(encoding="utf-8")[-2000:])
            with contextlib.suppress(Exception):
                response = await client.get(f"http://127.0.0.1:{worker.port}/readyz")
                if response.status_code == 200:
                    return
            await asyncio.sleep(0.2)


async def _stop(processes: list[Worker]) -> None:
    for worker in processes:
        if worker.proc.returncode is None:
            worker.proc.send_signal(signal.SIGTERM)
    for worker in processes:
        code = await asyncio.wait_for(worker.proc.wait(), START_WITHIN)
        if code != 0:
            print(f"a process ended with {code}; its log: {worker.log}", file=sys.stderr)


def serve(role: str) -> int:
    """A process of the benchmark: `jointcheck run --web-only` or `--scheduler-only`, with
    Telegram's rate limiter off."""
    from dataclasses import replace

    from bot.app import build_app
    from bot.logs import configure_logging
    from bot.serve import run_platforms
    from bot.settings import Settings
    from bot.telegram import TelegramConfig

    async def main() -> int:
        settings = Settings()
        configure_logging(settings)
        config = replace(
            TelegramConfig.from_settings(settings), rate_limit=False, menu_sync_seconds=0
        )
        app = await build_app(settings, upgrade=False)
        try:
            return await run_platforms(app, role, telegram=config)  # type: ignore[arg-type]
        finally:
            await app.aclose()

    return asyncio.run(main())


# The load


def _steps(plan: Plan, user_id: int) -> list[tuple[str, str]]:
    """An inspector's updates in order: ("text", ...) or ("press", callback data)."""
    assignment = plan.leads[user_id]
    if assignment is None:
        return [("text", "/tasks"), ("text", "/whoami"), ("text", "/tasks")]
    record = [f"c+:{plan.no_problem}", "cdone", "pnone", "hub", "submit"]
    return [
        ("text", "/tasks"),
        ("press", f"rec:{assignment}"),
        *(("press", f"f:record:{step}") for step in record),
        ("text", "/tasks"),
    ]


async def _phase(url: str, folder: Path, plan: Plan, workers: int, concurrency: int) -> Phase:
    """Run the inspectors against `workers` web workers and a scheduler; the figures."""
    import httpx

    from handlers.core.i18n import t
    from tests.fake_telegram import FakeTelegram

    replies_fake = await _fake(FakeTelegram).start()
    scheduler_fake = await FakeTelegram().start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATA_DIR": str(folder / "data"),  # the audit key the database was prepared with
        "TELEGRAM_WEBHOOK_URL": "https://jointcheck.example.org/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_BOT_TOKEN": replies_fake.token,
        "WEB_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    phase = Phase(workers)
    processes = [
        await _spawn("scheduler", {**env, "TELEGRAM_BASE_URL": scheduler_fake.base_url}, folder)
    ]
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    try:
        for _ in range(workers):
            processes.append(
                await _spawn("web", {**env, "TELEGRAM_BASE_URL": replies_fake.base_url}, folder)
            )
        async with httpx.AsyncClient(limits=limits, timeout=120) as client:
            for worker in processes[1:]:
                await _ready(client, worker)
            # Each worker sets every bound chat's menu at start: let that pass first.
            menus = workers * (len(plan.leads) + 4)
            await replies_fake.wait_for(lambda f: len(f.sent("setMyCommands")) >= menus, 120)
            replies_fake.calls.clear()
            await _drive(client, replies_fake, plan, processes[1:], concurrency, phase)
        _check(
            replies_fake, plan, phase, t("zh", "error.internal"), t("zh", "error.unknown_button")
        )
        phase.unledgered = phase.updates - await _ledger(url)
    finally:
        await _stop(processes)
        await replies_fake.stop()
        await scheduler_fake.stop()
    return phase


async def _drive(
    client: Any, fake: Any, plan: Plan, workers: list[Worker], concurrency: int, phase: Phase
) -> None:
    from bot.telegram import SECRET_HEADER, WEBHOOK_PATH

    urls = [f"http://127.0.0.1:{w.port}{WEBHOOK_PATH}" for w in workers]
    spread = itertools.count()
    gate = asyncio.Semaphore(concurrency)

    async def post(url: str, update: dict[str, Any]) -> None:
        async with gate:
            started = time.perf_counter()
            try:
                response = await client.post(url, json=update, headers={SECRET_HEADER: SECRET})
                ok = response.status_code == 200
            except Exception:
                ok = False
            phase.latencies.append(time.perf_counter() - started)
            phase.http_errors += not ok

    async def inspector(user_id: int) -> None:
        for kind, value in _steps(plan, user_id):
            uid = fake.next_update_id()
            if kind == "text":
                update = fake.message(user_id, value, name=f"Inspector {user_id}", update_id=uid)
            else:
                update = fake.press(user_id, value, chat_id=user_id, update_id=uid)
                update["callback_query"]["message"]["message_id"] = fake.last[str(user_id)]
            n = next(spread)
            phase.updates += 1
            if n % TWICE_EVERY == 0:  # delivered twice at once, to two workers if there are
                phase.doubled += 1
                pair = (urls[n % len(urls)], urls[(n + 1) % len(urls)])
                await asyncio.gather(*(post(url, update) for url in pair))
            else:
                await post(urls[n % len(urls)], update)

    started = time.perf_counter()
    await asyncio.gather(*(inspector(user_id) for user_id in plan.leads))
    phase.elapsed = time.perf_counter() - started


def _check(fake: Any, plan: Plan, phase: Phase, *errors: str) -> None:
    """Each update got exactly one message or edit in its chat; none was an error."""
    answered: dict[str, int] = {}
    for call in fake.messages():
        answered[call.chat_id] = answered.get(call.chat_id, 0) + 1
        phase.error_replies += any(call.text.startswith(e) for e in errors)
    for user_id in plan.leads:
        expected = len(_steps(plan, user_id))
        got = answered.get(str(user_id), 0)
        phase.lost += max(0, expected - got)
        phase.twice += max(0, got - expected)


async def _ledger(url: str) -> int:
    """How many Telegram updates the processed-update ledger holds."""
    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import create_async_engine

    from models import ProcessedUpdate

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            stmt = select(func.count()).where(ProcessedUpdate.platform == "telegram")
            return int((await conn.execute(stmt)).scalar_one())
    finally:
        await engine.dispose()


# The run


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def _report(phases: list[Phase], inspectors: int, concurrency: int) -> bool:
    print(
        f"database: postgresql; inspectors: {inspectors}; in flight: {concurrency}; "
        f"updates per phase: {phases[0].updates} ({phases[0].doubled} of them delivered twice)"
    )
    rates = {}
    sound = True
    for phase in phases:
        rates[phase.workers] = phase.updates / phase.elapsed
        label = f"{phase.workers} web worker{'s' if phase.workers > 1 else ''} + scheduler"
        print(
            f"{label:28} {rates[phase.workers]:7.1f} updates/s   "
            f"p50 {_pct(phase.latencies, 0.50):7.1f} ms   p99 {_pct(phase.latencies, 0.99):7.1f} ms"
            f"   errors {phase.http_errors + phase.error_replies}   lost {phase.lost}   "
            f"answered twice {phase.twice}   missing from the ledger {phase.unledgered}"
        )
        sound = sound and not (
            phase.http_errors or phase.error_replies or phase.lost or phase.twice
        )
        sound = sound and phase.unledgered == 0
    if 1 in rates and 2 in rates:
        print(f"ratio two workers / one worker: {rates[2] / rates[1]:.2f}")
    return sound


async def run(args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.settings import Settings
    from services.common.clock import SystemClock, local_today

    url = args.database_url or os.environ.get("TEST_DATABASE_URL") or DEFAULT_URL
    why = await _answers(url)
    if why is not None:
        print(f"bench/load.py skipped: PostgreSQL does not answer at {url} ({why})")
        return 0
    token = uuid.uuid4().hex[:10]
    base, names = f"jc_load_{token}", [f"jc_load_{token}_{n}" for n in args.workers]
    with tempfile.TemporaryDirectory(prefix="jc-bench-load-") as tmp:
        folder = Path(tmp)
        async with _server_admin(url) as admin:
            await _sql(admin, f'CREATE DATABASE "{base}"')
            try:
                settings = Settings(
                    _env_file=None, database_url=_database_url(url, base), data_dir=folder / "data"
                )
                clock = SystemClock()
                app = await build_app(settings, clock=clock)
                try:
                    await _district(app, args.inspectors, local_today(clock), clock.now())
                    plan = await _plan(app, args.inspectors)
                finally:
                    await app.aclose()
                phases = []
                for workers, name in zip(args.workers, names, strict=True):
                    await _sql(admin, f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
                    phase_url = _database_url(url, name)
                    phases.append(await _phase(phase_url, folder, plan, workers, args.concurrency))
            finally:
                for name in (*names, base):
                    await _sql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if _report(phases, args.inspectors, args.concurrency) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inspectors", type=int, default=1000)
    parser.add_argument(
        "--concurrency", type=int, default=40, help="requests in flight (Telegram's default)"
    )
    parser.add_argument("--database-url", default=None, help="default: TEST_DATABASE_URL")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="web workers of each phase"
    )
    parser.add_argument("--serve", choices=["web", "scheduler"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        return serve(args.serve)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
