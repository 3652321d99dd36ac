"""`jointcheck import`, `export` and `template`: the lists and directories as files."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import cli_annual, cli_export, cli_past, cli_publicity
from bot.cli_types import Runner
from bot.progress import Progress, progress

if TYPE_CHECKING:
    from bot.app import App

# The lists, as `services.directory.imports.columns.KINDS` names them (a test keeps the
# two equal): written out so that the parser is built without loading pydantic models.
KINDS = ("departments", "items", "enterprises", "inspectors", "recusals", "checkpoints")


def add_parsers(sub: Any) -> None:
    """Add the import, export and template subcommands."""
    imp = sub.add_parser("import", help="import a list from CSV or XLSX (see README)")
    imp.add_argument(
        "kind",
        choices=[*KINDS, "auto", "results", "annualplan"],
        help="which list; auto: from the header; results: checks done before JointCheck; "
        "annualplan: the year's joint plan",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, reject the others"
    )
    imp.add_argument("--replace", action="store_true", help="deactivate what the file leaves out")
    imp.add_argument("--rejects", type=Path, help="where to write the rows with problems")
    imp.add_argument(
        "--progress",
        action="store_true",
        help="kept for old scripts: progress is always shown on stderr (a bar on a terminal)",
    )
    imp.add_argument("--lang", choices=["zh", "en"], help="language of the report")
    exp = sub.add_parser("export", help="export a list to CSV or XLSX (by the file's extension)")
    kinds = exp.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in KINDS:
        one = kinds.add_parser(kind, help=f"the {kind} (CSV or XLSX by FILE's extension)")
        one.add_argument("file", type=Path)
    cli_export.add_results_parser(kinds)
    cli_publicity.add_export_parser(kinds)
    tpl = sub.add_parser("template", help="write an import template: headers and one example")
    tpl.add_argument("kind", choices=KINDS)
    tpl.add_argument("file", type=Path)


def _rows_read(bar: Progress) -> Callable[[int, float | None], None]:
    """The importer's callback (rows read, fraction of the file read) moving `bar`."""

    def advance(rows: int, done: float | None) -> None:
        if done:
            # The file's size is known, its rows are not: the total is estimated as it goes.
            bar.set_total(max(rows, round(rows / done)))
        bar.update(rows - bar.done)

    return advance


def _line(lang: str) -> Callable[[Progress], str]:
    """The plain progress line in the report's language: rows, rows per second, time left."""
    from handlers.core.i18n import t

    def describe(bar: Progress) -> str:
        left, percent = "?", ""
        if bar.total and bar.done:
            seconds = int((bar.total - bar.done) / max(bar.rate, 1e-6))
            left, percent = f"{seconds // 60}:{seconds % 60:02d}", f" {bar.done / bar.total:4.0%}"
        return t(lang, "import.progress", rows=bar.done, rate=int(bar.rate), left=left) + percent

    return describe


async def run_import(app: App, args: argparse.Namespace) -> int:
    """`jointcheck import KIND FILE`: 0 when imported (or clean on a dry run), 1 otherwise."""
    if args.kind == "results":
        return await cli_past.run_import_results(app, args)
    if args.kind == "annualplan":
        return await cli_annual.run_import_annual(app, args)
    from handlers.core.db import unit_of_work
    from handlers.core.i18n import t
    from handlers.directory.imports import summary_lines
    from services.directory.imports import Options, check_file, import_file

    lang = args.lang or app.settings.default_language
    rejects = args.rejects or args.file.with_name(f"{args.file.stem}.rejects.csv")
    options = Options(dry_run=args.dry_run, skip_invalid=args.skip_invalid, replace=args.replace)
    kind = None if args.kind == "auto" else args.kind
    limits = app.settings.import_limits()
    if not options.dry_run:
        # The file's bounds are checked before the write transaction opens: a hostile
        # file is refused without holding the lock every chat user needs.
        kind = await check_file(args.file, kind, limits)
    with progress(None, "导入 / import", describe=_line(lang)) as bar:
        async with unit_of_work(app.sessions, write=not options.dry_run) as session:
            report = await import_file(
                session,
                None,
                kind,
                args.file,
                app.clock.now(),
                options=options,
                rejects=rejects,
                render=lambda key, params: t(lang, key, **params),
                progress=_rows_read(bar),
                limits=limits,
            )
    for line in summary_lines(lambda key, **params: t(lang, key, **params), report):
        print(line)
    if report.rejects_written:
        print(t(lang, "import.rejects_written", path=rejects))
    ok = report.applied or (args.dry_run and not report.rejected)
    return 0 if ok else 1


async def run_export(app: App, args: argparse.Namespace) -> int:
    """`jointcheck export KIND FILE` (and `export results|abnormal [FILE]`)."""
    if args.kind == "results":
        return await cli_export.run_export_results(app, args)
    if args.kind == "abnormal":
        return await cli_publicity.export_abnormal(app, args.file)
    from handlers.core.db import unit_of_work
    from services.directory.imports import exporter

    async with unit_of_work(app.sessions, write=False) as session:
        total = await exporter.count_rows(session, args.kind)
        with progress(total, "导出 / export") as bar:
            rows = await exporter.export_kind(
                session, None, args.kind, args.file, progress=bar.update
            )
    print(f"已导出 / exported: {rows} → {args.file}")
    return 0


async def run_template(app: App, args: argparse.Namespace) -> int:
    """`jointcheck template KIND FILE`."""
    from services.directory.imports import exporter

    exporter.write_template(args.kind, args.file)
    print(f"模板已写入 / template written: {args.file}")
    return 0


RUNNERS: dict[str, Runner] = {
    "import": run_import,
    "export": run_export,
    "template": run_template,
}
