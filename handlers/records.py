"""Field records, review and publication from chat (filled by issue 5)."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register the field-record commands."""
