"""How the field check reads in chat: check points with their answers, the visit on site
(its place flagged when far from the registered one), the signatures' verdict."""

from __future__ import annotations

from handlers.core.router import Ctx
from services.common.clock import local_text
from services.records.checkpoints import ItemSheet, PointView
from services.records.signature_status import SigningStatus
from services.records.visits import VisitView


def _joined(ctx: Ctx, values: list[str]) -> str:
    return ctx.t("list.sep").join(values) if values else ctx.t("card.none")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def point_line(ctx: Ctx, point: PointView, current: bool = False, limit: int = 60) -> str:
    """A check point with its answer (and note), marked when the buttons answer it."""
    answer = ctx.t(f"check.answer.{point.answer or 'none'}")
    line = ctx.t(
        "check.point_line",
        mark="▶" if current else "",
        seq=point.seq,
        answer=answer,
        content=_short(point.content, limit),
    )
    if point.note:
        line += ctx.t("check.point_note", note=point.note)
    return line


def checklist_lines(ctx: Ctx, sheets: list[ItemSheet]) -> list[str]:
    """The card's answers per item: the counts, then every point."""
    if not sheets:
        return []
    lines = [ctx.t("card.check_head")]
    for s in sheets:
        lines.append(
            ctx.t(
                "card.check_item",
                code=s.code,
                name=s.name,
                conform=s.count("conform"),
                nonconform=s.count("nonconform"),
                unchecked=s.count("unchecked"),
                na=s.count("not_applicable"),
                open=s.count(None),
            )
        )
        lines.extend("    " + point_line(ctx, p, limit=40) for p in s.points)
    return lines


def people(ctx: Ctx, attendees: list[dict[str, str]]) -> str:
    """The enterprise's people present, "张建国（负责人）、..."."""
    named = [
        ctx.t("visit.person", name=a.get("name", ""), post=a["post"])
        if a.get("post")
        else a.get("name", "")
        for a in attendees
    ]
    return _joined(ctx, named)


def yes_no(ctx: Ctx, value: bool | None) -> str:
    """是 / 否 / 未记录."""
    return ctx.t("visit.unknown" if value is None else "visit.yes" if value else "visit.no")


def recusal(ctx: Ctx, visit: VisitView | None) -> str:
    """Whether the right to recusal was explained, and the answer."""
    explained = None if visit is None else visit.recusal_explained
    if not explained or visit is None:
        return yes_no(ctx, explained)
    return ctx.t("visit.recusal_answer", answer=visit.recusal_answer or "-")


def distance(ctx: Ctx, metres: float) -> str:
    """A distance people read: metres under a kilometre, else kilometres."""
    if metres < 1000:
        return ctx.t("visit.metres", n=f"{metres:.0f}")
    return ctx.t("visit.km", n=f"{metres / 1000:.1f}")


def place(ctx: Ctx, visit: VisitView) -> str:
    """The place of the check, its distance from the registered place, flagged when far."""
    if visit.location is None:
        return ctx.t("card.place_none")
    lat, lon = (f"{v:.5f}" for v in visit.location)
    if visit.distance_m is None:
        return ctx.t("card.place", lat=lat, lon=lon)
    far = visit.far(ctx.policy.onsite_radius_meters)
    return ctx.t(
        "card.place_far" if far else "card.place_distance",
        lat=lat,
        lon=lon,
        distance=distance(ctx, visit.distance_m),
        radius=ctx.policy.onsite_radius_meters,
    )


def place_note(ctx: Ctx, visit: VisitView | None) -> str:
    """What the inspector is told once the place is recorded."""
    return "" if visit is None else ctx.t("visit.location_saved", place=place(ctx, visit))


def missing_times(ctx: Ctx, visit: VisitView | None) -> str:
    """The times not recorded ("开始时间、结束时间"), or empty."""
    missing = []
    if visit is None or visit.started_at is None:
        missing.append(ctx.t("visit.start_time"))
    if visit is None or visit.ended_at is None:
        missing.append(ctx.t("visit.end_time"))
    return ctx.t("list.sep").join(missing)


def visit_lines(ctx: Ctx, visit: VisitView | None) -> list[str]:
    """The on-site record on the card; what is missing is said, since it may be submitted."""
    lines = []
    if visit is not None and (visit.started_at or visit.ended_at):
        lines.append(
            ctx.t(
                "card.visit",
                start=local_text(visit.started_at) if visit.started_at else "-",
                end=local_text(visit.ended_at) if visit.ended_at else "-",
            )
        )
    missing = missing_times(ctx, visit)
    if missing:
        lines.append(ctx.t("card.visit_missing", missing=missing))
    if visit is None:
        return lines
    lines.append(place(ctx, visit))
    lines.append(ctx.t("card.attendees", people=people(ctx, visit.attendees)))
    lines.append(
        ctx.t(
            "card.certificates",
            shown=yes_no(ctx, visit.certificates_shown),
            recusal=recusal(ctx, visit),
        )
    )
    return lines


def signing_lines(ctx: Ctx, status: SigningStatus | None) -> list[str]:
    """The signatures of the on-site record in one line (/sign shows each signer)."""
    if status is None:
        return []
    if status.stale:
        verdict = ctx.t("sign.verdict.stale", id=status.assignment_id)
    elif status.current:
        verdict = ctx.t("sign.verdict.current")
    else:
        who = [ctx.t(f"sign.role.{p.role}") + (p.signer or "") for p in status.missing]
        verdict = ctx.t("sign.verdict.missing", who=_joined(ctx, who))
    return [ctx.t("card.signatures", verdict=verdict)]
