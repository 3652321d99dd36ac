"""The append-only, hash-chained audit log and its verification."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEntry, AuditHead
from services.common.dialect import dialect_name

GENESIS = "0" * 64
_HASHED = (
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
)
_PG_AUDIT_LOCK = 7_314_001  # any constant; serialises appends on PostgreSQL


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Hash exactly what the JSON column will give back.
    return None if value is None else json.loads(json.dumps(value, default=str))


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    prev_hash: str,
) -> str:
    """SHA-256 over the canonical JSON of an entry, including the previous hash."""
    body = {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


async def record(
    session: AsyncSession,
    *,
    at: datetime,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (it commits or rolls back with it)."""
    if dialect_name(session) == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    head = await session.get(AuditHead, 1, with_for_update=True)
    seq = 1 if head is None else head.seq + 1
    prev = GENESIS if head is None else head.hash
    fields: dict[str, Any] = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "before": _plain(before),
        "after": _plain(after),
        "prev_hash": prev,
    }
    digest = entry_hash(**fields)
    entry = AuditEntry(**fields, hash=digest)
    session.add(entry)
    if head is None:
        session.add(AuditHead(id=1, seq=seq, hash=digest))
    else:
        head.seq, head.hash = seq, digest
    await session.flush()
    return entry


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of walking the chain: entries checked and the first break, if any."""

    checked: int
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return self.broken_seq is None


async def verify(session: AsyncSession) -> VerifyReport:
    """Walk the chain in order and name the first entry that was edited or removed."""
    prev, expected_seq, checked = GENESIS, 1, 0
    result = await session.stream_scalars(select(AuditEntry).order_by(AuditEntry.seq))
    async for entry in result:
        if entry.seq != expected_seq:
            return VerifyReport(checked, expected_seq, "missing")
        if entry.prev_hash != prev:
            return VerifyReport(checked, entry.seq, "chain")
        digest = entry_hash(**{name: getattr(entry, name) for name in _HASHED})
        if digest != entry.hash:
            return VerifyReport(checked, entry.seq, "altered")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = await session.get(AuditHead, 1)
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return VerifyReport(checked, expected_seq, "missing")
    return VerifyReport(checked)
