"""Local practice the law leaves open: configured per district, passed to every handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# The defaults live here, below every subject: the services that use them take the
# configured value as an argument and fall back to these.
NOTICE_PATTERN = "乐市监责改〔{year}〕{seq}号"
NOTICE_WORKING_DAYS = 15  # practice default; no national fixed period
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = ("image/jpeg", "image/png", "application/pdf")


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
