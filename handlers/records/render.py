"""How tasks, records and queues read in chat."""

from __future__ import annotations

from datetime import date

from handlers.core.router import Ctx
from handlers.records import render_field as on_site
from models import ResultCategory
from services.common.clock import SHANGHAI
from services.common.workdays import WorkdayResult
from services.records.card import Card
from services.records.publication import QueueItem
from services.records.task_views import TaskView


def today(ctx: Ctx) -> date:
    """Today in Asia/Shanghai, the date users mean."""
    return ctx.now.astimezone(SHANGHAI).date()


def short(text: str, limit: int = 30) -> str:
    """A label that fits a button."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def size_text(size: int) -> str:
    """A file size people read."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def joined(ctx: Ctx, values: list[str]) -> str:
    """Values joined with the language's separator, or "none"."""
    return ctx.t("list.sep").join(values) if values else ctx.t("card.none")


def category_name(ctx: Ctx, category: ResultCategory) -> str:
    """A result category as the platforms show it: its code, then its name."""
    name = category.name_en if ctx.lang == "en" else category.name_zh
    return name if not category.platform_code else f"{category.platform_code} {name}"


def status_text(ctx: Ctx, task: TaskView) -> str:
    """The state of a task: the record's status once started, else the assignment's."""
    if task.status in ("void", "unstaffed", "cancelled") or task.result_id is None:
        return ctx.t(f"astatus.{task.status}")
    return ctx.t(f"status.{task.result_status}")


def task_text(ctx: Ctx, task: TaskView) -> str:
    """One task with everything the team needs on site."""
    contact = " ".join(v for v in (task.contact_person, task.contact_phone) if v) or "-"
    return ctx.t(
        "task.line",
        id=task.assignment_id,
        enterprise=task.enterprise,
        code=task.credit_code,
        status=status_text(ctx, task),
        plan=task.plan_name,
        address=task.address or "-",
        contact=contact,
        items=joined(ctx, task.items),
        team=joined(ctx, task.team),
        start=task.check_start,
        end=task.check_end,
    )


def fallback_note(ctx: Ctx, result: WorkdayResult) -> str | None:
    """The warning to show when a date used the Monday-Friday fallback."""
    if not result.fallback:
        return None
    return ctx.t("record.fallback", years="、".join(str(y) for y in result.fallback_years))


def card_text(ctx: Ctx, card: Card) -> str:
    """The summary card of a record."""
    task, result = card.task, card.result
    lines = [
        ctx.t("card.head", enterprise=task.enterprise, code=task.credit_code),
        *([ctx.t("card.department", department=card.department)] if card.department else []),
        ctx.t(
            "card.meta",
            plan=task.plan_name,
            date=result.checked_on or "-",
            status=ctx.t(f"status.{result.status}"),
            team=joined(ctx, task.team),
            items=joined(ctx, task.items),
        ),
        *on_site.visit_lines(ctx, card.visit),
        *on_site.signing_lines(ctx, card.signing),
        *on_site.checklist_lines(ctx, card.checklist),
        ctx.t(
            "card.categories",
            categories=joined(ctx, [category_name(ctx, c) for c in card.categories]),
        ),
        ctx.t("card.problems", n=len(card.problems)),
    ]
    for n, p in enumerate(card.problems, start=1):
        lines.append(
            ctx.t(
                "card.problem",
                n=n,
                item=p.item or ctx.t("record.button.no_item"),
                description=p.description,
                basis=p.legal_basis or "-",
                photos=p.photos,
            )
        )
    for notice in card.notices:
        lines.append(
            ctx.t(
                "card.notice",
                number=notice.number,
                issued=notice.issued_on,
                deadline=notice.deadline,
                status=ctx.t(f"nstatus.{notice.status}"),
            )
        )
    for case in card.cases:
        lines.append(
            ctx.t(
                "card.case",
                number=case.number,
                filed=case.filed_on,
                due=case.decision_due,
                status=ctx.t(f"cstatus.{case.status}"),
            )
        )
    for clue, department in card.clues:
        lines.append(ctx.t("card.clue", department=department, description=clue.description))
    if result.status == "returned" and result.return_reason:
        lines.append(ctx.t("card.returned", reason=result.return_reason))
    lines.append(ctx.t("card.due", date=card.due.day))
    note = fallback_note(ctx, card.due)
    if note:
        lines.append(note)
    return "\n".join(lines)


def queue_line(ctx: Ctx, n: int, item: QueueItem, today_: date) -> str:
    """A result in the review or publication queue, with the days left."""
    left = item.days_left(today_)
    if left is None:
        tail = ""
    elif left < 0:
        tail = ctx.t("review.late", days=-left)
    else:
        tail = ctx.t("review.left", days=left)
    if item.fallback:
        tail += ctx.t("review.fallback")
    return ctx.t(
        "review.line",
        n=n,
        id=item.result_id,
        enterprise=item.enterprise,
        plan=item.plan_name,
        department=item.department,
        due=item.publish_due or "-",
        left=tail,
    )
