"""The router: commands, button kinds and conversation flows, each with its roles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.core.i18n import t
from handlers.core.model import Button, Incoming, Reply
from services.accounts.actors import Actor
from services.common.clock import SHANGHAI
from services.common.policy import Policy
from services.messaging import conversations
from services.messaging.conversations import State


@dataclass
class Ctx:
    """Everything a handler needs for one incoming event, in one transaction."""

    session: AsyncSession
    incoming: Incoming
    actor: Actor | None
    account_id: int | None
    lang: str
    now: datetime
    conversation_ttl: timedelta
    router: Router
    # Where uploaded files and evidence are kept (settings DATA_DIR).
    files_dir: Path
    # Local practice: notice numbers, deadlines, evidence limits, invite validity.
    policy: Policy
    # Announcements and notifications the handler queues for other chats.
    extra: dict[str, Any] = field(default_factory=dict)
    # Work to run once this event's transaction has ended (`later`).
    deferred: Later | None = None
    # Set while deferred work runs: the session only reads, and the conversation changes
    # wait here (a State saved, None for the flow ended) for a transaction of their own.
    read_only: bool = False
    changes: list[State | None] = field(default_factory=list)

    def t(self, key: str, **params: Any) -> str:
        """A catalog text in the user's language."""
        return t(self.lang, key, **params)

    def reply(self, key: str, **params: Any) -> Reply:
        """A plain reply from a catalog text."""
        return Reply(self.t(key, **params))

    def button(self, key: str, data: str, **params: Any) -> Button:
        """A button whose label is a catalog text."""
        return Button(self.t(key, **params), data)

    @property
    def today(self) -> date:
        """Today's date in Asia/Shanghai, the date users mean."""
        return self.now.astimezone(SHANGHAI).date()

    @property
    def choice(self) -> str | None:
        """The value of a pressed flow button, or None when the user typed instead."""
        data = self.incoming.button
        if data is None or not data.startswith(FLOW_BUTTON + ":"):
            return None
        parts = data.split(":", 2)
        return parts[2] if len(parts) == 3 else None

    @property
    def user(self) -> Actor:
        """The acting user; handlers of bound-only commands may rely on it."""
        assert self.actor is not None
        return self.actor

    def later(self, work: Later) -> None:
        """Run `work` after this event's transaction, in a read-only transaction of its own.

        For long work that must hold no lock, such as checking a file in a worker: the
        event's transaction commits first (the handler should have changed nothing that a
        refusal of `work` would have to undo); `work` then gets a Ctx whose session only
        reads, its conversation changes are saved after it in a short write transaction,
        and its replies follow the handler's. A refusal it raises changes nothing.
        """
        self.deferred = work

    async def start_flow(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        """Make `flow` the account's active conversation at `step`."""
        await self.save_state(State(flow, step, data or {}))

    async def save_state(self, state: State) -> None:
        """Store the active conversation."""
        if self.account_id is None:
            return
        if self.read_only:
            self.changes.append(state)
            return
        await conversations.save(
            self.session, self.account_id, state, self.now, self.conversation_ttl
        )

    async def end_flow(self) -> bool:
        """End the active conversation."""
        if self.account_id is None:
            return False
        if self.read_only:
            self.changes.append(None)
            return True
        return await conversations.clear(self.session, self.account_id)

    async def save_changes(self, changes: list[State | None]) -> None:
        """Save conversation changes deferred work made (see `later`), in order."""
        for state in changes:
            if state is None:
                await self.end_flow()
            else:
                await self.save_state(state)


FLOW_BUTTON = "f"
# Work a handler hands back to run after its event's transaction (`Ctx.later`).
Later = Callable[[Ctx], Awaitable[list[Reply]]]


def flow_button(label: str, flow: str, value: str) -> Button:
    """A button answering the active flow's current question with `value`."""
    return Button(label, f"{FLOW_BUTTON}:{flow}:{value}")


CommandHandler = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Ctx, list[str]], Awaitable[list[Reply]]]
FlowHandler = Callable[[Ctx, State], Awaitable[list[Reply]]]
# A flow's question for a step: the prompt shown when the conversation moves there.
Question = Callable[[Ctx, dict[str, Any]], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    """A slash command: who may use it and its one-line help text key."""

    name: str
    handler: CommandHandler
    roles: frozenset[str] | None  # None: any bound user
    help_key: str
    public: bool = False  # usable before binding (/start, /bind)
    private_only: bool = False  # refused in group chats
    strangers_only: bool = False  # hidden from /help once bound (/bind)


@dataclass(frozen=True)
class ButtonKind:
    """A family of buttons sharing a prefix (`draw:confirm:12`), with its roles."""

    prefix: str
    handler: ButtonHandler
    roles: frozenset[str] | None


@dataclass(frozen=True)
class Flow:
    """A conversation flow; its state (step, data) lives in the database."""

    name: str
    handler: FlowHandler
    roles: frozenset[str] | None
    # The question of each step, so that step modules can move the conversation on
    # through the router without importing the module that holds the flow's table.
    questions: Mapping[str, Question] = field(default_factory=dict)


def roles(*names: str) -> frozenset[str]:
    """A role set; admins are always added (they hold every right)."""
    return frozenset(("admin", *names))


class Router:
    """Maps commands, button prefixes and flows to handlers."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.buttons: dict[str, ButtonKind] = {}
        self.flows: dict[str, Flow] = {}

    def command(self, command: Command) -> None:
        """Register a command."""
        if command.name in self.commands:
            raise ValueError(f"command registered twice: /{command.name}")
        self.commands[command.name] = command

    def button(self, kind: ButtonKind) -> None:
        """Register a button kind."""
        if kind.prefix in self.buttons or ":" in kind.prefix:
            raise ValueError(f"bad or duplicate button prefix: {kind.prefix}")
        self.buttons[kind.prefix] = kind

    def flow(self, flow: Flow) -> None:
        """Register a conversation flow."""
        if flow.name in self.flows:
            raise ValueError(f"flow registered twice: {flow.name}")
        self.flows[flow.name] = flow

    def visible_commands(self, actor: Actor | None) -> Iterable[Command]:
        """The commands this actor may use, in registration order."""
        for command in self.commands.values():
            if actor is None:
                if command.public:
                    yield command
            elif allowed(command.roles, actor) and not command.strangers_only:
                yield command


def allowed(required: frozenset[str] | None, actor: Actor) -> bool:
    """Whether the actor holds one of the required roles (None: any bound user)."""
    return required is None or actor.has(*required)
