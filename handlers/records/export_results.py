"""/export results in chat: the full publicity export sent as a file.

`/export results [YEAR] [plan ID] [dept CODE] [all] [xlsx|csv]` (XLSX by default). The
export is written after the event's transaction, in a read-only one (`ctx.later`): a
year of rows holds no lock while it is written.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from handlers.core.model import Attachment, Reply
from handlers.core.router import Ctx
from services.records import platform_export
from services.records.export_columns import Template, load_template
from services.records.export_facts import Selection

_PLAN = ("plan", "计划")
_DEPARTMENT = ("dept", "department", "部门")
_ALL = ("all", "全部")
_FORMATS = {"xlsx": ".xlsx", ".xlsx": ".xlsx", "excel": ".xlsx", "csv": ".csv", ".csv": ".csv"}


def parse_args(args: list[str]) -> tuple[Selection, str] | None:
    """The selection and file suffix the words ask for; None when a word is not understood."""
    year = plan = department = None
    include_unpublished, suffix = False, ".xlsx"
    words = iter(args)
    for word in words:
        low = word.lower()
        if low in _PLAN:
            value = next(words, "")
            if not value.isdigit():
                return None
            plan = int(value)
        elif low in _DEPARTMENT:
            department = next(words, "") or None
            if department is None:
                return None
        elif low in _ALL:
            include_unpublished = True
        elif low in _FORMATS:
            suffix = _FORMATS[low]
        elif word.isdigit() and len(word) == 4:
            year = int(word)
        else:
            return None
    return Selection(year, plan, department, include_unpublished), suffix


async def export_results_command(
    ctx: Ctx, args: list[str], *, template: Path | None = None
) -> list[Reply]:
    """Send the check results for the publicity platforms, one row per department part."""
    parsed = parse_args(args)
    if parsed is None:
        return [ctx.reply("codes.export_usage")]
    selection, suffix = parsed
    columns = load_template(template)

    async def write(later: Ctx) -> list[Reply]:
        return await _write(later, selection, suffix, columns)

    ctx.later(write)
    return []


async def _write(ctx: Ctx, selection: Selection, suffix: str, columns: Template) -> list[Reply]:
    path = ctx.files_dir / "exports" / f"results-{ctx.now:%Y%m%d%H%M%S}{suffix}"
    rows = await platform_export.export_parts(
        ctx.session,
        ctx.user,
        selection,
        path,
        template=columns,
        radius_m=ctx.policy.onsite_radius_meters,
    )
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    document = Attachment(path.name, mime, path.read_bytes())
    return [Reply(ctx.t("codes.export_done", rows=rows), document=document)]
