"""Telegram on python-telegram-bot 22: updates in as neutral events, neutral replies out.

- Polling when `TELEGRAM_BOT_TOKEN` is set and `TELEGRAM_WEBHOOK_URL` is not; otherwise the
  Application is built with `updater(None)` and `routes()` gives the webhook endpoint
  (POST /telegram/webhook) for the web app; `X-Telegram-Bot-Api-Secret-Token` is checked in
  constant time, and a wrong or missing one gets 403 before anything is read.
- A webhook update is processed before the endpoint answers 200, so an update the process
  could not finish is delivered again by Telegram; the core handles a redelivered update once.
- Updates are processed concurrently (each event is one database transaction in the core),
  one at a time per Telegram user, so that a user's messages are answered in order.
- `AIORateLimiter` paces sending and retries after Telegram's "retry after".
- One error handler logs with the traceback and tells the user politely.
- `TELEGRAM_BASE_URL` points the bot at a self-hosted Bot API server; the file URL follows it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from starlette.routing import BaseRoute
from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes, TypeHandler

from bot import logs
from bot.app import App
from bot.telegram_config import (
    ALLOWED_UPDATES,
    OFFICIAL_BASE_URL,
    TelegramConfig,
    application_builder,
    file_base_url,
    mode,
)
from bot.telegram_menus import Menus
from bot.telegram_transport import (
    MAX_FILE_BYTES,
    PLATFORM,
    TelegramTransport,
    Wanted,
    fetch,
    read_update,
)
from bot.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH, check_secret, webhook_route
from handlers.core.db import unit_of_work
from handlers.core.dispatch import parse_command
from handlers.core.i18n import t
from handlers.core.model import Incoming
from handlers.core.transport import Transport
from services.accounts.actors import actor_for_account

__all__ = [
    "OFFICIAL_BASE_URL",
    "PLATFORM",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "TelegramBot",
    "TelegramConfig",
    "TelegramTransport",
    "application_builder",
    "file_base_url",
    "from_settings",
    "mode",
    "run_telegram",
    "webhook_route",
]

log = logging.getLogger(__name__)

MENU_COMMANDS = frozenset({"bind", "lang"})


class KeyedLocks:
    """One lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Run the block alone for this key, after those that came first."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class DeliveryFailed(Exception):
    """The core handled the event (and committed) but Telegram did not take the reply."""


def affects_menu(incoming: Incoming) -> bool:
    """Whether the event may change the user's command menu (binding, language)."""
    text = (incoming.text or "").strip()
    if text.startswith("/"):
        return parse_command(text)[0] in MENU_COMMANDS
    return (incoming.button or "").startswith("lang:")


