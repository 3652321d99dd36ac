"""/review and /publish for coordinators: the most urgent publication deadline first."""

from __future__ import annotations

from handlers.core.model import Attachment, Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Flow, Router, flow_button, roles
from handlers.records import render, signing
from handlers.records.tasks import parse_id
from services.messaging.conversations import State
from services.records import card as record_card
from services.records import evidence, media, publication, results, review, signature_status

# Coordinators review every department's parts; a reviewer those of their own department.
COORD = roles("coordinator", "reviewer")
FLOW = "review"
LIST_LIMIT = 20


async def review_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Records waiting for review, due soon first, each with a button."""
    items = await review.awaiting(ctx.session, ctx.user)
    if not items:
        return [ctx.reply("review.none")]
    today = render.today(ctx)
    lines = [ctx.t("review.head")]
    rows: list[tuple[Button, ...]] = []
    for n, item in enumerate(items[:LIST_LIMIT], start=1):
        lines.append(render.queue_line(ctx, n, item, today))
        label = ctx.t("review.button_show", enterprise=render.short(item.enterprise))
        rows.append((Button(label, f"review:show:{item.result_id}"),))
    if len(items) > LIST_LIMIT:
        lines.append(ctx.t("list.more", n=len(items) - LIST_LIMIT))
    return [Reply("\n".join(lines)).with_buttons(*rows)]


async def review_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`review:show|ok|ret|ev:ID`."""
    if len(args) != 2:
        return [ctx.reply("error.unknown_button")]
    action, result_id = args[0], parse_id(args[1], "record.not_found")
    if action == "show":
        card = await record_card.card(ctx.session, ctx.user, result_id)
        buttons = (
            (Button(ctx.t("review.button_approve"), f"review:ok:{result_id}"),),
            (Button(ctx.t("review.button_return"), f"review:ret:{result_id}"),),
            (Button(ctx.t("review.button_evidence"), f"review:ev:{result_id}"),),
        )
        signed = await signature_status.status(ctx.session, card.result.assignment_id)
        text = "\n".join([render.card_text(ctx, card), *signing.status_lines(ctx, signed)])
        return [Reply(text).with_buttons(*buttons)]
    if action == "ok":
        result = await review.approve(ctx.session, ctx.user, result_id, ctx.now)
        return [ctx.reply("review.approved", enterprise=await _enterprise(ctx, result.id))]
    if action == "ret":
        await record_card.card(ctx.session, ctx.user, result_id)  # exists and may be seen
        await ctx.start_flow(FLOW, "reason", {"r": result_id})
        cancel = flow_button(ctx.t("followup.button_cancel"), FLOW, "cancel")
        return [ctx.reply("review.ask_reason").with_buttons((cancel,))]
    if action == "ev":
        return await _evidence(ctx, result_id)
    return [ctx.reply("error.unknown_button")]


async def _enterprise(ctx: Ctx, result_id: int) -> str:
    return (await record_card.card(ctx.session, ctx.user, result_id)).task.enterprise


async def _evidence(ctx: Ctx, result_id: int) -> list[Reply]:
    await results.result_for_view(ctx.session, ctx.user, result_id)
    files = await evidence.result_evidence(ctx.session, result_id)
    if not files:
        return [ctx.reply("review.no_evidence")]
    replies = []
    for n, f in enumerate(files, start=1):
        data = await evidence.read(ctx.files_dir, f)
        # A voice message comes without a name: its type is said in the caption.
        name = f.original_name or f"evidence-{n}{media.SUFFIXES.get(f.mime, '')}"
        caption = f"{n}. {media.LABELS.get(f.mime, f.mime)} {name} (SHA-256 {f.sha256[:12]}…)"
        replies.append(Reply(caption, document=Attachment(name, f.mime, data)))
    return replies


async def review_flow(ctx: Ctx, state: State) -> list[Reply]:
    """The reason of a return."""
    if ctx.choice == "cancel":
        await ctx.end_flow()
        return [ctx.reply("review.cancelled")]
    text = ctx.incoming.text
    if ctx.choice is not None or not text or not text.strip():
        return [ctx.reply("review.ask_reason")]
    result = await review.return_to_team(ctx.session, ctx.user, state.data["r"], text, ctx.now)
    await ctx.end_flow()
    enterprise = await _enterprise(ctx, result.id)
    return [ctx.reply("review.returned", enterprise=enterprise, reason=result.return_reason)]


async def publish_command(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Approved results, due soon first, each with a publish button."""
    items = await publication.ready_to_publish(ctx.session, ctx.user)
    if not items:
        return [ctx.reply("publish.none")]
    today = render.today(ctx)
    lines = [ctx.t("publish.head")]
    rows: list[tuple[Button, ...]] = []
    for n, item in enumerate(items[:LIST_LIMIT], start=1):
        lines.append(render.queue_line(ctx, n, item, today))
        label = ctx.t("publish.button", enterprise=render.short(item.enterprise))
        rows.append((Button(label, f"pub:{item.result_id}"),))
    if len(items) > 1:
        rows.append((Button(ctx.t("publish.button_all", n=len(items)), "pub:all"),))
    if len(items) > LIST_LIMIT:
        lines.append(ctx.t("list.more", n=len(items) - LIST_LIMIT))
    return [Reply("\n".join(lines)).with_buttons(*rows)]


async def publish_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """`pub:ID` publishes one result; `pub:all` every approved one."""
    if len(args) != 1:
        return [ctx.reply("error.unknown_button")]
    if args[0] == "all":
        items = await publication.ready_to_publish(ctx.session, ctx.user)
        if not items:
            return [ctx.reply("publish.none")]
        for item in items:
            await publication.publish(
                ctx.session,
                ctx.user,
                item.result_id,
                ctx.now,
                abnormal_days=ctx.policy.abnormal_proposal_days,
            )
        return [ctx.reply("publish.done_all", n=len(items))]
    result_id = parse_id(args[0], "record.not_found")
    await publication.publish(
        ctx.session, ctx.user, result_id, ctx.now, abnormal_days=ctx.policy.abnormal_proposal_days
    )
    return [ctx.reply("publish.done", enterprise=await _enterprise(ctx, result_id))]


def register(router: Router) -> None:
    """Register /review, /publish, their buttons and the return conversation."""
    router.command(Command("review", review_command, COORD, "cmd.review", private_only=True))
    router.command(Command("publish", publish_command, COORD, "cmd.publish", private_only=True))
    router.button(ButtonKind("review", review_button, COORD))
    router.button(ButtonKind("pub", publish_button, COORD))
    router.flow(Flow(FLOW, review_flow, COORD))
