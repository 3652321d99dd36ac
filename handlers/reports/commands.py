"""/summary and /report: the figures leaders read, on demand and every Monday."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.core.i18n import t
from handlers.core.model import Reply
from handlers.core.router import Command, Ctx, Router, roles
from handlers.documents.commands import annual_report
from models import OutboxMessage
from services.common.clock import local_text
from services.common.numbers import read_int
from services.messaging import outbox
from services.reports import charts
from services.reports import summary as reports
from services.reports.summary import Figures, Period

READERS = roles("leader", "coordinator")
MAX_PEOPLE = 50  # of those waiting for an account; /people lists them all


def _rate(lang: str, value: float | None) -> str:
    return t(lang, "summary.none") if value is None else f"{value:.0%}"


def figures_text(lang: str, label: str, f: Figures) -> str:
    """One period's figures as a paragraph."""
    body = t(
        lang,
        "summary.body",
        meetings=f.meetings_held,
        enterprises=f.enterprises_inspected,
        problems=f.problems_found,
        notices=f.notices_issued,
        cases=f.cases_filed,
        correction=_rate(lang, f.correction_rate),
        overdue=f.overdue_notices + f.overdue_cases,
        on_time=_rate(lang, f.on_time_rate),
    )
    return f"{label}：{body}" if lang == "zh" else f"{label}: {body}"


async def weekly_summary(session: AsyncSession, lang: str, today: date) -> list[Reply]:
    """The Monday summary: last full week and its year up to it, with the chart."""
    week = await reports.figures(session, reports.week_of(today), today)
    year = await reports.figures(session, reports.year_to(week.period.end), today)
    text = "\n".join(
        (
            t(lang, "summary.head", start=week.period.start, end=week.period.end),
            figures_text(lang, t(lang, "summary.week_label"), week),
            # The year of last week, up to its Sunday: in the first days of January that
            # is the whole of the year before, and the label says so.
            figures_text(
                lang,
                t(lang, "summary.year_label", year=year.period.end.year, end=year.period.end),
                year,
            ),
        )
    )
    return [Reply(text, image=charts.weekly_chart(week, year, lang))]


async def summary(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/summary week|month|year."""
    which = (args[0] if args else "week").lower()
    today = ctx.today
    if which == "week":
        return await weekly_summary(ctx.session, ctx.lang, today)
    if which not in ("month", "year"):
        return [ctx.reply("summary.usage")]
    start = today.replace(day=1) if which == "month" else date(today.year, 1, 1)
    f = await reports.figures(ctx.session, Period(start, today), today)
    head = ctx.t("summary.head", start=start, end=today)
    return [Reply(f"{head}\n{figures_text(ctx.lang, '', f).lstrip('：: ')}")]


async def report(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/report YYYY: the annual report paragraph, and the report as a document."""
    year = read_int(args[0], 2000, 2100) if len(args) == 1 else None
    if year is None:
        return [ctx.reply("report.usage")]
    end = min(date(year, 12, 31), ctx.today) if year == ctx.today.year else date(year, 12, 31)
    f = await reports.figures(ctx.session, Period(date(year, 1, 1), end), ctx.today)
    text = ctx.reply("report.text", year=year, paragraph=reports.annual_paragraph(f))
    # The report as a document (PDF, a button for Word) when documents are registered.
    return [text, *await annual_report(ctx, year)]


async def failures(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """/outbox: messages waiting for an account, by person; then those failed or missed."""
    waiting = await outbox.waiting_by_person(ctx.session)
    rows = (
        await ctx.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status.in_(("failed", "missed", "unknown")))
            .order_by(OutboxMessage.due_at.desc())
            .limit(30)
        )
    ).all()
    if not rows and not waiting:
        return [ctx.reply("outbox.none")]
    lines = []
    if waiting:
        lines.append(ctx.t("outbox.waiting_head", people=len(waiting)))
        for person in waiting[:MAX_PEOPLE]:
            lines.append(
                ctx.t(
                    "outbox.waiting_line",
                    name=person.name,
                    login=person.login,
                    count=person.count,
                    since=local_text(person.oldest),
                    kinds=", ".join(person.kinds),
                )
            )
        if len(waiting) > MAX_PEOPLE:
            lines.append(ctx.t("outbox.waiting_more", count=len(waiting) - MAX_PEOPLE))
        lines.append(ctx.t("outbox.waiting_hint"))
    if rows:
        lines.append(ctx.t("outbox.head"))
    for row in rows:
        lines.append(
            ctx.t(
                "outbox.line",
                status=ctx.t(f"outbox.status.{row.status}"),
                kind=row.kind,
                due=local_text(row.due_at),
                reason=row.last_error or "-",
            )
        )
    return [Reply("\n".join(lines))]


def register(router: Router) -> None:
    """Register /summary, /report and /outbox."""
    router.command(Command("summary", summary, READERS, "cmd.summary"))
    router.command(Command("report", report, READERS, "cmd.report"))
    router.command(Command("outbox", failures, roles("coordinator"), "cmd.outbox"))
