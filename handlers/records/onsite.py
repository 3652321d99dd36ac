"""/record steps on site: 开始检查 with the place, then the on-site record's details (who
attended, certificates shown, recusal explained and the answer) up to 结束检查.

A part that walks check points starts here (`first_step`); a part without check points
starts at the categories as before, and reaches these steps from the categories, the
measures and the summary card. Every step may be skipped: a record without start and end
can be submitted, and the reviewer's card says so.
"""

from __future__ import annotations

from handlers.core.model import Reply
from handlers.core.router import Ctx
from handlers.records import render_field
from handlers.records.steps import (
    LOCATION_STEP,
    Data,
    Prompt,
    Step,
    base,
    button,
    goto,
    text_answer,
    unexpected,
)
from services.common.clock import local_text
from services.messaging.conversations import State
from services.records import checkpoints, visits

# Stored as the person's answer when a button gives it (the record is kept in Chinese).
NO_RECUSAL, ASKS_RECUSAL = "不申请回避", "申请回避"


async def first_step(ctx: Ctx, data: Data) -> str:
    """Where a new part's record starts: on site when the part walks check points."""
    if not await checkpoints.sheet(ctx.session, data["r"]):
        return "cats"
    visit = await visits.visit_of(ctx.session, data["a"])
    return "v_start" if visit is None or visit.started_at is None else "cl"


async def onsite_step(ctx: Ctx, data: Data) -> str:
    """The first on-site step still to do: start, place, or the details."""
    visit = await visits.visit_of(ctx.session, data["a"])
    if visit is None or visit.started_at is None:
        return "v_start"
    return "v_loc" if visit.latitude is None else "v_att"


async def _after_place(ctx: Ctx, data: Data) -> str:
    # From the card, the on-site record goes on to its details; a new record to its points.
    if data.get("back"):
        return "v_att"
    return "cl" if await checkpoints.sheet(ctx.session, data["r"]) else "cats"


# Prompts


