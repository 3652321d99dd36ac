"""The parts every step of the /record conversation shares: moving on, buttons, answers.

A step is a question (its prompt) and what an answer does (its step function); the steps
are grouped in `problems.py`, `measures.py` and `flow.py`. Only `flow.py` holds the tables
of both: it registers the questions with the flow, and `goto` finds them through the
router, so no step module imports the table back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from handlers.core.model import Button, Reply
from handlers.core.router import Ctx, Question, flow_button
from handlers.records import render
from services.common.dates import parse_date
from services.messaging.conversations import State

FLOW = "record"
# The step that asks for the place of the check (a shared location answers it).
LOCATION_STEP = "v_loc"

Data = dict[str, Any]
Prompt = Question
Step = Callable[[Ctx, State, str | None], Awaitable[list[Reply]]]


def button(ctx: Ctx, key: str, value: str, **params: Any) -> Button:
    """A button of the record conversation, labelled with a (shortened) catalog text."""
    return flow_button(render.short(ctx.t(key, **params), 40), FLOW, value)


def base(data: Data) -> Data:
    """What every step keeps: the record, its task and whether to return to the card."""
    return {k: data[k] for k in ("r", "a", "back") if k in data}


async def goto(ctx: Ctx, data: Data, step: str, notes: list[str] | None = None) -> list[Reply]:
    """Move the conversation to `step` and ask its question (after any notes)."""
    await ctx.save_state(State(FLOW, step, data))
    prompt = await ctx.router.flows[FLOW].questions[step](ctx, data)
    text = "\n".join([*(notes or []), prompt.text])
    # Answered by one of its buttons, the question turns into the next one (a wizard, not
    # a pile). Other buttons (a task's on the /tasks list) leave their message alone.
    return [Reply(text, prompt.buttons).replacing(ctx.choice is not None)]


def today_row(ctx: Ctx) -> tuple[Button, ...]:
    """A button row with today's date."""
    return (button(ctx, "record.button.today", "today", date=render.today(ctx)),)


def text_answer(ctx: Ctx) -> str | None:
    """The text the user typed, or None when there is none."""
    text = ctx.incoming.text
    return None if text is None or not text.strip() else text


def date_answer(ctx: Ctx, choice: str | None) -> date | None:
    """A date given by the "today" button or typed; None when neither came."""
    if choice == "today":
        return render.today(ctx)
    text = text_answer(ctx)
    return None if text is None else parse_date(text)


async def unexpected(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    """An answer the step does not take: refuse the button, or ask the question again."""
    if choice is not None:
        return [ctx.reply("error.unknown_button")]
    key = "record.file_not_now" if ctx.incoming.file is not None else "record.use_buttons"
    if ctx.incoming.location is not None:
        key = "record.location_not_now"
    return await goto(ctx, state.data, state.step, [ctx.t(key)])


def asks_location(state: State | None) -> bool:
    """Whether this conversation waits for a shared location (a platform's passive report
    of where the user is may answer it, and is ignored otherwise)."""
    return state is not None and state.flow == FLOW and state.step == LOCATION_STEP
