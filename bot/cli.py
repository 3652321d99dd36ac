"""The `jointcheck` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot import (
    cli_audit,
    cli_calendar,
    cli_departments,
    cli_draw,
    cli_import,
    cli_records,
    cli_users,
)
from bot import console as cli_console
from bot.app import App, build_app
from bot.cli_types import Runner
from bot.logs import configure_logging
from bot.settings import Settings
from handlers.core.db import unit_of_work
from services.accounts import invites
from services.common.clock import local_today
from services.directory import demo


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="jointcheck",
        description="JointCheck (联合抽查助手): joint 'double random, one public' spot checks.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("run", help="run the bot on the configured transports (console by default)")
    cli_console.add_parser(sub)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="upgrade the schema to the newest revision")
    db_sub.add_parser("current", help="print the schema revision")
    demo_p = sub.add_parser("demo", help="load the demo district (idempotent)")
    demo_p.add_argument("--if-empty", action="store_true", help="only into an empty database")
    cli_audit.add_parsers(sub)
    invite = sub.add_parser("invite", help="issue an invite code for /bind")
    invite.add_argument(
        "--role", required=True, choices=["admin", "coordinator", "inspector", "leader"]
    )
    target = invite.add_mutually_exclusive_group(required=True)
    target.add_argument("--cert", help="certificate number of a directory inspector")
    target.add_argument("--login", help="login of an existing user")
    report = sub.add_parser("report", help="reports for the law-based government report")
    report_sub = report.add_subparsers(dest="report_command", metavar="KIND", required=True)
    annual = report_sub.add_parser("annual", help="the annual report paragraph")
    annual.add_argument("--year", type=int, required=True)
    for feature in (cli_draw, cli_import, cli_records, cli_users, cli_calendar, cli_departments):
        feature.add_parsers(sub)
    return parser


async def _run(app: App, args: argparse.Namespace) -> int:
    """The configured platforms with the web app and scheduler; the console when none."""
    from contextlib import AsyncExitStack

    from bot.serve import build_platforms, scheduled, serve
    from bot.telegram import from_settings

    platforms = build_platforms(app)
    telegram = from_settings(app)
    if telegram is None and not platforms.chat:
        return await _run_console(app)
    if telegram is not None and telegram.config.webhook:
        platforms.routes += telegram.routes()
    stop = asyncio.Event()
    async with AsyncExitStack() as stack:
        if telegram is not None:
            # Polling or webhook; the Telegram transport joins the scheduler's transports.
            await stack.enter_async_context(telegram.running(platforms.transports))
        await stack.enter_async_context(scheduled(app, platforms))
        await serve(app, platforms, stop)
    return 0


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


async def _db(app: App, args: argparse.Namespace) -> int:
    from bot import migrate

    print(await migrate.current_revision(app.engine) or "empty")
    return 0


async def _demo(app: App, args: argparse.Namespace) -> int:
    async with unit_of_work(app.sessions) as session:
        if args.if_empty and not await demo.is_empty(session):
            print("数据库已有数据，跳过演示数据 / database not empty, demo data skipped")
            return 0
        counts = await demo.load(session, local_today(app.clock), app.clock.now())
    print(f"演示数据 / demo data: {vars(counts)}")
    return 0


async def _invite(app: App, args: argparse.Namespace) -> int:
    from datetime import timedelta

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
    from datetime import date

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
    "console": cli_console.run,
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
}


async def _main(args: argparse.Namespace) -> int:
    settings = Settings()
    configure_logging(settings)
    # `audit verify` must read the database as it is, never migrate it first.
    upgrade = args.command != "audit"
    if args.command == "draw" and args.draw_command == "verify":
        # Verifying a file needs no database at all.
        return cli_draw.run_verify_file(args)
    app = await build_app(settings, upgrade=upgrade)
    try:
        return await RUNNERS[args.command](app, args)
    finally:
        await app.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse the arguments, run the subcommand, return its exit status."""
    args = build_parser().parse_args(argv)
    from services.common.errors import DomainError

    try:
        return asyncio.run(_main(args))
    except DomainError as exc:
        from handlers.core.i18n import t

        print(t("zh", exc.key, **exc.params), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
