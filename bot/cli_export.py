"""`jointcheck export results`: the full publicity export, one row per department part.

The `export` subcommand is built in `cli_import`; this module adds its `results` kind
(`add_results_parser`) and runs it (`run_export_results`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import App

FORMATS = ("xlsx", "csv")


def add_results_parser(kinds: Any) -> None:
    """Add `export results [--year Y] [--plan ID] [--department CODE] [--format F] [FILE]`."""
    results = kinds.add_parser(
        "results",
        help="check results for the publicity platforms: one row per department part",
    )
    results.add_argument("--year", type=int, help="parts checked in this year")
    results.add_argument("--plan", type=int, help="the parts of one plan")
    results.add_argument("--department", help="one implementing department, by its code")
    results.add_argument(
        "--format", choices=FORMATS, help="xlsx or csv (default: by FILE's extension, else xlsx)"
    )
    results.add_argument(
        "--all",
        action="store_true",
        dest="include_unpublished",
        help="also the parts not published yet (with a 公示状态 column)",
    )
    results.add_argument(
        "--template",
        type=Path,
        help="columns and headers of the province (default: RESULTS_EXPORT_TEMPLATE)",
    )
    results.add_argument("file", type=Path, nargs="?")


def target(args: argparse.Namespace) -> Path:
    """The file to write: FILE (its extension agreeing with --format) or a name in the cwd."""
    from services.common.errors import InvalidInput

    file: Path | None = args.file
    chosen: str | None = args.format
    if file is None:
        scope = [str(args.year) if args.year else "all"]
        if args.plan:
            scope.append(f"plan-{args.plan}")
        if args.department:
            scope.append(args.department)
        return Path.cwd() / f"results-{'-'.join(scope)}.{chosen or 'xlsx'}"
    suffix = file.suffix.lower().lstrip(".")
    if chosen is None and suffix in FORMATS:
        return file
    if suffix != (chosen or "xlsx"):
        raise InvalidInput("codes.export_format", file=str(file), format=chosen or "xlsx")
    return file


async def run_export_results(app: App, args: argparse.Namespace) -> int:
    """Write the export; the file's path alone on the last line."""
    from bot.progress import progress
    from handlers.core.db import unit_of_work
    from services.records import platform_export
    from services.records.export_columns import load_template
    from services.records.export_facts import Selection

    path = target(args)
    template = load_template(args.template or app.settings.results_export_template)
    selection = Selection(
        year=args.year,
        plan_id=args.plan,
        department=args.department,
        include_unpublished=args.include_unpublished,
    )
    async with unit_of_work(app.sessions, write=False) as session:
        total = await platform_export.count_parts(session, None, selection)
        with progress(total, "导出 / export") as bar:
            rows = await platform_export.export_parts(
                session,
                None,
                selection,
                path,
                template=template,
                progress=bar.update,
                radius_m=app.settings.onsite_radius_meters,
            )
    print(f"已导出 {rows} 条（每个部门一行）/ {rows} rows exported (one per department)")
    print(path)
    return 0
