"""A small drawn plan for the field-record tests: two food shops, two teams of two.

Dates are relative to the `today` given, so that the console subprocess (which runs on the
real clock) and the in-process tests (on the ManualClock) both find a plan in progress.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Attachment, Incoming, Reply
from models import (
    Assignment,
    AssignmentMember,
    Department,
    Enterprise,
    Inspector,
    Item,
    ItemDepartment,
    Recusal,
    ResultCategory,
    User,
    UserRole,
)
from services.accounts.actors import Actor, actor_for_login
from services.common.clock import local_today
from services.directory import creditcode
from services.draw import freeze as draws
from services.draw import plans, run
from services.records import problems, publication, results, review
from tests.helpers import console_account

DEPARTMENTS = {"X": "乐都区市场监督管理局", "Y": "乐都区卫生健康局", "Z": "乐都区公安局"}
ITEMS = {
    # code: (name, object type, departments, legal basis)
    "I1": ("餐饮服务食品安全检查", "餐饮", "XY", "《食品安全法》第五十五条"),
    "I2": ("食品经营许可及经营行为检查", "食品", "X", "《食品安全法》第三十五条"),
}
ENTERPRISES = {
    # n: (name, object type, risk, address, contact, phone)
    1: ("乐都区放心粮油店", "食品", "D", "海东市乐都区碾伯镇古城大街12号", "张建国", "13897000001"),
    2: ("乐都区鲜丰食品商行", "食品", "C", "海东市乐都区碾伯镇东关街8号", "李秀英", "13897000002"),
    3: ("乐都区河湟人家饭庄", "餐饮", "B", "海东市乐都区碾伯镇西关街3号", "王海", "13897000003"),
}
# login: (department, certificate number, name, phone)
INSPECTORS = {
    "insp1": ("X", "630201900001", "赵敏", "13997100001"),
    "insp2": ("X", "630201900002", "钱进", "13997100002"),
    "insp3": ("X", "630201900003", "孙立", "13997100003"),
    "insp4": ("X", "630201900004", "周平", "13997100004"),
    "insp5": ("Y", "630202900005", "吴桐", "13997100005"),
    "insp6": ("Y", "630202900006", "郑凯", "13997100006"),
}
RECUSAL_REASON = "近亲属在该企业任职"


def code(n: int) -> str:
    """A valid credit code numbered n."""
    return creditcode.make_code(f"91630202{n + 500:09d}")


async def build(app: App, today: date) -> None:
    """Departments, items, enterprises, inspectors with users, a recusal, a coordinator."""
    async with unit_of_work(app.sessions) as session:
        depts = {c: Department(code=c, name=name) for c, name in DEPARTMENTS.items()}
        session.add_all(depts.values())
        await session.flush()
        for item_code, (name, object_type, members, basis) in ITEMS.items():
            item = Item(
                code=item_code,
                name=name,
                object_type=object_type,
                legal_basis=basis,
                initiating_department_id=depts[members[0]].id,
            )
            session.add(item)
            await session.flush()
            for i, d in enumerate(members):
                session.add(
                    ItemDepartment(
                        item_id=item.id,
                        department_id=depts[d].id,
                        role="initiating" if i == 0 else "cooperating",
                    )
                )
        ents = {}
        for n, (name, otype, risk, address, person, phone) in ENTERPRISES.items():
            ents[n] = Enterprise(
                credit_code=code(n),
                name=name,
                object_type=otype,
                risk_class=risk,
                address=address,
                contact_person=person,
                contact_phone=phone,
                district="碾伯镇",
                status="active",
            )
        session.add_all(ents.values())
        await session.flush()
        for login, (dept, cert, name, phone) in INSPECTORS.items():
            inspector = Inspector(
                cert_no=cert,
                cert_expiry=today + timedelta(days=3 * 365),
                name=name,
                phone=phone,
                department_id=depts[dept].id,
            )
            session.add(inspector)
            await session.flush()
            user = User(
                login=login,
                display_name=name,
                inspector_id=inspector.id,
                created_at=app.clock.now(),
            )
            session.add(user)
            await session.flush()
            session.add(UserRole(user_id=user.id, role="inspector"))
            if login == "insp6":  # department Y is not in the plans drawn here
                session.add(
                    Recusal(
                        inspector_id=inspector.id, enterprise_id=ents[1].id, reason=RECUSAL_REASON
                    )
                )
        coord = User(login="coord", display_name="联席办 李协调", created_at=app.clock.now())
        session.add(coord)
        await session.flush()
        session.add(UserRole(user_id=coord.id, role="coordinator"))


async def drawn_plan(app: App, today: date, **overrides: Any) -> int:
    """Create a plan around `today` over item I2 (the two shops) and draw it; its id."""
    spec = {
        "name": "2026年食品经营联合抽查",
        "items": ["I2"],
        "check_start": today - timedelta(days=2),
        "check_end": today + timedelta(days=5),
        "districts": ["碾伯镇"],
        "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
        "team_size": 2,
        "load_cap": 1,
        **overrides,
    }
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, plans.parse_spec(spec), app.clock.now())
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan.id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        await run.execute(session, None, frozen.id, "", app.clock.now())
    return plan.id


@dataclass(frozen=True)
class Team:
    """A drawn assignment with the logins of its team."""

    assignment_id: int
    enterprise: str
    credit_code: str
    logins: list[str]


async def teams(app: App, plan_id: int) -> list[Team]:
    """The plan's assignments in draw order, each with its members' logins."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = (
            await session.execute(
                select(Assignment.id, Enterprise.name, Enterprise.credit_code)
                .join(Enterprise, Enterprise.id == Assignment.enterprise_id)
                .where(Assignment.plan_id == plan_id)
                .order_by(Assignment.position)
            )
        ).all()
        out = []
        for aid, name, credit in rows:
            logins = (
                await session.scalars(
                    select(User.login)
                    .join(AssignmentMember, AssignmentMember.inspector_id == User.inspector_id)
                    .where(AssignmentMember.assignment_id == aid)
                    .order_by(AssignmentMember.position)
                )
            ).all()
            out.append(Team(aid, name, credit, list(logins)))
    return out


