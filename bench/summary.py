"""Benchmark: the weekly summary over 1,000,000 findings and 100,000 enterprises.

Ours: `services.reports.summary.figures` for the last full week and the year to date (what the
Monday summary computes). Baseline, in the same run: the same figures from one hand-written
SQL statement with the sqlite3 module. The chart is timed apart, for information.
Target: at most 2x the hand-written query, and under one second, on SQLite.

    python bench/summary.py [--findings N] [--enterprises N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 25)
WEEK = (date(2026, 11, 16), date(2026, 11, 22))
YEAR = (date(2026, 1, 1), date(2026, 11, 22))


def _setup(db: Path, enterprises: int, findings: int) -> None:
    """A migrated database with two years of checks, problems, notices, cases, meetings."""
    from bot.app import build_app
    from bot.settings import Settings

    async def migrate() -> None:
        app = await build_app(Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}"))
        await app.aclose()

    asyncio.run(migrate())
    rng = random.Random(7)
    start = date(2025, 1, 1)
    span = (TODAY - start).days
    conn = sqlite3.connect(db)
    now = datetime(2026, 11, 25, tzinfo=UTC).isoformat(sep=" ")
    conn.execute(
        "INSERT INTO plans (id, name, status, districts, industries, object_types, ratios,"
        " min_count, team_size, experts_per_team, load_cap, recent_window_days, check_start,"
        " check_end, created_at) VALUES (1, 'p', 'drawn', '[]', '[]', '[]', '{}', 0, 2, 0, 1,"
        " 365, '2025-01-01', '2026-12-31', ?)",
        (now,),
    )
    conn.execute(
        "INSERT INTO draws (id, plan_id, status, algorithm, seed_hex, commitment,"
        " enterprise_snapshot, inspector_snapshot, params, exclusions, strata, snapshot_blob,"
        " frozen_at)"
        " VALUES (1, 1, 'final', 1, '', '', '', '', '{}', '{}', '{}', x'', ?)",
        (now,),
    )
    conn.executemany(
        "INSERT INTO enterprises (id, credit_code, name, risk_class, status) VALUES (?, ?, ?, 'B',"
        " 'active')",
        ((i, f"91630202{i:010d}", f"E{i}") for i in range(1, enterprises + 1)),
    )
    conn.executemany(
        "INSERT INTO assignments (id, draw_id, plan_id, enterprise_id, position, rank_hex,"
        " shortfalls, status) VALUES (?, 1, 1, ?, ?, '', '[]', 'closed')",
        ((i, i, i) for i in range(1, enterprises + 1)),
    )
    results = []
    for i in range(1, enterprises + 1):
        checked = start + timedelta(days=rng.randrange(span))
        status = rng.choice(["approved", "published", "published", "awaiting_review", "draft"])
        due = checked + timedelta(days=28)
        published = (
            datetime.combine(
                checked + timedelta(days=rng.randint(5, 40)), datetime.min.time(), UTC
            ).isoformat(sep=" ")
            if status == "published"
            else None
        )
        results.append((i, i, status, checked.isoformat(), due.isoformat(), published))
    conn.executemany(
        "INSERT INTO inspection_results (id, assignment_id, status, checked_on, publish_due,"
        " published_at, version) VALUES (?, ?, ?, ?, ?, ?, 1)",
        results,
    )
    conn.executemany(
        "INSERT INTO problems (result_id, description, found_on) VALUES (?, 'p', ?)",
        ((r := rng.randint(1, enterprises), results[r - 1][3]) for _ in range(findings)),
    )
    conn.executemany(
        "INSERT INTO rectification_notices (result_id, number, issued_on, deadline, status)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            (
                r := rng.randint(1, enterprises),
                f"N{n}",
                results[r - 1][3],
                results[r - 1][4],
                rng.choice(["open", "corrected", "corrected", "extended"]),
            )
            for n in range(findings // 5)
        ),
    )
    conn.executemany(
        "INSERT INTO cases (result_id, number, filed_on, decision_due, status) VALUES (?, ?, ?,"
        " ?, ?)",
        (
            (
                r := rng.randint(1, enterprises),
                f"C{n}",
                results[r - 1][3],
                results[r - 1][4],
                rng.choice(["open", "closed"]),
            )
            for n in range(findings // 100)
        ),
    )
    conn.executemany(
        "INSERT INTO meetings (kind, title, starts_at, status, created_at) VALUES ('topical',"
        " 'm', ?, ?, ?)",
        (
            (
                datetime.combine(
                    start + timedelta(days=rng.randrange(span)), datetime.min.time(), UTC
                ).isoformat(sep=" "),
                rng.choice(["held", "held", "cancelled"]),
                now,
            )
            for _ in range(100)
        ),
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _ours(db: Path) -> tuple[float, float]:
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from services.reports import charts, summary

    async def run() -> tuple[float, float]:
        app = await build_app(
            Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}"), upgrade=False
        )
        async with unit_of_work(app.sessions, write=False) as session:  # warm the connection
            await summary.figures(session, summary.Period(*WEEK), TODAY)
        begin = time.perf_counter()
        async with unit_of_work(app.sessions, write=False) as session:
            week = await summary.figures(session, summary.Period(*WEEK), TODAY)
            year = await summary.figures(session, summary.Period(*YEAR), TODAY)
        elapsed = time.perf_counter() - begin
        begin = time.perf_counter()
        charts.weekly_chart(week, year)
        chart = time.perf_counter() - begin
        await app.aclose()
        return elapsed, chart

    return asyncio.run(run())


def _period_sql(start: date, end: date) -> str:
    first = datetime.combine(start, datetime.min.time(), UTC) - timedelta(hours=8)
    after = first + timedelta(days=(end - start).days + 1)
    s, e, f, a = (
        start.isoformat(),
        end.isoformat(),
        first.isoformat(sep=" "),
        after.isoformat(sep=" "),
    )
    sub = "('awaiting_review', 'returned', 'approved', 'published')"
    return f"""
      (SELECT count(*) FROM meetings WHERE status = 'held'
         AND starts_at >= '{f}' AND starts_at < '{a}'),
      (SELECT count(DISTINCT a.enterprise_id) FROM assignments a JOIN inspection_results r
         ON r.assignment_id = a.id WHERE r.status IN {sub}
         AND r.checked_on BETWEEN '{s}' AND '{e}'),
      (SELECT count(*) FROM problems p JOIN inspection_results r ON r.id = p.result_id
         WHERE r.status IN {sub} AND p.found_on BETWEEN '{s}' AND '{e}'),
      (SELECT count(*) FROM rectification_notices WHERE issued_on BETWEEN '{s}' AND '{e}'),
      (SELECT count(*) FROM rectification_notices WHERE issued_on BETWEEN '{s}' AND '{e}'
         AND status = 'corrected'),
      (SELECT count(*) FROM cases WHERE filed_on BETWEEN '{s}' AND '{e}'),
      (SELECT count(*) FROM rectification_notices WHERE status IN ('open', 'extended')
         AND deadline < '{TODAY}'),
      (SELECT count(*) FROM cases WHERE status = 'open' AND decision_due < '{TODAY}'),
      (SELECT count(*) FROM inspection_results
         WHERE published_at >= '{f}' AND published_at < '{a}'),
      (SELECT count(*) FROM inspection_results
         WHERE published_at >= '{f}' AND published_at < '{a}'
         AND date(published_at, '+8 hours') <= publish_due)"""


def _baseline(db: Path) -> tuple[float, list[int]]:
    conn = sqlite3.connect(db)
    sql = f"SELECT {_period_sql(*WEEK)}, {_period_sql(*YEAR)}"
    conn.execute(sql).fetchone()  # warm the cache as ours is warmed
    begin = time.perf_counter()
    row = conn.execute(sql).fetchone()
    elapsed = time.perf_counter() - begin
    conn.close()
    return elapsed, list(row)


def main() -> None:
    """Set up, time ours and the hand-written query, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "summary.db"
        begin = time.perf_counter()
        _setup(db, args.enterprises, args.findings)
        print(
            f"setup: {args.findings:,} findings over {args.enterprises:,} enterprises "
            f"in {time.perf_counter() - begin:.1f} s"
        )
        base, row = _baseline(db)
        ours, chart = _ours(db)
    print(f"hand-written SQL (week + year to date): {base:.3f} s -> {row[:6]} ...")
    print(f"ours (services.reports.summary.figures, week + year to date): {ours:.3f} s")
    print(f"chart (matplotlib, for information): {chart:.3f} s")
    print(
        f"ratio ours/hand-written: {ours / base:.2f}x (target <= 2x) "
        f"{'MEETS' if ours / base <= 2 else 'MISSES'} target; "
        f"under one second: {'yes' if ours < 1 else 'NO'}"
    )


if __name__ == "__main__":
    main()
