"""The console transport: chat in the terminal, or a scripted conversation on stdin."""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.model import Attachment, Button, Incoming, Reply
from services.accounts.actors import actor_for_account
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


async def run_console(
    app: App,
    login: str,
    stdin: TextIO,
    stdout: TextIO,
    transport: ConsoleTransport | None = None,
) -> int:
    """Chat as `login` until end of input; returns the exit status."""
    async with unit_of_work(app.sessions) as session:
        account = await ensure_local_account(session, PLATFORM, login, app.clock.now())
    if account is None:
        stdout.write(f"未知用户 / unknown user: {login}\n")
        return 2
    transport = transport or ConsoleTransport(stdout, app.settings.data_dir / "console")
    interactive = stdin.isatty()
    if interactive:
        stdout.write(t("zh", "console.banner", login=login) + "\n")
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
            incoming = transport.to_incoming(login, line)
        except OSError as exc:
            stdout.write(f"{t(await _lang(app, login), 'console.no_file')} {exc}\n")
            continue
        await transport.send(login, await app.core.handle(incoming))


async def _lang(app: App, login: str) -> str:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await actor_for_account(session, PLATFORM, login)
    return found[1].language if found and found[1] else app.settings.default_language
