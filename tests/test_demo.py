"""The demo district is believable and loads idempotently."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from handlers.core.db import unit_of_work
from models import Department, Enterprise, Inspector, User, UserRole
from services.directory import creditcode
from tests.helpers import load_demo, row_counts


async def test_demo_loads_once(app) -> None:
    await load_demo(app)
    first = await row_counts(app)
    await load_demo(app)
    assert await row_counts(app) == first
    assert first["enterprises"] == 300
    assert first["inspectors"] == 40
    assert first["departments"] == 8


async def test_demo_is_believable(app) -> None:
    await load_demo(app)
    async with unit_of_work(app.sessions, write=False) as session:
        codes = (await session.scalars(select(Enterprise.credit_code))).all()
        risks = set((await session.scalars(select(Enterprise.risk_class))).all())
        names = set((await session.scalars(select(Department.name))).all())
        expired = await session.scalar(
            select(func.count())
            .select_from(Inspector)
            .where(Inspector.cert_expiry < date(2026, 11, 25))
        )
        experts = await session.scalar(
            select(func.count()).select_from(Inspector).where(Inspector.is_expert)
        )
        rows = await session.execute(select(User.login, UserRole.role).join(UserRole))
        roles = {(login, role) for login, role in rows}
    assert all(creditcode.is_valid(code) for code in codes)
    assert risks == {"A", "B", "C", "D"}
    assert {"市场监管局", "公安局", "住房和城乡建设局"} <= names
    assert expired and experts
    assert {
        ("admin", "admin"),
        ("coord", "coordinator"),
        ("leader", "leader"),
        ("insp01", "inspector"),
    } <= roles
