"""Revision 0011 splits a joint record made before department parts into one part per
department, and keeps every problem, order to correct, case, clue and photo."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import migrate
from handlers.core.db import create_engine

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)


async def _insert(conn: AsyncConnection, table: str, **values: Any) -> None:
    names = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    await conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


async def _old_joint_record(conn: AsyncConnection) -> None:
    """At 0010: one record of a check whose items belong to departments 1 and 2."""
    for i, name in ((1, "市场监管局"), (2, "卫生健康局"), (3, "公安局")):
        await _insert(conn, "departments", id=i, code=f"D{i}", name=name, active=True)
    # Item 10 is department 1's (department 2 cooperates), item 20 is department 2's.
    for item, dept in ((10, 1), (20, 2)):
        await _insert(
            conn,
            "items",
            id=item,
            code=f"I{item}",
            name=f"事项{item}",
            initiating_department_id=dept,
            kind="general",
            active=True,
        )
        await _insert(conn, "item_departments", item_id=item, department_id=dept, role="initiating")
    await _insert(conn, "item_departments", item_id=10, department_id=2, role="cooperating")
    await _insert(
        conn,
        "enterprises",
        id=1,
        credit_code="91630202MA0000001X",
        name="老字号饭庄",
        risk_class="B",
        status="active",
    )
    await _insert(
        conn,
        "plans",
        id=1,
        name="旧计划",
        status="drawn",
        districts="[]",
        industries="[]",
        object_types="[]",
        ratios=json.dumps({"A": "1"}),
        min_count=0,
        team_size=2,
        experts_per_team=0,
        load_cap=1,
        recent_window_days=365,
        allow_overlap=False,
        check_start=DAY,
        check_end=DAY,
        created_at=NOW,
    )
    for item in (10, 20):
        await _insert(conn, "plan_items", plan_id=1, item_id=item)
    await _insert(
        conn,
        "draws",
        id=1,
        plan_id=1,
        status="final",
        algorithm=1,
        seed_hex="00" * 32,
        commitment="00" * 32,
        enterprise_snapshot="00" * 32,
        inspector_snapshot="00" * 32,
        params="{}",
        exclusions="{}",
        strata="{}",
        snapshot_blob=b"",
        frozen_at=NOW,
    )
    await _insert(
        conn,
        "assignments",
        id=1,
        draw_id=1,
        plan_id=1,
        enterprise_id=1,
        position=1,
        rank_hex="00",
        shortfalls="[]",
        status="closed",
    )
    await _insert(
        conn,
        "inspection_results",
        assignment_id=1,
        status="published",
        checked_on=DAY,
        published_at=NOW,
        version=3,
    )
    await _insert(conn, "result_category_links", result_id=1, category_id=7)
    # Problem 1 is item 10's (department 1), problem 2 item 20's (department 2), problem 3
    # has no item; each of the first two has an order to correct and a photo.
    for problem, item in ((1, 10), (2, 20), (3, None)):
        await _insert(
            conn,
            "problems",
            id=problem,
            result_id=1,
            item_id=item,
            description=f"问题{problem}",
            found_on=DAY,
        )
    for notice, problem in ((1, 1), (2, 2)):
        await _insert(
            conn,
            "rectification_notices",
            id=notice,
            result_id=1,
            problem_id=problem,
            number=f"N{notice}",
            issued_on=DAY,
            deadline=DAY,
            status="open",
        )
        await _insert(
            conn,
            "evidence_files",
            id=notice,
            result_id=1,
            problem_id=problem,
            sha256="ab" * 32,
            size=1,
            mime="image/png",
            stored_path=f"e{notice}.png",
            created_at=NOW,
        )
    await _insert(
        conn,
        "cases",
        id=1,
        result_id=1,
        number="C1",
        filed_on=DAY,
        decision_due=DAY,
        status="open",
    )
    await _insert(
        conn,
        "clue_transfers",
        id=1,
        result_id=1,
        department_id=3,
        description="线索",
        transferred_on=DAY,
    )


async def _downgrade(engine: AsyncEngine, revision: str) -> None:
    from alembic import command

    cfg = migrate.alembic_config(engine.url.render_as_string(hide_password=False))

    def _run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    await migrate.run_migration(engine, _run)


async def _rows(conn: AsyncConnection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in (await conn.execute(text(sql))).all()]


async def test_an_old_joint_record_becomes_one_part_per_department(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        await migrate.upgrade(engine, "0010")
        async with engine.begin() as conn:
            await _old_joint_record(conn)
        await migrate.upgrade(engine, "0011")
        async with engine.connect() as conn:
            parts = await _rows(
                conn,
                "SELECT id, department_id, status, publication FROM inspection_results ORDER BY id",
            )
            # Department 1 (initiating item 10, the first item) keeps the row; 2 gets a copy.
            assert [(p[1], p[2], p[3]) for p in parts] == [
                (1, "published", 1),
                (2, "published", 1),
            ]
            first, second = parts[0][0], parts[1][0]
            problems = await _rows(conn, "SELECT id, result_id FROM problems ORDER BY id")
            assert problems == [(1, first), (2, second), (3, first)]
            notices = await _rows(
                conn, "SELECT id, result_id FROM rectification_notices ORDER BY id"
            )
            assert notices == [(1, first), (2, second)]
            photos = await _rows(conn, "SELECT id, result_id FROM evidence_files ORDER BY id")
            assert photos == [(1, first), (2, second)]
            assert await _rows(conn, "SELECT result_id FROM cases") == [(first,)]
            assert await _rows(conn, "SELECT result_id FROM clue_transfers") == [(first,)]
            links = await _rows(
                conn, "SELECT result_id, category_id FROM result_category_links ORDER BY result_id"
            )
            assert links == [(first, 7), (second, 7)]
        await _downgrade(engine, "0010")
        async with engine.connect() as conn:
            # Back down, the parts merge again and nothing is lost on the way.
            assert await _rows(conn, "SELECT count(*) FROM inspection_results") == [(1,)]
            assert await _rows(conn, "SELECT count(*) FROM problems WHERE result_id = 1") == [(3,)]
            notices = await _rows(conn, "SELECT count(*) FROM rectification_notices")
            assert notices == [(2,)]
    finally:
        await engine.dispose()
