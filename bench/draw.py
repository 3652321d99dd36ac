"""Benchmark: a draw over 1,000,000 enterprises and 10,000 inspectors, against its floor.

Ours: `services.draw.freeze.freeze_keeping_lists` then `services.draw.run.execute`, in two
transactions (exactly what `jointcheck draw run` does), timed from the call to the
committed result, in a child process whose peak RSS is reported. Floor, in the same run:
the same eligible codes fetched with the sqlite3 module and ranked with the standard
library's hmac and heapq.nsmallest per stratum. For reference: the naive
`ORDER BY RANDOM() LIMIT k` per stratum, which keeps no trace at all.
Each side runs --rounds times (default 3), alternating, each run in a fresh process; the
medians are compared. Target: ours at most 1.5x the floor, peak memory under 600 MB.

    python bench/draw.py [--enterprises N] [--inspectors N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import heapq
import hmac
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECK_START, CHECK_END = date(2026, 12, 1), date(2026, 12, 31)
RISKS = ("A", "B", "C", "D")
RISK_WEIGHTS = (40, 40, 15, 5)
# A realistic county plan: a few hundred enterprises out of the whole directory.
RATIOS = {"A": "0.0001", "B": "0.0002", "C": "0.0005", "D": "0.002"}


def _setup(db: Path, enterprises: int, inspectors: int, rounds: int) -> list[int]:
    """Create the schema, the directories and one identical plan over everything per round;
    return the plan ids."""
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from services.directory import creditcode, demo_data
    from services.draw import plans

    url = f"sqlite+aiosqlite:///{db}"

    async def schema_and_lists() -> None:
        app = await build_app(Settings(_env_file=None, database_url=url))
        from services.directory import demo

        async with unit_of_work(app.sessions) as session:
            # Departments and the 20 joint items of the demo district.
            await demo._departments(session)
            departments = {d: i for i, (d, _) in enumerate(demo_data.DEPARTMENTS, start=1)}
            await demo._items(session, departments)
        await app.aclose()

    asyncio.run(schema_and_lists())
    rng = random.Random(1)
    types = demo_data.OBJECT_TYPES
    conn = sqlite3.connect(db)
    cutoff = CHECK_START - timedelta(days=365)

    # Real directories are not kept in credit-code order: insert in a random order, so that
    # nothing downstream gets its sorting for free.
    order = list(range(enterprises))
    rng.shuffle(order)

    def rows():  # type: ignore[no-untyped-def]
        for n in order:
            code = creditcode.make_code(f"91630202{n:09d}")
            status = "active" if rng.random() < 0.95 else "closed"
            last = (
                (cutoff + timedelta(days=rng.randint(1, 300))).isoformat()
                if (rng.random() < 0.1)
                else None
            )
            yield (
                code,
                f"企业{n}",
                rng.choices(RISKS, RISK_WEIGHTS)[0],
                status,
                types[n % len(types)],
                "碾伯镇",
                last,
            )

    conn.executemany(
        "INSERT INTO enterprises (credit_code, name, risk_class, status, object_type, district,"
        " last_checked_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    expiry_ok, expired = (CHECK_END + timedelta(days=400)).isoformat(), "2026-06-30"
    conn.executemany(
        "INSERT INTO inspectors (cert_no, cert_expiry, name, department_id, fields, status,"
        " is_expert) VALUES (?, ?, ?, ?, '[]', ?, ?)",
        (
            (
                f"C{n:07d}",
                expired if n % 50 == 0 else expiry_ok,
                f"检查员{n}",
                1 + n % 8,
                "on_leave" if n % 97 == 0 else "active",
                n % 100 == 0,
            )
            for n in range(inspectors)
        ),
    )
    conn.commit()
    conn.close()

    async def plan_ids() -> list[int]:
        app = await build_app(Settings(_env_file=None, database_url=url), upgrade=False)
        spec = plans.parse_spec(
            {
                "name": "bench",
                "items": [c for c, *_ in demo_data.ITEMS],
                "check_start": CHECK_START,
                "check_end": CHECK_END,
                "ratios": RATIOS,
                "team_size": 2,
                "load_cap": 1,
            }
        )
        ids = []
        for _ in range(rounds):
            async with unit_of_work(app.sessions) as session:
                ids.append((await plans.create_plan(session, None, spec, datetime.now(UTC))).id)
        await app.aclose()
        return ids

    return asyncio.run(plan_ids())


def _child_ours(db: Path, plan_id: int) -> dict[str, float]:
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from services.draw import freeze
    from services.draw import run as draw_run

    async def run() -> tuple[float, int]:
        app = await build_app(
            Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{db}"), upgrade=False
        )
        start = time.perf_counter()
        async with unit_of_work(app.sessions) as session:
            frozen, lists = await freeze.freeze_keeping_lists(
                session, None, plan_id, datetime.now(UTC)
            )
        async with unit_of_work(app.sessions) as session:
            await draw_run.execute(session, None, frozen.id, "bench", datetime.now(UTC), lists)
        elapsed = time.perf_counter() - start
        async with unit_of_work(app.sessions, write=False) as session:
            teams = len(await draw_run.teams_of(session, frozen.id))
        await app.aclose()
        return elapsed, teams

    # Ours ranks large populations with a worker process (services/draw/parallel.py): its
    # peak counts too, added as if both peaked at once.
    with _ChildrenPeak() as workers:
        elapsed, teams = asyncio.run(run())
    return {"seconds": elapsed, "teams": teams, "worker_mb": workers.peak_kb / 1024}


class _ChildrenPeak(threading.Thread):
    """The highest VmHWM of this process's draw workers, sampled every 10 ms (Linux).

    Not getrusage(RUSAGE_CHILDREN): its maxrss includes the parent's pages a child held
    between fork and exec, which would count this whole process twice.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.done = threading.Event()
        self.path = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")

    def __enter__(self) -> _ChildrenPeak:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.join()

    def run(self) -> None:
        while not self.done.wait(0.01):
            try:
                pids = self.path.read_text().split()
            except OSError:
                return
            for pid in pids:
                try:
                    # Between fork and exec a child still shares this process's memory.
                    if b"services.draw.worker" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                        continue
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue  # it has just ended
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb = max(self.peak_kb, int(line.split()[1]))


