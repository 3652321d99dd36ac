"""`jointcheck import`, `export` and `template`: the lists and directories as files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot import cli_past, cli_records
from bot.cli_types import Runner
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.directory.imports import summary_lines
from services.directory.imports import KINDS, Options, check_file, exporter, import_file

if TYPE_CHECKING:
    from bot.app import App


def add_parsers(sub: Any) -> None:
    """Add the import, export and template subcommands."""
    imp = sub.add_parser("import", help="import a list from CSV or XLSX (see README)")
    imp.add_argument(
        "kind",
        choices=[*KINDS, "auto", "results"],
        help="which list; auto: from the header; results: checks done before JointCheck",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows, reject the others"
    )
    imp.add_argument("--replace", action="store_true", help="deactivate what the file leaves out")
    imp.add_argument("--rejects", type=Path, help="where to write the rows with problems")
    imp.add_argument(
        "--progress", action="store_true", help="show progress even when stderr is no terminal"
    )
    imp.add_argument("--lang", choices=["zh", "en"], help="language of the report")
    exp = sub.add_parser("export", help="export a list to CSV or XLSX (by the file's extension)")
    kinds = exp.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in KINDS:
        one = kinds.add_parser(kind, help=f"the {kind} (CSV or XLSX by FILE's extension)")
        one.add_argument("file", type=Path)
    results = kinds.add_parser("results", help="check results for the publicity system (XLSX)")
    results.add_argument("--plan", type=int, required=True, help="the plan")
    results.add_argument("file", type=Path, nargs="?")
    tpl = sub.add_parser("template", help="write an import template: headers and one example")
    tpl.add_argument("kind", choices=KINDS)
    tpl.add_argument("file", type=Path)


class ProgressBar:
    """Rows, rows per second and time left, redrawn on one terminal line."""

    def __init__(self, out: TextIO, lang: str) -> None:
        self.out = out
        self.lang = lang
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, rows: int, done: float | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-6)
        left = "?"
        if done:
            seconds = int(elapsed * (1 - done) / done)
            left = f"{seconds // 60}:{seconds % 60:02d}"
        percent = "" if done is None else f" {done:4.0%}"
        text = t(self.lang, "import.progress", rows=rows, rate=int(rows / elapsed), left=left)
        self.out.write(f"\r{text}{percent}")
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        """End the progress line."""
        if self.drawn:
            self.out.write("\n")
            self.out.flush()


async def run_import(app: App, args: argparse.Namespace) -> int:
    """`jointcheck import KIND FILE`: 0 when imported (or clean on a dry run), 1 otherwise."""
    if args.kind == "results":
        return await cli_past.run_import_results(app, args)
    lang = args.lang or app.settings.default_language
    rejects = args.rejects or args.file.with_name(f"{args.file.stem}.rejects.csv")
    bar = ProgressBar(sys.stderr, lang) if args.progress or sys.stderr.isatty() else None
    options = Options(dry_run=args.dry_run, skip_invalid=args.skip_invalid, replace=args.replace)
    kind = None if args.kind == "auto" else args.kind
    limits = app.settings.import_limits()
    try:
        if not options.dry_run:
            # The file's bounds are checked before the write transaction opens: a hostile
            # file is refused without holding the lock every chat user needs.
            kind = await check_file(args.file, kind, limits)
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
                progress=bar,
                limits=limits,
            )
    finally:
        if bar is not None:
            bar.close()
    for line in summary_lines(lambda key, **params: t(lang, key, **params), report):
        print(line)
    if report.rejects_written:
        print(t(lang, "import.rejects_written", path=rejects))
    ok = report.applied or (args.dry_run and not report.rejected)
    return 0 if ok else 1


async def run_export(app: App, args: argparse.Namespace) -> int:
    """`jointcheck export KIND FILE` (and `export results --plan ID [FILE]`)."""
    if args.kind == "results":
        return await cli_records.export_results(app, args.plan, args.file)
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await exporter.export_kind(session, None, args.kind, args.file)
    print(f"已导出 / exported: {rows} → {args.file}")
    return 0


async def run_template(app: App, args: argparse.Namespace) -> int:
    """`jointcheck template KIND FILE`."""
    exporter.write_template(args.kind, args.file)
    print(f"模板已写入 / template written: {args.file}")
    return 0


RUNNERS: dict[str, Runner] = {
    "import": run_import,
    "export": run_export,
    "template": run_template,
}
