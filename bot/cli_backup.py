"""`jointcheck backup [FILE]` and `jointcheck restore FILE`.

Both run on the settings alone, before any app is built: a backup must not migrate the
database it copies, and a restore must find the data directory as empty as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.restore import Restored
    from bot.settings import Settings

# The parser is built at every start (`jointcheck --help` too): what the runners need is
# imported when they run.
SettingsRunner = Callable[["Settings", argparse.Namespace], Awaitable[int]]


def add_parsers(sub: Any) -> None:
    """Add `backup` and `restore`."""
    backup = sub.add_parser(
        "backup",
        help="one archive of the database (SQLite), the files and the checkpoints; path last",
    )
    backup.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="the archive to write (default: BACKUP_DIR/jointcheck-<UTC time>.tar.gz)",
    )
    back = sub.add_parser(
        "restore",
        help="restore an archive into an empty data directory, check every hash, audit verify",
    )
    back.add_argument("file", type=Path, help="an archive written by `jointcheck backup`")
    back.add_argument(
        "--audit-key",
        type=Path,
        metavar="FILE",
        help="the audit key (never in a backup) when it is not at AUDIT_KEY_FILE yet; copied there",
    )


def pg_dump_hint(settings: Settings) -> list[str]:
    """The lines that remind a PostgreSQL installation to dump its database too."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url).set(drivername="postgresql")
    shown = url.render_as_string(hide_password=True)
    return [
        "数据库为 PostgreSQL：本备份只含文件与检查点，请同时用 pg_dump 备份数据库（见 README）/ "
        "the database is PostgreSQL: this archive holds the files and checkpoints only; "
        "dump the database too (see README):",
        f"  pg_dump -Fc -f jointcheck.dump '{shown}'",
    ]


async def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    """`jointcheck backup [FILE]`: print what was taken, the archive's path last."""
    from bot.backup import create_backup
    from bot.backup_format import BackupRefused, default_name
    from bot.progress import progress
    from services.common.clock import SystemClock

    now = SystemClock().now()
    target = args.file or settings.backup_dir / default_name(now)
    try:
        with progress(None, "备份 / backup", unit="files") as bar:
            written = await create_backup(settings, target, now=now, meter=bar)
    except BackupRefused as exc:
        print(exc.message, file=sys.stderr)
        return exc.status
    manifest = written.manifest
    rows = manifest["rows"] or {}
    print(
        f"备份完成 / backup written: {len(manifest['files'])} files, database "
        f"{manifest['database']} at schema revision {manifest['schema_revision'] or 'none'}"
        + (f", {sum(rows.values())} rows" if rows else "")
    )
    if manifest["database"] == "postgresql":
        print("\n".join(pg_dump_hint(settings)))
    print(
        "审计密钥不在备份中，请另行保管 / the audit key is not in the backup: keep it apart "
        f"({settings.audit_files().key})"
    )
    print(written.path)
    return 0


def report_lines(done: Restored, archive: Path) -> list[str]:
    """What a restore found: files, row counts, the audit chain."""
    from bot.cli_audit import describe

    manifest = done.manifest
    lines = [
        f"已恢复 / restored {len(manifest['files'])} files from {archive} "
        f"(taken {manifest['created_at']}, schema revision {manifest['schema_revision']}); "
        "every SHA-256 matches the manifest"
    ]
    if done.key_installed is not None:
        lines.append(f"审计密钥已复制到 / audit key copied to {done.key_installed}")
    lines.extend(
        f"保留了已有的检查点文件 / kept the checkpoint file already at {path}"
        for path in done.checkpoints_kept
    )
    for table, (listed, found) in sorted(done.rows_differ.items()):
        lines.append(
            f"表 {table} 行数不符 / table {table}: {found} rows restored, {listed} in the manifest"
        )
    if done.report is not None:
        lines.extend(describe(done.report, "the restored checkpoint file"))
    else:
        lines.append(f"未能核验审计链 / the audit chain could not be verified: {done.problem}")
    return lines


async def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    """`jointcheck restore FILE`: exit 0 when every hash, count and the audit chain hold."""
    from bot.backup_format import BackupRefused
    from bot.progress import progress
    from bot.restore import restore

    archive: Path = args.file
    try:
        with progress(None, "恢复 / restore", unit="KiB") as bar:
            done = await restore(settings, archive, key_file=args.audit_key, meter=bar)
    except BackupRefused as exc:
        print(exc.message, file=sys.stderr)
        return exc.status
    print("\n".join(report_lines(done, archive)))
    print(settings.data_dir)
    return 0 if done.ok else 1


RUNNERS: dict[str, SettingsRunner] = {"backup": run_backup, "restore": run_restore}


async def run(argv: Sequence[str], settings: Settings) -> int:
    """Parse `backup ...` / `restore ...` and run it on `settings` (tests, and until wired)."""
    parser = argparse.ArgumentParser(prog="jointcheck")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return await RUNNERS[args.command](settings, args)
