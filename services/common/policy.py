"""Local practice the law leaves open: configured per district, passed to every handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# The defaults live here, below every subject: the services that use them take the
# configured value as an argument and fall back to these.
NOTICE_PATTERN = "乐市监责改〔{year}〕{seq}号"
NOTICE_WORKING_DAYS = 15  # practice default; no national fixed period
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = (
    *("image/jpeg", "image/png", "application/pdf", "video/mp4"),
    *("audio/mp4", "audio/aac", "audio/mpeg", "audio/wav", "audio/amr", "audio/ogg"),
)
# A check's location farther than this from the registered place is flagged to the reviewer.
ONSITE_RADIUS_METERS = 500
# After publication (practice defaults): an objection is decided within these working days,
# an abnormal-operations proposal is settled within these, and the public objection form
# takes at most this many objections per client address (and per credit code) in a window.
OBJECTION_REVIEW_WORKING_DAYS = 15
ABNORMAL_PROPOSAL_WORKING_DAYS = 10
OBJECTION_LIMIT = 5
OBJECTION_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Policy:
    """Numbers and limits that vary by locality (domain-rules.md: "practice", not law)."""

    notice_pattern: str = NOTICE_PATTERN
    notice_deadline_days: int = NOTICE_WORKING_DAYS
    evidence_max_bytes: int = MAX_EVIDENCE_BYTES
    evidence_types: tuple[str, ...] = ALLOWED_TYPES
    onsite_radius_meters: int = ONSITE_RADIUS_METERS
    invite_ttl: timedelta = timedelta(days=7)
    objection_review_days: int = OBJECTION_REVIEW_WORKING_DAYS
    abnormal_proposal_days: int = ABNORMAL_PROPOSAL_WORKING_DAYS
    objection_limit: int = OBJECTION_LIMIT
    objection_window: timedelta = OBJECTION_WINDOW
    # Group chats that receive draw announcements: (platform, chat id).
    announce_chats: tuple[tuple[str, str], ...] = ()
