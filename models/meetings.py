"""Joint meetings (联席会议) and their participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Meeting(Base):
    """A plenary (全体会议) or topical (专题会议) joint meeting."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # plenary / topical
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    agenda: Mapped[str | None] = mapped_column(Text)
    # scheduled / held / not_held / cancelled
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    minutes: Mapped[str | None] = mapped_column(Text)
    decisions: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class MeetingParticipant(Base):
    """An invited person (or a whole department) with the RSVP and attendance."""

    __tablename__ = "meeting_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    rsvp: Mapped[str] = mapped_column(String(16), default="pending")  # pending/attend/leave
    leave_reason: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[bool | None]
