"""The one entry point of every transport: an incoming event in, replies out.

Each event runs in one transaction. A handler with long work that must hold no lock (a
file to check) hands it back with `ctx.later`: the event's transaction commits, the work
runs in a read-only transaction, and its conversation changes are saved in a short write
transaction after it (`_later`). Core knows nothing of what the work is.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from handlers.core.i18n import LANGUAGES, t
from handlers.core.model import MAX_TEXT, Incoming, Reply
from handlers.core.observe import HandleObserver, Outcome, handling
from handlers.core.router import FLOW_BUTTON, Ctx, Later, Router, allowed
from handlers.core.typed import BUTTONS_KEY, remember_buttons, typed_button
from models import ProcessedUpdate
from services.accounts.actors import Actor, actor_for_account
from services.common.clock import Clock
from services.common.dialect import dialect_name
from services.common.errors import DomainError
from services.common.policy import Policy
from services.messaging import conversations

log = logging.getLogger(__name__)


def parse_command(text: str) -> tuple[str, list[str]]:
    """Split `/name@bot arg1 arg2` into (`name`, [args])."""
    head, *args = text.strip().split()
    name = head[1:].split("@", 1)[0].lower()
    return name, args


@cache
def _ledger_insert(dialect: str) -> Insert:
    """INSERT into the processed-update ledger, skipping a key already there (built once)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # On the table, not the entity: an ORM insert given parameters is a bulk insert,
    # which does not report the row count this check relies on.
    table = ProcessedUpdate.__table__
    assert isinstance(table, Table)
    return insert(table).on_conflict_do_nothing()


@dataclass
class _Event:
    """What handling one event learns as it goes: the user's language, the handler's Ctx."""

    lang: str
    ctx: Ctx | None = None
    outcome: Outcome = "ok"


