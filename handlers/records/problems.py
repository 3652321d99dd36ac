"""/record steps of the findings: result categories, then problems with item, description,
legal basis and photos."""

from __future__ import annotations

from handlers.core.model import Button, Reply
from handlers.core.router import Ctx, flow_button
from handlers.records import render
from handlers.records.checklist import back_from_photos
from handlers.records.steps import (
    FLOW,
    Data,
    Prompt,
    Step,
    base,
    button,
    goto,
    text_answer,
    unexpected,
)
from handlers.records.tasks import parse_id
from models import Item
from services.common.errors import InvalidInput
from services.messaging.conversations import State
from services.records import card as record_card
from services.records import checklist, evidence, problems, results, visits

# Prompts: the question of each step


async def ask_cats(ctx: Ctx, data: Data) -> Reply:
    chosen = await results.category_ids(ctx.session, data["r"])
    rows: list[tuple[Button, ...]] = []
    names = []
    categories = await results.all_categories(ctx.session)
    parents = {c.id: c.parent_id for c in categories}
    for c in categories:
        on = c.id in chosen
        if on:
            names.append(render.category_name(ctx, c))
        # The tree shows as indentation: a child under its parent.
        depth, parent = 0, c.parent_id
        while parent is not None and depth < len(parents):
            depth, parent = depth + 1, parents.get(parent)
        label = ("☑ " if on else "☐ ") + "　" * depth + render.category_name(ctx, c)
        rows.append((flow_button(label, FLOW, f"c{'-' if on else '+'}:{c.id}"),))
    rows.append(
        (button(ctx, "record.button.done", "cdone"), button(ctx, "record.button.leave", "leave"))
    )
    text = ctx.t("record.ask_categories", chosen=render.joined(ctx, names))
    proposed = await checklist.proposal(ctx.session, data["r"])
    if proposed:
        tree = {c.code: c for c in categories}
        labels = [render.category_name(ctx, tree[k]) for k in proposed if k in tree]
        text += "\n" + ctx.t("check.proposal_line", categories=render.joined(ctx, labels))
    # 开始检查 stays at hand (after the other buttons, so that their numbers stay).
    visit = await visits.visit_of(ctx.session, data["a"])
    if visit is None or visit.started_at is None:
        rows.append((button(ctx, "record.button.start_visit", "vstart"),))
    return Reply(text).with_buttons(*rows)


async def ask_problems(ctx: Ctx, data: Data) -> Reply:
    card = await record_card.card(ctx.session, ctx.user, data["r"])
    return ctx.reply("record.ask_problems", n=len(card.problems)).with_buttons(
        (button(ctx, "record.button.add_problem", "padd"),),
        (button(ctx, "record.button.no_more", "pnone"),),
        (button(ctx, "record.button.leave", "leave"),),
    )


async def ask_item(ctx: Ctx, data: Data) -> Reply:
    items = await problems.problem_items(ctx.session, data["r"])
    rows = [
        (flow_button(render.short(f"{i.code} {i.name}", 40), FLOW, f"item:{i.id}"),) for i in items
    ]
    rows.append((button(ctx, "record.button.no_item", "item:0"),))
    rows.append((button(ctx, "record.button.cancel_problem", "pcancel"),))
    return ctx.reply("record.ask_item").with_buttons(*rows)


async def ask_description(ctx: Ctx, data: Data) -> Reply:
    return ctx.reply("record.ask_description").with_buttons(
        (button(ctx, "record.button.cancel_problem", "pcancel"),)
    )


async def ask_basis(ctx: Ctx, data: Data) -> Reply:
    rows: list[tuple[Button, ...]] = []
    item = await ctx.session.get(Item, data["item"]) if data.get("item") else None
    if item is not None and item.legal_basis:
        rows.append(
            (button(ctx, "record.button.item_basis", "basis:item", basis=item.legal_basis),)
        )
    rows.append((button(ctx, "record.button.no_basis", "basis:none"),))
    return ctx.reply("record.ask_basis").with_buttons(*rows)


async def ask_photos(ctx: Ctx, data: Data) -> Reply:
    n = len(await evidence.problem_evidence(ctx.session, data["p"]))
    limit = f"{ctx.policy.evidence_max_bytes // (1024 * 1024)} MB"
    return ctx.reply("record.ask_photos", n=n, limit=limit).with_buttons(
        (button(ctx, "record.button.done", "pdone"),)
    )


