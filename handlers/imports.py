"""Imports and exports of the list and the two directories from chat (filled by issue 3)."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register the import commands."""
