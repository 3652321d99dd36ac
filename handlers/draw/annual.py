"""/annualplan: import the annual joint plan, show it, and make its rows' batches.

`/annualplan` asks for the file (or takes the one sent with it; on the console a path);
the file is checked after the event's transaction (`ctx.later`), writing nothing, and the
confirming button carries the file's hash, so that it imports the file it was shown with.
`/annualplan ID` shows a plan's rows and their batches; `/annualplan batches ID` (or the
button `annual:b:ID`) makes the batches still missing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from handlers.core.model import Attachment, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.directory.imports import button_hash, problem_line
from handlers.draw.render import chunk
from models import AnnualPlan
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.directory.imports.formats import XLSX_SUFFIXES
from services.draw import annual
from services.draw.annual import Batch, RowView
from services.draw.annual_import import AnnualCheck
from services.draw.annual_sheet import percent
from services.messaging.conversations import State

FLOW = "annualplan"
COORD = roles("coordinator")
READERS = roles("coordinator", "leader")
SHOWN = 20  # problems listed in chat; the command line lists them all
Translate = Callable[..., str]


def check_lines(tr: Translate, check: AnnualCheck, shown: int | None = SHOWN) -> list[str]:
    """What a plan's file holds and every problem found (chat and command line)."""
    lines = [
        tr(
            "annual.check_head",
            file=check.file_name,
            title=check.title,
            doc_number=check.doc_number,
            year=check.year,
            rows=check.total,
        )
    ]
    if check.problems:
        listed = check.problems if shown is None else check.problems[:shown]
        lines.append(tr("annual.problems_head", n=len(check.problems)))
        lines += [problem_line(tr, p) for p in listed]
        if len(check.problems) > len(listed):
            lines.append(tr("import.more_problems", n=len(check.problems) - len(listed)))
    if check.notes:
        lines.append(tr("annual.notes_head"))
        lines += [problem_line(tr, p) for p in check.notes]
    if check.annual_id is not None:
        lines.append(tr("annual.imported", id=check.annual_id, rows=len(check.rows)))
    return lines


def _save(files_dir: Path, attachment: Attachment) -> tuple[Path, str]:
    """Keep the upload under its SHA-256, so that the button imports these very bytes."""
    suffix = Path(attachment.name).suffix.lower()
    if suffix not in (*XLSX_SUFFIXES, ".csv", ".txt"):
        suffix = ".xlsx" if attachment.data[:4] == b"PK\x03\x04" else ".csv"
    folder = files_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(attachment.data).hexdigest()
    path = folder / f"{digest}{suffix}"
    if not path.exists():
        path.write_bytes(attachment.data)
    return path, digest


def _from_path(raw: str) -> Attachment:
    path = Path(raw).expanduser()
    try:
        return Attachment(path.name, "application/octet-stream", path.read_bytes())
    except OSError as exc:
        raise InvalidInput("import.cannot_read", error=exc.strerror or str(exc)) from None


async def annualplan_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Import (with a file or asking for one), show a plan, or make its batches."""
    file = ctx.incoming.file
    if file is not None:
        return _check_later(ctx, lambda: file)
    if len(args) == 2 and args[0].lower() == "batches":
        return await _batches(ctx, _id(args[1]))
    if len(args) == 1 and read_int(args[0], 1, MAX_ID) is not None:
        return await _show(ctx, _id(args[0]))
    if args:
        if ctx.incoming.platform != "console":
            return [ctx.reply("annual.usage")]
        return _check_later(ctx, lambda: _from_path(" ".join(args)))
    if not ctx.user.has("admin", "coordinator"):
        return await _list(ctx)
    await ctx.start_flow(FLOW, "file")
    cancel = flow_button(ctx.t("button.cancel"), FLOW, "cancel")
    listing = await _list(ctx)
    return [*listing, ctx.reply("annual.ask_file").with_buttons((cancel,))]


def _id(value: str) -> int:
    number = read_int(value, 1, MAX_ID)
    if number is None:
        raise InvalidInput("annual.not_found", id=value)
    return number


async def _list(ctx: Ctx) -> list[Reply]:
    plans = await annual.annual_plans(ctx.session)
    if not plans:
        return [ctx.reply("annual.none")]
    lines = [ctx.t("annual.list_head")]
    lines += [
        ctx.t("annual.list_line", id=p.id, year=p.year, doc_number=p.doc_number, title=p.title)
        for p in plans
    ]
    return [Reply("\n".join(lines))]


def _check_later(ctx: Ctx, load: Callable[[], Attachment]) -> list[Reply]:
    """The dry run, after this event's transaction, in a read-only one (no lock held)."""
    if not ctx.user.has("admin", "coordinator"):
        return [ctx.reply("error.not_allowed")]

    async def dry_run(later: Ctx) -> list[Reply]:
        attachment = load()
        path, digest = _save(later.files_dir, attachment)
        check = await annual.import_plan(
            later.session, later.user, path, later.now, name=attachment.name, dry_run=True
        )
        lines = check_lines(later.t, check)
        cancel = flow_button(later.t("button.cancel"), FLOW, "cancel")
        if not check.ok:
            await later.end_flow()
            return [Reply(text) for text in chunk([*lines, later.t("annual.refused")])]
        data = {"path": str(path), "name": attachment.name, "sha256": digest}
        await later.start_flow(FLOW, "confirm", data)
        go = flow_button(later.t("annual.button_import"), FLOW, f"go:{button_hash(digest)}")
        texts = chunk([*lines, later.t("annual.confirm")])
        return [*(Reply(t) for t in texts[:-1]), Reply(texts[-1]).with_buttons((go, cancel))]

    ctx.later(dry_run)
    return []


