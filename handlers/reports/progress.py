"""/progress year [YEAR]: the year against the annual joint plan, per department and row.

`/progress` itself (a plan's assignments) lives in `handlers/records/tasks.py`, which hands
`/progress year ...` over to `year_command` here. The reply ends with the chart; for
coordinators, with a button that attaches the figures to a scheduled meeting's agenda
(`pya:YEAR` lists the meetings, `pya:YEAR:MEETING` attaches).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.core.i18n import t
from handlers.core.model import Reply
from handlers.core.router import ButtonKind, Ctx, Router, roles
from handlers.draw.render import chunk
from services.accounts.actors import Actor
from services.common.clock import local_text
from services.common.numbers import MAX_ID, read_int
from services.draw.annual_sheet import percent
from services.meetings import agenda
from services.reports import progress_chart
from services.reports.progress import Counts, RowProgress, YearProgress, year_progress

COORD = roles("coordinator")
PREFIX = "pya"
Translate = Callable[..., str]  # (key, **values) -> text in the reader's language


def figures(tr: Translate, counts: Counts) -> str:
    """One line of figures: planned, drawn, checked, reviewed, published, problems."""
    return tr(
        "progress_year.figures",
        planned=counts.planned,
        drawn=counts.drawn,
        checked=counts.checked,
        reviewed=counts.reviewed,
        published=counts.published,
        problems=counts.problems,
    )


def _window(tr: Translate, row: RowProgress) -> str:
    if row.quarter is not None:
        return tr("progress_year.quarter", n=row.quarter)
    return tr("progress_year.window", start=row.start, end=row.end)


def _state(tr: Translate, row: RowProgress) -> str:
    return tr(f"progress_year.state.{row.state}", number=row.plan_number or row.plan_id or "")


def progress_lines(tr: Translate, p: YearProgress) -> list[str]:
    """The year's figures as lines: totals, per department, per row, outside the plan."""
    documents = tr("list.sep").join(p.documents) or tr("progress_year.no_document")
    lines = [
        tr("progress_year.head", year=p.year, documents=documents),
        tr("progress_year.total", figures=figures(tr, p.total)),
    ]
    if p.departments:
        lines.append(tr("progress_year.departments_head"))
        lines += [
            tr("progress_year.department_line", name=d.name, figures=figures(tr, d.counts))
            for d in p.departments
        ]
    if p.rows:
        lines.append(tr("progress_year.rows_head"))
    for row in p.rows:
        lines.append(
            tr(
                "progress_year.row_line",
                seq=row.seq,
                code=row.item_code,
                item=row.item_name,
                department=row.initiating,
                window=_window(tr, row),
                ratio=percent(row.ratio),
                state=_state(tr, row),
                figures=figures(tr, row.counts),
            )
        )
    if p.other_plans:
        lines.append(tr("progress_year.other", plans=p.other_plans, figures=figures(tr, p.other)))
    lines.append(tr("progress_year.note"))
    return lines


async def year_replies(
    session: AsyncSession, lang: str, year: int, actor: Actor | None = None
) -> list[Reply]:
    """The year's progress in the reader's language, the chart with the last message."""
    p = await year_progress(session, actor, year)
    if not p.rows and not p.other_plans:
        return [Reply(t(lang, "progress_year.none", year=year))]

    def tr(key: str, **params: Any) -> str:
        return t(lang, key, **params)

    replies = [Reply(text) for text in chunk(progress_lines(tr, p))]
    last = replies[-1]
    replies[-1] = Reply(last.text, image=progress_chart.progress_chart(p, lang))
    return replies


async def year_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`/progress year [YEAR] [meeting ID]`: the year's progress, or attach it to a meeting."""
    year = ctx.today.year
    rest = list(args)
    if rest and rest[0].isascii() and rest[0].isdigit():
        found = read_int(rest.pop(0), 2000, 2100)
        if found is None:
            return [ctx.reply("progress_year.usage")]
        year = found
    if len(rest) == 2 and rest[0].lower() in ("meeting", "会议"):
        meeting_id = read_int(rest[1], 1, MAX_ID)
        if meeting_id is None:
            return [ctx.reply("progress_year.usage")]
        return [await _attach(ctx, year, meeting_id)]
    if rest:
        return [ctx.reply("progress_year.usage")]
    replies = await year_replies(ctx.session, ctx.lang, year, ctx.user)
    if ctx.user.has("admin", "coordinator") and replies[-1].image is not None:
        button = ctx.button("progress_year.button_agenda", f"{PREFIX}:{year}")
        replies[-1] = replies[-1].with_buttons((button,))
    return replies


async def _attach(ctx: Ctx, year: int, meeting_id: int) -> Reply:
    count = await agenda.attach_progress(ctx.session, ctx.user, meeting_id, year, ctx.now)
    return ctx.reply("progress_year.attached", year=year, id=meeting_id, count=count)


async def agenda_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`pya:YEAR`: the meetings to attach to; `pya:YEAR:ID`: attach to that one."""
    year = read_int(args[0], 2000, 2100) if args else None
    if year is None or len(args) > 2:
        return [ctx.reply("error.unknown_button")]
    if len(args) == 2:
        meeting_id = read_int(args[1], 1, MAX_ID)
        if meeting_id is None:
            return [ctx.reply("error.unknown_button")]
        return [await _attach(ctx, year, meeting_id)]
    meetings = await agenda.scheduled_meetings(ctx.session, ctx.now)
    if not meetings:
        return [ctx.reply("progress_year.no_meetings")]
    rows = [
        (
            ctx.button(
                "progress_year.meeting_button",
                f"{PREFIX}:{year}:{m.id}",
                time=local_text(m.starts_at),
                title=m.title[:30],
            ),
        )
        for m in meetings
    ]
    return [ctx.reply("progress_year.pick_meeting", year=year).with_buttons(*rows)]


async def agenda_replies(
    session: AsyncSession, lang: str, params: dict[str, Any], today: date
) -> list[Reply]:
    """The agenda paper as sent to an invitee: the meeting's heading, then the year's figures."""
    year = read_int(str(params.get("year", "")), 2000, 2100) or today.year
    head = t(lang, "progress_year.agenda_paper", **{**params, "year": year})
    replies = await year_replies(session, lang, year)
    first = replies[0]
    replies[0] = Reply(f"{head}\n{first.text}", image=first.image)
    return replies


def register(router: Router) -> None:
    """Register the agenda buttons (`/progress year` is wired through /progress)."""
    router.button(ButtonKind(PREFIX, agenda_button, COORD))
