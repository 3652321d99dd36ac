"""Prometheus metrics of one process, kept by the `Metrics` the composition root builds.

Counted where the work happens, in this process (Prometheus adds the processes up):
- events by platform and outcome, and their handling time (the core's `HandleObserver`);
- outbox messages by kind and what became of them (the delivery's `DeliveryObserver`);
- audited actions, counted when their transaction commits (engine events on the audit
  log's inserts, so a rolled-back action never counts): by action, and by name the draws,
  the imports and the field records submitted.
Read from the database just before each scrape (`refresh`): outbox rows by status and kind,
the age of the oldest message due and of the scheduler's heartbeat.

The counts are plain numbers here; prometheus_client renders them (a custom collector in a
registry of this app's own) and is imported only when the metrics port is served, so that
no other command pays for loading it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, event
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from handlers.core.db import unit_of_work
from models import AuditEntry
from services.common import heartbeat
from services.messaging.backlog import Backlog, backlog

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from starlette.types import ASGIApp

    from handlers.core.observe import Outcome
    from scheduler.delivery import Delivery

# Handling times from a few milliseconds (a /help) to a minute (a large import's check).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# Audited actions counted by name, besides the count of every action.
DRAWS = frozenset({"draw.final"})
IMPORTS = frozenset({"import.file", "past_results.import"})
SUBMITTED = frozenset({"record.submit"})
_AUDIT_TABLE = AuditEntry.__table__
_PENDING = "jointcheck_audited"  # the connection's audited actions not yet committed
_SAVEPOINTS = "jointcheck_savepoints"


@dataclass
class _Figures:
    """What the last refresh read from the database."""

    backlog: Backlog | None = None
    oldest_due_age: float = 0.0
    heartbeat_age: float | None = None
    database_up: bool = False
    read: bool = False


@dataclass
class _Histogram:
    """Observations counted per bucket of BUCKETS (the last: above them all), and summed."""

    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total: float = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(BUCKETS, value)] += 1  # the first bound >= value
        self.total += value

    def cumulative(self) -> list[tuple[str, float]]:
        """(le, observations at most le) for each bound, then +Inf."""
        out, seen = [], 0
        for bound, count in zip((*map(str, BUCKETS), "+Inf"), self.counts, strict=True):
            seen += count
            out.append((bound, float(seen)))
        return out


class Metrics:
    """This process's counts; it observes the core, the delivery and the audited commits."""

    def __init__(self) -> None:
        self.updates: Counter[tuple[str, str]] = Counter()
        self.handling: dict[str, _Histogram] = {}
        self.deliveries: Counter[tuple[str, str]] = Counter()
        self.actions: Counter[str] = Counter()
        self.figures = _Figures()

    # Observers

    def on_handled(self, platform: str, outcome: Outcome, seconds: float) -> None:
        """Count one event handled by the core, and its handling time."""
        self.updates[(platform, outcome)] += 1
        self.handling.setdefault(platform, _Histogram()).observe(seconds)

    def on_delivery(self, kind: str, outcome: Delivery) -> None:
        """Count one outbox message the delivery took."""
        self.deliveries[(kind, outcome)] += 1

    def on_committed(self, actions: Iterable[str]) -> None:
        """Count audited actions whose transaction committed."""
        self.actions.update(actions)

    def watch(self, engine: AsyncEngine) -> None:
        """Count the audited actions written through `engine` as their transactions commit."""
        _AuditWatch(self).listen(engine)

    # Scrapes

    async def refresh(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
        """Read the database's figures for the next scrape (database_up 0 if it fails)."""
        figures = _Figures(read=True)
        try:
            async with unit_of_work(sessions, write=False) as session:
                found = await backlog(session, now)
                beat = await heartbeat.last_beat(session)
        except Exception:
            self.figures = figures
            raise
        figures.backlog = found
        figures.oldest_due_age = found.oldest_due_age(now)
        figures.heartbeat_age = None if beat is None else (now - beat).total_seconds()
        figures.database_up = True
        self.figures = figures

    def exporter(self) -> ASGIApp:
        """The ASGI app rendering the metrics (text or OpenMetrics, as the scraper asks)."""
        from prometheus_client import CollectorRegistry, make_asgi_app

        registry = CollectorRegistry()
        registry.register(_Collector(self))
        app: ASGIApp = make_asgi_app(registry)
        return app


class _Collector:
    """The metrics as prometheus_client's metric families, made at each scrape."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        """Every family: the counters, the histogram, the database's figures."""
        from prometheus_client.metrics_core import (
            CounterMetricFamily,
            GaugeMetricFamily,
            HistogramMetricFamily,
        )

        m = self.metrics
        updates = CounterMetricFamily(
            "jointcheck_updates",
            "Events (updates) handled by the core, by platform and outcome.",
            labels=["platform", "outcome"],
        )
        for (platform, outcome), count in sorted(m.updates.items()):
            updates.add_metric([platform, outcome], count)
        yield updates
        handling = HistogramMetricFamily(
            "jointcheck_update_handling_seconds",
            "Seconds the core took to handle an event, by platform.",
            labels=["platform"],
        )
        for platform, histogram in sorted(m.handling.items()):
            handling.add_metric([platform], histogram.cumulative(), histogram.total)
        yield handling
        deliveries = CounterMetricFamily(
            "jointcheck_outbox_deliveries",
            "Outbox messages the delivery took, by kind and outcome "
            "(sent, failed, missed, waiting, inactive).",
            labels=["kind", "outcome"],
        )
        for (kind, outcome), count in sorted(m.deliveries.items()):
            deliveries.add_metric([kind, outcome], count)
        yield deliveries
        actions = CounterMetricFamily(
            "jointcheck_audited_actions",
            "Audited actions committed by this process, by action.",
            labels=["action"],
        )
        for action, count in sorted(m.actions.items()):
            actions.add_metric([action], count)
        yield actions
        for name, doc, which in (
            ("jointcheck_draws", "Draws run (draw.final).", DRAWS),
            ("jointcheck_imports", "Lists imported (import.file, past_results.import).", IMPORTS),
            (
                "jointcheck_records_submitted",
                "Field check records submitted for review (record.submit).",
                SUBMITTED,
            ),
        ):
            yield CounterMetricFamily(name, doc, value=sum(m.actions[a] for a in which))
        yield from _database_figures(m.figures, GaugeMetricFamily)


def _database_figures(figures: _Figures, gauge: Any) -> Iterator[Metric]:
    """The gauges of what the last refresh read from the database."""
    if not figures.read:
        return
    yield gauge(
        "jointcheck_database_up",
        "Whether the database answered the last scrape's queries (1) or not (0).",
        value=1.0 if figures.database_up else 0.0,
    )
    if figures.backlog is None:
        return
    rows = gauge(
        "jointcheck_outbox_messages", "Outbox rows by status and kind.", labels=["status", "kind"]
    )
    for (status, kind), count in sorted(figures.backlog.rows.items()):
        rows.add_metric([status, kind], count)
    yield rows
    yield gauge(
        "jointcheck_outbox_oldest_due_age_seconds",
        "Seconds the oldest pending outbox message has been due (0 when none is).",
        value=figures.oldest_due_age,
    )
    if figures.heartbeat_age is not None:
        yield gauge(
            "jointcheck_scheduler_heartbeat_age_seconds",
            "Seconds since the scheduler's last heartbeat (written to the database).",
            value=figures.heartbeat_age,
        )


class _AuditWatch:
    """Engine events: audit log inserts remembered per connection, counted at its commit."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def listen(self, engine: AsyncEngine) -> None:
        sync = engine.sync_engine
        event.listen(sync, "after_cursor_execute", self._executed)
        event.listen(sync, "commit", self._commit)
        event.listen(sync, "rollback", self._rollback)
        event.listen(sync, "savepoint", self._savepoint)
        event.listen(sync, "rollback_savepoint", self._rollback_savepoint)
        event.listen(sync, "release_savepoint", self._release_savepoint)

    @staticmethod
    def _pending(conn: Connection) -> list[str]:
        pending: list[str] = conn.info.setdefault(_PENDING, [])
        return pending

    def _executed(
        self,
        conn: Connection,
        _cursor: DBAPICursor,
        _statement: str,
        _parameters: Any,
        context: ExecutionContext | None,
        _executemany: bool,
    ) -> None:
        if context is None or not context.isinsert:
            return
        compiled = context.compiled
        if compiled is None or getattr(compiled.statement, "table", None) is not _AUDIT_TABLE:
            return
        # The parameters as compiled (DefaultExecutionContext), one dict per row.
        self._pending(conn).extend(_actions(getattr(context, "compiled_parameters", None)))

    def _commit(self, conn: Connection) -> None:
        actions = conn.info.pop(_PENDING, None)
        conn.info.pop(_SAVEPOINTS, None)
        if actions:
            self.metrics.on_committed(actions)

    def _rollback(self, conn: Connection) -> None:
        conn.info.pop(_PENDING, None)
        conn.info.pop(_SAVEPOINTS, None)

    # Savepoints nest and end innermost first (their names are not told at the start).

    def _savepoint(self, conn: Connection, _name: str | None) -> None:
        marks: list[int] = conn.info.setdefault(_SAVEPOINTS, [])
        marks.append(len(self._pending(conn)))

    def _rollback_savepoint(self, conn: Connection, _name: str, _context: object) -> None:
        # What was written since the savepoint is undone: so are its actions.
        marks: list[int] = conn.info.get(_SAVEPOINTS, [])
        if marks:
            del self._pending(conn)[marks.pop() :]

    def _release_savepoint(self, conn: Connection, _name: str, _context: object) -> None:
        marks: list[int] = conn.info.get(_SAVEPOINTS, [])
        if marks:
            marks.pop()


def _actions(parameters: Any) -> Iterator[str]:
    """The `action` values of an INSERT's compiled parameters."""
    for row in parameters or ():
        action = row.get("action") if isinstance(row, dict) else None
        if isinstance(action, str):
            yield action
