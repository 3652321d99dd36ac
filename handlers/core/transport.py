"""The Protocol between the core and each chat platform."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from handlers.core.model import Reply


class Transport(Protocol):
    """A platform adapter: it feeds events to the core and delivers replies."""

    platform: str

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver replies to a chat of this platform."""
        ...
