"""/record: one check from the phone, step by step, saved as it goes.

Start -> result categories (multi-select) -> problems (item, description, legal basis,
photos) -> measures (order to correct, case, clue) -> summary card (confirm, or edit).
Every answer is stored at once, so leaving, a restart or another device loses nothing;
`/record ID` reopens the summary card of a started record.

The conversation state only holds the step and the ids being worked on; a button names
what it does ("c+:3" adds category 3, "c-:3" removes it), so a duplicated press does it once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from handlers import records_render as render
from handlers.model import Button, Reply
from handlers.record_guard import guarded
from handlers.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.tasks import parse_id
from models import Department, Item
from services import evidence, followup, records, tasks
from services.conversations import State
from services.dates import parse_date
from services.errors import Conflict, InvalidInput

FLOW = "record"
FIELD = roles("inspector", "coordinator")

Data = dict[str, Any]
Prompt = Callable[[Ctx, Data], Awaitable[Reply]]
Step = Callable[[Ctx, State, str | None], Awaitable[list[Reply]]]


def _b(ctx: Ctx, key: str, value: str, **params: Any) -> Button:
    return flow_button(render.short(ctx.t(key, **params), 40), FLOW, value)


def _base(data: Data) -> Data:
    return {k: data[k] for k in ("r", "a", "back") if k in data}


async def goto(ctx: Ctx, data: Data, step: str, notes: list[str] | None = None) -> list[Reply]:
    """Move the conversation to `step` and ask its question (after any notes)."""
    await ctx.save_state(State(FLOW, step, data))
    prompt = await PROMPTS[step](ctx, data)
    text = "\n".join([*(notes or []), prompt.text])
    return [Reply(text, prompt.buttons)]


# Starting and resuming


async def record_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`/record [ID]`: open a task's record, or choose among the open ones."""
    if args:
        return await open_assignment(ctx, parse_id(args[0]))
    page = await tasks.my_tasks(ctx.session, ctx.user, 1, page_size=50)
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
    """`rec:ID`: the record button of a task."""
    if len(args) != 1:
        return [ctx.reply("error.unknown_button")]
    return await open_assignment(ctx, parse_id(args[0]))


async def open_assignment(ctx: Ctx, assignment_id: int) -> list[Reply]:
    """Start the record of a task, or reopen its summary card."""
    opened = await records.open_record(
        ctx.session, ctx.user, assignment_id, render.today(ctx), ctx.now
    )
    task = (await tasks.views(ctx.session, [assignment_id]))[0]
    data: Data = {"r": opened.result.id, "a": assignment_id}
    if opened.created:
        note = ctx.t(
            "record.started",
            enterprise=task.enterprise,
            date=opened.result.checked_on,
            id=assignment_id,
        )
        return await goto(ctx, data, "cats", [note])
    data["back"] = True
    return await goto(ctx, data, "hub", [ctx.t("record.resumed", enterprise=task.enterprise)])


# Prompts: the question of each step


async def ask_cats(ctx: Ctx, data: Data) -> Reply:
    chosen = await records.category_ids(ctx.session, data["r"])
    rows: list[tuple[Button, ...]] = []
    names = []
    for c in await records.all_categories(ctx.session):
        on = c.id in chosen
        if on:
            names.append(render.category_name(ctx, c))
        label = ("☑ " if on else "☐ ") + render.category_name(ctx, c)
        rows.append((flow_button(label, FLOW, f"c{'-' if on else '+'}:{c.id}"),))
    rows.append((_b(ctx, "record.button.done", "cdone"), _b(ctx, "record.button.leave", "leave")))
    text = ctx.t("record.ask_categories", chosen=render.joined(ctx, names))
    return Reply(text).with_buttons(*rows)


async def ask_problems(ctx: Ctx, data: Data) -> Reply:
    card = await records.card(ctx.session, ctx.user, data["r"])
    return ctx.reply("record.ask_problems", n=len(card.problems)).with_buttons(
        (_b(ctx, "record.button.add_problem", "padd"),),
        (_b(ctx, "record.button.no_more", "pnone"),),
        (_b(ctx, "record.button.leave", "leave"),),
    )


