"""Scheduled backups: an archive in BACKUP_DIR at BACKUP_SCHEDULE, the newest BACKUP_KEEP kept."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.backup import create_backup
from bot.backup_format import BackupRefused, default_name
from bot.settings import Settings
from services.common.clock import SHANGHAI, Clock

log = logging.getLogger(__name__)
JOB_ID = "backup"
# What `default_name` writes: retention only ever deletes these, never an archive named by hand.
SCHEDULED_NAME = re.compile(r"jointcheck-\d{8}T\d{6}Z\.tar\.gz")
_DAILY = re.compile(r"daily (\d{2}):(\d{2})")


def trigger(schedule: str) -> CronTrigger | None:
    """BACKUP_SCHEDULE as a trigger: "daily HH:MM" or five crontab fields (Asia/Shanghai)."""
    spec = schedule.strip()
    if not spec:
        return None
    try:
        daily = _DAILY.fullmatch(spec)
        if daily is not None:
            return CronTrigger(hour=int(daily[1]), minute=int(daily[2]), timezone=SHANGHAI)
        return CronTrigger.from_crontab(spec, timezone=SHANGHAI)
    except ValueError as exc:
        raise BackupRefused(
            f"BACKUP_SCHEDULE={schedule!r} 无效：{exc} / BACKUP_SCHEDULE={schedule!r} is not "
            f'"daily HH:MM" or five crontab fields: {exc}'
        ) from None


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest scheduled archives beyond the newest `keep`; return those deleted."""
    if not folder.is_dir():
        return []
    # The names hold the UTC time, so that their order is the order they were taken in.
    archives = sorted(
        p for p in folder.iterdir() if SCHEDULED_NAME.fullmatch(p.name) and p.is_file()
    )
    gone = archives[: max(0, len(archives) - keep)]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


async def run_scheduled_backup(settings: Settings, now: datetime) -> Path:
    """Write BACKUP_DIR/jointcheck-<UTC time>.tar.gz, then keep only the newest BACKUP_KEEP."""
    target = settings.backup_dir / default_name(now)
    written = await create_backup(settings, target, now=now)
    gone = await asyncio.to_thread(prune, settings.backup_dir, settings.backup_keep)
    if written.manifest["database"] == "postgresql":
        log.warning("backup %s holds the files only: dump the database with pg_dump", target)
    log.info(
        "backup written to %s; %d older scheduled backups deleted (BACKUP_KEEP=%d)",
        target,
        len(gone),
        settings.backup_keep,
    )
    return target


async def _job(settings: Settings, clock: Clock) -> None:
    try:
        await run_scheduled_backup(settings, clock.now())
    except BackupRefused as exc:
        log.error("scheduled backup not written: %s", exc.message)


def add_backup_job(scheduler: BaseScheduler, settings: Settings, clock: Clock) -> bool:
    """Add the scheduled backup to `scheduler` when BACKUP_SCHEDULE is set; False when off."""
    when = trigger(settings.backup_schedule)
    if when is None:
        return False
    scheduler.add_job(
        _job,
        when,
        args=(settings, clock),
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,  # the bot down at the time: still taken within the hour
    )
    return True
