"""/tasks for inspectors (their assignments, paged) and /progress PLAN for coordinators."""

from __future__ import annotations

from collections import Counter

from handlers.core.model import Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Router, roles
from handlers.draw.render import chunk
from handlers.records import render
from handlers.reports import progress as year_progress
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.draw.plans import get_plan
from services.records import task_views, tasks
from services.records.task_views import TaskView

INSPECTOR = roles("inspector")
COORD = roles("coordinator")
STATUS_ORDER = ("not_entered", "draft", "awaiting_review", "returned", "approved", "published")


def parse_id(value: str, key: str = "task.not_found") -> int:
    """A numeric id typed or carried by a button, or a polite refusal."""
    number = read_int(value, 0, MAX_ID)
    if number is None:
        raise InvalidInput(key, id=value)
    return number


async def tasks_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """The inspector's assignments, open ones first."""
    page = parse_id(args[0]) if args else 1
    return [await _page(ctx, page)]


async def _page(ctx: Ctx, number: int) -> Reply:
    page = await task_views.my_tasks(ctx.session, ctx.user, number)
    if not page.total:
        return ctx.reply("task.none")
    lines = [ctx.t("task.head", page=page.page, pages=page.pages, total=page.total)]
    lines += [_task_text(ctx, task) for task in page.tasks]
    rows: list[tuple[Button, ...]] = [
        (
            ctx.button(
                "task.button_record",
                f"rec:{task.assignment_id}",
                enterprise=render.short(task.enterprise),
            ),
        )
        for task in page.tasks
        if task.open
    ]
    nav = []
    if page.page > 1:
        nav.append(ctx.button("task.button_prev", f"task:p:{page.page - 1}"))
    if page.page < page.pages:
        nav.append(ctx.button("task.button_next", f"task:p:{page.page + 1}"))
    if nav:
        rows.append(tuple(nav))
    return Reply("\n".join(lines)).with_buttons(*rows)


def _task_text(ctx: Ctx, task: TaskView) -> str:
    text = render.task_text(ctx, task)
    if task.status == "cancelled":
        text += "\n" + ctx.t("task.cancelled_line", reason=task.cancel_reason or "-")
    return text


async def task_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`task:p:N`: another page of the task list."""
    if len(args) == 2 and args[0] == "p":
        return [(await _page(ctx, parse_id(args[1]))).replacing()]  # paged in place
    return [ctx.reply("error.unknown_button")]


async def progress_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Every assignment of a plan with its status; `/progress year [YEAR]` the annual plan's."""
    if args and args[0].lower() in ("year", "年度"):
        return await year_progress.year_command(ctx, args[1:])
    if len(args) != 1:
        return [ctx.reply("progress.usage")]
    plan_id = parse_id(args[0], "plan.not_found")
    plan = await get_plan(ctx.session, plan_id)
    views = await tasks.plan_progress(ctx.session, ctx.user, plan_id)
    if not views:
        return [ctx.reply("progress.none", id=plan_id)]
    counts = Counter(v.result_status for v in views if v.status not in task_views.NO_WORK)
    parts = [
        ctx.t("progress.count", status=ctx.t(f"status.{s}"), n=counts[s])
        for s in STATUS_ORDER
        if counts[s]
    ]
    ended = Counter(v.status for v in views if v.status in ("unstaffed", "cancelled"))
    parts += [
        ctx.t("progress.count", status=ctx.t(f"astatus.{s}"), n=n) for s, n in sorted(ended.items())
    ]
    summary = ctx.t("list.sep").join(parts)
    lines = [ctx.t("progress.head", id=plan.id, name=plan.name, total=len(views), counts=summary)]
    for n, view in enumerate(views, start=1):
        due = ctx.t("progress.due", date=view.publish_due) if view.publish_due else ""
        lines.append(
            ctx.t(
                "progress.line",
                n=n,
                id=view.assignment_id,
                enterprise=view.enterprise,
                team=render.joined(ctx, view.team),
                status=render.status_text(ctx, view),
                due=due,
            )
        )
    return [Reply(text) for text in chunk(lines)]


def register(router: Router) -> None:
    """Register /tasks and /progress."""
    router.command(Command("tasks", tasks_command, INSPECTOR, "cmd.tasks", private_only=True))
    progress = Command(
        "progress",
        progress_command,
        roles("coordinator", "leader"),
        "cmd.progress",
        private_only=True,
    )
    router.command(progress)
    router.button(ButtonKind("task", task_button, INSPECTOR))
