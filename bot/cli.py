"""The `jointcheck` command (also `python -m bot`).

`jointcheck --help` answers from the parser alone: this module and every feature's
`add_parsers` import argparse and light modules only, and a runner imports what its
subcommand needs (the app, the database, Alembic, ...) when it runs, so that the help, a
mistyped argument and the console's first reply come at once (bench/startup.py).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot import (
    cli_annual,
    cli_audit,
    cli_backup,
    cli_calendar,
    cli_departments,
    cli_doc,
    cli_draw,
    cli_import,
    cli_publicity,
    cli_records,
    cli_users,
)
from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App


def _add_console(sub: Any) -> None:
    """Add the `console` subcommand: as a user, or as a stranger who binds."""
    console = sub.add_parser("console", help="chat in the terminal as a user")
    who = console.add_mutually_exclusive_group()
    who.add_argument("--as", dest="login", default=None, help="login (default: CONSOLE_LOGIN)")
    who.add_argument(
        "--new", action="store_true", help="chat as a stranger, who binds with /bind CODE"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="jointcheck",
        description="JointCheck (联合抽查助手): joint 'double random, one public' spot checks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = sub.add_parser(
        "run", help="run the bot on the configured transports (console by default)"
    )
    role = run.add_mutually_exclusive_group()
    role.add_argument(
        "--web-only",
        action="store_true",
        help="only the web app and webhooks (no polling, no scheduler): one of several workers",
    )
    role.add_argument(
        "--scheduler-only",
        action="store_true",
        help="only the scheduler (reminders, deliveries): one process beside the web workers",
    )
    _add_console(sub)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="upgrade the schema to the newest revision")
    db_sub.add_parser("current", help="print the schema revision")
    demo_p = sub.add_parser("demo", help="load the demo district (idempotent)")
    demo_p.add_argument("--if-empty", action="store_true", help="only into an empty database")
    cli_audit.add_parsers(sub)
    cli_backup.add_parsers(sub)
    invite = sub.add_parser("invite", help="issue an invite code for /bind")
    invite.add_argument(
        "--role", required=True, choices=["admin", "coordinator", "inspector", "leader", "reviewer"]
    )
    target = invite.add_mutually_exclusive_group(required=True)
    target.add_argument("--cert", help="certificate number of a directory inspector")
    target.add_argument("--login", help="login of an existing user")
    report = sub.add_parser("report", help="reports for the law-based government report")
    report_sub = report.add_subparsers(dest="report_command", metavar="KIND", required=True)
    annual = report_sub.add_parser(
        "annual", help="the annual report: its paragraph, or with --format the whole report"
    )
    annual.add_argument("--year", type=int, required=True)
    cli_doc.add_report_options(annual)
    features = (cli_draw, cli_import, cli_records, cli_users, cli_calendar, cli_departments)
    for feature in (*features, cli_publicity, cli_annual, cli_doc):
        feature.add_parsers(sub)
    return parser


async def _run(app: App, args: argparse.Namespace) -> int:
    """The configured platforms with the web app and scheduler; the console when none."""
    from bot.serve import Role, run_platforms, wants_console

    role: Role = "web" if args.web_only else "scheduler" if args.scheduler_only else "all"
    if role == "all" and wants_console(app):
        return await _run_console(app)
    return await run_platforms(app, role)


async def _run_console(app: App) -> int:
    # No chat platform configured: the embedded default, the console, with the scheduler
    # delivering reminders and notices to it.
    from contextlib import AbstractContextManager, nullcontext

    from bot.console import LOG_FILE, ConsoleTransport, logs_to_file, run_console
    from bot.serve import Platforms, scheduled

    transport = ConsoleTransport(sys.stdout, app.settings.data_dir / "console")
    platforms = Platforms(transports={transport.platform: transport})
    # Logs go to a file before the scheduler starts, so that none lands over the prompt.
    quiet: AbstractContextManager[object] = (
        logs_to_file(app.settings.data_dir / LOG_FILE) if sys.stdin.isatty() else nullcontext()
    )
    with quiet:
        async with scheduled(app, platforms):
            return await run_console(
                app, app.settings.console_login, sys.stdin, sys.stdout, transport
            )


async def _console(app: App, args: argparse.Namespace) -> int:
    from bot import console

    return await console.run(app, args)


async def _db(app: App, args: argparse.Namespace) -> int:
    from bot import migrate

    print(await migrate.current_revision(app.engine) or "empty")
    return 0


async def _demo(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.common.clock import local_today
    from services.directory import demo

    async with unit_of_work(app.sessions) as session:
        if args.if_empty and not await demo.is_empty(session):
            print("数据库已有数据，跳过演示数据 / database not empty, demo data skipped")
            return 0
        counts = await demo.load(session, local_today(app.clock), app.clock.now())
    print(f"演示数据 / demo data: {vars(counts)}")
    return 0


async def _invite(app: App, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from handlers.core.db import unit_of_work
    from services.accounts import invites

    async with unit_of_work(app.sessions) as session:
        code = await invites.create_invite(
            session,
            None,
            role=args.role,
            now=app.clock.now(),
            ttl=timedelta(days=app.settings.invite_ttl_days),
            login=args.login,
            cert_no=args.cert,
        )
    print(f"邀请码 / invite code ({app.settings.invite_ttl_days} days, single use):")
    print(code)
    return 0


async def _report(app: App, args: argparse.Namespace) -> int:
    if args.format:
        return await cli_doc.run_annual_report(app, args)
    from datetime import date

    from handlers.core.db import unit_of_work
    from services.common.clock import local_today
    from services.reports import summary

    today = local_today(app.clock)
    end = (
        min(date(args.year, 12, 31), today) if args.year == today.year else date(args.year, 12, 31)
    )
    async with unit_of_work(app.sessions, write=False) as session:
        figures = await summary.figures(session, summary.Period(date(args.year, 1, 1), end), today)
    print(summary.annual_paragraph(figures))
    return 0


RUNNERS: dict[str, Runner] = {
    "run": _run,
    "console": _console,
    "db": _db,
    "demo": _demo,
    "invite": _invite,
    "report": _report,
    "plan": cli_draw.run_plan,
    "draw": cli_draw.run_draw,
    **cli_import.RUNNERS,
    **cli_records.RUNNERS,
    **cli_audit.RUNNERS,
    **cli_users.RUNNERS,
    **cli_calendar.RUNNERS,
    **cli_departments.RUNNERS,
    **cli_publicity.RUNNERS,
    **cli_annual.RUNNERS,
    **cli_doc.RUNNERS,
}


async def _main(args: argparse.Namespace) -> int:
    if args.command == "draw" and args.draw_command == "verify":
        # Verifying a file needs no database at all.
        return cli_draw.run_verify_file(args)
    from bot.app import build_app
    from bot.logs import configure_logging
    from bot.settings import Settings

    settings = Settings()
    configure_logging(settings)
    if args.command in cli_backup.RUNNERS:
        # No app: a backup must not migrate what it copies; a restore needs its empty DATA_DIR.
        return await cli_backup.RUNNERS[args.command](settings, args)
    # `audit verify` must read the database as it is, never migrate it first.
    upgrade = args.command != "audit"
    app = await build_app(settings, upgrade=upgrade)
    # Started: what was loaded stays for good, so the collector, on again, skips it.
    gc.freeze()
    gc.enable()
    try:
        return await RUNNERS[args.command](app, args)
    finally:
        await app.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse the arguments, run the subcommand, return its exit status."""
    # While the modules load, the cyclic collector would walk the growing heap again and
    # again for garbage there is none of: a fifth of the time to the console's first reply.
    # It is on again once the app is built (`_main`), or when the command ends.
    gc.disable()
    try:
        args = build_parser().parse_args(argv)
        import asyncio

        from services.common.errors import DomainError

        try:
            return asyncio.run(_main(args))
        except DomainError as exc:
            from handlers.core.i18n import t

            print(t("zh", exc.key, **exc.params), file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 130
    finally:
        gc.enable()
