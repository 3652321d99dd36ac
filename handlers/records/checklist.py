"""/record step of the check points: one item at a time, each point answered 符合 / 不符合 /
未检查 / 合理缺项, "本事项全部符合" for the rest of an item, a note typed after an answer.

A button names the point and the answer ("ck:12:n"), so a duplicated press answers once.
Only the points of the item on screen are taken. A 不符合 opens its problem and asks for
its photos; "完成" there comes back here. Finishing pre-selects the categories the answers
propose (when none is chosen yet) and moves on to them.
"""

from __future__ import annotations

from handlers.core.model import Button, Reply
from handlers.core.router import Ctx
from handlers.records import render, render_field
from handlers.records.steps import (
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
from services.common.errors import InvalidInput
from services.messaging.conversations import State
from services.records import checklist, codes
from services.records.checkpoints import ItemSheet, PointView, sheet

CODES = {"c": "conform", "n": "nonconform", "u": "unchecked", "a": "not_applicable"}
KEEP = ("it", "pt", "last")  # the item on screen, its current point, the last answered


def _item(sheets: list[ItemSheet], data: Data) -> ItemSheet:
    """The item on screen: the one chosen, else the first with points left to answer."""
    for s in sheets:
        if s.item_id == data.get("it"):
            return s
    return next((s for s in sheets if s.count(None)), sheets[0])


def _current(item: ItemSheet, data: Data) -> PointView | None:
    """The point the answer buttons answer: the one chosen, else the first unanswered."""
    for p in item.points:
        if p.id == data.get("pt"):
            return p
    return next((p for p in item.points if p.answer is None), None)


def _next_open(item: ItemSheet, after: int) -> int | None:
    """The next unanswered point after `after` (wrapping round), or None."""
    ids = [p.id for p in item.points]
    start = ids.index(after) + 1 if after in ids else 0
    for p in [*item.points[start:], *item.points[:start]]:
        if p.answer is None and p.id != after:
            return p.id
    return None


async def ask_checklist(ctx: Ctx, data: Data) -> Reply:
    sheets = await sheet(ctx.session, data["r"])
    if not sheets:
        return ctx.reply("check.none").with_buttons((button(ctx, "check.button.done", "cldone"),))
    item = _item(sheets, data)
    index = sheets.index(item)
    current = _current(item, data)
    lines = [
        ctx.t(
            "check.item_head",
            n=index + 1,
            total=len(sheets),
            code=item.code,
            name=item.name,
            answered=item.answered,
            points=len(item.points),
        )
    ]
    for p in item.points:
        lines.append(render_field.point_line(ctx, p, p == current))
        if p == current:
            if p.method:
                lines.append(ctx.t("check.point_method", method=p.method))
            if p.basis or item.legal_basis:
                lines.append(ctx.t("check.point_basis", basis=p.basis or item.legal_basis))
    rows: list[tuple[Button, ...]] = []
    if not item.count(None):
        lines.append(ctx.t("check.item_done"))
    if current is not None:
        if current.answer is None:
            lines.append(ctx.t("check.ask_point", seq=current.seq))
        else:
            answer = ctx.t(f"check.answer.{current.answer}")
            lines.append(ctx.t("check.change_point", seq=current.seq, answer=answer))
        rows.append((_answer(ctx, current, "c"), _answer(ctx, current, "n")))
        rows.append((_answer(ctx, current, "u"), _answer(ctx, current, "a")))
    last = next((p for p in item.points if p.id == data.get("last")), None)
    if last is not None:
        lines.append(ctx.t("check.note_hint", seq=last.seq))
    if item.count(None):
        rows.append((button(ctx, "check.button.all_conform", f"call:{item.item_id}"),))
    rows.append(_point_moves(ctx, item, current))
    moves = []
    if index > 0:
        moves.append(button(ctx, "check.button.prev_item", f"ci:{sheets[index - 1].item_id}"))
    if index < len(sheets) - 1:
        moves.append(button(ctx, "check.button.next_item", f"ci:{sheets[index + 1].item_id}"))
    rows.append((*moves, button(ctx, "check.button.done", "cldone")))
    rows.append((button(ctx, "record.button.leave", "leave"),))
    return Reply("\n".join(lines)).with_buttons(*[r for r in rows if r])


def _answer(ctx: Ctx, point: PointView, code: str) -> Button:
    return button(ctx, f"check.answer.{CODES[code]}", f"ck:{point.id}:{code}")


def _point_moves(ctx: Ctx, item: ItemSheet, current: PointView | None) -> tuple[Button, ...]:
    ids = [p.id for p in item.points]
    at = ids.index(current.id) if current is not None else len(ids)
    moves = []
    if at > 0:
        moves.append(button(ctx, "check.button.prev_point", f"cp:{ids[at - 1]}"))
    if at < len(ids) - 1:
        moves.append(button(ctx, "check.button.next_point", f"cp:{ids[at + 1]}"))
    return tuple(moves)


async def step_checklist(ctx: Ctx, state: State, choice: str | None) -> list[Reply]:
    data = state.data
    sheets = await sheet(ctx.session, data["r"])
    if not sheets:
        return await _finish(ctx, data)
    item = _item(sheets, data)
    where = {**base(data), "it": item.item_id}
    words = (choice or "").split(":")
    if words[0] == "ck" and len(words) == 3 and words[2] in CODES:
        return await _answered(
            ctx, sheets, item, where, parse_id(words[1], "error.unknown_button"), CODES[words[2]]
        )
    if words[0] == "call" and len(words) == 2:
        n = await checklist.all_conform(
            ctx.session, ctx.user, data["r"], parse_id(words[1], "error.unknown_button"), ctx.now
        )
        return await goto(ctx, where, "cl", [ctx.t("check.all_conform_done", n=n)])
    if words[0] == "cp" and len(words) == 2:
        pointer = parse_id(words[1], "error.unknown_button")
        if pointer not in {p.id for p in item.points}:
            return [ctx.reply("error.unknown_button")]
        return await goto(ctx, {**where, "pt": pointer}, "cl")
    if words[0] == "ci" and len(words) == 2:
        chosen = parse_id(words[1], "error.unknown_button")
        if chosen not in {s.item_id for s in sheets}:
            return [ctx.reply("error.unknown_button")]
        return await goto(ctx, {**base(data), "it": chosen}, "cl")
    if choice == "cldone":
        return await _finish(ctx, data)
    text = text_answer(ctx)
    if choice is None and text is not None and data.get("last"):
        noted = next((p for p in item.points if p.id == data["last"]), None)
        if noted is not None:
            await checklist.set_note(ctx.session, ctx.user, data["r"], noted.id, text, ctx.now)
            note = ctx.t("check.note_saved", seq=noted.seq)
            return await goto(ctx, {**where, **_kept(data)}, "cl", [note])
    return await unexpected(ctx, state, choice)


def _kept(data: Data) -> Data:
    return {k: data[k] for k in KEEP if k in data}


async def _answered(
    ctx: Ctx, sheets: list[ItemSheet], item: ItemSheet, where: Data, point_id: int, value: str
) -> list[Reply]:
    others = {p.id: s for s in sheets for p in s.points if s is not item}
    if point_id in others:  # a point of the part, but not of the item on screen
        other = others[point_id]
        raise InvalidInput("checklist.other_item", item=f"{other.code} {other.name}")
    done = await checklist.answer(ctx.session, ctx.user, where["r"], point_id, value, ctx.now)
    point = next(p for p in item.points if p.id == point_id)
    notes = [ctx.t("check.saved", seq=point.seq, answer=ctx.t(f"check.answer.{value}"))]
    if done.removed is not None:
        notes.append(ctx.t("check.problem_removed"))
    if done.kept is not None:
        notes.append(ctx.t("check.problem_kept"))
    follow = _next_open(item, point_id)
    data = {**where, "last": point_id, **({"pt": follow} if follow else {"pt": point_id})}
    if done.opened is not None:
        problem = done.opened
        notes.append(
            ctx.t(
                "check.problem_opened",
                description=problem.description,
                basis=problem.legal_basis or "-",
            )
        )
        return await goto(ctx, {**data, "p": problem.id, "ret": "cl"}, "p_photo", notes)
    return await goto(ctx, data, "cl", notes)


async def _finish(ctx: Ctx, data: Data) -> list[Reply]:
    notes = []
    left = sum(s.count(None) for s in await sheet(ctx.session, data["r"]))
    if left:
        notes.append(ctx.t("check.unanswered", n=left))
    keys = await checklist.apply_proposal(ctx.session, ctx.user, data["r"], ctx.now)
    if keys:
        tree = await codes.tree_from_db(ctx.session)
        labels = render.joined(ctx, [tree[k].label(ctx.lang) for k in keys])
        notes.append(ctx.t("check.proposed", categories=labels))
    return await goto(ctx, base(data), "hub" if data.get("back") else "cats", notes)


def back_from_photos(data: Data) -> Data | None:
    """Where "完成" of a problem opened by a 不符合 returns: the checklist's place."""
    if data.get("ret") != "cl":
        return None
    return {**base(data), **_kept(data)}


PROMPTS: dict[str, Prompt] = {"cl": ask_checklist}

STEPS: dict[str, Step] = {"cl": step_checklist}
