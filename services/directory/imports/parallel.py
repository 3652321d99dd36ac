"""Every file is read in a worker process, within a CPU, memory and wall-time budget.

The process that serves users never opens an imported file: openpyxl and the csv module
hold the interpreter while they work, and a hostile file could cost minutes or gigabytes.
A worker (`python -m services.directory.imports.worker`) reads and checks it instead -
everything but the database - and sends the header, each batch's outcome and a last word
through its stdout; the import writes batch N while the worker checks batch N+1. The worker
caps its own CPU time and address space (`setrlimit`: the kernel ends it past the first,
the second turns into a MemoryError); one silent for twice its CPU budget is killed here.
It reads one file and writes nothing, so killing it is harmless: the import then raises a
refusal saying which budget was spent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import signal
import sys
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from services.common.errors import InvalidInput
from services.directory.imports.reading import (
    LENGTH,
    MEMORY_EXIT,
    Finish,
    Header,
    Job,
    Refused,
)
from services.directory.imports.rows import Outcome

Message = Header | tuple[Outcome, float | None] | Finish
log = logging.getLogger(__name__)


@dataclass
class Usage:
    """What the worker reported of itself (for tests and benchmarks)."""

    peak_mb: float | None = None  # its peak resident memory; None if it was killed


async def messages(job: Job, usage: Usage | None = None) -> AsyncGenerator[Message, None]:
    """The worker's header, batch outcomes and `Finish`, as they come; a refusal raised."""
    limits = job.limits
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.directory.imports.worker",
        str(limits.check_seconds),
        str(limits.check_memory_mb),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        limit=2**20,
    )
    assert worker.stdin is not None
    worker.stdin.write(pickle.dumps(job))
    worker.stdin.close()
    try:
        while True:
            message = await _next(worker, job)
            if isinstance(message, Finish | Refused) and usage is not None:
                usage.peak_mb = message.peak_mb
            if isinstance(message, Refused):
                raise InvalidInput(message.key, **message.params)
            yield message
            if isinstance(message, Finish):
                return
    finally:
        if worker.returncode is None:
            worker.kill()
        await worker.wait()


async def _next(worker: asyncio.subprocess.Process, job: Job) -> Message | Refused:
    assert worker.stdout is not None
    limits = job.limits
    wall = 2 * limits.check_seconds
    try:
        async with asyncio.timeout(wall):
            size = int.from_bytes(await worker.stdout.readexactly(LENGTH), "big")
            message: Message | Refused = pickle.loads(await worker.stdout.readexactly(size))
            return message
    except TimeoutError:
        raise InvalidInput("import.check_time", seconds=wall) from None
    except asyncio.IncompleteReadError:
        code = await worker.wait()
    if code == -signal.SIGXCPU:
        raise InvalidInput("import.check_cpu", seconds=limits.check_seconds)
    if code == MEMORY_EXIT:
        raise InvalidInput("import.check_memory", limit=limits.check_memory_mb)
    if code < 0:  # another signal: the CPU limit's hard end, the system out of memory...
        log.warning("the import worker was ended by signal %s", -code)
        raise InvalidInput(
            "import.check_killed", seconds=limits.check_seconds, limit=limits.check_memory_mb
        )
    raise RuntimeError(f"the import worker stopped (exit status {code})")
