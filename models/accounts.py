"""Users, their roles, platform accounts, invite codes and conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# A reviewer reviews and publishes the parts of its own department (users.department_id).
ROLES = ("admin", "coordinator", "inspector", "leader", "reviewer")


class User(Base):
    """A person who may use the bot; an inspector user is linked to the directory."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    # A deactivated user keeps their rows (the audit log names them) but cannot act.
    active: Mapped[bool] = mapped_column(default=True)
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"), unique=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[datetime]


class UserRole(Base):
    """A role held by a user; a user may hold several."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class PlatformAccount(Base):
    """A chat account (console, Telegram, WeCom) bound to a user."""

    __tablename__ = "platform_accounts"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    bound_at: Mapped[datetime]
    # When the person last wrote through this account (kept to within a few minutes), so
    # that a coordinator can tell a silent account from a working one (/people).
    last_seen_at: Mapped[datetime | None]


class InviteCode(Base):
    """A single-use, expiring code that binds a chat account to a person and a role."""

    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only the hash is kept, so a database leak does not leak usable codes.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("inspectors.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("platform_accounts.id"))


class BindAttempt(Base):
    """A wrong /bind try, for the per-account limit."""

    __tablename__ = "bind_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128), index=True)
    attempted_at: Mapped[datetime]


class ConversationState(Base):
    """The active conversation of one chat account: flow, step and collected data."""

    __tablename__ = "conversation_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("platform_accounts.id"), unique=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime]
