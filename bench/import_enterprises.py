"""Benchmark: import a large enterprise CSV, against the floor measured in the same run.

    python bench/import_enterprises.py [--rows N] [--dir DIR] [--no-reimport]

1. Generates an N-row enterprise CSV (default 1,000,000; UTF-8 with BOM, valid credit codes
   made with services.directory.creditcode.make_code) in a temporary folder.
2. Ours: a child process imports it through the real service as `jointcheck import` does:
   services.directory.imports.check_file (the file's bounds, before the transaction), then
   import_file in one transaction, with the default limits, into a fresh SQLite file
   migrated by bot.app.build_app. Its rows/s covers checking, reading, validation, writing
   and the commit; its peak memory is the child's peak RSS, and the checking workers' peak
   is what they report of themselves (VmHWM).
3. The floor: the same file parsed with the csv module and inserted with sqlite3
   executemany in one transaction into a table of the same columns (the enterprises
   table's own DDL and indexes, copied from the migrated database; the same WAL and
   synchronous=NORMAL settings our engine uses). No validation at all.
4. Each is run --repeat times (default 2) on fresh databases and the fastest run counts,
   as the machine may be busy with other work. CPU seconds are printed too: ours checks
   large files in a worker process while it writes, so its wall-clock rate depends on a
   second core being free.
5. Unless --no-reimport, a last child re-imports the file into a filled database (every
   row compared and found unchanged), for the upsert path's rate.

Prints the figures, no assertions. Targets: ours at least 50% of the floor's rate, peak
memory under 500 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNS = ["碾伯镇", "雨润镇", "寿乐镇", "高庙镇", "洪水镇", "高店镇", "瞿昙镇", "共和乡"]
TRADES = [
    ("食品经营者", "批发和零售业"),
    ("餐饮服务单位", "住宿和餐饮业"),
    ("药品零售企业", "批发和零售业"),
    ("特种设备使用单位", "制造业"),
    ("娱乐场所", "文化、体育和娱乐业"),
]
STATUSES = ["存续"] * 46 + ["注销", "吊销", "停业", "迁出"]


def generate(path: Path, rows: int) -> None:
    """Write the benchmark CSV: believable rows, every credit code valid and distinct."""
    from services.directory.creditcode import CHARSET, make_code
    from services.directory.imports.columns import SPECS

    rng = random.Random(2026)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        # The headers the export writes, so the file is what a clerk would re-import.
        writer.writerow([c.header for c in SPECS["enterprises"].columns])
        for n in range(rows):
            serial, digits = n, []
            for _ in range(9):  # n in base 31 over the code's character set
                serial, rest = divmod(serial, 31)
                digits.append(CHARSET[rest])
            code = make_code("91630202" + "".join(reversed(digits)))
            object_type, industry = TRADES[n % len(TRADES)]
            checked = f"20{rng.randint(20, 25)}-{rng.randint(1, 12)}-{rng.randint(1, 28)}"
            writer.writerow(
                [
                    f"乐都区{n}号{object_type[:2]}有限公司",
                    code,
                    "张三",
                    f"海东市乐都区{TOWNS[n % 8]}古城大街{n % 500}号",
                    TOWNS[n % 8],
                    industry,
                    object_type,
                    "李四",
                    f"139{n % 100_000_000:08d}",
                    "ABCD"[rng.randrange(4)],
                    STATUSES[n % len(STATUSES)],
                    checked if n % 5 == 0 else "",
                ]
            )


async def _migrate(url: str, data_dir: Path) -> None:
    from bot.app import build_app
    from bot.settings import Settings

    app = await build_app(Settings(_env_file=None, database_url=url, data_dir=data_dir))
    await app.aclose()


async def _child(url: str, data_dir: Path, source: Path) -> None:
    """Import `source` through the service; print its figures as JSON."""
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from services.directory.imports import Usage, check_file, import_file

    settings = Settings(_env_file=None, database_url=url, data_dir=data_dir)
    app = await build_app(settings, upgrade=False)
    limits = settings.import_limits()
    checked, imported = Usage(), Usage()
    start, cpu = time.perf_counter(), time.process_time()
    kind = await check_file(source, "enterprises", limits, checked)
    async with unit_of_work(app.sessions) as session:
        report = await import_file(
            session, None, kind, source, app.clock.now(), limits=limits, usage=imported
        )
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    await app.aclose()
    worker = resource.getrusage(resource.RUSAGE_CHILDREN)  # the checking workers' CPU
    figures = {
        "rows": report.rows,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "seconds": seconds,
        "cpu": cpu + worker.ru_utime + worker.ru_stime,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": max(checked.peak_mb or 0, imported.peak_mb or 0),
    }
    print(json.dumps(figures))


def ours(url: str, data_dir: Path, source: Path) -> dict[str, float]:
    """One import in a child process (and its worker); its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, str(data_dir), str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the import failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def floor(ddl: list[str], database: Path, source: Path) -> tuple[int, float, float]:
    """csv + sqlite3 executemany, one transaction: rows, seconds and CPU seconds."""
    for leftover in database.parent.glob(database.name + "*"):
        leftover.unlink()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        connection.execute(statement)
    columns = (
        "name, credit_code, legal_rep, address, district, industry, object_type, "
        "contact_person, contact_phone, risk_class, status, last_checked_on"
    )
    sql = f"INSERT INTO enterprises ({columns}) VALUES ({', '.join('?' * 12)})"
    start, cpu = time.perf_counter(), time.process_time()
    with source.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        connection.execute("BEGIN")
        connection.executemany(sql, reader)
        connection.execute("COMMIT")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = connection.execute("SELECT count(*) FROM enterprises").fetchone()[0]
    connection.close()
    return rows, seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument("--dir", type=Path, help="work here instead of a temporary folder")
    parser.add_argument("--no-reimport", action="store_true", help="skip the re-import run")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, data_dir, source = args.child
        asyncio.run(_child(url, Path(data_dir), Path(source)))
        return
    with tempfile.TemporaryDirectory(prefix="jc-bench-") as temporary:
        work = args.dir or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        source = work / "enterprises.csv"
        start = time.perf_counter()
        generate(source, args.rows)
        took = time.perf_counter() - start
        size = source.stat().st_size / 2**20
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB) in {took:.0f} s; {os.cpu_count()} CPUs"
        )
        template = work / "migrated.db"
        asyncio.run(_migrate(f"sqlite+aiosqlite:///{template}", work / "data"))
        with sqlite3.connect(template) as migrated:
            ddl = [
                sql
                for (sql,) in migrated.execute(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = 'enterprises' "
                    "AND sql IS NOT NULL ORDER BY type DESC"
                )
            ]
        runs, floors = [], []
        for n in range(args.repeat):
            database = work / f"ours{n}.db"
            shutil.copyfile(template, database)
            runs.append(ours(f"sqlite+aiosqlite:///{database}", work / "data", source))
            floors.append(floor(ddl, work / "floor.db", source))
        best = min(runs, key=lambda r: r["seconds"])
        rows, seconds, cpu = min(floors, key=lambda f: f[1])
        ours_rate, floor_rate = best["rows"] / best["seconds"], rows / seconds
        print(
            f"ours : {best['rows']:,.0f} rows in {best['seconds']:.1f} s = {ours_rate:,.0f} rows/s"
        )
        print(f"floor: {rows:,} rows in {seconds:.1f} s = {floor_rate:,.0f} rows/s")
        print(f"ratio: {ours_rate / floor_rate:.0%} of the floor (target at least 50%)")
        print(
            f"CPU time: ours {best['cpu']:.1f} s (import and its checking worker together), "
            f"floor {cpu:.1f} s; per CPU-second ours does {cpu / best['cpu']:.0%} of the floor"
        )
        print(
            f"peak memory: import {best['peak_mb']:.0f} MB, checking worker "
            f"{best['worker_peak_mb']:.0f} MB (target under 500 MB)"
        )
        print(
            f"all runs, seconds: ours {[round(r['seconds'], 1) for r in runs]}, "
            f"floor {[round(f[1], 1) for f in floors]}"
        )
        if not args.no_reimport:
            again = ours(f"sqlite+aiosqlite:///{work / 'ours0.db'}", work / "data", source)
            rate = again["rows"] / again["seconds"]
            print(
                f"re-import, every row compared: {again['unchanged']:,.0f} unchanged in "
                f"{again['seconds']:.1f} s = {rate:,.0f} rows/s ({rate / floor_rate:.0%} of the "
                f"floor); peak memory {again['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
