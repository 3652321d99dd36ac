"""/import, /export and /template: the lists and directories from and to files in chat.

/import asks for a file (or takes the one sent with it, as its caption; on the console
`/import [KIND] PATH` reads a path), dry-runs it and shows the counts and the first
problems with the rejects file. The dry run is handed to the core to run after the event's
transaction (`ctx.later`), in a read-only one, while a worker process checks the file
within the limits: a hostile file holds no lock and costs the bot nothing but that
worker. The upload is kept under DATA_DIR/uploads/<sha256>.<ext>; the confirming buttons
carry the file's hash, so a button imports the file it was shown with, or nothing.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from handlers.core.model import Attachment, Reply
from handlers.core.router import Command, Ctx, Flow, Router, flow_button, roles
from services.common.errors import InvalidInput
from services.directory.imports import (
    KINDS,
    ImportReport,
    Limits,
    Options,
    Problem,
    exporter,
    import_file,
)
from services.directory.imports.formats import XLSX_SUFFIXES
from services.messaging.conversations import State

FLOW = "import"
COORD = roles("coordinator")
SHOWN_PROBLEMS = 20
GO, VALID = "go", "valid"  # the confirming buttons: import all, import the valid rows
Translate = Callable[..., str]  # (key, **values) -> text in the user's language
# The counts line of a list whose rows a file removes rather than deactivates.
COUNTS = {"checkpoints": "import.counts_removed"}


def kind_names(t: Translate) -> str:
    """The lists that can be imported, named for the user."""
    return "、".join(f"{kind}（{t(f'import.kind.{kind}')}）" for kind in KINDS)


def summary_lines(t: Translate, report: ImportReport) -> list[str]:
    """What an import found and did, in the user's language (chat and command line)."""
    if report.options.dry_run:
        state = "import.preview"
    elif report.applied:
        state = "import.done"
    else:
        state = "import.refused"
    lines = [
        t(state),
        t(
            "import.head",
            file=report.file_name,
            kind=t(f"import.kind.{report.kind}"),
            rows=report.rows,
        ),
        t(
            COUNTS.get(report.kind, "import.counts"),
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            deactivated=report.deactivated,
        ),
    ]
    lines += [t(key, n=n) for key, n in sorted(report.warnings.items())]
    if report.ignored_columns:
        lines.append(t("import.ignored_columns", columns="、".join(report.ignored_columns)))
    if report.problem_count:
        shown = report.problems[:SHOWN_PROBLEMS]
        lines.append(
            t(
                "import.problems_head",
                rows=report.rejected,
                problems=report.problem_count,
                shown=len(shown),
            )
        )
        lines += [problem_line(t, p) for p in shown]
        if report.problem_count > len(shown):
            lines.append(t("import.more_problems", n=report.problem_count - len(shown)))
    return lines


def problem_line(t: Translate, problem: Problem) -> str:
    """One problem: row, column, value and reason."""
    reason = t(problem.key, **problem.params)
    if not problem.column:
        return t("import.problem_row", row=problem.row, reason=reason)
    return t(
        "import.problem_line",
        row=problem.row,
        column=problem.column,
        value=problem.value,
        reason=reason,
    )


def _kind_arg(args: list[str]) -> tuple[str | None, list[str]]:
    if args and args[0].lower() in KINDS:
        return args[0].lower(), args[1:]
    return None, args


def _save_upload(files_dir: Path, attachment: Attachment) -> tuple[Path, str]:
    """Keep the uploaded bytes under their SHA-256, so a later button imports the same file."""
    suffix = Path(attachment.name).suffix.lower()
    if suffix not in (*XLSX_SUFFIXES, ".csv", ".txt", ".tsv"):
        suffix = ".xlsx" if attachment.data[:4] == b"PK\x03\x04" else ".csv"
    folder = files_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(attachment.data).hexdigest()
    path = folder / f"{digest}{suffix}"
    if not path.exists():
        path.write_bytes(attachment.data)
    return path, digest


def button_hash(sha256: str) -> str:
    """A file's SHA-256 as a confirming button carries it (43 characters, no colon)."""
    return base64.urlsafe_b64encode(bytes.fromhex(sha256)).rstrip(b"=").decode()


def _read_path(raw: str) -> Attachment:
    path = Path(raw).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("import.cannot_read", error=exc.strerror or str(exc)) from None
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(path.name, mime, data)


async def import_command(ctx: Ctx, args: list[str], *, limits: Limits) -> list[Reply]:
    """Start an import: with the file sent along, a console path, or by asking for a file."""
    kind, rest = _kind_arg(args)
    file = ctx.incoming.file
    if file is not None:
        return _check_later(ctx, kind, lambda: file, limits)
    if rest:
        if ctx.incoming.platform != "console":
            return [ctx.reply("import.path_console_only")]
        return _check_later(ctx, kind, partial(_read_path, " ".join(rest)), limits)
    await ctx.start_flow(FLOW, "file", {"kind": kind})
    cancel = flow_button(ctx.t("button.cancel"), FLOW, "cancel")
    return [ctx.reply("import.ask_file", kinds=kind_names(ctx.t)).with_buttons((cancel,))]


def _render(ctx: Ctx) -> Callable[[str, dict[str, Any]], str]:
    return lambda key, params: ctx.t(key, **params)


def _check_later(
    ctx: Ctx, kind: str | None, load: Callable[[], Attachment], limits: Limits
) -> list[Reply]:
    """Hand the dry run to the core, to run outside this event's write transaction."""

    async def dry_run(later: Ctx) -> list[Reply]:
        return await _dry_run(later, kind, load(), limits)

    ctx.later(dry_run)
    return []


