"""A delivery worker process for the exactly-once test: sends until nothing is left."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.core.db import create_engine, create_sessionmaker
from handlers.core.model import Reply
from scheduler.delivery import deliver_due
from services.common.clock import SystemClock


class FileTransport:
    """Appends every message it sends to a file, one line each."""

    platform = "console"

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            for reply in replies:
                out.write(f"{chat_id}\t{reply.text}\n")


async def main(url: str, out: Path, name: str) -> None:
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    transport = FileTransport(out)
    idle = 0
    while idle < 3:  # stop after a few empty rounds
        sent = await deliver_due(sessions, {"console": transport}, SystemClock(), name)
        idle = 0 if sent else idle + 1
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3]))