async def ask_item(ctx: Ctx, data: Data) -> Reply:
    items = await records.problem_items(ctx.session, data["r"])
    rows = [
        (flow_button(render.short(f"{i.code} {i.name}", 40), FLOW, f"item:{i.id}"),) for i in items
    ]
    rows.append((_b(ctx, "record.button.no_item", "item:0"),))
    rows.append((_b(ctx, "record.button.cancel_problem", "pcancel"),))
    return ctx.reply("record.ask_item").with_buttons(*rows)


async def ask_description(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_description").with_buttons(
        (_b(ctx, "record.button.cancel_problem", "pcancel"),)
    )


async def ask_basis(ctx: Ctx, data: Data) -> Reply:
    rows: list[tuple[Button, ...]] = []
    item = await ctx.session.get(Item, data["item"]) if data.get("item") else None
    if item is not None and item.legal_basis:
        rows.append((_b(ctx, "record.button.item_basis", "basis:item", basis=item.legal_basis),))
    rows.append((_b(ctx, "record.button.no_basis", "basis:none"),))
    return ctx.reply("record.ask_basis").with_buttons(*rows)


async def ask_photos(ctx: Ctx, data: Data) -> Reply:
    n = len(await evidence.problem_evidence(ctx.session, data["p"]))
    limit = f"{ctx.policy.evidence_max_bytes // (1024 * 1024)} MB"
    return ctx.reply("record.ask_photos", n=n, limit=limit).with_buttons(
        (_b(ctx, "record.button.done", "pdone"),)
    )


async def ask_measures(ctx: Ctx, data: Data) -> Reply:
    card = await records.card(ctx.session, ctx.user, data["r"])
    text = ctx.t(
        "record.ask_measures",
        notices=len(card.notices),
        cases=len(card.cases),
        clues=len(card.clues),
    )
    return Reply(text).with_buttons(
        (_b(ctx, "record.button.order", "order"),),
        (_b(ctx, "record.button.case", "case"),),
        (_b(ctx, "record.button.clue", "clue"),),
        (_b(ctx, "record.button.measures_done", "hub"),),
    )


async def ask_notice_number(ctx: Ctx, data: Data) -> Reply:
    proposal = await followup.propose_number(
        ctx.session, render.today(ctx).year, ctx.policy.notice_pattern
    )
    return ctx.reply("record.ask_notice_number", proposal=proposal).with_buttons(
        (_b(ctx, "record.button.auto_number", "auto"),),
        (_b(ctx, "record.button.measures_back", "mback"),),
    )


def _today_row(ctx: Ctx) -> tuple[Button, ...]:
    return (_b(ctx, "record.button.today", "today", date=render.today(ctx)),)


