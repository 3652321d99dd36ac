"""Import a list from a file: validate every row, upsert by natural key, report, audit.

One pass over the file, in batches, read and checked by a worker process within the
limits (`parallel`); this process resolves references and writes. Valid rows are written
as they come, inside a savepoint; a file with any invalid row is rolled back to that
savepoint at the end (the default, atomic), unless the caller asked to import the valid
rows only. Either way every row is validated, so the report names every problem, and the
rows refused can be written to a rejects file with the reason next to each.

`check_file` checks a file's bounds and header alone, touching no database: callers run it
before they open the write transaction an import needs, so that a hostile file is refused
without holding any lock.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import ExitStack, aclosing, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.accounts.actors import Actor, require_role
from services.common.errors import Conflict, InvalidInput
from services.directory.imports import parallel
from services.directory.imports.columns import SPECS, map_header
from services.directory.imports.limits import Limits
from services.directory.imports.parallel import Usage
from services.directory.imports.reading import Finish, Header, Job
from services.directory.imports.relations import TARGETS
from services.directory.imports.rows import Render
from services.directory.imports.run import ImportReport, ImportRun, Options
from services.directory.imports.writers import open_writer

BATCH = 5000
# Kinds whose rows need the database to be checked (references): the worker sends their
# valid rows' cells too, for the rejects file of a row refused here.
REFERENCES = frozenset(kind for kind, target in TARGETS.items() if target.references)
# Kinds whose files replace the rows of each group they name: every key is sent back.
GROUPED = frozenset(kind for kind, target in TARGETS.items() if target.replaces_groups)

Progress = Callable[[int, float | None], None]  # rows read, fraction of the file read

__all__ = ["ImportReport", "Options", "Usage", "check_file", "import_file"]


@contextmanager
def _few_collections() -> Iterator[None]:
    # The modules loaded make hundreds of thousands of long-lived objects that every full
    # garbage collection walks again while a million rows go by; set them aside meanwhile.
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _known(kind: str | None) -> None:
    if kind is not None and kind not in SPECS:
        raise InvalidInput("import.unknown_kind", kinds=", ".join(SPECS))


async def check_file(
    path: Path,
    kind: str | None,
    limits: Limits = Limits(),  # noqa: B008 (frozen, never changed)
    usage: Usage | None = None,
) -> str:
    """Check a file's bounds and header in a worker, without the database: its kind."""
    _known(kind)
    found = kind
    job = Job(path, kind, limits, BATCH, rows=False)
    async with aclosing(parallel.messages(job, usage)) as messages:
        async for message in messages:
            if isinstance(message, Header):
                found = message.kind
    assert found is not None
    return found


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
    limits: Limits = Limits(),  # noqa: B008 (frozen, never changed)
    usage: Usage | None = None,
    sha256: str | None = None,
) -> ImportReport:
    """Import `path` as `kind` (None: guessed from the header) and report what happened.

    With `sha256`, the file read must have that hash, or nothing is written.
    """
    if actor is not None:
        require_role(actor, "coordinator")
    _known(kind)
    job = Job(
        path,
        kind,
        limits,
        BATCH,
        keep_keys=options.replace,
        cells_for=REFERENCES,
        keys_for=GROUPED,
    )
    run: ImportRun | None = None
    with ExitStack() as stack:
        async with aclosing(parallel.messages(job, usage)) as messages:
            async for message in messages:
                if isinstance(message, Header):
                    run = await _start(
                        session, actor, now, message, options, display_name or path.name
                    )
                    run.render = render or _plain
                    if rejects is not None:
                        run.rejects = stack.enter_context(open_writer(rejects))
                        run.rejects.write(
                            [*message.header, run.render("import.rejects_reason", {})]
                        )
                    stack.enter_context(_few_collections())
                    continue
                assert run is not None, "the worker sends the header first"
                if isinstance(message, Finish):
                    run.report.sha256 = message.sha256
                    if message.keys is not None:
                        run.seen = dict.fromkeys(message.keys, 0)
                    continue
                outcome, done = message
                await run.take(outcome)
                if progress is not None:
                    progress(run.report.rows, done)
    assert run is not None
    report = run.report
    if sha256 is not None and report.sha256 != sha256:
        raise Conflict("import.file_changed")
    if not report.rows:
        # A header and nothing under it: never a list to import (and with --replace it
        # would retire every row).
        raise InvalidInput("import.no_rows")
    await run.finish()
    report.rejects_written = rejects is not None and report.rejected > 0
    if rejects is not None and not report.rejects_written:
        rejects.unlink(missing_ok=True)  # noqa: ASYNC240 (a local file, instantly)
    return report


async def _start(
    session: AsyncSession,
    actor: Actor | None,
    now: datetime,
    header: Header,
    options: Options,
    name: str,
) -> ImportRun:
    """The import's run, once the worker has named the file's kind and header."""
    mapping = map_header(SPECS[header.kind], header.header)
    report = ImportReport(header.kind, name, options, mapping.ignored)
    run = ImportRun(session, actor, now, report, mapping)
    await run.start()
    return run


def _plain(key: str, params: dict[str, Any]) -> str:
    return key if not params else f"{key} {params}"
