"""Objections an enterprise files on the public site: the credit code checked against the
part's enterprise, limits per client address and per credit code counted in the database
(so that they hold across web workers), the attachment judged like evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models import Objection
from services.common.dialect import dialect_name
from services.common.errors import DomainError, InvalidInput
from services.common.policy import (
    ALLOWED_TYPES,
    MAX_EVIDENCE_BYTES,
    OBJECTION_LIMIT,
    OBJECTION_REVIEW_WORKING_DAYS,
    OBJECTION_WINDOW,
)
from services.directory import creditcode
from services.publicity import objections
from services.records.results import clean_text

# Serialises public filings on PostgreSQL, so that two at once cannot both pass the limit
# (SQLite's write transaction, BEGIN IMMEDIATE, already does).
_PG_FILING_LOCK = 0x4A43_4F42


class TooMany(DomainError):
    """Too many objections from one address, or for one credit code, within the window."""


@dataclass(frozen=True)
class PublicLimits:
    """What the public form is held to (local policy)."""

    per_address: int = OBJECTION_LIMIT
    window: timedelta = OBJECTION_WINDOW
    max_bytes: int = MAX_EVIDENCE_BYTES
    allowed: tuple[str, ...] = ALLOWED_TYPES
    review_days: int = OBJECTION_REVIEW_WORKING_DAYS


async def _refuse_beyond_limit(
    session: AsyncSession, limits: PublicLimits, address: str, code: str, now: datetime
) -> None:
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_FILING_LOCK})
    since = now - limits.window
    recent = select(func.count()).where(
        Objection.source == "public", Objection.recorded_at >= since
    )
    hours = max(1, round(limits.window.total_seconds() / 3600))
    if (await session.scalar(recent.where(Objection.client_address == address)) or 0) >= (
        limits.per_address
    ):
        raise TooMany("objection.too_many_address", limit=limits.per_address, hours=hours)
    if (await session.scalar(recent.where(Objection.credit_code == code)) or 0) >= (
        limits.per_address
    ):
        raise TooMany("objection.too_many_code", limit=limits.per_address, hours=hours)


async def file_public(
    session: AsyncSession,
    result_id: int,
    *,
    credit_code: str,
    contact: str,
    grounds: str,
    upload: objections.Upload | None,
    client_address: str,
    files_dir: Path,
    today: date,
    now: datetime,
    limits: PublicLimits,
) -> objections.Filed:
    """An objection an enterprise files on the public site; its reference alone is shown."""
    result = await objections.published_part(session, result_id)
    try:
        code = creditcode.validate(credit_code)
    except creditcode.InvalidCreditCode:
        raise InvalidInput("objection.bad_credit_code") from None
    enterprise = await objections.enterprise_of(session, result)
    if code != enterprise.credit_code:
        raise InvalidInput("objection.wrong_credit_code")
    address = (client_address or "unknown")[:64]
    await _refuse_beyond_limit(session, limits, address, code, now)
    who = clean_text(contact, limit=objections.MAX_NAME)
    why = clean_text(grounds, limit=objections.MAX_GROUNDS)
    stored = None
    if upload is not None:
        stored = await objections.store_upload(
            session,
            upload,
            files_dir=files_dir,
            now=now,
            user_id=None,
            max_bytes=limits.max_bytes,
            allowed=limits.allowed,
        )
    values: dict[str, object] = {
        "source": "public",
        "filed_by": enterprise.name[: objections.MAX_NAME],
        "contact": who,
        "credit_code": code,
        "grounds": why,
        "evidence_id": None if stored is None else stored.id,
        "client_address": address,
        "recorded_by": None,
    }
    return await objections.create(
        session,
        result,
        values,
        filed_on=today,
        review_days=limits.review_days,
        actor_name="public",
        now=now,
    )
