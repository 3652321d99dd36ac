"""Typed answers that match a button of the last question act as that button.

When a reply carries flow buttons of the active flow, their labels are kept in the
conversation's data (under `BUTTONS_KEY`, in the same transaction as the reply); a later
typed text equal to one of them (ignoring case, width and surrounding spaces) is handled
as the press of that button. Kept rather than re-rendered: the core cannot ask a flow
what its question was, and the labels are exactly what the user saw.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from handlers.core.model import Incoming, Reply
from handlers.core.router import FLOW_BUTTON, Ctx
from services.messaging import conversations
from services.messaging.conversations import State

BUTTONS_KEY = "_buttons"
MAX_KEPT = 60  # a question shows a few buttons; a long list is cut rather than stored


def normal(label: str) -> str:
    """A label or typed text as compared: NFKC (full-width forms), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", label).strip().casefold()


def flow_buttons(replies: list[Reply], flow: str) -> list[list[str]]:
    """[normalised label, data] of the buttons of `flow` in replies to this chat."""
    found: list[list[str]] = []
    for reply in replies:
        if reply.chat_id is not None:
            continue  # an announcement to another chat is not this user's question
        for row in reply.buttons:
            for button in row:
                if button.data.split(":", 2)[:2] == [FLOW_BUTTON, flow]:
                    found.append([normal(button.label), button.data])
    return found[:MAX_KEPT]


async def remember_buttons(ctx: Ctx, replies: list[Reply]) -> None:
    """Keep the active flow's buttons shown in `replies` with the conversation."""
    if ctx.account_id is None or ctx.actor is None or ctx.read_only:
        return
    if not any(reply.buttons for reply in replies):
        return
    state = await conversations.load(ctx.session, ctx.account_id, ctx.now)
    if state is None:
        return
    buttons = flow_buttons(replies, state.flow)
    if buttons:
        await ctx.save_state(State(state.flow, state.step, {**state.data, BUTTONS_KEY: buttons}))


def typed_button(kept: Any, incoming: Incoming) -> str | None:
    """The data of the kept button whose label the user typed, or None."""
    if incoming.button is not None or incoming.file is not None or not incoming.text:
        return None
    if not isinstance(kept, list):
        return None
    typed = normal(incoming.text)
    for pair in kept:
        if isinstance(pair, list) and len(pair) == 2 and pair[0] == typed:
            return str(pair[1])
    return None
