"""The shape of a subcommand runner, shared by every feature's CLI module."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App

Runner = Callable[["App", argparse.Namespace], Awaitable[int]]
