"""/record steps of the measures taken: an order to correct (number, issue date, deadline),
a filed case (number, date) and a clue transferred (department, description)."""

from __future__ import annotations

from datetime import date

from handlers.core.model import Button, Reply
from handlers.core.router import Ctx, flow_button
from handlers.records import render
from handlers.records.steps import (
    FLOW,
    Data,
    Prompt,
    Step,
    base,
    button,
    date_answer,
    goto,
    text_answer,
    today_row,
    unexpected,
)
from handlers.records.tasks import parse_id
from models import Department
from services.common.calendar_store import calendar
from services.common.errors import InvalidInput
from services.messaging.conversations import State
from services.records import card as record_card
from services.records import cases, notice_patterns, notices

# Prompts: the question of each step


async def ask_measures(ctx: Ctx, data: Data) -> Reply:
    card = await record_card.card(ctx.session, ctx.user, data["r"])
    text = ctx.t(
        "record.ask_measures",
        notices=len(card.notices),
        cases=len(card.cases),
        clues=len(card.clues),
    )
    rows = [
        (button(ctx, "record.button.order", "order"),),
        (button(ctx, "record.button.case", "case"),),
        (button(ctx, "record.button.clue", "clue"),),
    ]
    # A part walking check points goes on to the on-site record; otherwise to the card,
    # with the on-site record one button away (after the others, so their numbers stay).
    if not data.get("back") and card.checklist:
        rows.append((button(ctx, "record.button.measures_onsite", "onsite"),))
    else:
        rows.append((button(ctx, "record.button.measures_done", "hub"),))
        rows.append((button(ctx, "record.button.onsite", "onsite"),))
    return Reply(text).with_buttons(*rows)


async def _series(ctx: Ctx) -> notice_patterns.Series:
    # The numbering of the recording officer's department, else the configured one.
    return await notice_patterns.series_for(ctx.session, ctx.user, ctx.policy.notice_pattern)


async def ask_notice_number(ctx: Ctx, data: Data) -> Reply:
    series = await _series(ctx)
    year = render.today(ctx).year
    proposal = await notices.propose_number(ctx.session, year, series)
    pending = data.get("pending")
    if pending is None:
        reply = ctx.reply("record.ask_notice_number", proposal=proposal)
        keep: tuple[tuple[Button, ...], ...] = ()
    else:
        example = notices.format_number(series.pattern, year, 1)
        reply = ctx.reply("notice.mismatch_ask", number=pending, example=example)
        keep = ((button(ctx, "record.button.keep_number", "keepnum"),),)
    return reply.with_buttons(
        *keep,
        (button(ctx, "record.button.auto_number", "auto"),),
        (button(ctx, "record.button.measures_back", "mback"),),
    )