class Core:
    """Routes each event in one transaction and turns refusals into polite replies."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        router: Router,
        clock: Clock,
        *,
        conversation_ttl: timedelta = timedelta(hours=72),
        default_language: str = "zh",
        files_dir: Path = Path("var"),
        policy: Policy | None = None,
        observer: HandleObserver | None = None,
    ) -> None:
        self.observer = observer
        self.files_dir = files_dir
        self.policy = policy or Policy()
        self.sessions = sessions
        self.router = router
        self.clock = clock
        self.conversation_ttl = conversation_ttl
        self.default_language = default_language if default_language in LANGUAGES else "zh"

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one event; nothing is half-written whatever happens."""
        started = time.perf_counter()
        event = _Event(self.default_language)
        # Every log line of the handling carries the update's id (JSON logs).
        with handling(incoming.platform, incoming.update_key):
            replies = await self._guarded(incoming, event)
            seconds = time.perf_counter() - started
            log.debug("%s event: %s in %.1f ms", incoming.platform, event.outcome, seconds * 1e3)
        if self.observer is not None:
            self.observer.on_handled(incoming.platform, event.outcome, seconds)
        return replies

    async def _guarded(self, incoming: Incoming, event: _Event) -> list[Reply]:
        try:
            async with unit_of_work(self.sessions) as session:
                replies = await self._handle(session, incoming, event)
                if event.ctx is not None:
                    await remember_buttons(event.ctx, replies)
            if event.ctx is not None and event.ctx.deferred is not None:
                replies = [*replies, *await self._later(event.ctx, event.ctx.deferred)]
            return replies
        except DomainError as exc:  # the transaction was rolled back
            event.outcome = "refused"
            return [Reply(t(event.lang, exc.key, **exc.params))]
        except Exception:
            event.outcome = "error"
            log.exception("unhandled error for %s:%s", incoming.platform, incoming.sender_id)
            return [Reply(t(event.lang, "error.internal"))]

    async def _later(self, ctx: Ctx, work: Later) -> list[Reply]:
        # A read transaction takes no lock on SQLite (WAL) and holds none on PostgreSQL;
        # only the conversation changes need the write lock, for a moment, afterwards.
        async with unit_of_work(self.sessions, write=False) as session:
            later = replace(ctx, session=session, deferred=None, read_only=True, changes=[])
            replies = await work(later)
        if later.changes:
            async with unit_of_work(self.sessions) as session:
                saving = replace(later, session=session, read_only=False, changes=[])
                await saving.save_changes(later.changes)
                await remember_buttons(saving, replies)
        return replies

    async def _handle(
        self, session: AsyncSession, incoming: Incoming, event: _Event
    ) -> list[Reply]:
        if incoming.update_key is not None and not await self._first_delivery(session, incoming):
            event.outcome = "duplicate"
            return []
        now = self.clock.now()
        # Given `now`, the account is marked seen (at most every few minutes): /people.
        found = await actor_for_account(session, incoming.platform, incoming.sender_id, now=now)
        account_id = found[0] if found else None
        actor = found[1] if found else None
        if actor is not None:
            event.lang = actor.language
        ctx = Ctx(
            session=session,
            incoming=incoming,
            actor=actor,
            account_id=account_id,
            lang=event.lang,
            now=now,
            conversation_ttl=self.conversation_ttl,
            router=self.router,
            files_dir=self.files_dir,
            policy=self.policy,
        )
        event.ctx = ctx
        if incoming.text is not None and len(incoming.text) > MAX_TEXT:
            return [ctx.reply("error.too_long", length=len(incoming.text), limit=MAX_TEXT)]
        if found is not None and actor is None:
            return [ctx.reply("error.inactive")]
        if actor is None and incoming.is_group:
            return []  # in groups the bot answers bound users only
        if incoming.text is not None and incoming.text.strip().startswith("/"):
            return await self._command(ctx, incoming.text)
        if incoming.button is not None:
            return await self._button(ctx, incoming.button)
        if actor is None:
            return [ctx.reply("error.stranger")]
        return await self._conversation(ctx, actor)

    async def _first_delivery(self, session: AsyncSession, incoming: Incoming) -> bool:
        # One atomic insert: two processes given the same update cannot both pass.
        values = {
            "platform": incoming.platform,
            "update_key": incoming.update_key or "",
            "processed_at": self.clock.now(),
        }
        result = await session.execute(_ledger_insert(dialect_name(session)), values)
        return bool(getattr(result, "rowcount", 0))

    async def _command(self, ctx: Ctx, text: str) -> list[Reply]:
        name, args = parse_command(text)
        command = self.router.commands.get(name)
        if command is None:
            if ctx.actor is None:
                return [ctx.reply("error.stranger")]
            return [ctx.reply("error.unknown_command", command="/" + name)]
        if ctx.actor is None:
            if not command.public:
                return [ctx.reply("error.stranger")]
        elif not allowed(command.roles, ctx.actor):
            return [ctx.reply("error.not_allowed")]
        if command.private_only and ctx.incoming.is_group:
            return [ctx.reply("error.group_private")]
        return await command.handler(ctx, args)

    async def _button(self, ctx: Ctx, data: str) -> list[Reply]:
        prefix, *args = data.split(":")
        if prefix == FLOW_BUTTON and ctx.actor is not None and not ctx.incoming.is_group:
            return await self._flow_button(ctx, ctx.actor, args)
        kind = self.router.buttons.get(prefix)
        if kind is None:
            return [ctx.reply("error.unknown_button")]
        if ctx.actor is None:
            return [ctx.reply("error.stranger")]
        if not allowed(kind.roles, ctx.actor):
            return [ctx.reply("error.not_allowed")]
        if ctx.incoming.is_group:
            return [ctx.reply("error.group_private")]
        return await kind.handler(ctx, args)

    async def _flow_button(self, ctx: Ctx, actor: Actor, args: list[str]) -> list[Reply]:
        # A flow's button is only valid while that flow is the active conversation, so a
        # stale or forged one is refused instead of acting on the wrong step.
        state = None
        if ctx.account_id is not None:
            state = await conversations.load(ctx.session, ctx.account_id, ctx.now)
        if state is None or not args or args[0] != state.flow:
            return [ctx.reply("error.unknown_button")]
        return await self._conversation(ctx, actor)

    async def _conversation(self, ctx: Ctx, actor: Actor) -> list[Reply]:
        state = None
        if ctx.account_id is not None:
            state = await conversations.load(ctx.session, ctx.account_id, ctx.now)
        if state is None:
            if ctx.incoming.file is not None:
                return [ctx.reply("error.file_unexpected")]
            if ctx.incoming.location is not None:
                return [ctx.reply("error.location_unexpected")]
            return [ctx.reply("error.not_understood")]
        # The question's buttons are the core's, not the flow's data: a handler saving
        # its data then never carries them on to a question they do not belong to.
        typed = state.data.pop(BUTTONS_KEY, None)
        pressed = typed_button(typed, ctx.incoming)
        if pressed is not None:
            ctx.incoming = replace(ctx.incoming, text=None, button=pressed)
        flow = self.router.flows.get(state.flow)
        if flow is None:
            await ctx.end_flow()
            return [ctx.reply("error.not_understood")]
        if not allowed(flow.roles, actor):
            await ctx.end_flow()
            return [ctx.reply("error.not_allowed")]
        return await flow.handler(ctx, state)
