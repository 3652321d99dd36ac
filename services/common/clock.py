"""Clocks: the real one, and one that tests move by hand (no sleeping in tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """Something that tells the current time, always timezone-aware UTC."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """The time the test set."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta

    def set(self, when: datetime) -> None:
        """Jump to a given aware instant."""
        self._now = when.astimezone(UTC)


def local_today(clock: Clock) -> date:
    """Today's date in Asia/Shanghai, the date users mean."""
    return clock.now().astimezone(SHANGHAI).date()


def local_text(when: datetime) -> str:
    """A UTC instant shown as Asia/Shanghai wall time."""
    return when.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
