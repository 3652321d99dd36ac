"""/meeting and /meetings: schedule joint meetings; RSVP, reschedule, cancel, outcome."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select

from handlers.core.model import Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.meetings import past
from models import Department, Meeting, MeetingParticipant, User
from services.common.clock import SHANGHAI, local_text
from services.common.dates import parse_date
from services.common.errors import DomainError, InvalidInput, NotAllowed
from services.common.numbers import MAX_ID, read_int
from services.meetings import schedule
from services.messaging.conversations import State

COORD = roles("coordinator")
FLOW, MOVE, CANCEL, OUTCOME, RSVP = "meeting", "mtgmove", "mtgcancel", "mtgheld", "rsvp"
_TIME = re.compile(r"^(.+?)\s+(\d{1,2})[:：](\d{2})$")


def parse_time(text: str, now: datetime, *, past_ok: bool = False) -> datetime:
    """A Beijing-time "2026-12-05 09:30" as an aware datetime, in the future unless past_ok."""
    match = _TIME.match(text.strip())
    try:
        if not match:
            raise InvalidInput("meeting.bad_time")
        day = parse_date(match.group(1))
        when = datetime(
            day.year, day.month, day.day, int(match.group(2)), int(match.group(3)), tzinfo=SHANGHAI
        )
    except (DomainError, ValueError):
        raise InvalidInput("meeting.bad_time") from None
    if when <= now and not past_ok:
        raise InvalidInput("meeting.bad_time")
    return when


async def _departments(ctx: Ctx) -> list[tuple[str, str]]:
    rows = await ctx.session.execute(
        select(Department.code, Department.name).where(Department.active).order_by(Department.id)
    )
    return [(code, name) for code, name in rows]


async def meeting_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Start scheduling a meeting."""
    await ctx.start_flow(FLOW, "kind")
    row = (
        flow_button(ctx.t("button.plenary"), FLOW, "plenary"),
        flow_button(ctx.t("button.topical"), FLOW, "topical"),
    )
    return [ctx.reply("meeting.ask_kind").with_buttons(row)]


