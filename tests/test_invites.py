"""Invite codes: single use, expiring, and at most five wrong tries an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.core.db import unit_of_work
from handlers.core.model import Incoming
from services.accounts import invites
from tests.helpers import load_demo, texts


async def _invite(app, **target: str) -> str:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        return await invites.create_invite(
            session, None, role="inspector", now=app.clock.now(), ttl=timedelta(days=7), **target
        )


def _tg(user: str, text: str) -> Incoming:
    return Incoming("telegram", user, user, sender_name="测试", text=text)


async def test_code_binds_once(app) -> None:
    await load_demo(app)
    code = await _invite(app, cert_no="6302010001")
    assert "绑定成功" in texts(await app.core.handle(_tg("501", f"/bind {code}")))
    assert "检查人员" in texts(await app.core.handle(_tg("501", "/whoami")))
    assert "已被使用" in texts(await app.core.handle(_tg("502", f"/bind {code}")))


async def test_expired_code_is_refused(app) -> None:
    await load_demo(app)
    code = await _invite(app, login="leader")
    app.clock.advance(timedelta(days=7, seconds=1))
    assert "已过期" in texts(await app.core.handle(_tg("503", f"/bind {code}")))
    assert "还没有绑定" in texts(await app.core.handle(_tg("503", "/whoami")))


async def test_five_wrong_tries_lock_the_account_for_an_hour(app) -> None:
    await load_demo(app)
    code = await _invite(app, login="coord")
    for _ in range(5):
        assert "不正确" in texts(await app.core.handle(_tg("504", "/bind WRONGCODE1")))
    assert "次数过多" in texts(await app.core.handle(_tg("504", f"/bind {code}")))
    app.clock.advance(timedelta(hours=1, seconds=1))
    assert "绑定成功" in texts(await app.core.handle(_tg("504", f"/bind {code}")))


async def test_deactivated_inspector_loses_access_at_once(app) -> None:
    from sqlalchemy import update

    from models import Inspector

    await load_demo(app)
    code = await _invite(app, cert_no="6302010002")
    await app.core.handle(_tg("505", f"/bind {code}"))
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Inspector).where(Inspector.cert_no == "6302010002").values(status="left")
        )
    assert "已停用" in texts(await app.core.handle(_tg("505", "/whoami")))


async def test_an_admin_invites_a_staff_member_by_login_in_chat(app) -> None:
    from services.accounts import staff
    from tests.helpers import console_account, say

    async with unit_of_work(app.sessions) as session:
        for login, role in (("it", "admin"), ("li", "coordinator")):
            new = staff.NewUser(login=login, name=login.upper(), role=role)
            await staff.add_user(session, None, new, app.clock.now())
    await console_account(app, "it")
    reply = texts(await say(app, "it", "/invite 联席办协调员 li"))
    code = reply.split("/bind ")[1].split()[0]
    assert "绑定成功，LI" in texts(await app.core.handle(_tg("506", f"/bind {code}")))
    assert "联席办协调员" in texts(await app.core.handle(_tg("506", "/whoami")))


async def test_no_invite_for_a_deactivated_user(app) -> None:
    from services.accounts import staff
    from services.common.errors import Conflict
    from tests.helpers import row_counts

    await load_demo(app)
    async with unit_of_work(app.sessions) as session:
        await staff.deactivate(session, None, "leader", app.clock.now())
    before = await row_counts(app)
    with pytest.raises(Conflict) as refused:
        await _invite(app, login="leader")
    assert refused.value.key == "invite.inactive_user"
    assert await row_counts(app) == before