# Steps: what an answer does


async def step_cats(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    if choice and choice[:3] in ("c+:", "c-:"):
        on = choice[1] == "+"
        await results.set_category(
            ctx.session,
            ctx.user,
            data["r"],
            parse_id(choice[3:], "record.bad_category"),
            on,
            ctx.now,
        )
        return await goto(ctx, data, "cats")
    if choice == "cdone":
        if not await results.category_ids(ctx.session, data["r"]):
            raise InvalidInput("record.need_category")
        return await goto(ctx, base(data), "hub" if data.get("back") else "probs")
    if choice == "vstart":
        return await goto(ctx, base(data), "v_start")
    return await unexpected(ctx, state, choice)


async def step_problems(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice == "pnone":
        return await goto(ctx, base(state.data), "hub" if state.data.get("back") else "meas")
    return await unexpected(ctx, state, choice)


async def step_item(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    if choice and choice.startswith("item:"):
        item_id = parse_id(choice[5:], "record.bad_item")
        if item_id and item_id not in {
            i.id for i in await problems.problem_items(ctx.session, state.data["r"])
        }:
            raise InvalidInput("record.bad_item", id=item_id)
        return await goto(ctx, {**base(state.data), "item": item_id or None}, "p_desc")
    return await unexpected(ctx, state, choice)


async def step_description(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    text = text_answer(ctx)
    if choice is not None or text is None:
        return await unexpected(ctx, state, choice)
    data = state.data
    problem = await problems.add_problem(
        ctx.session, ctx.user, data["r"], data.get("item"), text, ctx.now
    )
    card = await record_card.card(ctx.session, ctx.user, data["r"])
    note = ctx.t("record.problem_saved", n=len(card.problems))
    return await goto(ctx, {**data, "p": problem.id}, "p_basis", [note])


async def step_basis(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    text = text_answer(ctx)
    if choice == "basis:item" and data.get("item"):
        item = await ctx.session.get(Item, data["item"])
        if item is not None and item.legal_basis:
            await problems.set_legal_basis(
                ctx.session, ctx.user, data["p"], item.legal_basis, ctx.now
            )
    elif choice is None and text is not None:
        await problems.set_legal_basis(ctx.session, ctx.user, data["p"], text, ctx.now)
    elif choice != "basis:none":
        return await unexpected(ctx, state, choice)
    return await goto(ctx, data, "p_photo")


async def step_photo(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    if choice == "pdone":
        # A problem opened by a 不符合 returns to the check points where it was opened.
        at_point = back_from_photos(data)
        if at_point is not None:
            return await goto(ctx, at_point, "cl")
        return await goto(ctx, base(data), "probs")
    upload = ctx.incoming.file
    if upload is None:
        return await unexpected(ctx, state, choice)
    added = await evidence.attach(
        ctx.session,
        ctx.user,
        data["p"],
        data=upload.data,
        name=upload.name,
        files_dir=ctx.files_dir,
        now=ctx.now,
        platform_file_id=upload.platform_file_id,
        max_bytes=ctx.policy.evidence_max_bytes,
        allowed=ctx.policy.evidence_types,
    )
    digest = added.evidence.sha256[:12]
    if not added.created:
        return await goto(ctx, data, "p_photo", [ctx.t("record.photo_duplicate", sha=digest)])
    n = len(await evidence.problem_evidence(ctx.session, data["p"]))
    size = render.size_text(added.evidence.size)
    return await goto(
        ctx, data, "p_photo", [ctx.t("record.photo_saved", n=n, sha=digest, size=size)]
    )


PROMPTS: dict[str, Prompt] = {
    "cats": ask_cats,
    "probs": ask_problems,
    "p_item": ask_item,
    "p_desc": ask_description,
    "p_basis": ask_basis,
    "p_photo": ask_photos,
}

STEPS: dict[str, Step] = {
    "cats": step_cats,
    "probs": step_problems,
    "p_item": step_item,
    "p_desc": step_description,
    "p_basis": step_basis,
    "p_photo": step_photo,
}
