"""/record: one check from the phone, step by step, saved as it goes.

Start -> on site (开始检查, the place) -> check points item by item -> result categories
(multi-select, pre-selected from the answers) -> problems (item, description, legal basis,
photos) -> measures (order to correct, case, clue) -> the on-site record (who attended,
certificates, recusal) -> 结束检查 -> summary card (confirm, or edit). A part whose items
have no check points starts at the categories and goes from the measures to the card, as
before the check points existed; its on-site steps are buttons of the categories, the
measures and the card (placed after the other buttons, so that their numbers stay).
Every answer is stored at once, so leaving, a restart or another device loses nothing;
`/record ID` reopens the summary card of a started record.

The conversation state only holds the step and the ids being worked on; a button names
what it does ("c+:3" adds category 3, "c-:3" removes it), so a duplicated press does it once.

This module starts and resumes the conversation, shows the summary card and routes each
answer, and holds the tables of questions and steps; the steps of categories and problems
are in `problems.py`, those of the measures in `measures.py`, the check points in
`checklist.py`, the visit in `onsite.py`, what they share in `steps.py`.
"""

from __future__ import annotations

from handlers.core.model import Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, roles
from handlers.records import checklist as record_checklist
from handlers.records import measures, onsite, render, render_field
from handlers.records import problems as record_problems
from handlers.records.guard import guarded
from handlers.records.steps import (
    FLOW,
    Data,
    Prompt,
    Step,
    base,
    button,
    date_answer,
    goto,
    today_row,
    unexpected,
)
from handlers.records.tasks import parse_id
from services.common.errors import Conflict, InvalidInput
from services.messaging.conversations import State
from services.records import card as record_card
from services.records import cases, parts, problems, results, task_views, visits

FIELD = roles("inspector", "coordinator")


# Starting and resuming


async def record_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`/record [ID]`: open a task's record, or choose among the open ones."""
    if len(args) > 1:
        department = await parts.department_by_code(ctx.session, args[1])
        return await open_assignment(ctx, parse_id(args[0]), department)
    if args:
        return await open_assignment(ctx, parse_id(args[0]))
    page = await task_views.my_tasks(ctx.session, ctx.user, 1, page_size=50)
    open_tasks = [t for t in page.tasks if t.open]
    if not open_tasks:
        return [ctx.reply("record.none_open" if ctx.user.inspector_id else "record.usage")]
    if len(open_tasks) == 1:
        return await open_assignment(ctx, open_tasks[0].assignment_id)
    rows = [
        (
            ctx.button(
                "task.button_record",
                f"rec:{t.assignment_id}",
                enterprise=render.short(t.enterprise),
            ),
        )
        for t in open_tasks
    ]
    return [ctx.reply("record.choose").with_buttons(*rows)]


