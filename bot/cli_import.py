"""Subcommands of the import feature."""

from __future__ import annotations

from typing import Any

from bot.cli_types import Runner

RUNNERS: dict[str, Runner] = {}


def add_parsers(sub: Any) -> None:
    """Add this feature's subcommands."""
