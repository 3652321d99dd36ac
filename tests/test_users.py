"""`jointcheck user add|list|deactivate`: accounts for staff with and without certificates.

The runner is driven in-process (the same parser `bot/cli.py` adds), so that it runs on
SQLite and PostgreSQL; tests/test_console.py drives the installed command end to end.
"""

from __future__ import annotations

import argparse
import io
from datetime import date

import pytest
from sqlalchemy import select

from bot import cli_users
from bot.app import App
from bot.console import run_console
from handlers.core.db import unit_of_work
from models import Department, Inspector, OutboxMessage, User
from services.messaging import outbox
from tests import draw_fixture as fx
from tests.helpers import console_account, row_counts, say, texts


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli_users.add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(["user", *argv])


async def _user(app: App, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = await cli_users.run_user(app, _args(*argv))
    out = capsys.readouterr()
    return status, out.out, out.err


async def _new_inspector(app: App, cert: str) -> int:
    """A directory inspector of department X with no user yet."""
    async with unit_of_work(app.sessions) as session:
        dept = await session.scalar(select(Department.id).where(Department.code == "X"))
        assert dept is not None
        inspector = Inspector(
            cert_no=cert, name="新检查员", department_id=dept, cert_expiry=date(2030, 1, 1)
        )
        session.add(inspector)
        await session.flush()
        return inspector.id


@pytest.mark.parametrize(("role", "name"), [("coordinator", "联席办协调员"), ("leader", "领导")])
async def test_office_staff_need_no_certificate(
    app: App, capsys: pytest.CaptureFixture[str], role: str, name: str
) -> None:
    status, out, _ = await _user(
        app, capsys, "add", "--login", "li", "--name", "李", "--role", role
    )
    assert status == 0 and out.splitlines()[-1] == "li"
    await console_account(app, "li")
    assert f"角色：{name}" in texts(await say(app, "li", "/whoami"))


async def test_an_admin_needs_no_certificate_and_may_invite(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = await _user(
        app, capsys, "add", "--login", "it", "--name", "王", "--role", "admin"
    )
    assert status == 0 and out.splitlines()[-1] == "it"
    await console_account(app, "it")
    assert "/invite" in texts(await say(app, "it", "/help"))


async def test_an_inspector_is_linked_to_the_directory_by_certificate(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await fx.build(app)
    inspector_id = await _new_inspector(app, "X99")
    argv = ("add", "--login", "xin", "--name", "新检查员", "--role", "inspector", "--cert", "X99")
    status, _, _ = await _user(app, capsys, *argv)
    assert status == 0
    async with unit_of_work(app.sessions, write=False) as session:
        user = await session.scalar(select(User).where(User.login == "xin"))
        inspector = await session.get(Inspector, inspector_id)
    assert user is not None and inspector is not None
    assert user.inspector_id == inspector_id and user.department_id == inspector.department_id


REFUSALS = [
    (("--login", "a1", "--role", "chief"), "未知角色：chief", "Unknown role: chief"),
    (("--login", "x01", "--role", "leader"), "登录名 x01 已被使用", "already taken"),
    (("--login", "a1", "--role", "leader", "--department", "Q"), "没有代码为 Q 的部门", "code Q"),
    (("--login", "a1", "--role", "inspector", "--cert", "NOPE"), "执法证号 NOPE", "NOPE"),
    (("--login", "a1", "--role", "inspector"), "须用 --cert", "needs --cert"),
    (("--login", "a1", "--role", "inspector", "--cert", "X01"), "已关联用户 x01", "linked"),
    (("--login", "李 四", "--role", "leader"), "登录名 李 四 不可用", "cannot be used"),
]


@pytest.mark.parametrize(("argv", "zh", "en"), REFUSALS)
async def test_a_refused_user_add_says_why_and_writes_nothing(
    app: App, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], zh: str, en: str
) -> None:
    await fx.build(app)
    before = await row_counts(app)
    status, out, err = await _user(app, capsys, "add", "--name", "某人", *argv)
    assert status == 1 and out == ""
    assert zh in err and en in err and "Traceback" not in err
    assert await row_counts(app) == before


async def test_user_list_shows_roles_certificates_status_and_platforms(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await fx.build(app)
    await _user(app, capsys, "add", "--login", "li", "--name", "李", "--role", "coordinator")
    await console_account(app, "x01")
    status, out, _ = await _user(app, capsys, "list")
    assert status == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()[1:-1]}
    assert rows["x01"][2:] == ["inspector", "X", "X01", "在用 active", "console"]
    assert rows["li"][2:] == ["coordinator", "-", "-", "在用 active", "-"]


async def test_a_deactivated_users_chat_is_refused(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await _user(app, capsys, "add", "--login", "li", "--name", "李", "--role", "coordinator")
    await console_account(app, "li")
    status, out, _ = await _user(app, capsys, "deactivate", "--login", "li")
    assert status == 0 and out.splitlines()[-1] == "li"
    assert "您的账号已停用" in texts(await say(app, "li", "/help"))


async def test_a_deactivated_user_cannot_open_the_console(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await _user(app, capsys, "add", "--login", "li", "--name", "李", "--role", "leader")
    await _user(app, capsys, "deactivate", "--login", "li")
    out = io.StringIO()
    assert await run_console(app, "li", io.StringIO("/help\n"), out) == 2
    assert "user deactivated: li" in out.getvalue() and "/help" not in out.getvalue()


async def test_deactivating_cancels_the_messages_queued_for_them(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    await _user(app, capsys, "add", "--login", "li", "--name", "李", "--role", "leader")
    async with unit_of_work(app.sessions) as session:
        user_id = await session.scalar(select(User.id).where(User.login == "li"))
        await outbox.enqueue(
            session,
            kind="test",
            due_at=app.clock.now(),
            now=app.clock.now(),
            dedupe_key="test:li",
            recipient_user_id=user_id,
            key="outbox.none",
            params={},
        )
    status, out, _ = await _user(app, capsys, "deactivate", "--login", "li")
    assert status == 0 and "cancelled: 1" in out
    async with unit_of_work(app.sessions, write=False) as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
    assert statuses == ["cancelled"]


async def test_deactivating_an_unknown_login_is_refused(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await row_counts(app)
    status, _, err = await _user(app, capsys, "deactivate", "--login", "ghost")
    assert status == 1 and "没有登录名为 ghost 的用户" in err
    assert await row_counts(app) == before