async def meeting_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One step of scheduling a meeting."""
    data, text, choice = dict(state.data), (ctx.incoming.text or "").strip(), ctx.choice
    if state.step == "kind" and choice in schedule.KINDS:
        data["kind"] = choice
        return await _ask(ctx, data, "title", "meeting.ask_title")
    if state.step == "title" and text:
        data["title"] = text
        return await _ask(ctx, data, "time", "meeting.ask_time")
    if state.step == "time" and text:
        when = parse_time(text, ctx.now, past_ok=True)
        data["starts_at"] = when.isoformat()
        if when <= ctx.now:
            # A district starting mid-year enters meetings already held.
            return await past.ask_held(ctx, data)
        return await _ask(ctx, data, "place", "meeting.ask_place")
    held = await past.step(ctx, state, text, choice, _confirm_held)
    if held is not None:
        return held
    if state.step in ("place", "agenda") and text:
        data[state.step] = text
        if state.step == "place":
            return await _ask(ctx, data, "agenda", "meeting.ask_agenda")
        depts = await _departments(ctx)
        listing = "\n".join(f"{n}. {name}" for n, (_, name) in enumerate(depts, start=1))
        await ctx.save_state(State(FLOW, "departments", data))
        row = (flow_button(ctx.t("button.all_departments"), FLOW, "all"),)
        return [ctx.reply("meeting.ask_departments", departments=listing).with_buttons(row)]
    if state.step == "departments" and (choice == "all" or text):
        depts = await _departments(ctx)
        data["departments"] = [c for c, _ in depts] if choice == "all" else _pick(text, depts)
        if data.get("past"):
            return await past.ask_absent(ctx, data)
        return await _confirm(ctx, data, depts)
    if state.step == "confirm" and choice == "create" and data.get("past"):
        return await past.create(ctx, data)
    if state.step == "confirm" and choice == "create":
        meeting = await schedule.create(
            ctx.session,
            ctx.user,
            kind=data["kind"],
            title=data["title"],
            starts_at=datetime.fromisoformat(data["starts_at"]),
            place=data["place"],
            agenda=data["agenda"],
            departments=data["departments"],
            logins=[],
            now=ctx.now,
        )
        await ctx.end_flow()
        count = len(await schedule._users(ctx.session, meeting.id))
        return [ctx.reply("meeting.created", id=meeting.id, count=count)]
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("cancel.done")]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


async def _ask(ctx: Ctx, data: dict[str, object], step: str, key: str) -> list[Reply]:
    await ctx.save_state(State(FLOW, step, dict(data)))
    return [ctx.reply(key)]


def _pick(text: str, depts: list[tuple[str, str]]) -> list[str]:
    tokens = [t for t in re.split(r"[\s,，、]+", text) if t]
    numbers = [read_int(t, 1, len(depts)) for t in tokens]
    bad = [t for t, n in zip(tokens, numbers, strict=True) if n is None]
    if bad or not tokens:
        raise InvalidInput("meeting.bad_departments", values=" ".join(bad) or text)
    return sorted({depts[n - 1][0] for n in numbers if n is not None})


async def _confirm_held(ctx: Ctx, data: dict[str, object]) -> list[Reply]:
    return await _confirm(ctx, data, await _departments(ctx))


async def _confirm(ctx: Ctx, data: dict[str, object], depts: list[tuple[str, str]]) -> list[Reply]:
    await ctx.save_state(State(FLOW, "confirm", dict(data)))
    names = dict(depts)
    codes = data["departments"]
    assert isinstance(codes, list)
    text = ctx.t(
        "meeting.summary",
        kind=ctx.t(f"kind.{data['kind']}"),
        title=data["title"],
        time=local_text(datetime.fromisoformat(str(data["starts_at"])))
        + (ctx.t("meeting.past_mark") if data.get("past") else ""),
        place=data["place"],
        agenda=data["agenda"],
        departments=ctx.t("list.sep").join(names[c] for c in codes),
    )
    row = (
        flow_button(ctx.t("button.create"), FLOW, "create"),
        flow_button(ctx.t("button.cancel"), FLOW, "cancel"),
    )
    return [Reply(text).with_buttons(row)]


async def meetings_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """List scheduled meetings with their actions."""
    rows = (
        await ctx.session.scalars(
            select(Meeting).where(Meeting.status == "scheduled").order_by(Meeting.starts_at)
        )
    ).all()
    if not rows:
        return [ctx.reply("meeting.none")]
    replies = []
    for m in rows:
        text = ctx.t(
            "meeting.line",
            id=m.id,
            title=m.title,
            time=local_text(m.starts_at),
            place=m.place or "-",
        )
        buttons = (
            ctx.button("button.move", f"mtg:move:{m.id}"),
            ctx.button("button.cancel_meeting", f"mtg:cancel:{m.id}"),
            ctx.button("button.outcome", f"mtg:held:{m.id}"),
        )
        replies.append(Reply(text).with_buttons(buttons))
    return replies


async def meeting_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """mtg:rsvp:ID:attend|leave, mtg:move:ID, mtg:cancel:ID, mtg:held:ID."""
    meeting_id = read_int(args[1], 1, MAX_ID) if len(args) >= 2 else None
    if meeting_id is None:
        return [ctx.reply("error.unknown_button")]
    action = args[0]
    if action == "rsvp" and len(args) == 3:
        if args[2] == "attend":
            await schedule.rsvp(ctx.session, ctx.user, meeting_id, "attend", None, ctx.now)
            return [ctx.reply("meeting.rsvp_attend")]
        await ctx.start_flow(RSVP, "reason", {"meeting": meeting_id})
        return [ctx.reply("meeting.ask_leave_reason")]
    if not ctx.user.has("admin", "coordinator"):
        raise NotAllowed("error.not_allowed")
    if action == "move":
        await ctx.start_flow(MOVE, "time", {"meeting": meeting_id})
        return [ctx.reply("meeting.ask_new_time")]
    if action == "cancel":
        await ctx.start_flow(CANCEL, "reason", {"meeting": meeting_id})
        return [ctx.reply("meeting.ask_cancel_reason")]
    if action == "held":
        # Refused here, not after the attendance and minutes are typed.
        await schedule.check_outcome_open(ctx.session, ctx.user, meeting_id, ctx.now)
        await ctx.start_flow(OUTCOME, "held", {"meeting": meeting_id})
        row = (
            flow_button(ctx.t("button.held"), OUTCOME, "yes"),
            flow_button(ctx.t("button.not_held"), OUTCOME, "no"),
        )
        return [ctx.reply("meeting.ask_held").with_buttons(row)]
    return [ctx.reply("error.unknown_button")]


async def rsvp_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The reason of a leave request."""
    reason = (ctx.incoming.text or "").strip()
    await schedule.rsvp(ctx.session, ctx.user, state.data["meeting"], "leave", reason, ctx.now)
    await ctx.end_flow()
    return [ctx.reply("meeting.rsvp_leave")]


