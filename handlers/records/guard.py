"""Refusals for another team's assignment: rolled back, yet audited.

A `DomainError` rolls the whole event back, which would take an audit entry of the refusal
with it. So the handlers of this feature run inside a savepoint: on `NotMember` only the
savepoint is rolled back (nothing the attempt did survives), the refusal is audited as
`authz.denied` in the event's transaction, and the reply is returned normally so that the
transaction commits with that one entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import TypeVar

from handlers.core.model import Reply
from handlers.core.router import Ctx
from services.records import tasks

T = TypeVar("T")
Handler = Callable[[Ctx, T], Awaitable[list[Reply]]]


def guarded(handler: Handler[T]) -> Handler[T]:
    """Run a handler so that a refused attempt on another team's work is audited."""

    @wraps(handler)
    async def run(ctx: Ctx, arg: T) -> list[Reply]:
        try:
            async with ctx.session.begin_nested():
                return await handler(ctx, arg)
        except tasks.NotMember as exc:
            await tasks.record_denial(ctx.session, ctx.actor, exc, ctx.now)
            return [ctx.reply(exc.key, **exc.params)]

    return run
