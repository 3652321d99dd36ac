"""/newplan: a guided conversation that creates a spot-check plan."""

from __future__ import annotations

from handlers.router import Router


def register(router: Router) -> None:
    """Register the plan commands."""