async def ask_issue_date(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_issue_date").with_buttons(
        _today_row(ctx), (_b(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_deadline(ctx: Ctx, data: Data) -> Reply:
    days = ctx.policy.notice_deadline_days
    default = followup.default_deadline(date.fromisoformat(data["issue"]), days)
    lines = [ctx.t("record.ask_deadline", days=days, date=default.day)]
    note = render.fallback_note(ctx, default)
    if note:
        lines.append(note)
    return Reply("\n".join(lines)).with_buttons(
        (_b(ctx, "record.button.default_deadline", "dflt", date=default.day),),
        (_b(ctx, "record.button.measures_back", "mback"),),
    )


async def ask_case_number(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_case_number").with_buttons(
        (_b(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_filed_on(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_filed_on").with_buttons(
        _today_row(ctx), (_b(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_department(ctx: Ctx, data: Data) -> Reply:
    rows = [
        (flow_button(render.short(d.name, 40), FLOW, f"dept:{d.id}"),)
        for d in await followup.transfer_departments(ctx.session)
    ]
    rows.append((_b(ctx, "record.button.measures_back", "mback"),))
    return ctx.reply("record.ask_department").with_buttons(*rows)


async def ask_clue(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_clue").with_buttons(
        (_b(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_date(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_date").with_buttons(
        _today_row(ctx), (_b(ctx, "record.button.back", "hub"),)
    )


async def ask_remove(ctx: Ctx, data: Data) -> Reply:
    card = await records.card(ctx.session, ctx.user, data["r"])
    rows: list[tuple[Button, ...]] = []
    for n, p in enumerate(card.problems, start=1):
        rows.append((_b(ctx, "record.button.del_problem", f"del:p:{p.id}", n=n),))
    for notice in card.notices:
        rows.append(
            (_b(ctx, "record.button.del_notice", f"del:n:{notice.id}", number=notice.number),)
        )
    for case in card.cases:
        rows.append((_b(ctx, "record.button.del_case", f"del:c:{case.id}", number=case.number),))
    for clue, department in card.clues:
        rows.append((_b(ctx, "record.button.del_clue", f"del:t:{clue.id}", department=department),))
    rows.append((_b(ctx, "record.button.back", "hub"),))
    return ctx.reply("record.ask_remove").with_buttons(*rows)


async def show_hub(ctx: Ctx, data: Data) -> Reply:
    card = await records.card(ctx.session, ctx.user, data["r"])
    if card.result.status in records.TEAM_EDITABLE:
        first = _b(ctx, "record.button.submit", "submit")
    else:  # the office changing a submitted record
        first = _b(ctx, "record.button.finish", "finish")
    return Reply(render.card_text(ctx, card)).with_buttons(
        (first,),
        (_b(ctx, "record.button.categories", "cats"), _b(ctx, "record.button.add_problem", "padd")),
        (_b(ctx, "record.button.measures", "meas"), _b(ctx, "record.button.date", "date")),
        (_b(ctx, "record.button.remove", "remove"), _b(ctx, "record.button.leave", "leave")),
    )


PROMPTS: dict[str, Prompt] = {
    "cats": ask_cats,
    "probs": ask_problems,
    "p_item": ask_item,
    "p_desc": ask_description,
    "p_basis": ask_basis,
    "p_photo": ask_photos,
    "meas": ask_measures,
    "n_num": ask_notice_number,
    "n_issue": ask_issue_date,
    "n_dead": ask_deadline,
    "c_num": ask_case_number,
    "c_date": ask_filed_on,
    "t_dept": ask_department,
    "t_desc": ask_clue,
    "date": ask_date,
    "remove": ask_remove,
    "hub": show_hub,
}


# Steps: what an answer does


def _text(ctx: Ctx) -> str | None:
    text = ctx.incoming.text
    return None if text is None or not text.strip() else text


def _date_answer(ctx: Ctx, choice: str | None) -> date | None:
    """A date given by the "today" button or typed; None when neither came."""
    if choice == "today":
        return render.today(ctx)
    text = _text(ctx)
    return None if text is None else parse_date(text)


async def _unexpected(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice is not None:
        return [ctx.reply("error.unknown_button")]
    key = "record.file_not_now" if ctx.incoming.file is not None else "record.use_buttons"
    return await goto(ctx, state.data, state.step, [ctx.t(key)])


async def step_cats(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    if choice and choice[:3] in ("c+:", "c-:"):
        on = choice[1] == "+"
        await records.set_category(
            ctx.session,
            ctx.user,
            data["r"],
            parse_id(choice[3:], "record.bad_category"),
            on,
            ctx.now,
        )
        return await goto(ctx, data, "cats")
    if choice == "cdone":
        if not await records.category_ids(ctx.session, data["r"]):
            raise InvalidInput("record.need_category")
        return await goto(ctx, _base(data), "hub" if data.get("back") else "probs")
    return await _unexpected(ctx, state, choice)


async def step_problems(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice == "pnone":
        return await goto(ctx, _base(state.data), "hub" if state.data.get("back") else "meas")
    return await _unexpected(ctx, state, choice)


async def step_item(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice and choice.startswith("item:"):
        item_id = parse_id(choice[5:], "record.bad_item")
        if item_id and item_id not in {
            i.id for i in await records.problem_items(ctx.session, state.data["r"])
        }:
            raise InvalidInput("record.bad_item", id=item_id)
        return await goto(ctx, {**_base(state.data), "item": item_id or None}, "p_desc")
    return await _unexpected(ctx, state, choice)


async def step_description(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = _text(ctx)
    if choice is not None or text is None:
        return await _unexpected(ctx, state, choice)
    data = state.data
    problem = await records.add_problem(
        ctx.session, ctx.user, data["r"], data.get("item"), text, ctx.now
    )
    card = await records.card(ctx.session, ctx.user, data["r"])
    note = ctx.t("record.problem_saved", n=len(card.problems))
    return await goto(ctx, {**data, "p": problem.id}, "p_basis", [note])


async def step_basis(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    text = _text(ctx)
    if choice == "basis:item" and data.get("item"):
        item = await ctx.session.get(Item, data["item"])
        if item is not None and item.legal_basis:
            await records.set_legal_basis(
                ctx.session, ctx.user, data["p"], item.legal_basis, ctx.now
            )
    elif choice is None and text is not None:
        await records.set_legal_basis(ctx.session, ctx.user, data["p"], text, ctx.now)
    elif choice != "basis:none":
        return await _unexpected(ctx, state, choice)
    return await goto(ctx, data, "p_photo")


async def step_photo(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    if choice == "pdone":
        return await goto(ctx, _base(data), "probs")
    upload = ctx.incoming.file
    if upload is None:
        return await _unexpected(ctx, state, choice)
    added = await evidence.attach(
        ctx.session,
        ctx.user,
        data["p"],
        data=upload.data,
        name=upload.name,
        files_dir=ctx.files_dir,
        now=ctx.now,
        platform_file_id=upload.platform_file_id,
        max_bytes=ctx.policy.evidence_max_bytes,
        allowed=ctx.policy.evidence_types,
    )
    digest = added.evidence.sha256[:12]
    if not added.created:
        return await goto(ctx, data, "p_photo", [ctx.t("record.photo_duplicate", sha=digest)])
    n = len(await evidence.problem_evidence(ctx.session, data["p"]))
    size = render.size_text(added.evidence.size)
    return await goto(
        ctx, data, "p_photo", [ctx.t("record.photo_saved", n=n, sha=digest, size=size)]
    )


async def step_measures(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    target = {"order": "n_num", "case": "c_num", "clue": "t_dept"}.get(choice or "")
    if target is None:
        return await _unexpected(ctx, state, choice)
    return await goto(ctx, _base(state.data), target)


async def step_notice_number(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = _text(ctx)
    if choice == "auto":
        number = None
    elif choice is None and text is not None:
        number = await followup.check_notice_number(ctx.session, text)
    else:
        return await _unexpected(ctx, state, choice)
    return await goto(ctx, {**_base(state.data), "num": number}, "n_issue")


async def step_issue_date(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    issued = _date_answer(ctx, choice)
    if issued is None:
        return await _unexpected(ctx, state, choice)
    followup.check_issue_date(issued, render.today(ctx))
    return await goto(ctx, {**state.data, "issue": issued.isoformat()}, "n_dead")


async def step_deadline(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    issued = date.fromisoformat(data["issue"])
    notes: list[str] = []
    if choice == "dflt":
        default = followup.default_deadline(issued, ctx.policy.notice_deadline_days)
        deadline = default.day
        note = render.fallback_note(ctx, default)
        notes += [note] if note else []
    else:
        answer = _date_answer(ctx, None) if choice is None else None
        if answer is None:
            return await _unexpected(ctx, state, choice)
        deadline = answer
    notice = await followup.add_notice(
        ctx.session,
        ctx.user,
        data["r"],
        number=data.get("num"),
        issued_on=issued,
        deadline=deadline,
        today=render.today(ctx),
        now=ctx.now,
        pattern=ctx.policy.notice_pattern,
    )
    notes.insert(
        0,
        ctx.t(
            "record.notice_saved",
            number=notice.number,
            issued=notice.issued_on,
            deadline=notice.deadline,
        ),
    )
    return await goto(ctx, _base(data), "meas", notes)


async def step_case_number(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = _text(ctx)
    if choice is not None or text is None:
        return await _unexpected(ctx, state, choice)
    number = await followup.check_case_number(ctx.session, text)
    return await goto(ctx, {**_base(state.data), "num": number}, "c_date")


async def step_filed_on(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    filed = _date_answer(ctx, choice)
    if filed is None:
        return await _unexpected(ctx, state, choice)
    data = state.data
    case = await followup.add_case(
        ctx.session,
        ctx.user,
        data["r"],
        number=data["num"],
        filed_on=filed,
        today=render.today(ctx),
        now=ctx.now,
    )
    note = ctx.t(
        "record.case_saved", number=case.number, filed=case.filed_on, due=case.decision_due
    )
    return await goto(ctx, _base(data), "meas", [note])


async def step_department(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice and choice.startswith("dept:"):
        department = await ctx.session.get(Department, parse_id(choice[5:], "clue.bad_department"))
        if department is None or not department.active:
            raise InvalidInput("clue.bad_department", id=choice[5:])
        return await goto(ctx, {**_base(state.data), "dept": department.id}, "t_desc")
    return await _unexpected(ctx, state, choice)


async def step_clue(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = _text(ctx)
    if choice is not None or text is None:
        return await _unexpected(ctx, state, choice)
    data = state.data
    await followup.add_clue(
        ctx.session,
        ctx.user,
        data["r"],
        department_id=data["dept"],
        description=text,
        today=render.today(ctx),
        now=ctx.now,
    )
    department = await ctx.session.get(Department, data["dept"])
    note = ctx.t("record.clue_saved", department=department.name if department else "")
    return await goto(ctx, _base(data), "meas", [note])


async def step_date(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    day = _date_answer(ctx, choice)
    if day is None:
        return await _unexpected(ctx, state, choice)
    await records.set_checked_on(
        ctx.session, ctx.user, state.data["r"], day, render.today(ctx), ctx.now
    )
    return await goto(ctx, _base(state.data), "hub", [ctx.t("record.date_saved", date=day)])


async def step_remove(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    parts = (choice or "").split(":")
    if len(parts) != 3 or parts[0] != "del":
        return await _unexpected(ctx, state, choice)
    entry_id = parse_id(parts[2], "record.entry_not_found")
    if parts[1] == "p":
        await records.delete_problem(ctx.session, ctx.user, entry_id, ctx.now)
    else:
        await followup.delete_measure(ctx.session, ctx.user, parts[1], entry_id, ctx.now)
    return await goto(ctx, _base(state.data), "hub", [ctx.t("record.removed")])


async def step_hub(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = _base(state.data)
    if choice == "submit":
        result = await records.submit(ctx.session, ctx.user, data["r"], ctx.now)
        await ctx.end_flow()
        task = (await tasks.views(ctx.session, [result.assignment_id]))[0]
        return [ctx.reply("record.submitted", enterprise=task.enterprise, due=result.publish_due)]
    if choice == "finish":
        await ctx.end_flow()
        return [ctx.reply("record.finished")]
    if choice == "padd":
        return await goto(ctx, data, "p_item")
    target = {"cats": "cats", "meas": "meas", "date": "date", "remove": "remove"}.get(choice or "")
    if target is None:
        return await _unexpected(ctx, state, choice)
    return await goto(ctx, data, target)


STEPS: dict[str, Step] = {
    "cats": step_cats,
    "probs": step_problems,
    "p_item": step_item,
    "p_desc": step_description,
    "p_basis": step_basis,
    "p_photo": step_photo,
    "meas": step_measures,
    "n_num": step_notice_number,
    "n_issue": step_issue_date,
    "n_dead": step_deadline,
    "c_num": step_case_number,
    "c_date": step_filed_on,
    "t_dept": step_department,
    "t_desc": step_clue,
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
        await records.result_for_edit(ctx.session, ctx.user, data["r"], "record.answer")
    except Conflict as exc:
        await ctx.end_flow()
        return [ctx.reply(exc.key, **exc.params)]
    if choice == "hub":
        return await goto(ctx, {**_base(data), "back": True}, "hub")
    if choice == "padd" and state.step == "probs":
        return await goto(ctx, _base(data), "p_item")
    if choice == "pcancel" and state.step in ("p_item", "p_desc"):
        return await goto(ctx, _base(data), "probs")
    if choice == "mback" and state.step in (
        "n_num",
        "n_issue",
        "n_dead",
        "c_num",
        "c_date",
        "t_dept",
        "t_desc",
    ):
        return await goto(ctx, _base(data), "meas")
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
    router.flow(Flow(FLOW, guarded(record_flow), FIELD))
