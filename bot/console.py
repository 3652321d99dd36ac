"""The console transport: chat in the terminal, or a scripted conversation on stdin.

`jointcheck console --as LOGIN` chats as any active user (the console runs with database
access anyway); `jointcheck console --new` chats as a stranger, who binds with /bind CODE.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import mimetypes
import secrets
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.model import Attachment, Button, Incoming, Reply
from models import PlatformAccount, User
from services.accounts.actors import actor_for_account, actor_for_login
from services.accounts.users import ensure_local_account
from services.common.numbers import MAX_ID, read_int

PLATFORM = "console"
FILE_PREFIX = "@file "
LOCATION_PREFIX = "@location "  # "@location 36.48,102.40": a shared location (lat, lon)
LOG_FILE = "console.log"
# Looks up the display name of a console chat (a login), None when it is nobody's.
Names = Callable[[str], Awaitable[str | None]]


def _last_number(folder: Path) -> int:
    """The highest `NNN-` prefix of the files in `folder` (0: none)."""
    numbers = [0]
    for path in folder.iterdir():
        head = path.name.split("-", 1)[0]
        if head.isascii() and head.isdigit():
            numbers.append(int(head))
    return max(numbers)


@contextmanager
def logs_to_file(path: Path) -> Iterator[None]:
    """Send the root logger's terminal output to `path` while the console is interactive.

    Scheduler and library lines written to the terminal would land in the middle of what
    the user types; in the file they stay readable. Restored on exit; nested uses keep
    the outer file.
    """
    root = logging.getLogger()
    if any(_is_file(h, path) for h in root.handlers):
        yield
        return
    terminal = [
        h
        for h in root.handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for old in terminal:
        root.removeHandler(old)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()
        for old in terminal:
            root.addHandler(old)


def _is_file(handler: logging.Handler, path: Path) -> bool:
    return isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path


class ConsoleTransport:
    """Prints replies; buttons become numbered choices typed back as numbers."""

    platform = PLATFORM

    def __init__(self, out: TextIO, out_dir: Path) -> None:
        self.out = out
        self.out_dir = out_dir
        self.choices: list[Button] = []
        # The chat typing at this console; replies for any other chat name their recipient.
        self.current: str | None = None
        self.names: Names | None = None

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Print replies; every button of the user's last answer stays pressable."""
        numbered = False
        for reply in replies:
            target = reply.chat_id or chat_id
            if target != self.current:
                # A reminder or notice for someone else (the scheduler delivers to every
                # console account): say whose it is, and keep the user's own buttons.
                self.out.write(f"→ {await self._recipient(target)}\n")
            self.out.write(reply.text.rstrip() + "\n")
            if reply.buttons and target == self.current:
                if not numbered:
                    # Numbered across the whole answer, so that the buttons of the first
                    # of several cards stay pressable after the last card is printed.
                    self.choices, numbered = [], True
                self._print_buttons(reply, number=True)
            elif reply.buttons:
                self._print_buttons(reply, number=False)
            if reply.image is not None:
                self.out.write(f"[图片 image] {self._save('image.png', reply.image)}\n")
            if reply.document is not None:
                path = self._save(reply.document.name, reply.document.data)
                self.out.write(f"[文件 file] {path}\n")
        self.out.flush()

    def _print_buttons(self, reply: Reply, *, number: bool) -> None:
        for row in reply.buttons:
            cells = []
            for button in row:
                if number:
                    self.choices.append(button)
                    cells.append(f"[{len(self.choices)}] {button.label}")
                else:
                    cells.append(f"[{button.label}]")
            self.out.write("  ".join(cells) + "\n")

    async def _recipient(self, chat_id: str) -> str:
        name = await self.names(chat_id) if self.names is not None else None
        return f"{name} ({chat_id})" if name else chat_id

    def _save(self, name: str, data: bytes) -> Path:
        """Write under the next free number: files of earlier sessions are never replaced."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        base = Path(name).name or "file"
        number = _last_number(self.out_dir)
        while True:
            number += 1
            path = self.out_dir / f"{number:03d}-{base}"
            try:
                # "x": two consoles saving at once cannot both take the same number.
                with path.open("xb") as out:
                    out.write(data)
            except FileExistsError:
                continue
            return path

    def to_incoming(self, login: str, line: str) -> Incoming:
        """Turn a typed line into an event: a button press, a file or text."""
        text = line.strip()
        # The number of a button on screen presses it; any other number is text, and a
        # leading quote sends a number as text even when a button bears it ('1).
        number = read_int(text, 1, len(self.choices))
        if number is not None:
            return Incoming(PLATFORM, login, login, button=self.choices[number - 1].data)
        if text.startswith("'") and read_int(text[1:], 0, MAX_ID) is not None:
            text = text[1:]
        if text.startswith(LOCATION_PREFIX):
            where = read_location(text[len(LOCATION_PREFIX) :])
            if where is not None:
                return Incoming(PLATFORM, login, login, location=where)
        if text.startswith(FILE_PREFIX):
            path = Path(text[len(FILE_PREFIX) :].strip()).expanduser()
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = path.read_bytes()
            return Incoming(PLATFORM, login, login, file=Attachment(path.name, mime, data))
        return Incoming(PLATFORM, login, login, sender_name=login, text=text)


def read_location(text: str) -> tuple[float, float] | None:
    """Text such as "36.48,102.40" as (latitude, longitude); None when it is not one."""
    pieces = text.replace("，", ",").replace(",", " ").split()
    if len(pieces) != 2:
        return None
    try:
        lat, lon = float(pieces[0]), float(pieces[1])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return None
    return lat, lon


async def run(app: App, args: argparse.Namespace) -> int:
    """`jointcheck console`: chat on stdin and stdout until end of input."""
    if getattr(args, "new", False):
        return await run_console(app, None, sys.stdin, sys.stdout)
    login = getattr(args, "login", None) or app.settings.console_login
    return await run_console(app, login, sys.stdin, sys.stdout)


async def run_console(
    app: App,
    login: str | None,
    stdin: TextIO,
    stdout: TextIO,
    transport: ConsoleTransport | None = None,
) -> int:
    """Chat as `login` (None: a new stranger) until end of input; returns the exit status."""
    if login is None:
        # A fresh chat identity no account is bound to: /bind CODE makes it someone's.
        sender = f"new-{secrets.token_hex(4)}"
        banner = t(app.settings.default_language, "console.new_banner")
    else:
        refusal = await _open(app, login)
        if refusal is not None:
            stdout.write(refusal)
            return 2
        sender, banner = login, t("zh", "console.banner", login=login)
    transport = transport or ConsoleTransport(stdout, app.settings.data_dir / "console")
    transport.current = sender
    transport.names = lambda chat_id: _name(app, chat_id)
    interactive = stdin.isatty()
    if not interactive:
        return await _chat(app, sender, stdin, stdout, transport, interactive)
    stdout.write(banner + "\n")
    with logs_to_file(app.settings.data_dir / LOG_FILE):
        return await _chat(app, sender, stdin, stdout, transport, interactive)


async def _waiting(app: App, sender: str, transport: ConsoleTransport) -> None:
    """Show the user the messages due to them (a session as someone shows what waits)."""
    from scheduler.delivery import deliver_due

    async with unit_of_work(app.sessions, write=False) as session:
        user_id = await session.scalar(select(User.id).where(User.login == sender))
    if user_id is not None:
        await deliver_due(
            app.sessions,
            {PLATFORM: transport},
            app.clock,
            f"console:{sender}",
            recipient_user_id=user_id,
        )


async def _chat(
    app: App,
    sender: str,
    stdin: TextIO,
    stdout: TextIO,
    transport: ConsoleTransport,
    interactive: bool,
) -> int:
    """Read lines and answer them until end of input."""
    while True:
        await _waiting(app, sender, transport)
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            return 0
        if not line.strip():
            continue
        if not interactive:
            stdout.write(f"> {line.rstrip()}\n")
        try:
            incoming = transport.to_incoming(sender, line)
        except OSError as exc:
            stdout.write(f"{t(await _lang(app, sender), 'console.no_file')} {exc}\n")
            continue
        await transport.send(sender, await app.core.handle(incoming))


async def _open(app: App, login: str) -> str | None:
    """Open the console account of an active user; otherwise the line that says why not."""
    async with unit_of_work(app.sessions) as session:
        if await actor_for_login(session, login) is not None:
            await ensure_local_account(session, PLATFORM, login, app.clock.now())
            return None
        known = await session.scalar(select(User.id).where(User.login == login))
    if known is None:
        return f"未知用户 / unknown user: {login}\n"
    return f"用户已停用 / user deactivated: {login}\n"


async def _name(app: App, chat_id: str) -> str | None:
    """The name of the user whose console chat this is."""
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(
            select(User.display_name)
            .join(PlatformAccount, PlatformAccount.user_id == User.id)
            .where(PlatformAccount.platform == PLATFORM, PlatformAccount.external_id == chat_id)
        )


async def _lang(app: App, sender: str) -> str:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await actor_for_account(session, PLATFORM, sender)
    return found[1].language if found and found[1] else app.settings.default_language
