"""The append-only, hash-chained audit log (HMAC with the audit key) and its verification."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, inspect, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEntry, AuditHead
from services.common.dialect import dialect_name
from services.common.errors import Conflict, InvalidInput

GENESIS = "0" * 64
PLAIN = "sha256"  # entries written before the audit key existed
KEYED = "hmac-sha256"  # HMAC with the audit key, which the database does not hold
SESSION_KEY = "audit_key"  # the key's place in `session.info`, set by the sessionmaker
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
_CHECKPOINT = re.compile(r"(\d+):([0-9a-f]{64})")


def session_info(key: bytes) -> dict[str, Any]:
    """The `info` of a sessionmaker whose sessions write and check keyed entries."""
    return {SESSION_KEY: key}


def _session_key(session: AsyncSession) -> bytes | None:
    key = session.info.get(SESSION_KEY)
    return key if isinstance(key, bytes) else None


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
    key: bytes | None = None,
) -> str:
    """SHA-256 of an entry's canonical JSON with the previous hash; HMAC-SHA256 with a key."""
    body: dict[str, Any] = {
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
    if key is not None:
        body["scheme"] = KEYED  # bound into the MAC, so that a relabelled entry fails
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if key is None:
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return hmac.new(key, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_with(entry: Any, key: bytes | None) -> bool:
    """Whether an entry's stored hash is what its own scheme and `key` give."""
    if entry.scheme not in (PLAIN, KEYED) or (entry.scheme == KEYED and key is None):
        return False
    fields = {name: getattr(entry, name) for name in _HASHED}
    expected = entry_hash(**fields, key=key if entry.scheme == KEYED else None)
    return hmac.compare_digest(expected, entry.hash)


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
    key = _session_key(session)
    head = await session.get(AuditHead, 1, with_for_update=True)
    if key is None and head is not None:
        last = await session.scalar(select(AuditEntry.scheme).where(AuditEntry.seq == head.seq))
        if last == KEYED:
            # An unkeyed entry after keyed ones would read as a forgery; write nothing.
            raise Conflict("audit.no_key")
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
    digest = entry_hash(**fields, key=key)
    entry = AuditEntry(**fields, hash=digest, scheme=PLAIN if key is None else KEYED)
    session.add(entry)
    if head is None:
        session.add(AuditHead(id=1, seq=seq, hash=digest))
    else:
        head.seq, head.hash = seq, digest
    await session.flush()
    return entry


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at some moment, kept outside the database: written SEQ:HASH."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, value: str) -> Checkpoint:
        """Read SEQ:HASH (64 hex digits); anything else is refused."""
        match = _CHECKPOINT.fullmatch(value.strip().lower())
        if match is None:
            raise InvalidInput("audit.bad_checkpoint", value=value)
        return cls(int(match[1]), match[2])


async def head(session: AsyncSession) -> Checkpoint:
    """The head as the database holds it now (entry 0 and the genesis hash when empty)."""
    row = await session.get(AuditHead, 1)
    return Checkpoint(0, GENESIS) if row is None else Checkpoint(row.seq, row.hash)


async def _layout(session: AsyncSession) -> str:
    """What the audit table looks like: "absent", "plain" (before migration 0004) or "schemes"."""

    def _names(conn: Connection) -> set[str]:
        inspector = inspect(conn)
        if not inspector.has_table(AuditEntry.__tablename__):
            return set()
        return {c["name"] for c in inspector.get_columns(AuditEntry.__tablename__)}

    # Verification never migrates the database first: it reads whatever schema is there.
    names = await (await session.connection()).run_sync(_names)
    return "absent" if not names else "schemes" if "scheme" in names else "plain"


def _columns(layout: str) -> list[Any]:
    # Before migration 0004 there is no scheme column, and every entry is plain SHA-256.
    scheme = AuditEntry.scheme if layout == "schemes" else literal(PLAIN).label("scheme")
    return [*(getattr(AuditEntry, name) for name in _HASHED), AuditEntry.hash, scheme]


async def newest_keyed(session: AsyncSession) -> Any | None:
    """The newest keyed entry (a row with the hashed fields, hash and scheme), if any."""
    if await _layout(session) != "schemes":
        return None
    stmt = select(*_columns("schemes")).where(AuditEntry.scheme == KEYED)
    return (await session.execute(stmt.order_by(AuditEntry.seq.desc()).limit(1))).first()


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of walking the chain: entries checked and the first break, if any."""

    checked: int
    broken_seq: int | None = None
    reason: str | None = None
    last: Checkpoint = Checkpoint(0, GENESIS)  # the newest entry that holds
    keyed: int = 0  # how many of the checked entries carry the keyed hash
    checkpoint: Checkpoint | None = None  # the newest checkpoint the chain was held to

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return self.broken_seq is None


@dataclass
class _Walk:
    """The state of one walk along the chain, entry after entry."""

    key: bytes | None
    anchors: dict[int, set[str]]
    prev: str = GENESIS
    count: int = 0
    keyed: int = 0
    broken: int | None = None
    reason: str | None = None

    def step(self, row: Any) -> bool:
        """Check the next entry; False (with the fault kept) when it breaks the chain."""
        reason = self._fault(row)
        if reason is None and self.anchors.get(row.seq, {row.hash}) != {row.hash}:
            reason = "checkpoint"  # a hash recomputed without the key still differs here
        if reason is not None:
            return self._break(self.count + 1 if reason == "missing" else row.seq, reason)
        self.prev, self.count = row.hash, self.count + 1
        self.keyed += row.scheme == KEYED
        return True

    def _fault(self, row: Any) -> str | None:
        if row.seq != self.count + 1:
            return "missing"
        if row.scheme not in (PLAIN, KEYED):
            return "scheme"
        if row.scheme == PLAIN and self.keyed:
            return "downgraded"  # only entries older than the key may be unkeyed
        if row.prev_hash != self.prev:
            return "chain"
        if row.scheme == KEYED and self.key is None:
            raise Conflict("audit.no_key")
        return None if signed_with(row, self.key) else "altered"

    def finish(self, head: AuditHead | None) -> None:
        """The end of the chain: no checkpoint beyond it, and the head row naming it."""
        if max(self.anchors, default=0) > self.count:
            self._break(self.count + 1, "truncated")
        elif head is None:
            if self.count:
                self._break(self.count + 1, "head")  # every append writes the head row
        elif head.seq > self.count:
            self._break(self.count + 1, "missing")
        elif (head.seq, head.hash) != (self.count, self.prev):
            self._break(self.count + 1, "head")

    def _break(self, seq: int, reason: str) -> bool:
        self.broken, self.reason = seq, reason
        return False

    def report(self) -> VerifyReport:
        """What the walk found."""
        newest = max(self.anchors, default=0)
        held = Checkpoint(newest, min(self.anchors[newest])) if newest else None
        last = Checkpoint(self.count, self.prev)
        return VerifyReport(self.count, self.broken, self.reason, last, self.keyed, held)


async def verify(session: AsyncSession, checkpoints: Iterable[Checkpoint] = ()) -> VerifyReport:
    """Walk the chain in order; name the first entry edited, removed or cut off.

    Keyed entries are checked with the session's audit key. Every checkpoint (a head kept
    outside the database) must lie on the chain, so a shortened or emptied history fails.
    """
    anchors: dict[int, set[str]] = {}
    for c in checkpoints:
        if c.seq > 0:
            anchors.setdefault(c.seq, set()).add(c.hash)
    walk = _Walk(_session_key(session), anchors)
    layout = await _layout(session)
    if layout != "absent":
        result = await session.stream(select(*_columns(layout)).order_by(AuditEntry.seq))
        try:
            async for row in result:
                if not walk.step(row):
                    break
        finally:
            await result.close()
    if walk.reason is None:
        walk.finish(None if layout == "absent" else await session.get(AuditHead, 1))
    return walk.report()
