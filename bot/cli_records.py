"""Subcommands of the field-records feature: the web app and the results export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App

RUNNERS: dict[str, Runner] = {}


def add_parsers(sub: Any) -> None:
    """Add this feature's subcommands."""


async def export_results(app: App, plan_id: int, file: Path | None) -> int:
    """`jointcheck export results --plan ID [FILE]`: the XLSX for the publicity system."""
    raise NotImplementedError("issue 5 fills this in")
