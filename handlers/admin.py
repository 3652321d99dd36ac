"""Administration from chat: invite codes (filled by the Telegram issue)."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register the admin commands."""
