"""Command menus that fit the user: `set_my_commands` with scopes.

- Default scope (anyone who has not bound an account): /start, /help and /bind, in Chinese,
  and in English for Telegram clients set to English.
- All group chats: the commands any bound user may use in a group (no private-only ones).
- Each bound Telegram account's private chat: the commands its roles allow
  (`Router.visible_commands`), described in the user's language; a deactivated account's
  chat menu is removed, so the stranger's menu shows again.

A menu is only sent when it differs from the one this process sent last, so the periodic
re-sync costs nothing when nothing changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)
from telegram.constants import BotCommandLimit
from telegram.error import TelegramError

from bot.app import App
from bot.telegram_transport import PLATFORM
from handlers.core.db import unit_of_work
from handlers.core.i18n import LANGUAGES, t
from handlers.core.router import Command
from models import PlatformAccount, User
from services.accounts.actors import Actor, load_actor

log = logging.getLogger(__name__)

Menu = tuple[tuple[str, str], ...]


def menu(commands: Iterable[Command], lang: str) -> Menu:
    """(command, description) pairs within Telegram's limits."""
    pairs = [
        (c.name, t(lang, c.help_key)[: BotCommandLimit.MAX_DESCRIPTION] or c.name) for c in commands
    ]
    return tuple(pairs[: BotCommandLimit.MAX_COMMAND_NUMBER])


def _bot_commands(items: Menu) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in items]


class Menus:
    """Keeps each scope's command menu in line with roles and languages."""

    def __init__(self, app: App, bot: Bot) -> None:
        self.app = app
        self.bot = bot
        self._sent: dict[str, Menu | None] = {}

    def for_actor(self, actor: Actor | None) -> Menu:
        """The menu of a bound user (or of a stranger, for None)."""
        lang = self.app.settings.default_language if actor is None else actor.language
        return menu(self.app.router.visible_commands(actor), lang)

    def for_groups(self, lang: str) -> Menu:
        """Commands any bound user may use in a group."""
        commands = self.app.router.commands.values()
        usable = (c for c in commands if c.roles is None and not c.private_only)
        return menu((c for c in usable if not c.strangers_only), lang)

    async def set_defaults(self) -> None:
        """The stranger's menu and the group menu, in every language."""
        default_lang = self.app.settings.default_language
        for lang in LANGUAGES:
            code = None if lang == default_lang else lang
            strangers = menu(self.app.router.visible_commands(None), lang)
            await self.bot.set_my_commands(
                _bot_commands(strangers), scope=BotCommandScopeDefault(), language_code=code
            )
            await self.bot.set_my_commands(
                _bot_commands(self.for_groups(lang)),
                scope=BotCommandScopeAllGroupChats(),
                language_code=code,
            )

    async def sync_all(self) -> int:
        """Bring every bound account's chat menu up to date; how many were sent."""
        async with unit_of_work(self.app.sessions, write=False) as session:
            rows = (
                await session.execute(
                    select(PlatformAccount, User)
                    .join(User, User.id == PlatformAccount.user_id)
                    .where(PlatformAccount.platform == PLATFORM)
                    .order_by(PlatformAccount.id)
                )
            ).all()
            wanted = [
                (
                    account.chat_id or account.external_id,
                    await load_actor(session, user, account.id),
                )
                for account, user in rows
            ]
        sent = 0
        for chat_id, actor in wanted:
            try:
                sent += await self._apply(chat_id, actor)
            except TelegramError as exc:  # a blocked bot or a deleted chat: skip it
                log.info("menu of Telegram chat %s not set: %s", chat_id, exc)
        return sent

    async def refresh(self, external_id: str) -> None:
        """Re-read one account (after /bind or /lang) and update its chat menu."""
        async with unit_of_work(self.app.sessions, write=False) as session:
            row = (
                await session.execute(
                    select(PlatformAccount, User)
                    .join(User, User.id == PlatformAccount.user_id)
                    .where(
                        PlatformAccount.platform == PLATFORM,
                        PlatformAccount.external_id == external_id,
                    )
                )
            ).first()
            if row is None:
                return
            account, user = row
            actor = await load_actor(session, user, account.id)
        await self._apply(account.chat_id or account.external_id, actor)

    async def _apply(self, chat_id: str, actor: Actor | None) -> int:
        scope = BotCommandScopeChat(chat_id=chat_id)
        wanted = None if actor is None else self.for_actor(actor)
        if chat_id in self._sent and self._sent[chat_id] == wanted:
            return 0
        if wanted is None:  # deactivated: fall back to the stranger's menu
            await self.bot.delete_my_commands(scope=scope)
        else:
            await self.bot.set_my_commands(_bot_commands(wanted), scope=scope)
        self._sent[chat_id] = wanted
        return 1
