"""Import a list from a file: validate every row, upsert by natural key, report, audit.

One pass over the file, in batches. Valid rows are written as they come, inside a
savepoint; a file with any invalid row is rolled back to that savepoint at the end (the
default, atomic), unless the caller asked to import the valid rows only. Either way every
row is validated, so the report names every problem, and the rows refused can be written
to a rejects file with the reason next to each.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.accounts.actors import Actor, require_role
from services.common.errors import InvalidInput
from services.directory.imports import parallel
from services.directory.imports.columns import SPECS, fold_header, guess_kind, map_header
from services.directory.imports.formats import Rows, Table, open_table
from services.directory.imports.relations import TARGETS
from services.directory.imports.rows import BatchCheck, Render
from services.directory.imports.run import ImportReport, ImportRun, Options
from services.directory.imports.writers import open_writer

BATCH = 5000
HEADER_SEARCH = 10  # title rows above the header that are skipped

Progress = Callable[[int, float | None], None]  # rows read, fraction of the file read

__all__ = ["ImportReport", "Options", "import_file"]


def _find_header(rows: Rows, kind: str | None) -> tuple[str, list[str], Rows]:
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


@contextmanager
def _few_collections() -> Iterator[None]:
    # The modules loaded make hundreds of thousands of long-lived objects that every full
    # garbage collection walks again while a million rows go by; set them aside meanwhile.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


async def import_file(
    session: AsyncSession,
    actor: Actor | None,
    kind: str | None,
    path: Path,
    now: datetime,
    *,
    options: Options = Options(),  # noqa: B008 (frozen, never changed)
    display_name: str | None = None,
    rejects: Path | None = None,
    render: Render | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import `path` as `kind` (None: guessed from the header) and report what happened."""
    if actor is not None:
        require_role(actor, "coordinator")
    if kind is not None and kind not in SPECS:
        raise InvalidInput("import.unknown_kind", kinds=", ".join(SPECS))
    with ExitStack() as stack:
        try:
            table = stack.enter_context(open_table(path))
        except OSError as exc:
            raise InvalidInput("import.cannot_read", error=exc.strerror or str(exc)) from None
        stack.enter_context(_few_collections())
        kind, header, rows = _find_header(table.read(BATCH), kind)
        mapping = map_header(SPECS[kind], header)
        report = ImportReport(kind, display_name or path.name, options, mapping.ignored)
        run = ImportRun(session, actor, now, report, BatchCheck(SPECS[kind], mapping, header))
        run.render = render or _plain
        await run.start()
        if rejects is not None:
            run.rejects = stack.enter_context(open_writer(rejects))
            run.rejects.write([*header, run.render("import.rejects_reason", {})])
        if TARGETS[kind].references or not _large(path):
            await _here(run, table, rows, progress)
        else:
            job = parallel.Job(path, kind, header, mapping, rows.start, BATCH, options.replace)
            await _in_worker(run, job, progress)
    if not report.rows:
        # A header and nothing under it: never a list to import (and with --replace it
        # would retire every row).
        raise InvalidInput("import.no_rows")
    await run.finish()
    report.rejects_written = rejects is not None and report.rejected > 0
    if rejects is not None and not report.rejects_written:
        rejects.unlink(missing_ok=True)  # noqa: ASYNC240 (a local file, instantly)
    return report


def _large(path: Path) -> bool:
    return path.stat().st_size > parallel.PARALLEL_BYTES


async def _here(run: ImportRun, table: Table, rows: Rows, progress: Progress | None) -> None:
    """Check and write the batches in this process."""
    while rows:
        await run.batch(rows)
        if progress is not None:
            progress(run.report.rows, table.done())
        rows = table.read(BATCH)
    run.report.sha256 = table.sha256()


async def _in_worker(run: ImportRun, job: parallel.Job, progress: Progress | None) -> None:
    """Write the batches a worker process checks meanwhile."""
    async for message in parallel.outcomes(job):
        if isinstance(message, parallel.Finish):
            run.report.sha256 = message.sha256
            if message.keys is not None:
                run.seen = dict.fromkeys(message.keys, 0)
            continue
        outcome, done = message
        await run.apply(outcome)
        if progress is not None:
            progress(run.report.rows, done)


def _plain(key: str, params: dict[str, Any]) -> str:
    return key if not params else f"{key} {params}"
