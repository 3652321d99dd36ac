"""`jointcheck doc KIND ID [--format docx|pdf] [FILE]` and the annual report as a file.

A document of a record is written to FILE, or kept under DATA_DIR (its stored copy) when
none is given; its path is printed alone on the last line. `add_report_options` adds
`--format` and FILE to `report annual`, run by `run_annual_report`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App

KINDS = ("notice", "onsite", "order", "service", "annual")


def add_parsers(sub: Any) -> None:
    """Add the `doc` subcommand."""
    doc = sub.add_parser("doc", help="write an official document (PDF or Word) of a record")
    doc.add_argument("kind", choices=KINDS, help="notice/onsite: task id; order/service: order id")
    doc.add_argument("id", type=int, help="the task, order to correct or year")
    doc.add_argument("file", type=Path, nargs="?", help="where to write it (default: DATA_DIR)")
    doc.add_argument("--format", choices=("pdf", "docx"), default="pdf")


def add_report_options(annual: Any) -> None:
    """Add `--format docx|pdf` and FILE to `report annual` (without them: the paragraph)."""
    annual.add_argument("--format", choices=("pdf", "docx"), default=None)
    annual.add_argument("file", type=Path, nargs="?", help="where to write it")


async def _write(app: App, kind: str, subject_id: int, fmt: str, file: Path | None) -> int:
    import asyncio

    from handlers.core.db import unit_of_work
    from services.documents import store
    from services.documents.render import format_code

    settings = app.settings
    async with unit_of_work(app.sessions) as session:
        issued = await store.issue(
            session,
            None,
            kind,
            subject_id,
            fmt,
            setup=settings.document_setup(),
            files_dir=settings.data_dir,
            now=app.clock.now(),
        )
    doc = issued.document
    target = settings.data_dir / doc.stored_path
    if file is not None:
        target = file
        await asyncio.to_thread(_copy, issued.data, file)
    state = "新版本 / new version" if issued.created else "已存档 / stored, record unchanged"
    print(
        f"{issued.title} {doc.number or ''} v{doc.version} ({state}); "
        f"验证码 / verify code {format_code(doc.verify_code)}"
    )
    print(target)
    return 0


def _copy(data: bytes, file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)


async def run_doc(app: App, args: argparse.Namespace) -> int:
    """`jointcheck doc KIND ID [--format docx|pdf] [FILE]`."""
    return await _write(app, args.kind, args.id, args.format, args.file)


async def run_annual_report(app: App, args: argparse.Namespace) -> int:
    """`jointcheck report annual --year YYYY --format docx|pdf [FILE]`."""
    return await _write(app, "annual", args.year, args.format or "pdf", args.file)


RUNNERS: dict[str, Runner] = {"doc": run_doc}