def png(seed: int = 0, size: int = 2) -> bytes:
    """A small valid PNG whose pixels depend on `seed` (so different seeds differ)."""
    raw = b"".join(b"\x00" + bytes([seed % 256, 80, 160] * size) for _ in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg(seed: int = 0) -> bytes:
    """Bytes a JPEG starts with and ends with (enough for type detection)."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes([seed % 256]) * 64
        + b"\xff\xd9"
    )


def write(path: Path, data: bytes) -> Path:
    """Write a file for an `@file` line and return its path."""
    path.write_bytes(data)
    return path


async def actor(app: App, login: str) -> Actor:
    """The actor of a login."""
    async with unit_of_work(app.sessions, write=False) as session:
        found = await actor_for_login(session, login)
    assert found is not None, login
    return found


async def category_id(app: App, code_: str) -> int:
    """The id of a result category by its code."""
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(ResultCategory.id).where(ResultCategory.code == code_))
    assert found is not None, code_
    return found


async def submitted(
    app: App, team: Team, *, categories: tuple[str, ...] = ("no_problem",), problem: str = ""
) -> int:
    """Record a team's check through the services and submit it; the result id."""
    member = await actor(app, team.logins[0])
    now = app.clock.now()
    today = local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        opened = await results.open_record(session, member, team.assignment_id, today, now)
        rid = opened.result.id
        for c in categories:
            cid = await session.scalar(select(ResultCategory.id).where(ResultCategory.code == c))
            assert cid is not None
            await results.set_category(session, member, rid, cid, True, now)
        if problem:
            await problems.add_problem(session, member, rid, None, problem, now)
        await results.submit(session, member, rid, now)
    return rid


async def published(app: App, team: Team, **kwargs: Any) -> int:
    """A team's check recorded, approved and published; the result id."""
    rid = await submitted(app, team, **kwargs)
    async with unit_of_work(app.sessions) as session:
        await review.approve(session, None, rid, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        await publication.publish(session, None, rid, app.clock.now())
    return rid


async def ready(app: App) -> tuple[int, Team, Team]:
    """The district, a drawn plan, and console accounts for everyone; (plan, mine, other)."""
    today = local_today(app.clock)
    await build(app, today)
    plan_id = await drawn_plan(app, today)
    mine, other = await teams(app, plan_id)
    for login in [*mine.logins, *other.logins, "coord"]:
        await console_account(app, login)
    return plan_id, mine, other


async def press(app: App, login: str, data: str, update_key: str | None = None) -> list[Reply]:
    """A button press, optionally carrying the platform's update id."""
    return await app.core.handle(
        Incoming("console", login, login, button=data, update_key=update_key)
    )


async def upload(
    app: App, login: str, data: bytes, name: str = "photo.png", mime: str = "image/png"
) -> list[Reply]:
    """A file sent from the phone."""
    return await app.core.handle(
        Incoming("console", login, login, file=Attachment(name, mime, data))
    )


def buttons(replies: list[Reply]) -> list[str]:
    """The callback data of every button of the replies."""
    return [b.data for r in replies for row in r.buttons for b in row]
