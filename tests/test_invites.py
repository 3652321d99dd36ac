"""Invite codes: single use, expiring, and at most five wrong tries an hour."""

from __future__ import annotations

from datetime import timedelta

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
