"""Two web workers (`jointcheck run --web-only`, two processes) on one database: 500 webhook
updates spread over both, some delivered to both at once, each answered exactly once; the
workers neither poll nor schedule, and are ready once a `--scheduler-only` process beats."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.app import App
from bot.telegram import SECRET_HEADER, WEBHOOK_PATH
from handlers.core.db import unit_of_work
from models import PlatformAccount, ProcessedUpdate, User, UserRole
from tests.fake_telegram import FakeTelegram
from tests.telegram_helpers import SECRET, WEBHOOK_URL, fake_server

ROOT = Path(__file__).resolve().parent.parent
USERS = 50
PER_USER = 10
FIRST_ID = 300_000
START_WITHIN = 60.0  # seconds a process may take to start (imports, getMe, setWebhook)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    """A `jointcheck run` process with its web and metrics ports."""

    proc: asyncio.subprocess.Process
    web: int
    metrics: int
    log: Path

    def url(self, port: int) -> str:
        return f"http://127.0.0.1:{port}"


async def _users(app: App) -> None:
    async with unit_of_work(app.sessions) as session:
        for n in range(USERS):
            user = User(login=f"w{n:03d}", display_name=f"用户{n:03d}", created_at=app.clock.now())
            session.add(user)
            await session.flush()
            session.add(UserRole(user_id=user.id, role="inspector"))
            tid = str(FIRST_ID + n)
            session.add(
                PlatformAccount(
                    user_id=user.id,
                    platform="telegram",
                    external_id=tid,
                    chat_id=tid,
                    bound_at=app.clock.now(),
                )
            )


@asynccontextmanager
async def running(
    app: App, fake: FakeTelegram, tmp: Path, *roles: str
) -> AsyncIterator[list[Process]]:
    """`python -m bot run ROLE` processes against the fake Bot API, started at once; each
    must stop cleanly on SIGTERM."""
    env = {
        **os.environ,
        "DATABASE_URL": app.settings.database_url,
        "DATA_DIR": str(app.settings.data_dir),  # the same audit key as the test's app
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "WEB_HOST": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    processes = []
    try:
        for role in roles:
            web, metrics = _free_port(), _free_port()
            log = tmp / f"run-{web}.log"
            ports = {"WEB_PORT": str(web), "METRICS_PORT": str(metrics)}
            with log.open("wb") as out:
                proc = await asyncio.create_subprocess_exec(
                    *(sys.executable, "-m", "bot", "run", role),
                    cwd=ROOT,
                    env={**env, **ports},
                    stdout=out,
                    stderr=out,
                )
            processes.append(Process(proc, web, metrics, log))
        await asyncio.gather(*(_answering(p) for p in processes))
        yield processes
    finally:
        for process in processes:
            if process.proc.returncode is None:
                process.proc.send_signal(signal.SIGTERM)
        for process in processes:
            code = await asyncio.wait_for(process.proc.wait(), START_WITHIN)
            assert code == 0, process.log.read_text(encoding="utf-8")[-3000:]


async def _answering(process: Process) -> None:
    """Wait until the process's metrics port answers (its web app starts at the same time)."""
    async with httpx.AsyncClient(timeout=5) as client, asyncio.timeout(START_WITHIN):
        while True:
            assert process.proc.returncode is None, process.log.read_text(encoding="utf-8")
            try:
                await client.get(process.url(process.metrics) + "/healthz")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)


def _updates(fake: FakeTelegram) -> list[dict[str, Any]]:
    updates = [
        fake.message(FIRST_ID + n, "/whoami", name=f"TG {n}")
        for _ in range(PER_USER)
        for n in range(USERS)
    ]
    random.Random(19).shuffle(updates)
    for update in updates:  # numbered in the order they arrive, as Telegram does
        update["update_id"] = fake.next_update_id()
    return updates


async def _post(client: httpx.AsyncClient, url: str, update: dict[str, Any]) -> None:
    headers = {SECRET_HEADER: SECRET}
    for _ in range(50):  # 503 while a worker's bot is still starting: Telegram retries too
        response = await client.post(url + WEBHOOK_PATH, json=update, headers=headers)
        if response.status_code != 503:
            assert response.status_code == 200, response.text
            return
        await asyncio.sleep(0.1)
    raise AssertionError("a worker kept answering 503")


