"""/objection and /objections: objections to a published part, recorded and decided in chat.

`/objection PART` records one (who, when, grounds, then a photo or file as evidence or
"no evidence"); `/objection ID reject REASON` and `/objection ID correct CATEGORIES…
[summary]` decide one (ID: the number or the reference); `/objections` lists the open ones.
"""

from __future__ import annotations

from datetime import date

from handlers.core.model import Attachment, Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from services.common.dates import parse_date
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.messaging.conversations import State
from services.publicity import corrections, objections, versions
from services.records import evidence

OFFICE = roles("coordinator", "reviewer")
FLOW = "objection"
LIST_LIMIT = 20
_MIB = 1024 * 1024


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _part_id(value: str) -> int:
    number = read_int(value, 1, MAX_ID)
    if number is None:
        raise InvalidInput("objection.part_not_found", id=value[:20])
    return number


def _b(ctx: Ctx, key: str, value: str, **params: object) -> Button:
    return flow_button(_short(ctx.t(key, **params), 40), FLOW, value)


def _cancel(ctx: Ctx) -> tuple[Button, ...]:
    return (_b(ctx, "objection.button_cancel", "cancel"),)


async def objection_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Record (`PART`), reject (`ID reject REASON`) or correct (`ID correct …`) one."""
    if not args:
        return [ctx.reply("objection.usage")]
    if len(args) == 1 and read_int(args[0], 1, MAX_ID) is not None:
        return await _start(ctx, _part_id(args[0]))
    if len(args) == 1:
        return await _show(ctx, args[0])
    action = args[1].lower()
    if action == "reject":
        if len(args) < 3:
            return await _ask_reason(ctx, args[0])
        found = await objections.reject(ctx.session, ctx.user, args[0], " ".join(args[2:]), ctx.now)
        return [ctx.reply("objection.rejected", reference=found.reference)]
    if action == "correct":
        return await _correct(ctx, args[0], args[2:])
    return [ctx.reply("objection.usage")]


async def _start(ctx: Ctx, result_id: int) -> list[Reply]:
    result = await objections.recordable(ctx.session, ctx.user, result_id)
    history = await versions.public_history(ctx.session, result.id)
    await ctx.start_flow(FLOW, "who", {"r": result.id})
    return [
        ctx.reply(
            "objection.ask_who", enterprise=history.enterprise, department=history.department
        ).with_buttons(_cancel(ctx))
    ]


async def _ask_reason(ctx: Ctx, ident: str) -> list[Reply]:
    objection, _ = await objections.decidable(ctx.session, ctx.user, ident)
    await ctx.start_flow(FLOW, "reason", {"o": objection.id})
    return [ctx.reply("objection.ask_reason").with_buttons(_cancel(ctx))]


async def _category_list(ctx: Ctx) -> str:
    rows = await corrections.active_categories(ctx.session)
    return "\n".join(f"{c.code}（{c.key}）{c.label(ctx.lang)[len(c.code) + 1 :]}" for c in rows)


async def _correct(ctx: Ctx, ident: str, words: list[str]) -> list[Reply]:
    parsed = await corrections.parse_words(ctx.session, words)
    if not parsed.names:
        found = await objections.view(ctx.session, ctx.user, ident)
        return [
            ctx.reply(
                "objection.how_to_correct",
                reference=found.objection.reference,
                categories=await _category_list(ctx),
            )
        ]
    decided = await corrections.correct(
        ctx.session,
        ctx.user,
        ident,
        parsed.names,
        parsed.summary,
        ctx.today,
        ctx.now,
        abnormal_days=ctx.policy.abnormal_proposal_days,
    )
    history = await versions.public_history(ctx.session, decided.result_id)
    current = history.versions[0]
    return [
        ctx.reply(
            "objection.corrected",
            enterprise=history.enterprise,
            department=history.department,
            version=current.number,
            date=current.corrected_on,
            categories=ctx.t("list.sep").join(f"{c} {n}" for c, n in current.categories),
        )
    ]


def _card(ctx: Ctx, found: objections.ObjectionView) -> str:
    o = found.objection
    text = ctx.t(
        "objection.card",
        reference=o.reference,
        source=ctx.t(f"objection.source.{o.source}"),
        enterprise=found.enterprise,
        code=found.credit_code,
        department=found.department,
        filed_by=o.filed_by,
        contact=o.contact or "-",
        filed_on=o.filed_on,
        due=o.review_due,
        status=ctx.t(f"objection.status.{o.status}"),
        grounds=o.grounds,
    )
    if o.decision:
        text += "\n" + ctx.t("objection.decision_line", decision=o.decision)
    return text


async def _show(ctx: Ctx, ident: str) -> list[Reply]:
    found = await objections.view(ctx.session, ctx.user, ident)
    rows: list[tuple[Button, ...]] = []
    if found.objection.evidence_id is not None:
        rows.append((ctx.button("objection.button_evidence", f"obj:ev:{found.objection.id}"),))
    if found.objection.status == "open":
        rows.append(
            (
                ctx.button("objection.button_reject", f"obj:rej:{found.objection.id}"),
                ctx.button("objection.button_correct", f"obj:fix:{found.objection.id}"),
            )
        )
    return [Reply(_card(ctx, found)).with_buttons(*rows)]


async def objections_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Open objections the user may decide, the earliest review deadline first."""
    items = await objections.open_objections(ctx.session, ctx.user)
    if not items:
        return [ctx.reply("objection.none")]
    lines = [ctx.t("objection.head")]
    rows: list[tuple[Button, ...]] = []
    for n, item in enumerate(items[:LIST_LIMIT], start=1):
        o = item.objection
        overdue = ctx.t("objection.overdue") if item.overdue(ctx.today) else ""
        lines.append(
            ctx.t(
                "objection.line",
                n=n,
                reference=o.reference,
                enterprise=item.enterprise,
                department=item.department,
                filed_on=o.filed_on,
                due=o.review_due,
                overdue=overdue,
            )
        )
        label = ctx.t("objection.button_show", reference=o.reference, enterprise=item.enterprise)
        rows.append((Button(_short(label, 40), f"obj:show:{o.id}"),))
    if len(items) > LIST_LIMIT:
        lines.append(ctx.t("list.more", n=len(items) - LIST_LIMIT))
    return [Reply("\n".join(lines)).with_buttons(*rows)]


