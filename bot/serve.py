"""`jointcheck run` with chat platforms: the web app, the transports and the scheduler.

A process plays one role (`Role`): "all" (the web app, the chat platforms and the
scheduler: one process does everything), "web" (`--web-only`: the web app with the Telegram
webhook and the WeCom callback; no polling, no scheduler; several such workers can serve
behind a proxy) or "scheduler" (`--scheduler-only`: reminders and deliveries, which it sends
through the platforms' APIs; no public web). Every role also serves the metrics port when
METRICS_PORT is set. SIGTERM and SIGINT stop the run gracefully, whatever the role.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import httpx
import uvicorn
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from bot.app import App
from bot.backup_format import BackupRefused
from bot.backup_schedule import add_backup_job
from bot.health import check_metrics_binding, create_metrics_app
from bot.site import create_site
from bot.wecom import WeComCallback, WeComTransport
from bot.wecom_api import GroupRobot, RobotTransport, WeComClient
from bot.wecom_crypto import WeComCrypto
from handlers.core.transport import Transport
from scheduler.runner import build_scheduler

if TYPE_CHECKING:  # python-telegram-bot is loaded only when a bot is configured
    from bot.telegram import TelegramBot, TelegramConfig

log = logging.getLogger(__name__)

Role = Literal["all", "web", "scheduler"]


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


def wants_console(app: App) -> bool:
    """No chat platform is configured: `jointcheck run` is the console chat."""
    return app.settings.telegram_bot_token is None and not wecom_configured(app)


@contextlib.asynccontextmanager
async def scheduled(
    app: App, platforms: Platforms, *, enabled: bool | None = None
) -> AsyncIterator[None]:
    """The scheduler for the block, unless disabled (default: SCHEDULER_ENABLED)."""
    if not (app.settings.scheduler_enabled if enabled is None else enabled):
        yield
        return
    scheduler = build_scheduler(
        app.sessions,
        platforms.transports,
        app.clock,
        app.settings.schedule(),
        chats=app.settings.announce_chats(),
        checkpoints=app.settings.audit_files().checkpoints,
        observer=app.metrics,
    )
    try:
        add_backup_job(scheduler, app.settings, app.clock)  # none unless BACKUP_SCHEDULE is set
    except BackupRefused as exc:  # a BACKUP_SCHEDULE that does not parse: one sentence
        print(exc.message, file=sys.stderr)
        raise SystemExit(exc.status) from None
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)


class _Server(uvicorn.Server):
    """A uvicorn server that leaves the signals to the run: one process may serve two ports."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Nothing: `run_platforms` stops every server on SIGTERM and SIGINT."""
        yield


def _server(app: App, web: ASGIApp, host: str, port: int) -> uvicorn.Server:
    options: dict[str, Any] = {}
    if app.settings.log_format == "json":
        options["log_config"] = None  # uvicorn's lines go to the root logger, as JSON
    config = uvicorn.Config(web, host=host, port=port, log_level="info", lifespan="off", **options)
    return _Server(config)


async def serve(
    app: App, platforms: Platforms, stop: asyncio.Event, *, public: bool = True
) -> None:
    """Serve the web app (public page, callbacks, webhooks; unless not `public`) and the
    metrics port (when METRICS_PORT is set) until `stop` is set or a server ends."""
    s = app.settings
    servers = []
    if public:
        web = create_site(app, platforms.routes)
        servers.append(_server(app, web, s.web_host, s.web_port))
    if s.metrics_port is not None:
        servers.append(_server(app, create_metrics_app(app), s.metrics_host, s.metrics_port))
    tasks = [asyncio.create_task(server.serve()) for server in servers]
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({*tasks, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.set()
        for server in servers:
            server.should_exit = True
        ended = await asyncio.gather(*tasks, return_exceptions=True)
        stopper.cancel()
        if platforms.wecom is not None:
            await platforms.wecom.drain()  # replies already promised go out before closing
        for client in platforms.clients:
            await client.aclose()
    for result in ended:
        if isinstance(result, BaseException):
            raise result


@contextlib.contextmanager
def _signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGTERM (systemd) and SIGINT (Ctrl-C) set `stop`, for a graceful end."""
    loop = asyncio.get_running_loop()
    installed = []
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
                installed.append(sig)
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


@contextlib.asynccontextmanager
async def _sending_only(
    bot: TelegramBot, transports: MutableMapping[str, Transport]
) -> AsyncIterator[None]:
    """The Telegram transport, to send the scheduler's messages: no polling, no webhook."""
    await bot.application.initialize()
    transports[bot.transport.platform] = bot.transport
    try:
        yield
    finally:
        transports.pop(bot.transport.platform, None)
        await bot.application.shutdown()


def _telegram_bot(app: App, config: TelegramConfig | None) -> TelegramBot | None:
    """The bot of TELEGRAM_BOT_TOKEN (or of `config`), or None when none is configured."""
    if config is None and app.settings.telegram_bot_token is None:
        return None
    from bot.telegram import TelegramBot, from_settings

    return from_settings(app) if config is None else TelegramBot(app, config)


def _refuse(reason: str) -> int:
    print(f"jointcheck run: {reason}", file=sys.stderr)
    return 2


async def run_platforms(
    app: App, role: Role = "all", *, telegram: TelegramConfig | None = None
) -> int:
    """Run one role of `jointcheck run` until SIGTERM or SIGINT; the exit status.

    `telegram` replaces the configuration read from the settings (the load benchmark turns
    the rate limiter off with it).
    """
    try:
        check_metrics_binding(app.settings)
        bot = _telegram_bot(app, telegram)
    except ValueError as exc:
        return _refuse(str(exc))
    if role == "web" and bot is not None and not bot.config.webhook:
        return _refuse(
            "--web-only needs TELEGRAM_WEBHOOK_URL: Telegram's long polling allows one "
            "process only (run it without --web-only)"
        )
    platforms = build_platforms(app)
    if bot is not None and bot.config.webhook and role != "scheduler":
        platforms.routes += bot.routes()
    stop = asyncio.Event()
    with _signals(stop):
        async with contextlib.AsyncExitStack() as stack:
            if bot is not None:
                # The Telegram transport joins the scheduler's transports meanwhile.
                if role == "scheduler":
                    await stack.enter_async_context(_sending_only(bot, platforms.transports))
                else:
                    await stack.enter_async_context(bot.running(platforms.transports))
            if role != "web":
                enabled = True if role == "scheduler" else None
                await stack.enter_async_context(scheduled(app, platforms, enabled=enabled))
            log.info("jointcheck run: %s", role)
            await serve(app, platforms, stop, public=role != "scheduler")
    return 0