async def ask_issue_date(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_issue_date").with_buttons(
        today_row(ctx), (button(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_deadline(ctx: Ctx, data: Data) -> Reply:
    days = ctx.policy.notice_deadline_days
    cal = await calendar(ctx.session)
    default = notices.default_deadline(date.fromisoformat(data["issue"]), days, cal)
    lines = [ctx.t("record.ask_deadline", days=days, date=default.day)]
    note = render.fallback_note(ctx, default)
    if note:
        lines.append(note)
    return Reply("\n".join(lines)).with_buttons(
        (button(ctx, "record.button.default_deadline", "dflt", date=default.day),),
        (button(ctx, "record.button.measures_back", "mback"),),
    )


async def ask_case_number(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_case_number").with_buttons(
        (button(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_filed_on(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_filed_on").with_buttons(
        today_row(ctx), (button(ctx, "record.button.measures_back", "mback"),)
    )


async def ask_department(ctx: Ctx, data: Data) -> Reply:
    rows = [
        (flow_button(render.short(d.name, 40), FLOW, f"dept:{d.id}"),)
        for d in await cases.transfer_departments(ctx.session)
    ]
    rows.append((button(ctx, "record.button.measures_back", "mback"),))
    return ctx.reply("record.ask_department").with_buttons(*rows)


async def ask_clue(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_clue").with_buttons(
        (button(ctx, "record.button.measures_back", "mback"),)
    )


# Steps: what an answer does


async def step_measures(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice == "onsite":
        return await goto(ctx, base(state.data), "v_att")
    target = {"order": "n_num", "case": "c_num", "clue": "t_dept"}.get(choice or "")
    if target is None:
        return await unexpected(ctx, state, choice)
    return await goto(ctx, base(state.data), target)


async def step_notice_number(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = text_answer(ctx)
    pending = state.data.get("pending")
    confirmed = False
    if choice == "auto":
        number = None
    elif choice == "keepnum" and pending is not None:
        # Checked again: another notice may have taken it meanwhile.
        number, confirmed = await notices.check_notice_number(ctx.session, pending), True
    elif choice is None and text is not None:
        number = await notices.check_notice_number(ctx.session, text)
        if not notice_patterns.matches((await _series(ctx)).pattern, number):
            return await goto(ctx, {**base(state.data), "pending": number}, "n_num")
    else:
        return await unexpected(ctx, state, choice)
    data = {**base(state.data), "num": number, "numok": confirmed}
    return await goto(ctx, data, "n_issue")


async def step_issue_date(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    issued = date_answer(ctx, choice)
    if issued is None:
        return await unexpected(ctx, state, choice)
    notices.check_issue_date(issued, render.today(ctx))
    return await goto(ctx, {**state.data, "issue": issued.isoformat()}, "n_dead")


async def step_deadline(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    issued = date.fromisoformat(data["issue"])
    notes: list[str] = []
    if choice == "dflt":
        cal = await calendar(ctx.session)
        default = notices.default_deadline(issued, ctx.policy.notice_deadline_days, cal)
        deadline = default.day
        note = render.fallback_note(ctx, default)
        notes += [note] if note else []
    else:
        answer = date_answer(ctx, None) if choice is None else None
        if answer is None:
            return await unexpected(ctx, state, choice)
        deadline = answer
    notice = await notices.add_notice(
        ctx.session,
        ctx.user,
        data["r"],
        number=data.get("num"),
        issued_on=issued,
        deadline=deadline,
        today=render.today(ctx),
        now=ctx.now,
        pattern=await _series(ctx),
        confirmed=bool(data.get("numok")),
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
    return await goto(ctx, base(data), "meas", notes)


async def step_case_number(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = text_answer(ctx)
    if choice is not None or text is None:
        return await unexpected(ctx, state, choice)
    number = await cases.check_case_number(ctx.session, text)
    return await goto(ctx, {**base(state.data), "num": number}, "c_date")


async def step_filed_on(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    filed = date_answer(ctx, choice)
    if filed is None:
        return await unexpected(ctx, state, choice)
    data = state.data
    case = await cases.add_case(
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
    return await goto(ctx, base(data), "meas", [note])


async def step_department(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice and choice.startswith("dept:"):
        department = await ctx.session.get(Department, parse_id(choice[5:], "clue.bad_department"))
        if department is None or not department.active:
            raise InvalidInput("clue.bad_department", id=choice[5:])
        return await goto(ctx, {**base(state.data), "dept": department.id}, "t_desc")
    return await unexpected(ctx, state, choice)


async def step_clue(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = text_answer(ctx)
    if choice is not None or text is None:
        return await unexpected(ctx, state, choice)
    data = state.data
    await cases.add_clue(
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
    return await goto(ctx, base(data), "meas", [note])


PROMPTS: dict[str, Prompt] = {
    "meas": ask_measures,
    "n_num": ask_notice_number,
    "n_issue": ask_issue_date,
    "n_dead": ask_deadline,
    "c_num": ask_case_number,
    "c_date": ask_filed_on,
    "t_dept": ask_department,
    "t_desc": ask_clue,
}

STEPS: dict[str, Step] = {
    "meas": step_measures,
    "n_num": step_notice_number,
    "n_issue": step_issue_date,
    "n_dead": step_deadline,
    "c_num": step_case_number,
    "c_date": step_filed_on,
    "t_dept": step_department,
    "t_desc": step_clue,
}