async def objection_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`obj:show|ev|rej|fix:ID`."""
    if len(args) != 2 or read_int(args[1], 1, MAX_ID) is None:
        return [ctx.reply("error.unknown_button")]
    action, ident = args
    if action == "show":
        return await _show(ctx, ident)
    if action == "ev":
        file = await objections.evidence_of(ctx.session, ctx.user, ident)
        if file is None:
            return [ctx.reply("objection.no_evidence")]
        data = await evidence.read(ctx.files_dir, file)
        name = file.original_name or f"objection-{ident}"
        return [Reply(name, document=Attachment(name, file.mime, data))]
    if action == "rej":
        return await _ask_reason(ctx, ident)
    if action == "fix":
        return await _correct(ctx, ident, [])
    return [ctx.reply("error.unknown_button")]


def _text(ctx: Ctx) -> str | None:
    text = ctx.incoming.text
    return text if ctx.choice is None and text and text.strip() else None


async def _next(ctx: Ctx, state: State, step: str, reply: Reply) -> list[Reply]:
    await ctx.save_state(State(FLOW, step, state.data))
    return [reply]


async def objection_flow(ctx: Ctx, state: State) -> list[Reply]:
    """One answer while recording an objection, or the reason of a rejection."""
    choice, data, step = ctx.choice, state.data, state.step
    if choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("objection.cancelled")]
    if step == "reason" and (text := _text(ctx)) is not None:
        found = await objections.reject(ctx.session, ctx.user, str(data["o"]), text, ctx.now)
        await ctx.end_flow()
        return [ctx.reply("objection.rejected", reference=found.reference)]
    if step == "who" and (text := _text(ctx)) is not None:
        data["who"] = text.strip()[: objections.MAX_NAME]
        today = ctx.t("objection.button_today", date=ctx.today)
        question = ctx.reply("objection.ask_date").with_buttons(
            (flow_button(today, FLOW, "today"),), _cancel(ctx)
        )
        return await _next(ctx, state, "date", question)
    if step == "date" and (choice == "today" or _text(ctx) is not None):
        day = ctx.today if choice == "today" else parse_date(ctx.incoming.text or "")
        if day > ctx.today:
            raise InvalidInput("objection.date_future", date=day.isoformat())
        data["on"] = day.isoformat()
        question = ctx.reply("objection.ask_grounds").with_buttons(_cancel(ctx))
        return await _next(ctx, state, "grounds", question)
    if step == "grounds" and (text := _text(ctx)) is not None:
        data["why"] = text.strip()
        limit = f"{ctx.policy.evidence_max_bytes // _MIB} MB"
        question = ctx.reply("objection.ask_evidence", limit=limit).with_buttons(
            (_b(ctx, "objection.button_no_evidence", "none"),), _cancel(ctx)
        )
        return await _next(ctx, state, "evidence", question)
    if step == "evidence" and (choice == "none" or ctx.incoming.file is not None):
        return await _save(ctx, data)
    return [ctx.reply("error.unknown_button" if choice else "objection.use_buttons")]


async def _save(ctx: Ctx, data: dict[str, object]) -> list[Reply]:
    file = ctx.incoming.file
    upload = None
    if file is not None and ctx.choice is None:
        upload = objections.Upload(file.data, file.name, file.platform_file_id)
    filed = await objections.record(
        ctx.session,
        ctx.user,
        int(str(data["r"])),
        filed_by=str(data["who"]),
        filed_on=date.fromisoformat(str(data["on"])),
        grounds=str(data["why"]),
        upload=upload,
        files_dir=ctx.files_dir,
        today=ctx.today,
        now=ctx.now,
        review_days=ctx.policy.objection_review_days,
        max_bytes=ctx.policy.evidence_max_bytes,
        allowed=ctx.policy.evidence_types,
    )
    await ctx.end_flow()
    o = filed.objection
    replies = [ctx.reply("objection.recorded", reference=o.reference, due=o.review_due)]
    if filed.fallback:
        replies.append(ctx.reply("objection.fallback", years=o.review_due.year))
    return replies


def register(router: Router) -> None:
    """Register /objection, /objections, their buttons and the conversation."""
    router.command(
        Command("objection", objection_command, OFFICE, "cmd.objection", private_only=True)
    )
    router.command(
        Command("objections", objections_command, OFFICE, "cmd.objections", private_only=True)
    )
    router.button(ButtonKind("obj", objection_button, OFFICE))
    router.flow(Flow(FLOW, objection_flow, OFFICE))