def _eligible_sql() -> str:
    cutoff = (CHECK_START - timedelta(days=365)).isoformat()
    return f"status = 'active' AND (last_checked_on IS NULL OR last_checked_on <= '{cutoff}')"


def _k(n: int, ratio: str) -> int:
    from fractions import Fraction
    from math import ceil

    return min(n, ceil(Fraction(ratio) * n))


def _child_floor(db: Path) -> dict[str, float]:
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    by_risk: dict[str, list[str]] = {r: [] for r in RISKS}
    for code, risk in conn.execute(
        f"SELECT credit_code, risk_class FROM enterprises WHERE {_eligible_sql()}"
    ):
        by_risk[risk].append(code)
    key = hmac.digest(hashlib.sha256(b"seed").digest(), b"bench", "sha256")
    drawn = 0
    for risk, codes in by_risk.items():
        ranked = ((hmac.digest(key, ("enterprise:" + c).encode(), "sha256"), c) for c in codes)
        drawn += len(heapq.nsmallest(_k(len(codes), RATIOS[risk]), ranked))
    conn.close()
    return {"seconds": time.perf_counter() - start, "drawn": drawn}


def _child_naive(db: Path) -> dict[str, float]:
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    drawn = 0
    for risk in RISKS:
        (n,) = conn.execute(
            f"SELECT count(*) FROM enterprises WHERE {_eligible_sql()} AND risk_class = ?", (risk,)
        ).fetchone()
        drawn += len(
            conn.execute(
                f"SELECT credit_code FROM enterprises WHERE {_eligible_sql()} AND risk_class = ?"
                " ORDER BY RANDOM() LIMIT ?",
                (risk, _k(n, RATIOS[risk])),
            ).fetchall()
        )
    conn.close()
    return {"seconds": time.perf_counter() - start, "drawn": drawn}


def _in_child(kind: str, db: Path, plan_id: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(db), "--plan", str(plan_id)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    """Set up, run ours, the floor and the naive draw, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--inspectors", type=int, default=10_000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating runs of each; medians compared"
    )
    parser.add_argument("--child", choices=["ours", "floor", "naive"])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--plan", type=int)
    args = parser.parse_args()
    if args.child:
        result = {
            "ours": lambda: _child_ours(args.db, args.plan),
            "floor": lambda: _child_floor(args.db),
            "naive": lambda: _child_naive(args.db),
        }[args.child]()
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        plan_ids = _setup(db, args.enterprises, args.inspectors, args.rounds)
        print(
            f"setup: {args.enterprises:,} enterprises, {args.inspectors:,} inspectors "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        naive = _in_child("naive", db, plan_ids[0])
        floors, ours = [], []
        # Alternating, each in a fresh process, each of ours on its own identical plan: a
        # passing disturbance of the machine hits both sides, and the medians shrug it off.
        for n, plan_id in enumerate(plan_ids, start=1):
            floors.append(_in_child("floor", db, plan_id))
            ours.append(_in_child("ours", db, plan_id))
            print(
                f"round {n}: floor {floors[-1]['seconds']:.2f} s, ours {ours[-1]['seconds']:.2f} s"
            )
    floor_s = statistics.median(f["seconds"] for f in floors)
    ours_s = statistics.median(o["seconds"] for o in ours)
    peak = max(o["peak_mb"] + o["worker_mb"] for o in ours)
    worker = max(o["worker_mb"] for o in ours)
    ratio = ours_s / floor_s
    print(
        f"floor (sqlite3 + hmac + heapq.nsmallest): {floor_s:.2f} s median "
        f"({floors[0]['drawn']:.0f} drawn)"
    )
    print(f"naive ORDER BY RANDOM() LIMIT k, for reference: {naive['seconds']:.2f} s")
    print(
        f"ours (freeze + draw + teams + stored): {ours_s:.2f} s median "
        f"({ours[0]['teams']:.0f} enterprises with their teams)"
    )
    print(
        f"ratio ours/floor: {ratio:.2f}x (target <= 1.5x) "
        f"{'MEETS' if ratio <= 1.5 else 'MISSES'} target"
    )
    print(
        f"peak memory ours: {peak:.0f} MB, of which the ranking worker {worker:.0f} MB "
        "(target < 600 MB) "
        f"{'MEETS' if peak < 600 else 'MISSES'} target"
    )


if __name__ == "__main__":
    main()
