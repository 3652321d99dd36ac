"""The core commands: /start, /help, /cancel, /whoami, /lang and /bind."""

from __future__ import annotations

from handlers.core.model import Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Router
from services.accounts import invites, users
from services.accounts.actors import Actor

ROLE_ORDER = ("admin", "coordinator", "inspector", "leader")


def role_names(ctx: Ctx, actor: Actor) -> str:
    """The actor's roles in the user's language."""
    names = [ctx.t(f"role.{r}") for r in ROLE_ORDER if r in actor.roles]
    return ctx.t("list.sep").join(names) if names else ctx.t("roles.none")


async def start(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Greet the user and offer the most useful buttons."""
    if ctx.actor is None:
        return [ctx.reply("start.stranger")]
    text = ctx.t("start.welcome", name=ctx.actor.name, roles=role_names(ctx, ctx.actor))
    row = (
        ctx.button("button.help", "cmd:help"),
        ctx.button("button.whoami", "cmd:whoami"),
        ctx.button("button.lang", "cmd:lang"),
    )
    return [Reply(text).with_buttons(row)]


async def help_(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """List the commands the user's roles allow."""
    lines = [ctx.t("help.header")]
    for command in ctx.router.visible_commands(ctx.actor):
        lines.append(f"/{command.name} - {ctx.t(command.help_key)}")
    if ctx.incoming.platform == "console":
        # Only the console numbers its buttons: say how to send a number as text.
        lines.append(ctx.t("console.help_hint"))
    lines.append(ctx.t("help.footer"))
    return [Reply("\n".join(lines))]


async def cancel(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Leave the active conversation."""
    return [ctx.reply("cancel.done" if await ctx.end_flow() else "cancel.nothing")]


async def whoami(ctx: Ctx, _args: list[str]) -> list[Reply]:
    """Show the account, roles and language."""
    actor = ctx.user
    return [
        ctx.reply(
            "whoami.text",
            name=actor.name,
            login=actor.login,
            roles=role_names(ctx, actor),
            platform=ctx.incoming.platform,
            language=ctx.lang,
        )
    ]


async def lang(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Switch the language, or offer the choice as buttons."""
    if not args:
        row = (Button("中文", "lang:zh"), Button("English", "lang:en"))
        return [ctx.reply("lang.choose").with_buttons(row)]
    return await _set_lang(ctx, args[0].lower())


async def _set_lang(ctx: Ctx, value: str) -> list[Reply]:
    await users.set_language(ctx.session, ctx.user, value, ctx.now)
    ctx.lang = value
    return [ctx.reply("lang.set")]


async def lang_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A language button."""
    return await _set_lang(ctx, args[0] if args else "")


async def command_button(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A button that runs a command, with the command's own role check."""
    command = ctx.router.commands.get(args[0] if args else "")
    if command is None or command.private_only:
        return [ctx.reply("error.unknown_button")]
    if command.roles is not None and not ctx.user.has(*command.roles):
        return [ctx.reply("error.not_allowed")]
    return await command.handler(ctx, args[1:])


async def bind(ctx: Ctx, args: list[str]) -> list[Reply]:
    """Bind this chat account with an invite code."""
    if ctx.actor is not None:
        return [ctx.reply("bind.already")]
    if len(args) != 1:
        return [ctx.reply("bind.usage")]
    incoming = ctx.incoming
    result = await invites.bind(
        ctx.session,
        platform=incoming.platform,
        external_id=incoming.sender_id,
        chat_id=incoming.chat_id,
        display_name=incoming.sender_name,
        code=args[0],
        now=ctx.now,
    )
    if result.outcome is invites.BindOutcome.BOUND:
        return [ctx.reply("bind.bound", name=result.name or "")]
    return [ctx.reply(f"bind.{result.outcome.value}")]


def register(router: Router) -> None:
    """Register the core commands."""
    router.command(Command("start", start, None, "cmd.start", public=True))
    router.command(Command("help", help_, None, "cmd.help", public=True))
    router.command(Command("cancel", cancel, None, "cmd.cancel"))
    router.command(Command("whoami", whoami, None, "cmd.whoami"))
    router.command(Command("lang", lang, None, "cmd.lang"))
    router.command(
        Command("bind", bind, None, "cmd.bind", public=True, private_only=True, strangers_only=True)
    )
    router.button(ButtonKind("cmd", command_button, None))
    router.button(ButtonKind("lang", lang_button, None))
