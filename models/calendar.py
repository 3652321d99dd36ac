"""Days of the years loaded from the State Council's holiday notice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class CalendarDay(Base):
    """A holiday or an adjusted working day of a loaded year (every other day: Mon-Fri)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    working: Mapped[bool]
    note: Mapped[str | None] = mapped_column(String(100))
    # Where the year came from (the file's name) and when: `/calendar YEAR` says so.
    source: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime]