async def move_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The new time of a meeting."""
    when = parse_time(ctx.incoming.text or "", ctx.now)
    await schedule.reschedule(ctx.session, ctx.user, state.data["meeting"], when, ctx.now)
    await ctx.end_flow()
    return [ctx.reply("meeting.moved_done")]


async def cancel_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The reason a meeting is cancelled."""
    reason = (ctx.incoming.text or "").strip()
    if not reason:
        return [ctx.reply("meeting.ask_cancel_reason")]
    await schedule.cancel(ctx.session, ctx.user, state.data["meeting"], reason, ctx.now)
    await ctx.end_flow()
    return [ctx.reply("meeting.cancelled_done")]


async def outcome_flow(ctx: Ctx, state: State) -> list[Reply]:
    """Held or not, who was absent, minutes, decisions."""
    data, text, choice = dict(state.data), (ctx.incoming.text or "").strip(), ctx.choice
    people = await _participants(ctx, data["meeting"])
    if state.step == "held" and choice in ("yes", "no"):
        data["held"] = choice == "yes"
        if not data["held"]:
            await ctx.save_state(State(OUTCOME, "reason", data))
            return [ctx.reply("meeting.ask_not_held_reason")]
        await ctx.save_state(State(OUTCOME, "absent", data))
        listing = "\n".join(f"{n}. {name}" for n, (_, name) in enumerate(people, start=1))
        row = (flow_button(ctx.t("button.all_present"), OUTCOME, "none"),)
        return [ctx.reply("meeting.ask_absent", people=listing).with_buttons(row)]
    if state.step == "absent" and (choice == "none" or text):
        picks = [] if choice == "none" else _pick(text, [(str(u), n) for u, n in people])
        data["absent"] = [int(p) for p in picks]
        await ctx.save_state(State(OUTCOME, "minutes", data))
        return [ctx.reply("meeting.ask_minutes")]
    if state.step == "minutes" and text:
        data["minutes"] = text
        await ctx.save_state(State(OUTCOME, "decisions", data))
        return [ctx.reply("meeting.ask_decisions")]
    if state.step in ("decisions", "reason") and text:
        held = bool(data["held"])
        await schedule.record_outcome(
            ctx.session,
            ctx.user,
            data["meeting"],
            held=held,
            absent_user_ids=data.get("absent", []),
            minutes=data.get("minutes", "") if held else text,
            decisions=text if held else "",
            now=ctx.now,
        )
        await ctx.end_flow()
        return [ctx.reply("meeting.outcome_done")]
    return [ctx.reply("error.unknown_button" if choice else "error.not_understood")]


async def _participants(ctx: Ctx, meeting_id: int) -> list[tuple[int, str]]:
    rows = await ctx.session.execute(
        select(User.id, User.display_name)
        .join(MeetingParticipant, MeetingParticipant.user_id == User.id)
        .where(MeetingParticipant.meeting_id == meeting_id)
        .order_by(User.id)
    )
    return [(uid, name) for uid, name in rows]


def register(router: Router) -> None:
    """Register the meeting commands, buttons and flows."""
    router.command(Command("meeting", meeting_command, COORD, "cmd.meeting", private_only=True))
    router.command(Command("meetings", meetings_command, COORD, "cmd.meetings"))
    router.button(ButtonKind("mtg", meeting_button, None))
    router.flow(Flow(FLOW, meeting_flow, COORD))
    router.flow(Flow(MOVE, move_flow, COORD))
    router.flow(Flow(CANCEL, cancel_flow, COORD))
    router.flow(Flow(OUTCOME, outcome_flow, COORD))
    router.flow(Flow(RSVP, rsvp_flow, None))
