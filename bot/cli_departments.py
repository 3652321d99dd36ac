"""`jointcheck department pattern CODE PATTERN`: a department's notice number pattern."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App


def add_parsers(sub: Any) -> None:
    """Add the department subcommands."""
    dept = sub.add_parser("department", help="member departments of the joint meeting")
    dept_sub = dept.add_subparsers(dest="department_command", metavar="ACTION", required=True)
    pattern = dept_sub.add_parser(
        "pattern",
        help="number the department's orders to correct by its own pattern, e.g. "
        "'乐卫健责改〔{year}〕{seq}号' ({seq} required); --clear: the default pattern",
    )
    pattern.add_argument("code", help="department code")
    given = pattern.add_mutually_exclusive_group(required=True)
    given.add_argument("pattern", nargs="?", help="the pattern, with {seq} and maybe {year}")
    given.add_argument("--clear", action="store_true", help="use the default pattern again")


async def run_department(app: App, args: argparse.Namespace) -> int:
    """`jointcheck department pattern ...`: one transaction, audited."""
    from handlers.core.db import unit_of_work
    from services.records import notice_patterns

    raw = None if args.clear else args.pattern
    async with unit_of_work(app.sessions) as session:
        department = await notice_patterns.set_department_pattern(
            session, None, args.code, raw, app.clock.now()
        )
        shown = department.notice_pattern or "-"
        dept_id = department.id
    print(f"编号格式 / notice pattern of {args.code}: {shown}")
    print(dept_id)
    return 0


RUNNERS: dict[str, Runner] = {"department": run_department}
