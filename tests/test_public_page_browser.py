"""The public page in a real browser: headless Chromium against uvicorn on a free port."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import uvicorn

from bot.app import build_app
from bot.settings import Settings
from bot.web import create_web_app
from services.common.clock import local_today
from tests import records_fixture as rf


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
        data_dir=tmp_path / "data",
    )


async def _prepare(tmp_path: Path) -> tuple[rf.Team, rf.Team]:
    app = await build_app(_settings(tmp_path))
    try:
        today = local_today(app.clock)
        await rf.build(app, today)
        plan_id = await rf.drawn_plan(app, today)
        mine, other = await rf.teams(app, plan_id)
        await rf.published(app, mine, categories=("other_market_rule",), problem="过期食品")
        await rf.submitted(app, other)
        return mine, other
    finally:
        await app.aclose()


class _Server(threading.Thread):
    """uvicorn serving the web app on an already listening socket, in its own event loop."""

    def __init__(self, settings: Settings, sock: socket.socket) -> None:
        super().__init__(daemon=True)
        self.settings, self.sock = settings, sock
        self.ready = threading.Event()
        self.server: uvicorn.Server | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.ready.set()

    async def _serve(self) -> None:
        app = await build_app(self.settings, upgrade=False)
        try:
            config = uvicorn.Config(create_web_app(app), log_level="warning", lifespan="off")
            self.server = uvicorn.Server(config)
            self.ready.set()
            await self.server.serve(sockets=[self.sock])
        finally:
            await app.aclose()


def test_public_page_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        reason = "Chromium is not installed (apt-get install chromium): browser test skipped"
        print(reason)
        pytest.skip(reason)
    mine, other = asyncio.run(_prepare(tmp_path))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # connections wait in the backlog until uvicorn accepts them
    port = sock.getsockname()[1]
    server = _Server(_settings(tmp_path), sock)
    server.start()
    try:
        assert server.ready.wait(30) and server.error is None, server.error
        run = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=390,844",
                f"--user-data-dir={tmp_path / 'chromium-profile'}",
                "--dump-dom",
                f"http://127.0.0.1:{port}/results",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        if server.server is not None:
            server.server.should_exit = True
        server.join(timeout=30)
        sock.close()
    dom = run.stdout
    assert run.returncode == 0, run.stderr[-2000:]
    assert mine.enterprise in dom and mine.credit_code in dom, dom[:2000]
    assert "违反其他市场监管规定" in dom and "2026年食品经营联合抽查" in dom
    assert 'name="viewport"' in dom
    assert other.enterprise not in dom  # submitted, not published
    for internal in (
        "风险",
        "risk",
        "回避",
        rf.RECUSAL_REASON,
        *(cert for _, cert, _, _ in rf.INSPECTORS.values()),
        *(name for _, _, name, _ in rf.INSPECTORS.values()),
        "过期食品",  # problem descriptions stay internal
    ):
        assert internal not in dom, internal