async def _dry_run(
    ctx: Ctx, kind: str | None, attachment: Attachment, limits: Limits
) -> list[Reply]:
    path, digest = _save_upload(ctx.files_dir, attachment)
    rejects = path.with_name(path.stem + ".rejects.csv")
    report = await import_file(
        ctx.session,
        ctx.user,
        kind,
        path,
        ctx.now,
        options=Options(dry_run=True),
        display_name=attachment.name,
        rejects=rejects,
        render=_render(ctx),
        limits=limits,
        sha256=digest,
    )
    text = "\n".join(summary_lines(ctx.t, report))
    document = None
    if report.rejects_written:
        name = f"{Path(attachment.name).stem}-{ctx.t('import.rejects_name')}.csv"
        document = Attachment(name, "text/csv", rejects.read_bytes())
    valid = report.rows - report.rejected
    cancel = flow_button(ctx.t("button.cancel"), FLOW, "cancel")
    if valid == 0 or (not report.rejected and not report.changed):
        await ctx.end_flow()
        key = "import.nothing_valid" if valid == 0 else "import.unchanged_all"
        return [Reply(text + "\n" + ctx.t(key), document=document)]
    data = {"path": str(path), "kind": report.kind, "name": attachment.name, "sha256": digest}
    await ctx.start_flow(FLOW, "confirm", data)
    mark = button_hash(digest)
    if report.rejected:
        ask = ctx.t("import.confirm_valid", valid=valid)
        go = flow_button(ctx.t("button.import_valid"), FLOW, f"{VALID}:{mark}")
    else:
        ask = ctx.t("import.confirm_all")
        go = flow_button(ctx.t("button.import_go"), FLOW, f"{GO}:{mark}")
    return [Reply(text + "\n" + ask, document=document).with_buttons((go, cancel))]


async def import_flow(ctx: Ctx, state: State, *, limits: Limits) -> list[Reply]:
    """One step of the import conversation: the file, then confirm or cancel."""
    choice = ctx.choice
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("import.cancelled")]
    file = ctx.incoming.file
    if state.step == "file" and file is not None:
        return _check_later(ctx, state.data.get("kind"), lambda: file, limits)
    if state.step == "file" and choice is None:
        return [ctx.reply("import.ask_file", kinds=kind_names(ctx.t))]
    action, _, mark = (choice or "").partition(":")
    if state.step == "confirm" and action in (GO, VALID) and mark:
        checked = state.data.get("sha256", "")  # none in a conversation from before hashes
        if not checked or mark != button_hash(checked):
            # A button under an earlier check: it must not import the file checked since.
            return [ctx.reply("import.stale_button")]
        report = await import_file(
            ctx.session,
            ctx.user,
            state.data["kind"],
            Path(state.data["path"]),
            ctx.now,
            options=Options(skip_invalid=action == VALID),
            display_name=state.data["name"],
            render=_render(ctx),
            limits=limits,
            sha256=checked,
        )
        await ctx.end_flow()
        return [Reply("\n".join(summary_lines(ctx.t, report)))]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


def _file_args(ctx: Ctx, args: list[str], usage: str) -> tuple[str, str] | Reply:
    kind, rest = _kind_arg(args)
    if kind is None:
        return ctx.reply(usage, kinds=", ".join(KINDS))
    suffix = ".xlsx" if rest and rest[0].lower() in ("xlsx", ".xlsx", "excel") else ".csv"
    return kind, suffix


async def export_command(
    ctx: Ctx, args: list[str], results_template: Path | None = None
) -> list[Reply]:
    """Send a list as a CSV (or XLSX) file; `/export results` the publicity export."""
    if args and args[0].lower() == "results":
        # The platforms' export is loaded when asked for, not at every start.
        from handlers.records import export_results

        return await export_results.export_results_command(ctx, args[1:], template=results_template)
    parsed = _file_args(ctx, args, "import.export_usage")
    if isinstance(parsed, Reply):
        return [parsed]
    kind, suffix = parsed
    folder = ctx.files_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{ctx.now:%Y%m%d%H%M%S}{suffix}"
    rows = await exporter.export_kind(ctx.session, ctx.user, kind, path)
    document = Attachment(path.name, mimetypes.guess_type(path.name)[0] or "", path.read_bytes())
    text = ctx.t("import.export_done", kind=ctx.t(f"import.kind.{kind}"), rows=rows)
    return [Reply(text, document=document)]


async def template_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Send the import template of a list."""
    parsed = _file_args(ctx, args, "import.template_usage")
    if isinstance(parsed, Reply):
        return [parsed]
    kind, suffix = parsed
    folder = ctx.files_dir / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"template-{kind}{suffix}"
    exporter.write_template(kind, path)
    document = Attachment(path.name, mimetypes.guess_type(path.name)[0] or "", path.read_bytes())
    text = ctx.t("import.template_done", kind=ctx.t(f"import.kind.{kind}"))
    return [Reply(text, document=document)]


def register(
    router: Router, limits: Limits | None = None, results_template: Path | None = None
) -> None:
    """Register the import commands and flow; files are held to `limits` (default: the
    defaults of `Limits`, which the settings' defaults are)."""
    bound = limits or Limits()
    start = partial(import_command, limits=bound)
    router.command(Command("import", start, COORD, "cmd.import", private_only=True))
    export = partial(export_command, results_template=results_template)
    router.command(Command("export", export, COORD, "cmd.export", private_only=True))
    router.command(Command("template", template_command, COORD, "cmd.template"))
    router.flow(Flow(FLOW, partial(import_flow, limits=bound), COORD))
