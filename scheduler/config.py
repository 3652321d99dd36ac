"""What the scheduler is told by the composition root (kept light: no APScheduler here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta


@dataclass(frozen=True)
class Schedule:
    """The settings values the scheduler needs, handed over by the composition root."""

    summary_weekday: int = 0  # 0 = Monday
    summary_at: time = time(9, 0)  # Asia/Shanghai
    lookahead: timedelta = timedelta(days=14)
    grace: timedelta = timedelta(minutes=60)
