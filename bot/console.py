"""The console transport: chat in the terminal, or a scripted conversation on stdin.

`jointcheck console --as LOGIN` chats as any active user (the console runs with database
access anyway); `jointcheck console --new` chats as a stranger, who binds with /bind CODE.
"""

from __future__ import annotations

import argparse
import asyncio
import mimetypes
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.model import Attachment, Button, Incoming, Reply
from models import User
from services.accounts.actors import actor_for_account, actor_for_login
from services.accounts.users import ensure_local_account
from services.common.numbers import MAX_ID, read_int

PLATFORM = "console"
FILE_PREFIX = "@file "


class ConsoleTransport:
    """Prints replies; buttons become numbered choices typed back as numbers."""

    platform = PLATFORM

    def __init__(self, out: TextIO, out_dir: Path) -> None:
        self.out = out
        self.out_dir = out_dir
        self.choices: list[Button] = []
        self._saved = 0

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Print replies; the last buttons shown stay pressable, as in a chat app."""
        for reply in replies:
            self.out.write(reply.text.rstrip() + "\n")
            if reply.buttons:
                self.choices = []
                for row in reply.buttons:
                    cells = []
                    for button in row:
                        self.choices.append(button)
                        cells.append(f"[{len(self.choices)}] {button.label}")
                    self.out.write("  ".join(cells) + "\n")
            if reply.image is not None:
                self.out.write(f"[图片 image] {self._save('image.png', reply.image)}\n")
            if reply.document is not None:
                path = self._save(reply.document.name, reply.document.data)
                self.out.write(f"[文件 file] {path}\n")
        self.out.flush()

    def _save(self, name: str, data: bytes) -> Path:
        self._saved += 1
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{self._saved:03d}-{Path(name).name}"
        path.write_bytes(data)
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
        if text.startswith(FILE_PREFIX):
            path = Path(text[len(FILE_PREFIX) :].strip()).expanduser()
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = path.read_bytes()
            return Incoming(PLATFORM, login, login, file=Attachment(path.name, mime, data))
        return Incoming(PLATFORM, login, login, sender_name=login, text=text)


def add_parser(sub: Any) -> None:
    """Add the `console` subcommand: as a user, or as a stranger who binds."""
    console = sub.add_parser("console", help="chat in the terminal as a user")
    who = console.add_mutually_exclusive_group()
    who.add_argument("--as", dest="login", default=None, help="login (default: CONSOLE_LOGIN)")
    who.add_argument(
        "--new", action="store_true", help="chat as a stranger, who binds with /bind CODE"
    )


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
    interactive = stdin.isatty()
    if interactive:
        stdout.write(banner + "\n")
    while True:
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


async def _lang(app: App, sender: str) -> str:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await actor_for_account(session, PLATFORM, sender)
    return found[1].language if found and found[1] else app.settings.default_language
