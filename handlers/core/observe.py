"""What the core tells the operations side: each event's outcome, and the update being handled.

- `HandleObserver`: told once per event (platform, outcome, seconds); the composition root
  gives the core one that counts (`bot.metrics`). The core imports nothing of it.
- `current_update`: the id of the update whose handling is running (a context variable, so
  that concurrent events never mix), which JSON log lines carry (`bot.logs`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal, Protocol

# ok: handled (a polite refusal a handler chose to give included); refused: a domain error
# rolled the event back; error: an unexpected failure; duplicate: a redelivered update,
# already handled, ignored.
Outcome = Literal["ok", "refused", "error", "duplicate"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "refused", "error", "duplicate")

_update: ContextVar[str | None] = ContextVar("jointcheck_update", default=None)


class HandleObserver(Protocol):
    """Told about every event the core handled."""

    def on_handled(self, platform: str, outcome: Outcome, seconds: float) -> None:
        """One event of `platform` ended with `outcome` after `seconds`."""
        ...


def current_update() -> str | None:
    """The id of the update being handled in this context, or None outside one."""
    return _update.get()


@contextmanager
def handling(platform: str, update_key: str | None) -> Iterator[str]:
    """Mark the block as the handling of one update; an outer mark (an adapter's) is kept.

    The id is `platform:update_key`, or `platform:~` and a random part for an event the
    platform gave no id (the console), so that its lines still belong together.
    """
    outer = _update.get()
    if outer is not None:
        yield outer
        return
    key = update_key if update_key is not None else "~" + uuid.uuid4().hex[:12]
    token = _update.set(f"{platform}:{key}")
    try:
        yield f"{platform}:{key}"
    finally:
        _update.reset(token)
