"""One import while its batches go through: counts, writes, deactivation and the audit."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.accounts.actors import Actor
from services.common import audit
from services.common.errors import Conflict
from services.directory.imports.columns import HeaderMap
from services.directory.imports.relations import TARGETS
from services.directory.imports.rows import Outcome, Problem, Render
from services.directory.imports.writers import RowWriter

OBJECT_TYPES = {  # how the audit log names a row of each list
    "departments": "department",
    "items": "item",
    "enterprises": "enterprise",
    "inspectors": "inspector",
    "recusals": "recusal",
    "checkpoints": "check_point",
}
KEEP_PROBLEMS = 1000  # problems kept for the report; the rejects file has them all
AUDIT_ROWS = 1000  # up to this many changes get an audit entry each, besides the summary


@dataclass(frozen=True)
class Options:
    """How to import: only report, import the valid rows only, retire what is left out."""

    dry_run: bool = False
    skip_invalid: bool = False
    replace: bool = False


@dataclass
class ImportReport:
    """What an import found and did; `applied` tells whether anything was written."""

    kind: str
    file_name: str
    options: Options
    ignored_columns: list[str] = field(default_factory=list)
    sha256: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    rejected: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    rejects_written: bool = False

    @property
    def changed(self) -> int:
        """Rows added, updated or deactivated."""
        return self.added + self.updated + self.deactivated


Detail = tuple[str, str, dict[str, Any] | None, dict[str, Any] | None]


class ImportRun:
    """The state of one import: the target table, the keys seen, the changes to audit."""

    def __init__(
        self,
        session: AsyncSession,
        actor: Actor | None,
        now: datetime,
        report: ImportReport,
        mapping: HeaderMap,
    ) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.report = report
        self.options = report.options
        self.mapping = mapping
        self.render: Render = lambda key, params: key  # the user's language, given by the caller
        self.target = TARGETS[report.kind](
            session, list(mapping.fields), now, replace=report.options.replace
        )
        self.seen: dict[Hashable, int] = {}  # every key of the file -> its first row
        self.details: list[Detail] = []
        self.savepoint: Any = None
        self.rejects: RowWriter | None = None

    @property
    def writing(self) -> bool:
        """Whether valid rows are written now (not a dry run, and nothing forbids it yet)."""
        if self.options.dry_run:
            return False
        return self.options.skip_invalid or self.report.rejected == 0

    async def start(self) -> None:
        """Prepare the target and open the savepoint the import can be undone to."""
        await self.target.prepare()
        if not self.options.dry_run:
            self.savepoint = await self.session.begin_nested()

    async def take(self, outcome: Outcome) -> None:
        """Check a batch's references (the worker checked the rest), then apply it."""
        if self.target.references and len(outcome.valid):
            refusals = await self.target.resolve(outcome.valid)
            if refusals:
                outcome = outcome.refuse(refusals, self.mapping.headers)
        await self.apply(outcome)

    async def apply(self, outcome: Outcome) -> None:
        """Count a checked batch, write its rejects, compare it and (when allowed) write it."""
        self.report.rows += outcome.count
        self._count_problems(outcome.problems)
        if self.rejects is not None:
            for cells, problems in outcome.rejected:
                reasons = "；".join(p.describe(self.render) for p in problems)
                self.rejects.write([*cells, reasons])
        valid = outcome.valid
        if not len(valid):
            return
        values = self.target.values(valid)
        keys = self.target.keys(valid)
        existing = await self.target.existing(keys, list(values))
        new = list(range(len(valid)))
        changes: list[tuple[int, dict[str, Any]]] = []
        if existing:
            new = []
            for index, key in enumerate(keys):
                found = existing.get(key)
                if found is None:
                    new.append(index)
                    continue
                after = {c: v[index] for c, v in values.items() if found.values.get(c) != v[index]}
                if after:
                    changes.append((found.id, after))
                    before = {c: found.values.get(c) for c in after}
                    self._detail("import.update", key, before, after)
                else:
                    self.report.unchanged += 1
        self.report.added += len(new)
        self.report.updated += len(changes)
        for index in new[: AUDIT_ROWS + 1 - len(self.details)]:
            self._detail("import.add", keys[index], None, {c: v[index] for c, v in values.items()})
        if not self.writing:
            return
        try:
            if len(new) == len(valid):
                await self.target.insert(values)
            elif new:
                await self.target.insert({c: [v[i] for i in new] for c, v in values.items()})
            if changes:
                await self.target.update(changes)
        except IntegrityError:
            # Someone else wrote the same keys meanwhile (PostgreSQL; SQLite queues writers).
            raise Conflict("import.conflict") from None

    def _count_problems(self, problems: list[Problem]) -> None:
        self.report.problem_count += len(problems)
        room = KEEP_PROBLEMS - len(self.report.problems)
        if room > 0:
            self.report.problems.extend(problems[:room])
        self.report.rejected += len({p.row for p in problems})

    def _detail(
        self,
        action: str,
        key: Hashable,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        if len(self.details) <= AUDIT_ROWS:
            label = "/".join(map(str, key)) if isinstance(key, tuple) else str(key)
            self.details.append((action, label, before, after))

    async def finish(self) -> None:
        """Retire what was left out (--replace), then keep or undo the writes, and audit."""
        report = self.report
        valid = self.options.skip_invalid or report.rejected == 0
        # A file of check points replaces its items' lists: a dry run shows what goes even
        # when some rows have problems (importing the valid rows would remove it).
        grouped = self.target.replaces_groups and (valid or self.options.dry_run)
        if grouped or (self.options.replace and valid):
            gone = await self.target.deactivate(self.seen, write=self.writing)
            report.deactivated = len(gone)
            for key, _, before in gone:
                self._detail(self.target.gone_action, key, before, None)
        report.warnings = dict(self.target.warnings)
        if self.savepoint is None:
            return
        if not self.writing:
            await self.savepoint.rollback()
            return
        await self.savepoint.commit()
        report.applied = True
        if report.changed:
            await self._audit()

    async def _audit(self) -> None:
        report = self.report
        actor = "cli" if self.actor is None else self.actor.ref
        per_row = report.changed <= AUDIT_ROWS
        for action, key, before, after in self.details if per_row else ():
            await audit.record(
                self.session,
                at=self.now,
                actor=actor,
                action=action,
                object_type=OBJECT_TYPES[report.kind],
                object_id=key,
                before=before,
                after=after,
            )
        await audit.record(
            self.session,
            at=self.now,
            actor=actor,
            action="import.file",
            object_type="import",
            object_id=report.sha256[:16],
            after={
                "kind": report.kind,
                "file": report.file_name,
                "sha256": report.sha256,
                "rows": report.rows,
                "added": report.added,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "deactivated": report.deactivated,
                "rejected": report.rejected,
                "skip_invalid": self.options.skip_invalid,
                "replace": self.options.replace,
                "rows_audited": per_row,
            },
        )
