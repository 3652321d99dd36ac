"""What the checking worker does with a file: bounds, header, then each batch checked.

This runs in the worker process (`worker`, started by `parallel`), which touches nothing
but the file: no database, no other file. It opens the file within its limits (refusing it
before a row is read when its bounds show from outside), finds the header, sends it, then
checks one batch after another, sending each outcome, and ends with the file's hash (and
every key, for --replace). A refusal is sent as such; the importing process raises it.
"""

from __future__ import annotations

import csv
import gc
import pickle
import resource
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from services.common.errors import DomainError, InvalidInput
from services.directory.imports.columns import SPECS, fold_header, guess_kind, map_header
from services.directory.imports.formats import Rows, open_table
from services.directory.imports.limits import Limits
from services.directory.imports.rows import BatchCheck

HEADER_SEARCH = 10  # title rows above the header that are skipped
MEMORY_EXIT = 3  # the worker's exit status when it ran out of its address space
LENGTH = 8  # bytes of the length before each message


@dataclass(frozen=True)
class Job:
    """What the worker is to do with a file."""

    path: Path
    kind: str | None  # None: guessed from the header
    limits: Limits
    batch: int
    rows: bool = True  # False: the bounds and the header only
    keep_keys: bool = False  # send every key back at the end (for --replace)
    # Kinds whose rows are checked against the database too: their valid rows' cells are
    # sent along, for the rejects file of a row the importing process refuses.
    cells_for: frozenset[str] = frozenset()
    # Kinds whose every key is sent back whatever `keep_keys` says (check points: a file
    # replaces the list of each item it names).
    keys_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Header:
    """The worker's first word: the file's kind and header row."""

    kind: str
    header: list[str]


@dataclass(frozen=True)
class Finish:
    """The worker's last word: the file's hash, every key when asked, its peak memory."""

    sha256: str
    keys: list[Hashable] | None
    peak_mb: float


@dataclass(frozen=True)
class Refused:
    """The file refused: the reason's catalog key and values, and the worker's peak memory."""

    key: str
    params: dict[str, Any]
    peak_mb: float


def find_header(rows: Rows, kind: str | None) -> tuple[str, list[str], Rows]:
    """The kind, the header row (the first of the first rows naming two known columns, or
    else the first row with anything in it) and the rows after it."""
    specs = [SPECS[kind]] if kind else list(SPECS.values())
    known = {
        fold_header(n) for s in specs for c in s.columns for n in (c.header, c.field, *c.aliases)
    }
    first: int | None = None
    for index, cells in enumerate(rows.cells[:HEADER_SEARCH]):
        if not any(c.strip() for c in cells):
            continue
        first = index if first is None else first
        if sum(1 for c in cells if fold_header(c) in known) >= 2:
            return kind or guess_kind(cells), cells, rows.after(index)
    if first is None:
        raise InvalidInput("import.empty_file")
    header = rows.cells[first]
    return kind or guess_kind(header), header, rows.after(first)


def send(out: BinaryIO, message: object) -> None:
    """Write one message: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(LENGTH, "big"))
    out.write(data)
    out.flush()


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    # VmHWM starts afresh at exec; ru_maxrss would carry the forking parent's peak over.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def work(job: Job, out: BinaryIO) -> None:
    """Check the job's file and send the header, each batch's outcome, then `Finish`."""
    gc.freeze()  # the modules' objects need no collecting while the rows go by
    # This process reads this one file: the csv module's limit on a field may be ours.
    csv.field_size_limit(job.limits.max_cell_chars)
    try:
        send(out, _read(job, out))
    except DomainError as exc:
        send(out, Refused(exc.key, exc.params, peak_mb()))


def _read(job: Job, out: BinaryIO) -> Finish:
    try:
        with open_table(job.path, job.limits) as table:
            kind, header, rows = find_header(table.read(job.batch), job.kind)
            mapping = map_header(SPECS[kind], header)
            send(out, Header(kind, header))
            if not job.rows:
                return Finish("", None, peak_mb())
            check = BatchCheck(SPECS[kind], mapping, header)
            cells = kind in job.cells_for
            seen: dict[Hashable, int] = {}
            while rows:
                # Sent as a temporary, so that a batch's objects are gone before the next
                # batch is read into the memory they held.
                send(out, (check.run(rows, seen).outcome(cells=cells), table.done()))
                rows = table.read(job.batch)
            keys = list(seen) if job.keep_keys or kind in job.keys_for else None
            return Finish(table.sha256(), keys, peak_mb())
    except OSError as exc:
        raise InvalidInput("import.cannot_read", error=exc.strerror or str(exc)) from None
