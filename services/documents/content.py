"""What a document says: the values its templates show, and the hash of that content.

The hash (`Content.sha256`) covers every value and every image's digest, never the
verify code or the time of rendering: the same record gives the same hash, so that a
document is stored once and made again only as a new version when its record changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.common.clock import SHANGHAI

TITLES = {
    "notice": "抽查通知书",
    "onsite": "现场检查笔录",
    "order": "责令改正通知书",
    "service": "送达回证",
    "annual": "年度工作报告",
}
ANSWERS = {
    "conform": "符合",
    "nonconform": "不符合",
    "unchecked": "未检查",
    "not_applicable": "合理缺项",
}
ROLES = {"inspected": "被检查人", "witness": "见证人", "officer": "检查人员"}
BLANK = "—"


@dataclass(frozen=True)
class Image:
    """An image a document shows: its digest (part of the content) and how to get it."""

    digest: str
    load: Callable[[], bytes]


@dataclass(frozen=True)
class Content:
    """One document's content, ready for either template."""

    kind: str
    subject_id: int
    number: str | None
    department_id: int | None
    issued_on: date
    values: dict[str, Any]
    # Named images; a value {"image": NAME} in `values` shows one of them.
    images: dict[str, Image] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The document's name (抽查通知书, ...)."""
        return str(self.values.get("title") or TITLES[self.kind])

    @property
    def sha256(self) -> str:
        """The hash of everything the document says."""
        body = {
            "kind": self.kind,
            "subject": self.subject_id,
            "number": self.number,
            "department": self.department_id,
            "issued_on": self.issued_on.isoformat(),
            "values": self.values,
            "images": {name: image.digest for name, image in sorted(self.images.items())},
        }
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def day_text(day: date | None) -> str:
    """A date as documents write it: 2026年12月3日."""
    return BLANK if day is None else f"{day.year}年{day.month}月{day.day}日"


def time_text(when: datetime | None) -> str:
    """An instant as Asia/Shanghai wall time: 2026年12月3日 09时30分."""
    if when is None:
        return BLANK
    local = when.astimezone(SHANGHAI)
    return f"{day_text(local.date())} {local.hour:02d}时{local.minute:02d}分"


def local_day(when: datetime | None) -> date | None:
    """The Asia/Shanghai date of an instant."""
    return None if when is None else when.astimezone(SHANGHAI).date()


def yes_no(value: bool | None) -> str:
    """是 / 否, or the blank mark when not recorded."""
    return BLANK if value is None else ("是" if value else "否")


def or_blank(value: object) -> str:
    """A value as text, the blank mark when empty."""
    return BLANK if value is None or str(value).strip() == "" else str(value)


def check_number(plan_number: str | None, plan_id: int, year: int, position: int) -> str:
    """The number of one check (a drawn enterprise): its plan's number and its place."""
    plan = plan_number or f"JC{year}{plan_id:04d}"
    return f"{plan}-{position:03d}"
