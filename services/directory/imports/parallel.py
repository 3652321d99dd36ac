"""Checking a large file in a second process while this one writes to the database.

Reading and validating a row costs about as much as SQLite takes to store it, and both
hold the interpreter lock, so a thread would not help. A worker process
(`python -m services.directory.imports.worker`) reads and checks the batches - everything but the
database - and sends each outcome back through its stdout; the import writes batch N
while the worker checks batch N+1. Used for big files of lists whose rows need no
database lookups to be checked (the enterprise directory).
"""

from __future__ import annotations

import asyncio
import os
import pickle
import sys
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from services.common.errors import InvalidInput
from services.directory.imports.columns import SPECS, HeaderMap
from services.directory.imports.formats import open_table
from services.directory.imports.rows import BatchCheck, Outcome

PARALLEL_BYTES = 16 * 2**20  # files larger than this are checked in a worker process
_LENGTH = 8  # bytes of the length before each message


@dataclass(frozen=True)
class Job:
    """What the worker needs: the file, its kind, its header, where the data starts."""

    path: Path
    kind: str
    header: list[str]
    mapping: HeaderMap
    data_start: int  # the number of the first row after the header
    batch: int
    keep_keys: bool  # send every key back at the end (for --replace)


@dataclass(frozen=True)
class Finish:
    """The worker's last word: the file's hash, and every key when asked."""

    sha256: str
    keys: list[Hashable] | None


def _send(out: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(_LENGTH, "big"))
    out.write(data)
    out.flush()


def work(job: Job, out: BinaryIO) -> None:
    """Check every batch of the job's file, sending each outcome, then `Finish`."""
    import gc

    gc.freeze()  # the modules' objects need no collecting while the rows go by
    try:
        with open_table(job.path) as table:
            table.read(job.data_start - 1)  # the header and any title above it
            check = BatchCheck(SPECS[job.kind], job.mapping, job.header)
            seen: dict[Hashable, int] = {}
            while rows := table.read(job.batch):
                _send(out, (check.run(rows, seen).outcome(), table.done()))
            _send(out, Finish(table.sha256(), list(seen) if job.keep_keys else None))
    except InvalidInput as exc:
        _send(out, ("refused", exc.key, exc.params))


async def outcomes(job: Job) -> AsyncIterator[tuple[Outcome, float | None] | Finish]:
    """The outcomes of the worker's batches as they come, then its `Finish`."""
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.directory.imports.worker",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        limit=2**20,
    )
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(pickle.dumps(job))
    worker.stdin.close()
    try:
        while True:
            try:
                size = int.from_bytes(await worker.stdout.readexactly(_LENGTH), "big")
                message = pickle.loads(await worker.stdout.readexactly(size))
            except asyncio.IncompleteReadError:
                code = await worker.wait()
                raise RuntimeError(f"the import worker stopped (exit status {code})") from None
            if isinstance(message, tuple) and message[0] == "refused":
                raise InvalidInput(message[1], **message[2])
            yield message
            if isinstance(message, Finish):
                return
    finally:
        if worker.returncode is None:
            worker.kill()
        await worker.wait()