def _metric(body: str, name: str, **labels: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


async def test_two_web_workers_answer_every_update_once(app: App, tmp_path: Path) -> None:
    await _users(app)
    async with (
        fake_server() as fake,
        running(app, fake, tmp_path, "--web-only", "--web-only") as (one, two),
        httpx.AsyncClient(timeout=60) as client,
    ):
        workers = [one.url(one.web), two.url(two.web)]
        updates = _updates(fake)
        gate = asyncio.Semaphore(32)

        async def deliver(n: int, update: dict[str, Any]) -> None:
            async with gate:
                if n % 20 == 0:  # delivered to both workers at once
                    await asyncio.gather(*(_post(client, url, update) for url in workers))
                else:
                    await _post(client, workers[n % 2], update)

        await asyncio.gather(*(deliver(n, u) for n, u in enumerate(updates)))

        replies = fake.sent("sendMessage")
        assert len(replies) == USERS * PER_USER
        per_chat: dict[str, int] = {}
        for call in replies:
            login = re.search(r"登录名：(w\d{3})", call.text)
            assert login is not None, call.text
            assert call.chat_id == str(FIRST_ID + int(login.group(1)[1:]))
            per_chat[call.chat_id] = per_chat.get(call.chat_id, 0) + 1
        assert set(per_chat.values()) == {PER_USER} and len(per_chat) == USERS
        # Both took updates by webhook only (no polling), and neither started a scheduler.
        assert fake.sent("getUpdates") == []
        assert len(fake.sent("setWebhook")) == 2
        counted = {"ok": 0.0, "duplicate": 0.0}
        for worker in (one, two):
            body = (await client.get(worker.url(worker.metrics) + "/metrics")).text
            for outcome in counted:
                counted[outcome] += _metric(
                    body, "jointcheck_updates_total", platform="telegram", outcome=outcome
                )
            ready = await client.get(worker.url(worker.web) + "/readyz")
            assert ready.status_code == 503 and ready.json()["scheduler"] == "no heartbeat"
        assert counted == {"ok": USERS * PER_USER, "duplicate": USERS * PER_USER / 20}
    async with unit_of_work(app.sessions, write=False) as session:
        handled = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert handled == USERS * PER_USER


async def test_a_scheduler_process_makes_the_web_workers_ready(app: App, tmp_path: Path) -> None:
    async with (
        fake_server() as fake,
        running(app, fake, tmp_path, "--web-only", "--scheduler-only") as (worker, scheduler),
        httpx.AsyncClient(timeout=60) as client,
    ):
        # The scheduler beats at its start, into the database the worker reads.
        async with asyncio.timeout(START_WITHIN):
            while True:
                ready = await client.get(worker.url(worker.web) + "/readyz")
                if ready.status_code == 200:
                    break
                await asyncio.sleep(0.1)
        assert ready.json()["scheduler"] == "ok"
        own = await client.get(scheduler.url(scheduler.metrics) + "/readyz")
        assert own.json()["status"] == "ready"
        metrics = await client.get(scheduler.url(scheduler.metrics) + "/metrics")
        assert "jointcheck_outbox_oldest_due_age_seconds" in metrics.text
        # The scheduler process serves no public web, and only the worker set the webhook.
        try:
            await client.get(scheduler.url(scheduler.web) + "/results")
            raise AssertionError("the scheduler process serves the public page")
        except httpx.ConnectError:
            pass
        assert len(fake.sent("setWebhook")) == 1
        assert fake.sent("getUpdates") == []


def test_run_refuses_what_several_processes_cannot_share(tmp_path: Path) -> None:
    base = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'refused.db'}",
        "DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": "123456789:TEST-token_for_the_fake_server",
    }
    cases = [
        # Long polling: one process only, so no web worker may poll.
        ({}, ["--web-only"], "--web-only needs TELEGRAM_WEBHOOK_URL"),
        # Metrics open beyond this machine without a token.
        ({"METRICS_PORT": "9108", "METRICS_HOST": "0.0.0.0"}, [], "set METRICS_TOKEN"),
    ]
    for extra, flags, reason in cases:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run", *flags],
            cwd=ROOT,
            env={**base, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert reason in done.stderr
        assert "Traceback" not in done.stderr
