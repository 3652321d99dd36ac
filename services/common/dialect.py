"""Which database a session talks to, for the few places where SQL differs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """The dialect of the session's engine: "sqlite" or "postgresql"."""
    bind = session.get_bind()
    return bind.dialect.name
