"""The visit on site (现场检查笔录), shared by the departments of a joint check.

开始检查 records the start time and then the place (a location the phone shares); 结束检查
the end time. Beside them: who attended for the enterprise (name, post), whether the
officers showed their certificates, whether the person inspected was told of the right to
ask for recusal, and the answer. Any part of the check may change the visit while that
part may be changed (`results.result_for_edit`); every change is audited.

The distance from the registered place is computed when shown (the directory may carry
the enterprise's coordinates), and flagged beyond the district's radius.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Assignment, Enterprise, InspectionResult, Visit
from services.accounts.actors import Actor
from services.common.errors import InvalidInput
from services.common.policy import ONSITE_RADIUS_METERS
from services.records import results
from services.records.signed_content import require_unsigned

EARTH_RADIUS_M = 6_371_008.8  # the mean radius (IUGG)
MAX_ATTENDEES = 10
MAX_NAME = 50
MAX_ANSWER = 500


@dataclass(frozen=True)
class VisitView:
    """The visit as the card and the export show it."""

    started_at: datetime | None
    ended_at: datetime | None
    location: tuple[float, float] | None
    location_source: str | None
    distance_m: float | None  # from the registered place; None when either is unknown
    attendees: list[dict[str, str]]
    certificates_shown: bool | None
    recusal_explained: bool | None
    recusal_answer: str | None

    def far(self, radius_m: int = ONSITE_RADIUS_METERS) -> bool:
        """Whether the check's place is farther than the radius from the registered one."""
        return self.distance_m is not None and self.distance_m > radius_m


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def check_location(location: tuple[float, float]) -> tuple[float, float]:
    """A WGS-84 (latitude, longitude) within range, else InvalidInput."""
    lat, lon = location
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("visit.bad_location", location=f"{lat},{lon}")
    return float(lat), float(lon)


def parse_attendees(text: str) -> list[dict[str, str]]:
    """People present, one a line: "姓名 职务" (or "姓名，职务"); the post may be left out."""
    people = []
    for line in text.replace("；", "\n").replace(";", "\n").splitlines():
        words = line.replace("，", " ").replace(",", " ").replace("、", " ").split()
        if not words:
            continue
        name, post = words[0], " ".join(words[1:])
        if len(name) > MAX_NAME or len(post) > MAX_NAME:
            raise InvalidInput("visit.attendee_long", limit=MAX_NAME)
        people.append({"name": name, "post": post})
    if not people:
        raise InvalidInput("visit.no_attendees")
    if len(people) > MAX_ATTENDEES:
        raise InvalidInput("visit.too_many_attendees", limit=MAX_ATTENDEES)
    return people


async def visit_of(session: AsyncSession, assignment_id: int) -> Visit | None:
    """The visit of an assignment, if one was started or recorded."""
    return await session.scalar(select(Visit).where(Visit.assignment_id == assignment_id))


async def view(session: AsyncSession, assignment_id: int) -> VisitView | None:
    """The visit with its distance from the registered place; None when nothing recorded."""
    visit = await visit_of(session, assignment_id)
    if visit is None:
        return None
    enterprise = await session.scalar(
        select(Enterprise)
        .join(Assignment, Assignment.enterprise_id == Enterprise.id)
        .where(Assignment.id == assignment_id)
    )
    return as_view(visit, enterprise)


def as_view(visit: Visit, enterprise: Enterprise | None) -> VisitView:
    """A visit row as shown, with the distance from the enterprise's coordinates."""
    here = None
    if visit.latitude is not None and visit.longitude is not None:
        here = (visit.latitude, visit.longitude)
    registered = None
    if enterprise is not None:
        lat, lon = enterprise.latitude, enterprise.longitude
        registered = None if lat is None or lon is None else (lat, lon)
    return VisitView(
        visit.started_at,
        visit.ended_at,
        here,
        visit.location_source,
        None if here is None or registered is None else distance_m(here, registered),
        [dict(a) for a in visit.attendees or []],
        visit.certificates_shown,
        visit.recusal_explained,
        visit.recusal_answer,
    )


