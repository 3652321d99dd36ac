"""Every registered command, button kind and flow against every role and a stranger.

The router is built with `bot.app.build_router()`, so commands other features add later are
covered without touching this file. For each pair the role may not reach, the reply is the
polite refusal and not one row changes; a stranger gets only /start, /help and /bind.
Ownership of objects (an inspector reaching only their own teams' assignments) is checked
by the services and tested with the field records (tests/test_records_*.py).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.app import App, build_router
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.core.model import Incoming, Reply
from handlers.core.router import FLOW_BUTTON
from models import Inspector, PlatformAccount, User
from services.accounts import invites
from services.accounts.actors import Actor, actor_for_account
from services.common.errors import NotAllowed
from services.draw import freeze as draws
from services.draw import plans, run
from services.meetings import schedule
from services.messaging import conversations
from services.messaging.conversations import State
from services.records import publication, review
from tests import draw_fixture as fx
from tests.helpers import row_counts
from tests.telegram_helpers import add_user, bind_telegram

ROUTER = build_router()
ROLES = ("admin", "coordinator", "inspector", "leader")
PEOPLE = {"admin": ("adm", 101), "coordinator": ("crd", 102), "inspector": ("x01", 103)}
PEOPLE["leader"] = ("ldr", 104)
STRANGER_ID = 199
GROUP = -100500
NOT_ALLOWED = t("zh", "error.not_allowed")
STRANGER = t("zh", "error.stranger")
UNKNOWN_BUTTON = t("zh", "error.unknown_button")
GROUP_PRIVATE = t("zh", "error.group_private")
PUBLIC = {"start", "help", "bind"}


async def _people(app: App) -> None:
    await fx.build(app)  # inspectors x01... with the inspector role
    await add_user(app, "adm", "管理员", "admin")
    await add_user(app, "crd", "协调员", "coordinator")
    await add_user(app, "ldr", "领导", "leader")
    for login, telegram_id in PEOPLE.values():
        await bind_telegram(app, login, telegram_id)


async def _send(
    app: App, who: int, text: str | None = None, button: str | None = None, group: bool = False
) -> list[Reply]:
    chat = GROUP if group else who
    return await app.core.handle(
        Incoming(
            "telegram",
            str(who),
            str(chat),
            sender_name="T",
            text=text,
            button=button,
            is_group=group,
        )
    )


def _only(replies: list[Reply]) -> str:
    return replies[0].text if len(replies) == 1 else repr([r.text for r in replies])


def _denied(roles: frozenset[str] | None) -> list[str]:
    return [r for r in ROLES if roles is not None and r not in roles]


def test_the_matrix_covers_every_feature() -> None:
    # Sanity: the router has what the features register, each with a help text.
    assert {"start", "help", "bind", "invite", "draw", "tasks", "record"} <= set(ROUTER.commands)
    assert {"cmd", "rec", "task"} <= set(ROUTER.buttons)
    assert {"draw", "record"} <= set(ROUTER.flows)
    assert all(c.help_key for c in ROUTER.commands.values())


async def test_every_command_against_every_role(app: App) -> None:
    assert set(app.router.commands) == set(ROUTER.commands)
    await _people(app)
    wrong: list[str] = []
    checked = 0
    for command in ROUTER.commands.values():
        for role in _denied(command.roles):
            checked += 1
            for text in (f"/{command.name}", f"/{command.name} 1 2"):
                before = await row_counts(app)
                said = _only(await _send(app, PEOPLE[role][1], text))
                if said != NOT_ALLOWED:
                    wrong.append(f"{role} {text}: {said}")
                if await row_counts(app) != before:
                    wrong.append(f"{role} {text}: rows changed")
        for role in ROLES:
            if role in _denied(command.roles):
                continue
            # Allowed: the router lets the role through (what follows is the feature's).
            said = _only(await _send(app, PEOPLE[role][1], f"/{command.name}"))
            if said in (NOT_ALLOWED, STRANGER):
                wrong.append(f"{role} /{command.name} (allowed): {said}")
            await _send(app, PEOPLE[role][1], "/cancel")
    assert not wrong, "\n".join(wrong)
    assert checked >= len(ROUTER.commands)  # most commands are closed to some role


async def test_a_stranger_gets_only_start_help_and_bind(app: App) -> None:
    await _people(app)
    wrong: list[str] = []
    for command in ROUTER.commands.values():
        before = await row_counts(app)
        said = _only(await _send(app, STRANGER_ID, f"/{command.name}"))
        if (said == STRANGER) == (command.name in PUBLIC):
            wrong.append(f"/{command.name}: {said}")
        if await row_counts(app) != before:
            wrong.append(f"/{command.name}: rows changed")
    for prefix in ROUTER.buttons:
        before = await row_counts(app)
        if _only(await _send(app, STRANGER_ID, button=f"{prefix}:1")) != STRANGER:
            wrong.append(f"button {prefix}")
        if await row_counts(app) != before:
            wrong.append(f"button {prefix}: rows changed")
    for flow in ROUTER.flows:
        said = _only(await _send(app, STRANGER_ID, button=f"{FLOW_BUTTON}:{flow}:1"))
        if said not in (STRANGER, UNKNOWN_BUTTON):
            wrong.append(f"flow {flow}: {said}")
    for text in ("你好", "1"):
        if _only(await _send(app, STRANGER_ID, text)) != STRANGER:
            wrong.append(f"text {text}")
    assert not wrong, "\n".join(wrong)
    menu = _only(await _send(app, STRANGER_ID, "/help"))
    listed = {line.split()[0] for line in menu.splitlines() if line.startswith("/")}
    assert listed == {"/start", "/help", "/bind"}


async def test_every_button_kind_against_every_role(app: App) -> None:
    await _people(app)
    wrong: list[str] = []
    for prefix, kind in ROUTER.buttons.items():
        for role in _denied(kind.roles):
            for data in (f"{prefix}:1", f"{prefix}:p:1", f"{prefix}:1:2"):
                before = await row_counts(app)
                said = _only(await _send(app, PEOPLE[role][1], button=data))
                if said != NOT_ALLOWED:
                    wrong.append(f"{role} {data}: {said}")
                if await row_counts(app) != before:
                    wrong.append(f"{role} {data}: rows changed")
    # `cmd:NAME` buttons run a command: with that command's own role check.
    for command in ROUTER.commands.values():
        for role in _denied(command.roles):
            before = await row_counts(app)
            said = _only(await _send(app, PEOPLE[role][1], button=f"cmd:{command.name}"))
            refusals = (NOT_ALLOWED, UNKNOWN_BUTTON) if command.private_only else (NOT_ALLOWED,)
            if said not in refusals:
                wrong.append(f"{role} cmd:{command.name}: {said}")
            if await row_counts(app) != before:
                wrong.append(f"{role} cmd:{command.name}: rows changed")
    assert not wrong, "\n".join(wrong)


async def _account_id(app: App, telegram_id: int) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(
            select(PlatformAccount.id).where(PlatformAccount.external_id == str(telegram_id))
        )
    assert found is not None
    return found


async def _in_flow(app: App, telegram_id: int, flow: str) -> None:
    account_id = await _account_id(app, telegram_id)
    async with unit_of_work(app.sessions) as session:
        state = State(flow, "start", {})
        await conversations.save(session, account_id, state, app.clock.now(), timedelta(hours=1))


async def _flow_of(app: App, telegram_id: int) -> State | None:
    account_id = await _account_id(app, telegram_id)
    async with unit_of_work(app.sessions, write=False) as session:
        return await conversations.load(session, account_id, app.clock.now())


async def test_every_flow_against_every_role(app: App) -> None:
    """A role that may not run a flow gets nothing from it, even when the flow is somehow
    its active conversation (a role taken away mid-flow): refused, and the flow ended."""
    await _people(app)
    wrong: list[str] = []
    for name, flow in ROUTER.flows.items():
        for role in _denied(flow.roles):
            who = PEOPLE[role][1]
            for event in ({"text": "1"}, {"button": f"{FLOW_BUTTON}:{name}:1"}):
                await _in_flow(app, who, name)
                before = await row_counts(app)
                said = _only(await _send(app, who, **event))  # type: ignore[arg-type]
                after = await row_counts(app)
                before.pop("conversation_states")
                after.pop("conversation_states")
                if said != NOT_ALLOWED:
                    wrong.append(f"{role} in {name} {event}: {said}")
                if after != before:
                    wrong.append(f"{role} in {name} {event}: rows changed")
                if await _flow_of(app, who) is not None:
                    wrong.append(f"{role} in {name}: the flow was not ended")
            # Without the flow active, its buttons are stale for everyone.
            said = _only(await _send(app, who, button=f"{FLOW_BUTTON}:{name}:1"))
            if said not in (NOT_ALLOWED, UNKNOWN_BUTTON):
                wrong.append(f"{role} pressing {name}: {said}")
    assert not wrong, "\n".join(wrong)


async def test_in_groups_private_commands_are_refused_and_strangers_unanswered(app: App) -> None:
    await _people(app)
    wrong: list[str] = []
    for command in ROUTER.commands.values():
        if await _send(app, STRANGER_ID, f"/{command.name}", group=True):
            wrong.append(f"stranger /{command.name} answered in a group")
        if not command.private_only:
            continue
        for role in ROLES:
            if role in _denied(command.roles):
                continue
            before = await row_counts(app)
            said = _only(await _send(app, PEOPLE[role][1], f"/{command.name}", group=True))
            if said != GROUP_PRIVATE:
                wrong.append(f"{role} /{command.name} in a group: {said}")
            if await row_counts(app) != before:
                wrong.append(f"{role} /{command.name} in a group: rows changed")
    for prefix in ROUTER.buttons:
        said = _only(await _send(app, PEOPLE["admin"][1], button=f"{prefix}:1", group=True))
        if said not in (GROUP_PRIVATE, NOT_ALLOWED):
            wrong.append(f"button {prefix} in a group: {said}")
    assert not wrong, "\n".join(wrong)


async def test_leaving_the_directory_or_deactivation_ends_access_at_once(app: App) -> None:
    await _people(app)
    inspector = PEOPLE["inspector"][1]
    assert "登录名：x01" in _only(await _send(app, inspector, "/whoami"))
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Inspector).where(Inspector.cert_no == "X01").values(status="left")
        )
        await session.execute(update(User).where(User.login == "ldr").values(active=False))
    inactive = t("zh", "error.inactive")
    for who in (inspector, PEOPLE["leader"][1]):
        for event in ({"text": "/whoami"}, {"text": "/help"}, {"button": "cmd:help"}):
            assert _only(await _send(app, who, **event)) == inactive  # type: ignore[arg-type]


async def test_several_roles_reach_the_union_of_their_rights(app: App) -> None:
    await _people(app)
    async with unit_of_work(app.sessions) as session:
        from models import UserRole

        user_id = await session.scalar(select(User.id).where(User.login == "x01"))
        session.add(UserRole(user_id=user_id, role="leader"))
    who = PEOPLE["inspector"][1]
    assert _only(await _send(app, who, "/summary month")) != NOT_ALLOWED
    assert _only(await _send(app, who, "/tasks")) != NOT_ALLOWED
    assert _only(await _send(app, who, "/draw")) == NOT_ALLOWED


async def _actor(app: App, role: str) -> Actor:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await actor_for_account(session, "telegram", str(PEOPLE[role][1]))
    assert found is not None and found[1] is not None
    return found[1]


async def test_the_services_refuse_on_their_own(app: App) -> None:
    """Authorization lives in the service layer too: called directly with a role that may
    not act, each service refuses and writes nothing."""
    await _people(app)
    plan_id = await fx.plan(app)
    now = app.clock.now()
    spec = plans.parse_spec(
        {
            "name": "x",
            "items": ["I1"],
            "check_start": fx.CHECK_START,
            "check_end": fx.CHECK_END,
            "districts": ["碾伯镇"],
            "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
        }
    )
    calls = {
        "invite": lambda s, a: invites.create_invite(
            s, a, role="admin", now=now, ttl=timedelta(days=1), login="ldr"
        ),
        "plan": lambda s, a: plans.create_plan(s, a, spec, now),
        "preview": lambda s, a: draws.preview(s, a, plan_id),
        "freeze": lambda s, a: draws.freeze(s, a, plan_id, now),
        "draw": lambda s, a: run.execute(s, a, 1, "", now),
        "void": lambda s, a: run.void(s, a, 1, "理由", now),
        "approve": lambda s, a: review.approve(s, a, 1, now),
        "return": lambda s, a: review.return_to_team(s, a, 1, "理由", now),
        "publish": lambda s, a: publication.publish(s, a, 1, now),
        "cancel meeting": lambda s, a: schedule.cancel(s, a, 1, "理由", now),
    }
    needs = {"invite": "admin"}
    wrong = []
    for name, call in calls.items():
        for role in ("inspector", "leader", "coordinator"):
            if role == "coordinator" and name not in needs:
                continue
            actor = await _actor(app, role)
            before = await row_counts(app)
            try:
                async with unit_of_work(app.sessions) as session:
                    await call(session, actor)
            except NotAllowed:
                pass
            else:
                wrong.append(f"{role} {name}: not refused")
            if await row_counts(app) != before:
                wrong.append(f"{role} {name}: rows changed")
    assert not wrong, "\n".join(wrong)
