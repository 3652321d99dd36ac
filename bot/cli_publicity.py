"""Subcommands of what follows publication: `objection ...`, `abnormal ...` and the
`export abnormal [FILE]` kind (added to `export` by `add_export_parser`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App


def add_parsers(sub: Any) -> None:
    """Add the `objection` and `abnormal` subcommands."""
    obj = sub.add_parser("objection", help="objections to published results (异议)")
    actions = obj.add_subparsers(dest="objection_command", metavar="ACTION", required=True)
    rec = actions.add_parser("record", help="record an objection; prints its reference last")
    rec.add_argument("--part", type=int, required=True, help="the published part (result id)")
    rec.add_argument("--by", required=True, help="who objects")
    rec.add_argument("--date", required=True, help="the day it was received")
    rec.add_argument("--grounds", required=True, help="the facts and reasons")
    rec.add_argument("--contact", default=None, help="how to reach them")
    rec.add_argument("--evidence", type=Path, default=None, help="a JPEG, PNG or PDF")
    actions.add_parser("list", help="open objections, the earliest review deadline first")
    rej = actions.add_parser("reject", help="reject with reasons (nothing published changes)")
    rej.add_argument("id", help="objection number or reference (YY-2026-0001)")
    rej.add_argument("--reason", required=True)
    fix = actions.add_parser("correct", help="correct the part: republished as a new version")
    fix.add_argument("id", help="objection number or reference (YY-2026-0001)")
    fix.add_argument("categories", nargs="+", help="category keys or platform codes")
    fix.add_argument("--summary", default=None, help="the corrected summary")
    abn = sub.add_parser("abnormal", help="proposals for the abnormal-operations list")
    abn_actions = abn.add_subparsers(dest="abnormal_command", metavar="ACTION", required=True)
    listing = abn_actions.add_parser("list", help="open proposals (--all: every one)")
    listing.add_argument("--all", action="store_true")
    mark = abn_actions.add_parser("mark", help="settle a proposal: listed or dropped")
    mark.add_argument("id", type=int)
    mark.add_argument("status", choices=["listed", "dropped"])
    mark.add_argument("--note", default=None)


def add_export_parser(kinds: Any) -> None:
    """Add `export abnormal [FILE]` to the `export` subcommand's kinds."""
    one = kinds.add_parser(
        "abnormal", help="abnormal-operations proposals for the registration department"
    )
    one.add_argument("file", type=Path, nargs="?", help="CSV or XLSX (default: XLSX here)")


async def run_objection(app: App, args: argparse.Namespace) -> int:
    """`jointcheck objection record|list|reject|correct`."""
    import asyncio

    from handlers.core.db import unit_of_work
    from services.common.clock import local_today
    from services.common.dates import parse_date
    from services.publicity import corrections, objections

    now, today = app.clock.now(), local_today(app.clock)
    s = app.settings
    async with unit_of_work(app.sessions, write=args.objection_command != "list") as session:
        if args.objection_command == "list":
            for item in await objections.open_objections(session, None):
                o = item.objection
                print(f"{o.reference}\t{item.enterprise}\t{item.department}\t{o.review_due}")
            return 0
        if args.objection_command == "reject":
            found = await objections.reject(session, None, args.id, args.reason, now)
            print(found.reference)
            return 0
        if args.objection_command == "correct":
            found = await corrections.correct(
                session,
                None,
                args.id,
                list(args.categories),
                args.summary,
                today,
                now,
                abnormal_days=s.abnormal_proposal_working_days,
            )
            print(found.reference)
            return 0
        upload = None
        if args.evidence is not None:
            data = await asyncio.to_thread(args.evidence.read_bytes)
            upload = objections.Upload(data, args.evidence.name)
        filed = await objections.record(
            session,
            None,
            args.part,
            filed_by=args.by,
            filed_on=parse_date(args.date),
            grounds=args.grounds,
            contact=args.contact,
            upload=upload,
            files_dir=s.data_dir,
            today=today,
            now=now,
            review_days=s.objection_review_working_days,
            max_bytes=s.evidence_max_bytes,
            allowed=tuple(t.strip() for t in s.evidence_types.split(",") if t.strip()),
        )
    print(f"处理期限 / decide by: {filed.objection.review_due}")
    print(filed.objection.reference)
    return 0


async def run_abnormal(app: App, args: argparse.Namespace) -> int:
    """`jointcheck abnormal list [--all]` / `abnormal mark ID listed|dropped [--note]`."""
    from handlers.core.db import unit_of_work
    from services.common.clock import local_today
    from services.publicity import abnormal

    async with unit_of_work(app.sessions, write=args.abnormal_command == "mark") as session:
        if args.abnormal_command == "list":
            for row in await abnormal.proposals(session, None, None if args.all else "open"):
                print("\t".join([str(row.id), *row.cells()]))
            return 0
        found = await abnormal.mark(
            session, None, args.id, args.status, local_today(app.clock), app.clock.now(), args.note
        )
    print(found.id)
    return 0


async def export_abnormal(app: App, file: Path | None) -> int:
    """`jointcheck export abnormal [FILE]`: every proposal, CSV or XLSX by the extension."""
    import asyncio

    from handlers.core.db import unit_of_work
    from services.common.clock import local_today
    from services.publicity import abnormal

    async with unit_of_work(app.sessions, write=False) as session:
        rows = await abnormal.proposals(session, None, None)
    path = file or Path.cwd() / f"abnormal-{local_today(app.clock).isoformat()}.xlsx"
    data = abnormal.to_csv(rows) if path.suffix.lower() == ".csv" else abnormal.to_xlsx(rows)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    await asyncio.to_thread(write)
    print(f"已导出 {len(rows)} 条经营异常名录建议 / {len(rows)} proposals exported")
    print(path)
    return 0


RUNNERS: dict[str, Runner] = {"objection": run_objection, "abnormal": run_abnormal}
