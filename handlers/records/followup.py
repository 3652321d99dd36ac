"""/followup: re-inspect orders to correct (corrected, extended, or a case filed) and close
cases with their decision."""

from __future__ import annotations

from datetime import date

from handlers.core.model import Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.records import render
from handlers.records.guard import guarded
from handlers.records.tasks import parse_id
from services.common.dates import parse_date
from services.messaging.conversations import State
from services.records import cases, extension, followup, notices

FIELD = roles("inspector", "coordinator", "reviewer")
FLOW = "followup"
LIST_LIMIT = 20


async def followup_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Open notices and cases of the user's teams (the office: all), earliest due first."""
    items = await followup.open_followups(ctx.session, ctx.user)
    if not items:
        return [ctx.reply("followup.none")]
    today = render.today(ctx)
    lines = [ctx.t("followup.head")]
    rows: list[tuple[Button, ...]] = []
    for n, item in enumerate(items[:LIST_LIMIT], start=1):
        overdue = ctx.t("followup.overdue") if item.overdue(today) else ""
        if item.kind in ("o", "a"):  # objections and abnormal-operations proposals
            params = {"number": item.number, "enterprise": item.enterprise, "due": item.due}
            lines.append(ctx.t(f"publicity.followup_{item.kind}", n=n, overdue=overdue, **params))
            label = ctx.t(f"publicity.button_{item.kind}", enterprise=render.short(item.enterprise))
            prefix = "obj" if item.kind == "o" else "abn"
            rows.append((Button(label, f"{prefix}:show:{item.id}"),))
            continue
        if item.kind == "n":
            lines.append(
                ctx.t(
                    "followup.notice_line",
                    n=n,
                    number=item.number,
                    enterprise=item.enterprise,
                    due=item.due,
                    status=ctx.t(f"nstatus.{item.status}"),
                    overdue=overdue,
                )
            )
            label = ctx.t("followup.button_notice", number=render.short(item.number))
        else:
            lines.append(
                ctx.t(
                    "followup.case_line",
                    n=n,
                    number=item.number,
                    enterprise=item.enterprise,
                    due=item.due,
                    overdue=overdue,
                )
            )
            label = ctx.t("followup.button_case", number=render.short(item.number))
        rows.append((Button(label, f"fup:{item.kind}:{item.id}"),))
    if len(items) > LIST_LIMIT:
        lines.append(ctx.t("list.more", n=len(items) - LIST_LIMIT))
    return [Reply("\n".join(lines)).with_buttons(*rows)]


def _b(ctx: Ctx, key: str, value: str, **params: object) -> Button:
    return flow_button(render.short(ctx.t(key, **params), 40), FLOW, value)


def _cancel(ctx: Ctx) -> tuple[Button, ...]:
    return (_b(ctx, "followup.button_cancel", "cancel"),)


def _today(ctx: Ctx) -> tuple[Button, ...]:
    return (_b(ctx, "record.button.today", "today", date=render.today(ctx)),)