class TelegramBot:
    """The python-telegram-bot Application around the core, and its lifecycle."""

    def __init__(self, app: App, config: TelegramConfig) -> None:
        self.app = app
        self.config = config
        if config.webhook:
            check_secret(config.webhook_secret)
        # Before the Application exists: building it logs the API URL, token included.
        logs.remember(config.token, config.webhook_secret)
        self.application = application_builder(config).build()
        self.transport = TelegramTransport(self.application.bot)
        self.menus = Menus(app, self.application.bot)
        self.locks = KeyedLocks()
        self.initial_menus: asyncio.Future[None] | None = None
        # SQLite takes one writer at a time, and every event is a write transaction: queue
        # them here, where the next one starts the moment the last commits, rather than in
        # SQLite's busy handler, which sleeps up to 100 ms between tries.
        sqlite = app.engine.dialect.name == "sqlite"
        self.db_gate = asyncio.Semaphore(1 if sqlite else config.concurrency)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    # Lifecycle

    async def start(self) -> None:
        """Connect (getMe), start receiving updates and set the command menus."""
        application = self.application
        await application.initialize()
        if self.config.webhook:
            await application.bot.set_webhook(
                self.config.webhook_url or "",
                secret_token=self.config.webhook_secret,
                allowed_updates=list(ALLOWED_UPDATES),
            )
        elif application.updater is not None:
            await application.updater.start_polling(
                timeout=int(self.config.poll_timeout), allowed_updates=list(ALLOWED_UPDATES)
            )
        await application.start()
        self.initial_menus = application.create_task(self._initial_menus(), name="telegram-menus")
        if application.job_queue is not None and self.config.menu_sync_seconds > 0:
            application.job_queue.run_repeating(
                self._menu_job,
                interval=self.config.menu_sync_seconds,
                first=self.config.menu_sync_seconds,
                name="telegram-menus",
            )
        log.info(
            "Telegram bot @%s started (%s)",
            application.bot.username,
            "webhook" if self.config.webhook else "polling",
        )

    async def stop(self) -> None:
        """Stop fetching, finish the updates already taken, then disconnect."""
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    @asynccontextmanager
    async def running(
        self, transports: MutableMapping[str, Transport] | None = None
    ) -> AsyncIterator[TelegramBot]:
        """Run the bot for the block; `transports` gains the Telegram transport meanwhile."""
        await self.start()
        if transports is not None:
            transports[PLATFORM] = self.transport
        try:
            yield self
        finally:
            if transports is not None:
                transports.pop(PLATFORM, None)
            await self.stop()

    def routes(self) -> list[BaseRoute]:
        """The webhook endpoint, for `bot.web.create_web_app(app, extra_routes=...)`."""
        return [webhook_route(self.application, self.config.webhook_secret or "")]

    # Updates

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        wanted = read_update(update, self.application.bot.username)
        if wanted is None:
            return
        if update.callback_query is not None:
            try:  # at once: the button stops spinning whatever the handling takes
                await update.callback_query.answer()
            except TelegramError as exc:
                log.debug("callback query not answered: %s", exc)
        async with self.locks.hold(wanted.incoming.sender_id):
            await self._handle(wanted)

    async def _handle(self, wanted: Wanted) -> None:
        incoming = wanted.incoming
        if wanted.file_id is not None:
            # The official server serves bots files up to 20 MB; a local one any size (the
            # evidence limit is then the core's to hold).
            too_big = not self.config.local_mode and (wanted.file_size or 0) > MAX_FILE_BYTES
            if too_big:
                await self._say(incoming, "telegram.file_too_big", limit=MAX_FILE_BYTES // 10**6)
                return
            # Strangers' files are never fetched: the core answers them without it.
            if (await self._language(incoming.sender_id))[1]:
                incoming = await fetch(self.application.bot, wanted)
        async with self.db_gate:
            replies = await self.app.core.handle(incoming)
        try:
            await self.transport.deliver(
                incoming.chat_id, replies, pressed_message_id=wanted.pressed_message_id
            )
        except TelegramError as exc:
            raise DeliveryFailed(f"reply to chat {incoming.chat_id} not delivered") from exc
        if affects_menu(incoming):
            try:
                await self.menus.refresh(incoming.sender_id)
            except TelegramError as exc:
                log.warning("menu of Telegram user %s not updated: %s", incoming.sender_id, exc)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("Telegram update %s failed", update_id, exc_info=context.error)
        if not isinstance(update, Update):
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        lang, bound = await self._language(str(user.id))
        if chat.type != ChatType.PRIVATE and not bound:
            return  # in groups only bound users are ever answered
        key = (
            "telegram.send_failed"
            if isinstance(context.error, DeliveryFailed)
            else "error.internal"
        )
        try:
            await self.application.bot.send_message(chat.id, t(lang, key))
        except Exception as exc:  # the platform itself is failing: the log has it all
            log.warning("apology to Telegram chat %s not sent: %s", chat.id, exc)

    async def _say(self, incoming: Incoming, key: str, **params: Any) -> None:
        lang, bound = await self._language(incoming.sender_id)
        if incoming.is_group and not bound:
            return
        await self.application.bot.send_message(incoming.chat_id, t(lang, key, **params))

    async def _language(self, external_id: str) -> tuple[str, bool]:
        """The user's language and whether the account is bound and active."""
        default = self.app.settings.default_language
        try:
            async with unit_of_work(self.app.sessions, write=False) as session:
                found = await actor_for_account(session, PLATFORM, external_id)
        except Exception:
            log.exception("account of Telegram user %s not read", external_id)
            return default, False
        actor = found[1] if found else None
        return (default, False) if actor is None else (actor.language, True)

    # Menus

    async def _initial_menus(self) -> None:
        try:
            await self.menus.set_defaults()
            sent = await self.menus.sync_all()
            log.info("Telegram command menus set for %d chats", sent)
        except Exception:
            log.exception("Telegram command menus not set")

    async def _menu_job(self, _context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.menus.sync_all()
        except Exception:
            log.exception("Telegram command menus not re-synced")


def from_settings(app: App) -> TelegramBot | None:
    """The bot `jointcheck run` starts, or None when no bot token is configured."""
    if app.settings.telegram_bot_token is None:
        return None
    return TelegramBot(app, TelegramConfig.from_settings(app.settings))


async def run_telegram(
    app: App,
    transports: MutableMapping[str, Transport],
    *,
    stop: asyncio.Event,
    config: TelegramConfig | None = None,
) -> None:
    """Poll Telegram until `stop` is set; the transport is in `transports` meanwhile."""
    config = replace(config or TelegramConfig.from_settings(app.settings), webhook_url=None)
    async with TelegramBot(app, config).running(transports):
        await stop.wait()