async def ask_start(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("visit.ask_start").with_buttons(
        (button(ctx, "visit.button.start", "vgo"),),
        (button(ctx, "visit.button.skip_start", "vskip"),),
        (button(ctx, "record.button.leave", "leave"),),
    )


async def ask_location(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("visit.ask_location").with_buttons(
        (button(ctx, "visit.button.skip", "lskip"),)
    )


async def ask_attendees(ctx: Ctx, data: Data) -> Reply:
    shown = await visits.view(ctx.session, data["a"])
    people = render_field.people(ctx, [] if shown is None else shown.attendees)
    return ctx.reply("visit.ask_attendees", current=people).with_buttons(
        (button(ctx, "visit.button.skip", "askip"),)
    )


async def ask_certificates(ctx: Ctx, data: Data) -> Reply:
    shown = await visits.view(ctx.session, data["a"])
    current = render_field.yes_no(ctx, None if shown is None else shown.certificates_shown)
    return ctx.reply("visit.ask_certificates", current=current).with_buttons(
        (
            button(ctx, "visit.button.shown", "cert:y"),
            button(ctx, "visit.button.not_shown", "cert:n"),
        ),
        (button(ctx, "visit.button.skip", "cskip"),),
    )


async def ask_recusal(ctx: Ctx, data: Data) -> Reply:
    shown = await visits.view(ctx.session, data["a"])
    current = render_field.recusal(ctx, shown)
    return ctx.reply("visit.ask_recusal", current=current).with_buttons(
        (button(ctx, "visit.button.no_recusal", "rec:no"),),
        (button(ctx, "visit.button.asks_recusal", "rec:yes"),),
        (button(ctx, "visit.button.not_told", "rec:none"),),
        (button(ctx, "visit.button.skip", "rskip"),),
    )


async def ask_end(ctx: Ctx, data: Data) -> Reply:
    visit = await visits.visit_of(ctx.session, data["a"])
    later = (button(ctx, "visit.button.later", "hub"),)
    if visit is None or visit.started_at is None:
        return ctx.reply("visit.ask_end_unstarted").with_buttons(later)
    start = local_text(visit.started_at)
    if visit.ended_at is None:
        reply = ctx.reply("visit.ask_end", start=start)
        end = button(ctx, "visit.button.end", "vend")
    else:
        reply = ctx.reply("visit.ask_end_ended", start=start, end=local_text(visit.ended_at))
        end = button(ctx, "visit.button.end_again", "vend")
    return reply.with_buttons((end,), later)


# Steps


async def step_start(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    if choice == "vgo":
        visit = await visits.start(ctx.session, ctx.user, data["r"], ctx.now)
        assert visit.started_at is not None
        note = ctx.t("visit.started", time=local_text(visit.started_at))
        return await goto(ctx, data, LOCATION_STEP, [note])
    if choice == "vskip":
        return await goto(ctx, data, await _after_place(ctx, data))
    return await unexpected(ctx, state, choice)


async def step_location(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    where = ctx.incoming.location
    if choice == "lskip":
        return await goto(ctx, data, await _after_place(ctx, data))
    if choice is not None or where is None:
        return await unexpected(ctx, state, choice)
    await visits.set_location(
        ctx.session, ctx.user, data["r"], where, ctx.incoming.platform, ctx.now
    )
    shown = await visits.view(ctx.session, data["a"])
    notes = [render_field.place_note(ctx, shown)]
    return await goto(ctx, data, await _after_place(ctx, data), notes)


async def step_attendees(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    text = text_answer(ctx)
    if choice == "askip":
        return await goto(ctx, data, "v_cert")
    if choice is not None or text is None:
        return await unexpected(ctx, state, choice)
    people = await visits.set_attendees(ctx.session, ctx.user, data["r"], text, ctx.now)
    note = ctx.t("visit.attendees_saved", people=render_field.people(ctx, people))
    return await goto(ctx, data, "v_cert", [note])


async def step_certificates(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    if choice in ("cert:y", "cert:n"):
        shown = choice == "cert:y"
        await visits.set_certificates(ctx.session, ctx.user, data["r"], shown, ctx.now)
    elif choice != "cskip":
        return await unexpected(ctx, state, choice)
    return await goto(ctx, data, "v_rec")


async def step_recusal(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    text = text_answer(ctx)
    answers: dict[str, tuple[bool, str | None]] = {
        "rec:no": (True, NO_RECUSAL),
        "rec:yes": (True, ASKS_RECUSAL),
        "rec:none": (False, None),
    }
    if choice in answers:
        explained, answer = answers[choice]
    elif choice is None and text is not None:
        explained, answer = True, text
    elif choice == "rskip":
        return await goto(ctx, data, "v_end")
    else:
        return await unexpected(ctx, state, choice)
    await visits.set_recusal(ctx.session, ctx.user, data["r"], explained, answer, ctx.now)
    return await goto(ctx, data, "v_end")


async def step_end(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = base(state.data)
    if choice != "vend":
        return await unexpected(ctx, state, choice)
    visit = await visits.end(ctx.session, ctx.user, data["r"], ctx.now)
    assert visit.ended_at is not None
    note = ctx.t("visit.ended", time=local_text(visit.ended_at))
    return await goto(ctx, {**data, "back": True}, "hub", [note])


PROMPTS: dict[str, Prompt] = {
    "v_start": ask_start,
    LOCATION_STEP: ask_location,
    "v_att": ask_attendees,
    "v_cert": ask_certificates,
    "v_rec": ask_recusal,
    "v_end": ask_end,
}

STEPS: dict[str, Step] = {
    "v_start": step_start,
    LOCATION_STEP: step_location,
    "v_att": step_attendees,
    "v_cert": step_certificates,
    "v_rec": step_recusal,
    "v_end": step_end,
}