async def followup_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`fup:n:ID` re-inspects a notice; `fup:c:ID` closes a case."""
    if len(args) != 2 or args[0] not in ("n", "c"):
        return [ctx.reply("error.unknown_button")]
    if args[0] == "n":
        notice_id = parse_id(args[1], "notice.not_found")
        notice, _ = await notices.notice_for_followup(
            ctx.session, ctx.user, notice_id, "notice.open"
        )
        await ctx.start_flow(FLOW, "outcome", {"n": notice_id})
        return [
            ctx.reply(
                "followup.ask_outcome", number=notice.number, deadline=notice.deadline
            ).with_buttons(
                (_b(ctx, "followup.button_corrected", "corrected"),),
                (_b(ctx, "followup.button_extend", "extend"),),
                (_b(ctx, "followup.button_case_filed", "case"),),
                _cancel(ctx),
            )
        ]
    case_id = parse_id(args[1], "case.not_found")
    case = await cases.case_for_followup(ctx.session, ctx.user, case_id, "case.open")
    await ctx.start_flow(FLOW, "decision", {"c": case_id})
    return [ctx.reply("followup.ask_decision", number=case.number).with_buttons(_cancel(ctx))]


def _date(ctx: Ctx, choice: str | None) -> date | None:
    if choice == "today":
        return render.today(ctx)
    text = ctx.incoming.text
    return parse_date(text) if choice is None and text and text.strip() else None


def _text(ctx: Ctx, choice: str | None) -> str | None:
    text = ctx.incoming.text
    return text if choice is None and text and text.strip() else None


async def _ask(ctx: Ctx, state: State, step: str, key: str, *, today: bool) -> list[Reply]:
    await ctx.save_state(State(FLOW, step, state.data))
    rows = (_today(ctx), _cancel(ctx)) if today else (_cancel(ctx),)
    return [ctx.reply(key).with_buttons(*rows)]


async def followup_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One answer of a re-inspection or a case closing."""
    choice, data, step = ctx.choice, state.data, state.step
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("followup.cancelled")]
    today = render.today(ctx)
    if step == "outcome":
        nexts = {
            "corrected": ("corrected_on", "followup.ask_corrected_on", True),
            "extend": ("new_deadline", "followup.ask_new_deadline", False),
            "case": ("case_number", "record.ask_case_number", False),
        }
        if choice in nexts:
            target, key, with_today = nexts[choice]
            return await _ask(ctx, state, target, key, today=with_today)
    elif step == "corrected_on" and (day := _date(ctx, choice)) is not None:
        notice = await notices.notice_corrected(
            ctx.session, ctx.user, data["n"], day, today, ctx.now
        )
        await ctx.end_flow()
        return [ctx.reply("followup.corrected", number=notice.number, date=day)]
    elif step == "new_deadline" and (day := _date(ctx, choice)) is not None:
        await extension.check_new_deadline(ctx.session, ctx.user, data["n"], day, today)
        state.data["deadline"] = day.isoformat()
        return await _ask(ctx, state, "reason", "followup.ask_reason", today=False)
    elif step == "reason" and (text := _text(ctx, choice)) is not None:
        day = date.fromisoformat(data["deadline"])
        notice = await notices.notice_extended(
            ctx.session, ctx.user, data["n"], day, text, today, ctx.now
        )
        await ctx.end_flow()
        return [ctx.reply("followup.extended", number=notice.number, date=day)]
    elif step == "case_number" and (text := _text(ctx, choice)) is not None:
        state.data["num"] = await cases.check_case_number(ctx.session, text)
        return await _ask(ctx, state, "filed_on", "record.ask_filed_on", today=True)
    elif step == "filed_on" and (day := _date(ctx, choice)) is not None:
        case = await cases.notice_to_case(
            ctx.session,
            ctx.user,
            data["n"],
            number=data["num"],
            filed_on=day,
            today=today,
            now=ctx.now,
        )
        await ctx.end_flow()
        notice_number = (await notices.notice_number(ctx.session, data["n"])) or ""
        return [
            ctx.reply(
                "followup.case_filed",
                number=notice_number,
                case=case.number,
                due=case.decision_due,
            )
        ]
    elif step == "decision" and (text := _text(ctx, choice)) is not None:
        state.data["decision"] = text.strip()
        return await _ask(ctx, state, "closed_on", "followup.ask_closed_on", today=True)
    elif step == "closed_on" and (day := _date(ctx, choice)) is not None:
        case = await cases.close_case(
            ctx.session, ctx.user, data["c"], data["decision"], day, today, ctx.now
        )
        await ctx.end_flow()
        return [ctx.reply("followup.case_closed", number=case.number)]
    return [ctx.reply("error.unknown_button" if choice else "record.use_buttons")]


def register(router: Router) -> None:
    """Register /followup, its buttons and the conversation."""
    router.command(
        Command("followup", guarded(followup_command), FIELD, "cmd.followup", private_only=True)
    )
    router.button(ButtonKind("fup", guarded(followup_button), FIELD))
    router.flow(Flow(FLOW, guarded(followup_flow), FIELD))
