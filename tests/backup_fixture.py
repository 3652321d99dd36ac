"""A data directory worth backing up, a writer that keeps committing, and archive surgery."""

from __future__ import annotations

import asyncio
import io
import json
import tarfile
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.app import App, build_app
from bot.settings import Settings
from handlers.core.db import unit_of_work
from services.accounts import invites
from services.common import audit
from services.common.audit_files import append_checkpoint
from services.common.clock import ManualClock
from tests.helpers import load_demo

EVIDENCE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def settings(folder: Path, **extra: object) -> Settings:
    """Settings with the data directory and the SQLite file in `folder`."""
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'jointcheck.db'}",
        data_dir=folder,
        backup_dir=folder.parent / "backups",
        **extra,
    )


async def source(folder: Path, clock: ManualClock) -> App:
    """The demo district, an evidence file, an uploaded list, a log and a checkpoint."""
    app = await build_app(settings(folder), clock=clock)
    await load_demo(app)
    await issue(app, 5)
    stored = folder / "evidence" / "ab" / ("ab" + "0" * 62)
    stored.parent.mkdir(parents=True)
    stored.write_bytes(EVIDENCE)
    (folder / "uploads").mkdir()
    (folder / "uploads" / "企业名录.csv").write_text("统一社会信用代码,名称\n", encoding="utf-8")
    (folder / "console.log").write_text("a log line\n", encoding="utf-8")
    async with unit_of_work(app.sessions, write=False) as session:
        head = await audit.head(session)
    append_checkpoint(app.settings.audit_files().checkpoints, head, clock.now(), "cli")
    return app


async def issue(app: App, count: int) -> None:
    """Issue `count` invite codes, one transaction each (an invite row and an audit entry)."""
    for _ in range(count):
        async with unit_of_work(app.sessions) as session:
            await invites.create_invite(
                session,
                None,
                role="inspector",
                now=app.clock.now(),
                ttl=timedelta(days=7),
                login="coord",
            )


class Writer:
    """Issues invites one transaction after another until stopped; counts its commits."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.committed = 0
        self.stopped = False
        self.wanted: int | None = None
        self.reached = threading.Event()
        self.going = asyncio.Event()  # set after the first three commits

    async def run(self) -> None:
        """Write until `stopped`; set `reached` once `wanted` commits are done."""
        while not self.stopped:
            await issue(self.app, 1)
            self.committed += 1
            if self.committed >= 3:
                self.going.set()
            if self.wanted is not None and self.committed >= self.wanted:
                self.reached.set()


class HoldAfterSnapshot:
    """A meter whose first update (right after the database copy) waits for more commits.

    It notes the writer's count at that moment (an upper bound of what the copy can hold)
    and then lets the writer commit `more` times, so that the source surely moves on while
    the archive is still being written.
    """

    def __init__(self, writer: Writer, more: int = 3) -> None:
        self.writer = writer
        self.more = more
        self.at_snapshot: int | None = None
        self.waited = False

    def set_total(self, total: int | None) -> None:
        pass

    def update(self, n: int = 1) -> None:
        if self.at_snapshot is None:
            self.at_snapshot = self.writer.committed
            self.writer.wanted = self.at_snapshot + self.more
            # A guard against a hang, not a measurement: the writer needs milliseconds.
            self.waited = self.writer.reached.wait(timeout=120)


def members(archive: Path) -> dict[str, bytes]:
    """Every member of an archive by name."""
    with tarfile.open(archive) as tar:
        out = {}
        for m in tar.getmembers():
            f = tar.extractfile(m)
            out[m.name] = b"" if f is None else f.read()
        return out


def rewrite(
    archive: Path,
    out: Path,
    change: Callable[[dict[str, bytes]], None],
) -> Path:
    """Write `out`: the members of `archive` after `change` edited them (in order)."""
    content = members(archive)
    change(content)
    with tarfile.open(out, "w:gz") as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def manifest(archive: Path) -> dict[str, object]:
    """The manifest of an archive."""
    result: dict[str, object] = json.loads(members(archive)["manifest.json"])
    return result