async def _for_edit(
    session: AsyncSession, actor: Actor | None, result_id: int
) -> tuple[InspectionResult, Visit]:
    """The part (if the actor may change it) and its check's visit, created when missing."""
    result = await results.result_for_edit(session, actor, result_id, "record.visit")
    visit = await visit_of(session, result.assignment_id)
    if visit is None:
        visit = Visit(assignment_id=result.assignment_id, attendees=[])
        try:
            async with session.begin_nested():
                session.add(visit)
        except IntegrityError:
            # Another department's officer opened the visit at the same moment: it is one.
            visit = await visit_of(session, result.assignment_id)
            if visit is None:
                raise
    return result, visit


async def _changed(
    session: AsyncSession,
    actor: Actor | None,
    result: InspectionResult,
    visit: Visit,
    action: str,
    now: datetime,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    await results.touch(session, result)
    await session.flush()
    await results.log_change(
        session, actor, action, "visit", visit.id, now, before=before, after=after
    )
    # The visit is part of the on-site record: once signed, a change must be signed anew.
    await require_unsigned(session, visit.assignment_id)


async def start(session: AsyncSession, actor: Actor | None, result_id: int, now: datetime) -> Visit:
    """开始检查: record the start time (once; pressed again it keeps the first)."""
    result, visit = await _for_edit(session, actor, result_id)
    if visit.started_at is not None:
        return visit
    visit.started_at = now
    await _changed(
        session, actor, result, visit, "visit.start", now, {}, {"started_at": now.isoformat()}
    )
    return visit


async def set_location(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    location: tuple[float, float],
    source: str,
    now: datetime,
) -> Visit:
    """The place of the check, as the phone shared it (after 开始检查)."""
    lat, lon = check_location(location)
    result, visit = await _for_edit(session, actor, result_id)
    if visit.started_at is None:
        raise InvalidInput("visit.not_started")
    before = {"latitude": visit.latitude, "longitude": visit.longitude}
    visit.latitude, visit.longitude = lat, lon
    visit.location_source, visit.location_at = source[:16], now
    after = {"latitude": lat, "longitude": lon, "source": source[:16]}
    await _changed(session, actor, result, visit, "visit.location", now, before, after)
    return visit


async def end(session: AsyncSession, actor: Actor | None, result_id: int, now: datetime) -> Visit:
    """结束检查: record the end time (pressed again, the later time stands)."""
    result, visit = await _for_edit(session, actor, result_id)
    if visit.started_at is None:
        raise InvalidInput("visit.not_started")
    before = {"ended_at": None if visit.ended_at is None else visit.ended_at.isoformat()}
    visit.ended_at = now
    after = {"ended_at": now.isoformat()}
    await _changed(session, actor, result, visit, "visit.end", now, before, after)
    return visit


async def set_attendees(
    session: AsyncSession, actor: Actor | None, result_id: int, text: str, now: datetime
) -> list[dict[str, str]]:
    """Who attended for the enterprise, typed one a line ("姓名 职务")."""
    people = parse_attendees(text)
    result, visit = await _for_edit(session, actor, result_id)
    before = {"attendees": list(visit.attendees or [])}
    visit.attendees = people
    await _changed(
        session, actor, result, visit, "visit.attendees", now, before, {"attendees": people}
    )
    return people


async def set_certificates(
    session: AsyncSession, actor: Actor | None, result_id: int, shown: bool, now: datetime
) -> None:
    """Whether the officers showed their enforcement certificates (出示执法证件)."""
    result, visit = await _for_edit(session, actor, result_id)
    before = {"certificates_shown": visit.certificates_shown}
    visit.certificates_shown = shown
    after = {"certificates_shown": shown}
    await _changed(session, actor, result, visit, "visit.certificates", now, before, after)


async def set_recusal(
    session: AsyncSession,
    actor: Actor | None,
    result_id: int,
    explained: bool,
    answer: str | None,
    now: datetime,
) -> None:
    """Whether the right to ask for recusal was explained, and what the person answered."""
    text = None
    if answer is not None:
        text = results.clean_text(answer, limit=MAX_ANSWER, minimum=1)
    if not explained and text is not None:
        raise InvalidInput("visit.answer_without_notice")
    result, visit = await _for_edit(session, actor, result_id)
    before = {"explained": visit.recusal_explained, "answer": visit.recusal_answer}
    visit.recusal_explained, visit.recusal_answer = explained, text
    after = {"explained": explained, "answer": text}
    await _changed(session, actor, result, visit, "visit.recusal", now, before, after)
