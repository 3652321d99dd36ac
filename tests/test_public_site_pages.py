"""The public site's lists and files: the joint item list, the audit checkpoint, static
files, and the small renderings other pages share (percentages, the correction mark)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.app import App
from bot.public_render import correction_mark, percent
from handlers.core.db import unit_of_work
from models import Item
from services.common.audit import Checkpoint
from services.common.audit_files import append_checkpoint
from services.common.clock import local_today
from tests import records_fixture as rf
from tests.test_public_site import web


async def test_the_item_list_with_legal_bases_departments_and_search(app: App) -> None:
    await rf.build(app, local_today(app.clock))
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Item)
            .where(Item.code == "I1")
            .values(ratio="5%", frequency="每年一次", kind="key", notes="内部备注：勿外传")
        )
        session.add(
            Item(code="I9", name="已停用事项<script>", initiating_department_id=1, active=False)
        )
    async with web(app) as client:
        page = (await client.get("/items")).text
        assert "餐饮服务食品安全检查" in page and "食品经营许可及经营行为检查" in page
        assert "《食品安全法》第五十五条" in page and "《食品安全法》第三十五条" in page
        assert rf.DEPARTMENTS["X"] in page and rf.DEPARTMENTS["Y"] in page
        assert "5%" in page and "每年一次" in page and "重点检查事项" in page
        assert "已停用事项" not in page and "内部备注" not in page
        assert '<label for="q">' in page and "共 2 项" in page
        found = (await client.get("/items?q=五十五")).text
        assert "餐饮服务食品安全检查" in found and "食品经营许可" not in found
        assert "没有符合条件" in (await client.get("/items?q=%25")).text
        assert "<script" not in page


async def test_the_audit_page_shows_the_latest_checkpoint(app: App) -> None:
    path = app.settings.audit_files().checkpoints
    async with web(app) as client:
        assert "尚未记录审计检查点" in (await client.get("/audit")).text
        append_checkpoint(path, Checkpoint(3, "0a" * 32), app.clock.now(), "daily")
        later = app.clock.now() + timedelta(days=1)
        append_checkpoint(path, Checkpoint(9, "1b" * 32), later, "cli")
        page = (await client.get("/audit")).text
    assert "9:" + "1b" * 32 in page and "0a" * 32 not in page
    assert "2026-11-26 09:00" in page  # shown in Shanghai time
    assert "共 2 个" in page and "管理员手动记录" in page


async def test_static_files_by_name_only(app: App, tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "verify-draw.js").write_text("console.log('ok');\n", encoding="utf-8")
    (static / ".secret.js").write_text("hidden", encoding="utf-8")
    (static / "notes.py").write_text("x = 1", encoding="utf-8")
    (tmp_path / "outside.js").write_text("outside", encoding="utf-8")
    async with web(app, static) as client:
        script = await client.get("/static/verify-draw.js")
        assert script.status_code == 200 and script.text == "console.log('ok');\n"
        assert script.headers["content-type"].startswith("text/javascript")
        assert script.headers["cache-control"] == "public, max-age=3600"
        assert script.headers["x-content-type-options"] == "nosniff"
        for bad in (
            "/static/.secret.js",
            "/static/notes.py",
            "/static/missing.js",
            "/static/..%2Foutside.js",
            "/static/%2E%2E/outside.js",
            "/static/../outside.js",
        ):
            assert (await client.get(bad)).status_code == 404, bad


def test_ratios_read_as_percentages() -> None:
    assert [percent(r) for r in ("1", "0.08", "0.2", "0.015", "0.10")] == [
        "100%",
        "8%",
        "20%",
        "1.5%",
        "10%",
    ]


def test_a_corrected_result_is_marked_with_its_date() -> None:
    assert correction_mark(None) == ""
    assert "更正 2026-12-03" in correction_mark(date(2026, 12, 3))


@pytest.mark.parametrize(
    "path",
    [
        "/plans/999",
        "/plans/0",
        "/plans/abc",
        "/plans/" + "9" * 30,
        "/plans/%C2%B2",
        "/draws/999",
        "/draws/-1",
        "/draws/" + "1" * 400,
        "/draws/999/record.json",
    ],
)
async def test_unknown_ids_are_not_found(app: App, path: str) -> None:
    async with web(app) as client:
        response = await client.get(path)
    assert response.status_code == 404
