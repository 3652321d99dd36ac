"""Local practice the law leaves open: configured per district, passed to every handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.records.evidence import ALLOWED_TYPES, MAX_EVIDENCE_BYTES
from services.records.notices import NOTICE_PATTERN, NOTICE_WORKING_DAYS


@dataclass(frozen=True)
class Policy:
    """Numbers and limits that vary by locality (domain-rules.md: "practice", not law)."""

    notice_pattern: str = NOTICE_PATTERN
    notice_deadline_days: int = NOTICE_WORKING_DAYS
    evidence_max_bytes: int = MAX_EVIDENCE_BYTES
    evidence_types: tuple[str, ...] = ALLOWED_TYPES
    invite_ttl: timedelta = timedelta(days=7)
    # Group chats that receive draw announcements: (platform, chat id).
    announce_chats: tuple[tuple[str, str], ...] = ()
