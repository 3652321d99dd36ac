"""/item CODE: an item of the joint list with its legal basis, departments and check points.

Any bound user may look (the list is public anyway): the inspectors at the door need the
check points most. A word instead of a code searches codes and names.
"""

from __future__ import annotations

from handlers.core.model import MAX_TEXT, Reply
from handlers.core.router import Command, Ctx, Router
from services.directory import items
from services.directory.items import ItemDetail

LIMIT = MAX_TEXT - 96  # room under the platforms' message limit


def _list(ctx: Ctx, found: list[tuple[str, str]], total: int) -> list[str]:
    lines = [ctx.t("item.line", code=code, name=name) for code, name in found]
    if total > len(found):
        lines.append(ctx.t("item.more", n=total - len(found)))
    return lines


def detail_lines(ctx: Ctx, item: ItemDetail) -> list[str]:
    """The item as text, a line each: head, what it checks and who, then its points."""
    lines = [
        ctx.t("item.head", code=item.code, name=item.name, kind=ctx.t(f"item.kind.{item.kind}"))
    ]
    if not item.active:
        lines.append(ctx.t("item.inactive"))
    if item.sub_item:
        lines.append(ctx.t("item.sub_item", value=item.sub_item))
    lines.append(ctx.t("item.object_type", value=item.object_type or ctx.t("item.all_objects")))
    if item.legal_basis:
        lines.append(ctx.t("item.basis", value=item.legal_basis))
    lines.append(ctx.t("item.initiating", value=item.initiating))
    cooperating = "、".join(item.cooperating) or ctx.t("item.none")
    lines.append(ctx.t("item.cooperating", value=cooperating))
    for key, value in (
        ("item.method", item.method),
        ("item.ratio", item.ratio),
        ("item.frequency", item.frequency),
    ):
        if value:
            lines.append(ctx.t(key, value=value))
    if not item.points:
        lines.append(ctx.t("item.no_points"))
        return lines
    lines.append(ctx.t("item.points_head", n=len(item.points)))
    for point in item.points:
        lines.append(ctx.t("item.point", seq=point.seq, content=point.content))
        if point.method:
            lines.append(ctx.t("item.point_method", value=point.method))
        if point.basis:
            lines.append(ctx.t("item.point_basis", value=point.basis))
    return lines


def pack(lines: list[str], limit: int = LIMIT) -> list[Reply]:
    """Lines as few replies as fit the message limit, never splitting a line that fits."""
    replies: list[str] = []
    current = ""
    for line in lines:
        for piece in [line[i : i + limit] for i in range(0, len(line), limit)] or [""]:
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) > limit and current:
                replies.append(current)
                joined = piece
            current = joined
    if current or not replies:
        replies.append(current)
    return [Reply(text) for text in replies]


async def item_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Show an item by code; with a word, the items it finds; with nothing, the list."""
    text = " ".join(args).strip()
    if not text:
        found, total = await items.active_items(ctx.session)
        return pack([ctx.t("item.usage", total=total), *_list(ctx, found, total)])
    found = await items.find_items(ctx.session, text)
    if not found:
        return [ctx.reply("item.not_found", code=text[: items.MAX_QUERY])]
    if len(found) > 1:
        head = ctx.t("item.several", n=len(found), text=text[: items.MAX_QUERY])
        return pack([head, *_list(ctx, found, len(found))])
    detail = await items.item_detail(ctx.session, found[0][0])
    return pack(detail_lines(ctx, detail))


def register(router: Router) -> None:
    """Register /item (any bound user)."""
    router.command(Command("item", item_command, None, "cmd.item"))
