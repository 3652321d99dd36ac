"""`jointcheck calendar load YEAR FILE` and `calendar show YEAR`: the holiday notice."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App

MAX_FILE = 64 * 1024  # a year's notice is a few dozen lines


def add_parsers(sub: Any) -> None:
    """Add the calendar subcommands."""
    cal = sub.add_parser("calendar", help="the official holiday calendar (调休)")
    cal_sub = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    load = cal_sub.add_parser(
        "load", help="load a year from the State Council's notice (one date a line: 休 or 班)"
    )
    load.add_argument("year", type=int)
    load.add_argument("file", type=Path)
    show = cal_sub.add_parser("show", help="what is known of a year, and from where")
    show.add_argument("year", type=int)


def _read(path: Path) -> list[str]:
    from services.common.errors import InvalidInput

    try:
        if path.stat().st_size > MAX_FILE:
            raise InvalidInput("calendar.bad_file", error=f"> {MAX_FILE} bytes")
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("calendar.bad_file", error=type(exc).__name__) from None


async def run_calendar(app: App, args: argparse.Namespace) -> int:
    """`jointcheck calendar ...`."""
    from handlers.core.db import unit_of_work
    from services.common import calendar_store
    from services.records import calendar_moves

    if args.calendar_command == "show":
        async with unit_of_work(app.sessions, write=False) as session:
            info = await calendar_store.year_info(session, args.year)
        print(f"{info.year}: {info.origin} ({info.source or '-'})")
        for day, working, note in info.days:
            print(f"{day.isoformat()} {'班' if working else '休'} {note or ''}".rstrip())
        return 0
    lines = _read(args.file)
    now = app.clock.now()
    # One transaction: the year and every deadline it moves, or nothing.
    async with unit_of_work(app.sessions) as session:
        old = await calendar_store.calendar(session)
        loaded = await calendar_store.load_year(
            session, "cli", args.year, lines, args.file.name, now
        )
        new = await calendar_store.calendar(session)
        moved = await calendar_moves.recompute(
            session, args.year, old, new, app.settings.notice_deadline_working_days, now
        )
    print(
        f"已载入 / loaded {loaded.year}: {loaded.holidays} 天休息 / days off, "
        f"{loaded.workdays} 天调休上班 / adjusted working days"
    )
    for m in moved:
        print(f"期限已调整 / deadline moved: {m.kind} {m.object_id} {m.old} -> {m.new}")
    print(loaded.year)
    return 0


RUNNERS: dict[str, Runner] = {"calendar": run_calendar}