async def annualplan_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The file, then the confirming button (or cancel)."""
    choice = ctx.choice
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("import.cancelled")]
    file = ctx.incoming.file
    if state.step == "file" and file is not None:
        return _check_later(ctx, lambda: file)
    if state.step == "file" and choice is None:
        return [ctx.reply("annual.ask_file")]
    action, _, mark = (choice or "").partition(":")
    if state.step == "confirm" and action == "go":
        digest = str(state.data.get("sha256", ""))
        if not digest or mark != button_hash(digest):
            return [ctx.reply("import.stale_button")]
        check = await annual.import_plan(
            ctx.session,
            ctx.user,
            Path(state.data["path"]),
            ctx.now,
            name=str(state.data["name"]),
            sha256=digest,
        )
        await ctx.end_flow()
        texts = chunk(check_lines(ctx.t, check))
        if check.annual_id is None:
            return [Reply(t) for t in [*texts, ctx.t("annual.refused")]]
        make = ctx.button("annual.button_batches", f"annual:b:{check.annual_id}")
        return [*(Reply(t) for t in texts[:-1]), Reply(texts[-1]).with_buttons((make,))]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


def show_lines(tr: Translate, plan: AnnualPlan, rows: list[RowView]) -> list[str]:
    """An annual plan's rows with their windows and batches (chat and command line)."""
    lines = [
        tr(
            "annual.show_head",
            id=plan.id,
            title=plan.title,
            doc_number=plan.doc_number,
            year=plan.year,
            rows=len(rows),
        )
    ]
    for row in rows:
        window = (
            tr("progress_year.quarter", n=row.quarter)
            if row.quarter is not None
            else tr("progress_year.window", start=row.start, end=row.end)
        )
        batch = (
            tr("annual.no_batch")
            if row.plan_id is None
            else tr("annual.batch", id=row.plan_id, number=row.plan_number or row.plan_id)
        )
        lines.append(
            tr(
                "annual.row_line",
                seq=row.seq,
                code=row.item_code,
                item=row.item_name,
                initiating=row.initiating,
                cooperating=tr("list.sep").join(row.cooperating) or "-",
                ratio=percent(row.ratio),
                frequency=row.frequency or "-",
                window=window,
                batch=batch,
            )
        )
    return lines


def batch_lines(tr: Translate, annual_id: int, made: list[Batch]) -> list[str]:
    """The batches of an annual plan, made now or before (chat and command line)."""
    new = sum(1 for b in made if b.created)
    lines = [tr("annual.batches_head", id=annual_id, new=new, kept=len(made) - new)]
    lines += [
        tr(
            "annual.batch_line",
            seq=b.seq,
            id=b.plan_id,
            number=b.number or b.plan_id,
            name=b.name,
            mark=tr("annual.batch_new" if b.created else "annual.batch_kept"),
        )
        for b in made
    ]
    return lines


async def _show(ctx: Ctx, annual_id: int) -> list[Reply]:
    plan, rows = await annual.plan_rows(ctx.session, ctx.user, annual_id)
    replies = [Reply(text) for text in chunk(show_lines(ctx.t, plan, rows))]
    if ctx.user.has("admin", "coordinator") and any(r.plan_id is None for r in rows):
        make = ctx.button("annual.button_batches", f"annual:b:{annual_id}")
        replies[-1] = replies[-1].with_buttons((make,))
    return replies


async def _batches(ctx: Ctx, annual_id: int) -> list[Reply]:
    made = await annual.create_batches(ctx.session, ctx.user, annual_id, ctx.now)
    lines = [*batch_lines(ctx.t, annual_id, made), ctx.t("annual.batches_hint")]
    return [Reply(text) for text in chunk(lines)]


async def annual_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`annual:b:ID`: make the plan's batches."""
    if len(args) == 2 and args[0] == "b":
        return await _batches(ctx, _id(args[1]))
    return [ctx.reply("error.unknown_button")]


def register(router: Router) -> None:
    """Register /annualplan, its flow and its button."""
    router.command(
        Command("annualplan", annualplan_command, READERS, "annual.cmd", private_only=True)
    )
    router.flow(Flow(FLOW, annualplan_flow, COORD))
    router.button(ButtonKind("annual", annual_button, COORD))
