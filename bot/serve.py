"""`jointcheck run` with chat platforms: the web app, the transports and the scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.routing import BaseRoute

from bot.app import App
from bot.web import create_web_app
from bot.wecom import WeComCallback, WeComTransport
from bot.wecom_api import GroupRobot, RobotTransport, WeComClient
from bot.wecom_crypto import WeComCrypto
from handlers.core.transport import Transport
from scheduler.runner import build_scheduler

log = logging.getLogger(__name__)


@dataclass
class Platforms:
    """What `run` serves: transports by platform, web routes, clients to close."""

    transports: dict[str, Transport] = field(default_factory=dict)
    routes: list[BaseRoute] = field(default_factory=list)
    clients: list[httpx.AsyncClient] = field(default_factory=list)
    # The WeCom callback, whose replies are sent in the background (drained at the end).
    wecom: WeComCallback | None = None

    @property
    def chat(self) -> bool:
        """Whether a chat platform (not only a robot) is configured."""
        return bool(set(self.transports) - {"wecom-robot"})


def wecom_configured(app: App) -> bool:
    """All five settings of the self-built app are present."""
    s = app.settings
    return all(
        (s.wecom_corp_id, s.wecom_agent_id, s.wecom_secret, s.wecom_token, s.wecom_encoding_aes_key)
    )


def build_platforms(app: App) -> Platforms:
    """The configured WeCom app and group robot (Telegram is added by bot.telegram)."""
    s, platforms = app.settings, Platforms()
    if wecom_configured(app):
        assert s.wecom_secret and s.wecom_token and s.wecom_encoding_aes_key
        http = httpx.AsyncClient(base_url=s.wecom_api_base_url, timeout=15)
        platforms.clients.append(http)
        client = WeComClient(
            http,
            corp_id=s.wecom_corp_id or "",
            secret=s.wecom_secret.get_secret_value(),
            agent_id=s.wecom_agent_id or "",
        )
        transport = WeComTransport(client)
        crypto = WeComCrypto(
            s.wecom_token.get_secret_value(),
            s.wecom_encoding_aes_key.get_secret_value(),
            s.wecom_corp_id or "",
        )
        platforms.transports[transport.platform] = transport
        platforms.wecom = WeComCallback(app.core, crypto, client, transport, time.time)
        platforms.routes += platforms.wecom.routes()
    if s.wecom_robot_key is not None:
        http = httpx.AsyncClient(base_url=s.wecom_api_base_url, timeout=15)
        platforms.clients.append(http)
        robot = RobotTransport(GroupRobot(http, s.wecom_robot_key.get_secret_value()))
        platforms.transports[robot.platform] = robot
    return platforms


@contextlib.asynccontextmanager
async def scheduled(app: App, platforms: Platforms) -> AsyncIterator[None]:
    """The scheduler for the block, unless SCHEDULER_ENABLED=false in this process."""
    if not app.settings.scheduler_enabled:
        yield
        return
    scheduler = build_scheduler(
        app.sessions,
        platforms.transports,
        app.clock,
        app.settings.schedule(),
        chats=app.settings.announce_chats(),
        checkpoints=app.settings.audit_files().checkpoints,
    )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)


async def serve(app: App, platforms: Platforms, stop: asyncio.Event) -> None:
    """Serve the web app (public page, callbacks, webhooks) until `stop` is set."""
    web = create_web_app(app, extra_routes=platforms.routes)
    server = uvicorn.Server(
        uvicorn.Config(
            web,
            host=app.settings.web_host,
            port=app.settings.web_port,
            log_level="info",
            lifespan="off",
        )
    )
    # uvicorn handles SIGINT and SIGTERM; its exit (or `stop`) ends the whole run.
    task = asyncio.create_task(server.serve())
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.set()
        server.should_exit = True
        await task
        stopper.cancel()
        if platforms.wecom is not None:
            await platforms.wecom.drain()  # replies already promised go out before closing
        for client in platforms.clients:
            await client.aclose()
