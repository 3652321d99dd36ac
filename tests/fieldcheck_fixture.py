"""The field-record district with check points: a plan over two items for the food shops.

Items I2 and I3 (both initiated by the market regulator X, for 食品 shops) have check
points, written as rows (the import list is another feature); the shops carry
coordinates, the registered place the visit's distance is measured from.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from bot.app import App
from handlers.core.db import unit_of_work
from models import CheckPoint, Department, Enterprise, Item, ItemDepartment
from services.common.clock import local_today
from tests import records_fixture as rf
from tests.helpers import console_account

I3 = ("I3", "进货查验记录制度检查", "食品", "《食品安全法》第五十三条")
POINTS = {
    # item: [(检查内容, 检查方法, 检查依据)]
    "I2": [
        ("是否取得食品经营许可证并在有效期内", "现场查看许可证", "《食品安全法》第三十五条"),
        ("许可证是否在经营场所显著位置悬挂", "现场查看", None),
        ("是否超范围经营", "核对许可经营项目与实际经营", "《食品经营许可和备案管理办法》"),
    ],
    "I3": [
        ("是否建立进货查验记录制度", "查阅制度文本", None),
        ("进货查验记录是否真实完整", "抽查近三个月记录", "《食品安全法》第五十三条"),
    ],
}
# The registered place of every shop (海东市乐都区碾伯镇), and a place 140 m away.
REGISTERED = (36.4800, 102.4000)
NEAR = (36.4812, 102.4005)
FAR = (36.5000, 102.4500)  # about 5 km away


async def add_item_and_points(app: App) -> None:
    """Item I3 (department X) and the check points of I2 and I3."""
    async with unit_of_work(app.sessions) as session:
        x = await session.scalar(select(Department.id).where(Department.code == "X"))
        assert x is not None
        code, name, object_type, basis = I3
        item = Item(
            code=code,
            name=name,
            object_type=object_type,
            legal_basis=basis,
            initiating_department_id=x,
        )
        session.add(item)
        await session.flush()
        session.add(ItemDepartment(item_id=item.id, department_id=x, role="initiating"))
        for item_code, points in POINTS.items():
            item_id = await session.scalar(select(Item.id).where(Item.code == item_code))
            for seq, (content, method, point_basis) in enumerate(points, start=1):
                session.add(
                    CheckPoint(
                        item_id=item_id, seq=seq, content=content, method=method, basis=point_basis
                    )
                )
        await session.execute(
            update(Enterprise).values(latitude=REGISTERED[0], longitude=REGISTERED[1])
        )


async def build(app: App, today: date) -> tuple[int, rf.Team, rf.Team]:
    """The district, the points and a plan over I2 and I3, drawn; (plan, mine, other)."""
    await rf.build(app, today)
    await add_item_and_points(app)
    plan_id = await rf.drawn_plan(app, today, items=["I2", "I3"])
    mine, other = await rf.teams(app, plan_id)
    return plan_id, mine, other


async def ready(app: App) -> tuple[int, rf.Team, rf.Team]:
    """`build` on the app's clock, with console accounts for everyone."""
    plan_id, mine, other = await build(app, local_today(app.clock))
    for login in [*mine.logins, *other.logins, "coord"]:
        await console_account(app, login)
    return plan_id, mine, other


async def point_ids(app: App) -> dict[str, int]:
    """Check point ids by label ("I2-1")."""
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(
            select(Item.code, CheckPoint.seq, CheckPoint.id).join(
                Item, Item.id == CheckPoint.item_id
            )
        )
        return {f"{code}-{seq}": pid for code, seq, pid in rows}
