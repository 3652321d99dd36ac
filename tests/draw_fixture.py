"""A small hand-built district where every draw rule can be seen at work."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bot.app import App
from handlers.core.db import unit_of_work
from models import (
    Department,
    Enterprise,
    Inspector,
    Item,
    ItemDepartment,
    Recusal,
    User,
    UserRole,
)
from services.directory import creditcode
from services.draw import plans

CHECK_START, CHECK_END = date(2026, 12, 1), date(2026, 12, 31)


def code(n: int) -> str:
    """A valid credit code numbered n."""
    return creditcode.make_code(f"91630202{n:09d}")


# code number -> (risk, object type, status, district, last checked days before start)
ENTERPRISES: dict[int, tuple[str, str, str, str, int | None]] = {
    1: ("D", "餐饮", "active", "碾伯镇", None),
    2: ("D", "餐饮", "active", "碾伯镇", None),
    3: ("C", "食品", "active", "碾伯镇", None),
    4: ("C", "食品", "active", "碾伯镇", 400),
    5: ("B", "食品", "active", "碾伯镇", None),
    6: ("A", "食品", "active", "碾伯镇", None),
    7: ("B", "食品", "closed", "碾伯镇", None),  # excluded: status
    8: ("B", "食品", "active", "雨润镇", None),  # excluded: district
    9: ("B", "加油站", "active", "碾伯镇", None),  # excluded: no item applies
    10: ("B", "食品", "active", "碾伯镇", 100),  # excluded: recently checked
}

# cert -> (department, status, expiry offset from check end in days, expert)
INSPECTORS: dict[str, tuple[str, str, int, bool]] = {
    "X01": ("X", "active", 100, False),
    "X02": ("X", "active", 100, False),
    "X03": ("X", "active", 100, False),
    "X04": ("X", "active", 100, False),
    "X05": ("X", "on_leave", 100, False),  # excluded: status
    "X06": ("X", "active", -1, False),  # excluded: certificate ends before the window
    "Y01": ("Y", "active", 100, False),
    "Y02": ("Y", "active", 100, False),
    "Z01": ("Z", "active", 100, False),  # excluded: department not in the plan
    "E01": ("X", "active", 100, True),  # an expert
}


async def build(app: App, recusals: list[tuple[str, int]] | None = None) -> None:
    """Create the departments, items, enterprises, inspectors and users."""
    async with unit_of_work(app.sessions) as session:
        depts = {c: Department(code=c, name=f"部门{c}") for c in "XYZ"}
        session.add_all(depts.values())
        await session.flush()
        for item_code, object_type, members in (("I1", "餐饮", "XY"), ("I2", "食品", "X")):
            item = Item(
                code=item_code,
                name=item_code,
                object_type=object_type,
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
        for n, (risk, otype, status, district, checked) in ENTERPRISES.items():
            last = None if checked is None else CHECK_START - timedelta(days=checked)
            ents[n] = Enterprise(
                credit_code=code(n),
                name=f"企业{n}",
                risk_class=risk,
                object_type=otype,
                status=status,
                district=district,
                last_checked_on=last,
            )
        session.add_all(ents.values())
        insps = {}
        for cert, (dept, status, offset, expert) in INSPECTORS.items():
            insps[cert] = Inspector(
                cert_no=cert,
                name=f"检查员{cert}",
                status=status,
                department_id=depts[dept].id,
                is_expert=expert,
                cert_expiry=CHECK_END + timedelta(days=offset),
            )
        session.add_all(insps.values())
        await session.flush()
        for cert, n in recusals or []:
            session.add(Recusal(inspector_id=insps[cert].id, enterprise_id=ents[n].id))
        for cert, inspector in insps.items():
            user = User(
                login=cert.lower(),
                display_name=inspector.name,
                inspector_id=inspector.id,
                created_at=app.clock.now(),
            )
            session.add(user)
            await session.flush()
            session.add(UserRole(user_id=user.id, role="inspector"))


async def plan(app: App, **overrides: Any) -> int:
    """Create a plan over both items in 碾伯镇 with every ratio at 100% unless overridden."""
    spec = {
        "name": "测试计划",
        "items": ["I1", "I2"],
        "check_start": CHECK_START,
        "check_end": CHECK_END,
        "districts": ["碾伯镇"],
        "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
        "team_size": 2,
        "load_cap": 5,
        **overrides,
    }
    async with unit_of_work(app.sessions) as session:
        created = await plans.create_plan(session, None, plans.parse_spec(spec), app.clock.now())
        return created.id