async def record_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`rec:ID` (or `rec:ID:DEPARTMENT`): the record button of a task (or of one part)."""
    if len(args) not in (1, 2):
        return [ctx.reply("error.unknown_button")]
    department = parse_id(args[1]) if len(args) == 2 else None
    return await open_assignment(ctx, parse_id(args[0]), department)


async def open_assignment(
    ctx: Ctx, assignment_id: int, department: int | None = None
) -> list[Reply]:
    """Start the actor's department's part of a check, or reopen its summary card."""
    try:
        opened = await results.open_record(
            ctx.session, ctx.user, assignment_id, render.today(ctx), ctx.now, department
        )
    except InvalidInput as exc:
        if exc.key != "part.choose_department":
            raise
        return await _choose_part(ctx, assignment_id)
    task = (await task_views.views(ctx.session, [assignment_id], opened.result.department_id))[0]
    data: Data = {"r": opened.result.id, "a": assignment_id}
    if opened.created:
        names = await parts.department_names(ctx.session, [opened.result.department_id])
        note = ctx.t(
            "record.started",
            enterprise=task.enterprise,
            date=opened.result.checked_on,
            id=assignment_id,
        )
        part = ctx.t("part.started", department=names.get(opened.result.department_id, ""))
        return await goto(ctx, data, await onsite.first_step(ctx, data), [note, part])
    data["back"] = True
    return await goto(ctx, data, "hub", [ctx.t("record.resumed", enterprise=task.enterprise)])


async def _choose_part(ctx: Ctx, assignment_id: int) -> list[Reply]:
    # The office records for a department of its choosing: one button per part.
    departments = await parts.department_ids_and_names(ctx.session, assignment_id)
    rows = [
        (Button(name, f"rec:{assignment_id}:{department}"),) for department, name in departments
    ]
    return [ctx.reply("part.choose", id=assignment_id).with_buttons(*rows)]


# The summary card and what it leads to


async def ask_date(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_date").with_buttons(
        today_row(ctx), (button(ctx, "record.button.back", "hub"),)
    )


async def ask_remove(ctx: Ctx, data: Data) -> Reply:
    card = await record_card.card(ctx.session, ctx.user, data["r"])
    rows: list[tuple[Button, ...]] = []
    for n, p in enumerate(card.problems, start=1):
        rows.append((button(ctx, "record.button.del_problem", f"del:p:{p.id}", n=n),))
    for notice in card.notices:
        rows.append(
            (button(ctx, "record.button.del_notice", f"del:n:{notice.id}", number=notice.number),)
        )
    for case in card.cases:
        rows.append(
            (button(ctx, "record.button.del_case", f"del:c:{case.id}", number=case.number),)
        )
    for clue, department in card.clues:
        rows.append(
            (button(ctx, "record.button.del_clue", f"del:t:{clue.id}", department=department),)
        )
    rows.append((button(ctx, "record.button.back", "hub"),))
    return ctx.reply("record.ask_remove").with_buttons(*rows)


async def show_hub(ctx: Ctx, data: Data) -> Reply:
    card = await record_card.card(ctx.session, ctx.user, data["r"])
    if card.result.status in results.TEAM_EDITABLE:
        first = button(ctx, "record.button.submit", "submit")
    else:  # the office changing a submitted record
        first = button(ctx, "record.button.finish", "finish")
    return Reply(render.card_text(ctx, card)).with_buttons(
        (first,),
        (
            button(ctx, "record.button.categories", "cats"),
            button(ctx, "record.button.add_problem", "padd"),
        ),
        (button(ctx, "record.button.measures", "meas"), button(ctx, "record.button.date", "date")),
        (
            button(ctx, "record.button.remove", "remove"),
            button(ctx, "record.button.leave", "leave"),
        ),
        # The field check, last so that the numbers of the buttons above stay.
        (
            *([button(ctx, "record.button.checklist", "cl")] if card.checklist else []),
            button(ctx, "record.button.onsite", "onsite"),
        ),
    )


async def step_date(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    day = date_answer(ctx, choice)
    if day is None:
        return await unexpected(ctx, state, choice)
    await results.set_checked_on(
        ctx.session, ctx.user, state.data["r"], day, render.today(ctx), ctx.now
    )
    return await goto(ctx, base(state.data), "hub", [ctx.t("record.date_saved", date=day)])


async def step_remove(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    parts = (choice or "").split(":")
    if len(parts) != 3 or parts[0] != "del":
        return await unexpected(ctx, state, choice)
    entry_id = parse_id(parts[2], "record.entry_not_found")
    if parts[1] == "p":
        await problems.delete_problem(ctx.session, ctx.user, entry_id, ctx.now)
    else:
        await cases.delete_measure(ctx.session, ctx.user, parts[1], entry_id, ctx.now)
    return await goto(ctx, base(state.data), "hub", [ctx.t("record.removed")])


async def step_hub(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    if choice == "submit":
        result = await results.submit(ctx.session, ctx.user, data["r"], ctx.now)
        await ctx.end_flow()
        task = (await task_views.views(ctx.session, [result.assignment_id], result.department_id))[
            0
        ]
        replies = [
            ctx.reply("record.submitted", enterprise=task.enterprise, due=result.publish_due)
        ]
        missing = render_field.missing_times(
            ctx, await visits.view(ctx.session, result.assignment_id)
        )
        if missing:
            replies.append(ctx.reply("visit.submitted_without", missing=missing))
        # The on-site record and the orders to correct, to print and hand over.
        from handlers.documents.commands import offer_documents

        return replies + await offer_documents(ctx, result.assignment_id)
    if choice == "finish":
        await ctx.end_flow()
        return [ctx.reply("record.finished")]
    if choice == "padd":
        return await goto(ctx, data, "p_item")
    if choice == "onsite":
        return await goto(ctx, data, await onsite.onsite_step(ctx, data))
    targets = {"cats": "cats", "meas": "meas", "date": "date", "remove": "remove", "cl": "cl"}
    target = targets.get(choice or "")
    if target is None:
        return await unexpected(ctx, state, choice)
    return await goto(ctx, data, target)


PROMPTS: dict[str, Prompt] = {
    **onsite.PROMPTS,
    **record_checklist.PROMPTS,
    **record_problems.PROMPTS,
    **measures.PROMPTS,
    "date": ask_date,
    "remove": ask_remove,
    "hub": show_hub,
}

STEPS: dict[str, Step] = {
    **onsite.STEPS,
    **record_checklist.STEPS,
    **record_problems.STEPS,
    **measures.STEPS,
    "date": step_date,
    "remove": step_remove,
    "hub": step_hub,
}


async def record_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One answer in the record conversation."""
    choice = ctx.choice
    data = state.data
    if choice == "leave":
        await ctx.end_flow()
        return [ctx.reply("record.saved", id=data.get("a", ""))]
    # Every answer acts on a record the actor may still change. When it was submitted or
    # published meanwhile (from another device), the conversation ends here.
    try:
        await results.result_for_edit(ctx.session, ctx.user, data["r"], "record.answer")
    except Conflict as exc:
        await ctx.end_flow()
        return [ctx.reply(exc.key, **exc.params)]
    if choice == "hub":
        return await goto(ctx, {**base(data), "back": True}, "hub")
    if choice == "padd" and state.step == "probs":
        return await goto(ctx, base(data), "p_item")
    if choice == "pcancel" and state.step in ("p_item", "p_desc"):
        return await goto(ctx, base(data), "probs")
    if choice == "mback" and state.step in (
        "n_num",
        "n_issue",
        "n_dead",
        "c_num",
        "c_date",
        "t_dept",
        "t_desc",
    ):
        return await goto(ctx, base(data), "meas")
    step = STEPS.get(state.step)
    if step is None:
        await ctx.end_flow()
        return [ctx.reply("error.not_understood")]
    if state.step == "hub":
        data["back"] = True
    return await step(ctx, state, choice)


def register(router: Router) -> None:
    """Register /record, its task buttons and the conversation."""
    router.command(
        Command("record", guarded(record_command), FIELD, "cmd.record", private_only=True)
    )
    router.button(ButtonKind("rec", guarded(record_button), FIELD))
    router.flow(Flow(FLOW, guarded(record_flow), FIELD, questions=PROMPTS))
