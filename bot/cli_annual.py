"""`jointcheck annualplan ...` and `jointcheck import annualplan FILE`: the annual joint plan.

`annualplan list|show ID|batches ID|progress [YEAR] [--chart FILE]|template FILE`; the
import itself is a kind of `jointcheck import` (its runner is `run_import_annual`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App


def add_parsers(sub: Any) -> None:
    """Add the `annualplan` subcommand and its actions."""
    annual = sub.add_parser("annualplan", help="the annual joint plan: show, batches, progress")
    actions = annual.add_subparsers(dest="annual_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the annual plans imported")
    listing.add_argument("--year", type=int)
    show = actions.add_parser("show", help="an annual plan's rows and their batches")
    show.add_argument("id", type=int)
    batches = actions.add_parser("batches", help="make a plan (batch) of every row without one")
    batches.add_argument("id", type=int)
    progress = actions.add_parser("progress", help="a year's progress per department and row")
    progress.add_argument("year", type=int, nargs="?", help="default: this year")
    progress.add_argument("--chart", type=Path, help="also write the chart (PNG) here")
    template = actions.add_parser("template", help="write the template (CSV, or XLSX by name)")
    template.add_argument("file", type=Path)
    for action in (listing, show, batches, progress):
        action.add_argument("--lang", choices=["zh", "en"], help="language of the output")


def _say(app: App, args: argparse.Namespace) -> Callable[..., str]:
    from handlers.core.i18n import t

    lang = getattr(args, "lang", None) or app.settings.default_language
    return lambda key, **params: t(lang, key, **params)


def _refused(exc: Exception) -> int:
    """A refusal as one sentence in both languages; nothing was written."""
    from handlers.core.i18n import t
    from services.common.errors import DomainError

    assert isinstance(exc, DomainError)
    print(f"{t('zh', exc.key, **exc.params)} / {t('en', exc.key, **exc.params)}")
    return 1


async def run_import_annual(app: App, args: argparse.Namespace) -> int:
    """`jointcheck import annualplan FILE [--dry-run]`: every problem listed, its id last."""
    from handlers.core.db import unit_of_work
    from handlers.draw.annual import check_lines
    from services.common.errors import DomainError
    from services.draw import annual

    tr = _say(app, args)
    try:
        async with unit_of_work(app.sessions, write=not args.dry_run) as session:
            check = await annual.import_plan(
                session,
                None,
                args.file,
                app.clock.now(),
                dry_run=args.dry_run,
                limits=app.settings.import_limits(),
            )
    except DomainError as exc:
        return _refused(exc)
    for line in check_lines(tr, check, shown=None):
        print(line)
    if not check.ok:
        print(tr("annual.refused"))
        return 1
    if check.annual_id is not None:
        print(check.annual_id)
    return 0


async def run_annualplan(app: App, args: argparse.Namespace) -> int:
    """`jointcheck annualplan ACTION`."""
    from services.common.errors import DomainError

    try:
        return await _ACTIONS[args.annual_command](app, args)
    except DomainError as exc:
        return _refused(exc)


async def _list(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.draw import annual

    tr = _say(app, args)
    async with unit_of_work(app.sessions, write=False) as session:
        plans = await annual.annual_plans(session, args.year)
    print(tr("annual.list_head") if plans else tr("annual.none"))
    for p in plans:
        print(tr("annual.list_line", id=p.id, year=p.year, doc_number=p.doc_number, title=p.title))
    return 0


async def _show(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from handlers.draw.annual import show_lines
    from services.draw import annual

    async with unit_of_work(app.sessions, write=False) as session:
        plan, rows = await annual.plan_rows(session, None, args.id)
    for line in show_lines(_say(app, args), plan, rows):
        print(line)
    return 0


async def _batches(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from handlers.draw.annual import batch_lines
    from services.draw import annual

    async with unit_of_work(app.sessions) as session:
        made = await annual.create_batches(session, None, args.id, app.clock.now())
    for line in batch_lines(_say(app, args), args.id, made):
        print(line)
    print(" ".join(str(b.plan_id) for b in made))
    return 0


async def _progress(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from handlers.reports.progress import progress_lines
    from services.common.clock import local_today
    from services.reports.progress import year_progress

    tr = _say(app, args)
    year = args.year or local_today(app.clock).year
    async with unit_of_work(app.sessions, write=False) as session:
        progress = await year_progress(session, None, year)
    for line in progress_lines(tr, progress):
        print(line)
    if args.chart is not None:
        from services.reports.progress_chart import progress_chart

        args.chart.write_bytes(progress_chart(progress, args.lang or app.settings.default_language))
        print(args.chart)
    return 0


async def _template(app: App, args: argparse.Namespace) -> int:
    from services.draw.annual_sheet import write_template

    write_template(args.file)
    print(args.file)
    return 0


_ACTIONS: dict[str, Runner] = {
    "list": _list,
    "show": _show,
    "batches": _batches,
    "progress": _progress,
    "template": _template,
}

RUNNERS: dict[str, Runner] = {"annualplan": run_annualplan}
