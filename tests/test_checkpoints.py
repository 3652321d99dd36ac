"""Check points per item: imported and exported like every list (a file replaces each named
item's list, row-level problems), loaded with the demo district, shown by /item."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from handlers.directory import items as item_handlers
from handlers.directory.imports import summary_lines
from models import AuditEntry, ChecklistAnswer, CheckPoint, Item
from services.common.errors import Conflict
from services.directory import demo_checkpoints, demo_data
from services.directory.imports import exporter
from tests import records_fixture as rf
from tests.helpers import console_account, load_demo, row_counts, say, texts
from tests.import_fixtures import counts, run_import, user, write_csv, write_xlsx

HEADER = ["事项编码", "序号", "检查内容", "检查方法", "检查依据"]


async def _points(app: App) -> list[tuple[str, int, str, str | None]]:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(
            select(Item.code, CheckPoint.seq, CheckPoint.content, CheckPoint.method)
            .join(Item, Item.id == CheckPoint.item_id)
            .order_by(Item.code, CheckPoint.seq)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def _export(app: App, path: Path) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        return await exporter.export_kind(session, None, "checkpoints", path)


def _zh(report) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(summary_lines(lambda key, **values: t("zh", key, **values), report))


async def test_the_demo_district_has_three_to_six_points_for_each_of_its_items(app) -> None:
    await load_demo(app)
    stored = await _points(app)
    per_item: dict[str, int] = {}
    for code, _, content, method in stored:
        per_item[code] = per_item.get(code, 0) + 1
        assert content and method
    assert set(per_item) == {item[0] for item in demo_data.ITEMS}
    assert all(3 <= n <= 6 for n in per_item.values())
    assert len(stored) == sum(len(p) for p in demo_checkpoints.POINTS.values())
    # Each point names a law of its item's legal basis, or one the item's subject rests on.
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.execute(select(Item.code, Item.legal_basis))
        basis = {code: text for code, text in rows}
    for code, points in demo_checkpoints.POINTS.items():
        law = (basis[code] or "").split("》")[0].lstrip("《")
        assert any(law in (p[2] or "") for p in points), code
    await load_demo(app)
    assert len(await _points(app)) == len(stored)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_the_export_imports_back_unchanged(app, tmp_path: Path, suffix: str) -> None:
    await load_demo(app)
    path = tmp_path / f"points{suffix}"
    written = await _export(app, path)
    assert written == len(await _points(app))
    report = await run_import(app, path, kind=None)
    assert report.kind == "checkpoints"
    assert counts(report) == {
        "rows": written, "added": 0, "updated": 0, "unchanged": written,
        "deactivated": 0, "rejected": 0,
    }  # fmt: skip


async def test_rows_upsert_by_item_and_number_and_a_file_replaces_each_named_list(
    app, tmp_path: Path
) -> None:
    await load_demo(app)
    before = await _points(app)
    ld2 = [p for p in before if p[0] == "LD-002"]
    assert len(ld2) == 5
    rows = [
        ["LD-002", "1", "许可证是否有效（改）", "查验原件", "《食品安全法》第三十五条"],
        ["LD-002", "2", ld2[1][2], ld2[1][3] or "", demo_checkpoints.POINTS["LD-002"][1][2]],
        ["LD-002", "7", "新增要点", "现场查看", ""],
    ]
    path = write_csv(tmp_path / "p.csv", HEADER, rows)
    preview = await run_import(app, path, "checkpoints", dry_run=True)
    assert counts(preview) == {
        "rows": 3, "added": 1, "updated": 1, "unchanged": 1, "deactivated": 3, "rejected": 0,
    }  # fmt: skip
    said = _zh(preview)
    assert "删除 3" in said and "1 个事项的检查要点以本文件为准" in said
    assert await _points(app) == before  # a dry run writes nothing
    done = await run_import(app, path, "checkpoints")
    assert done.applied and (done.added, done.updated, done.deactivated) == (1, 1, 3)
    after = await _points(app)
    assert [(c, s) for c, s, _, _ in after if c == "LD-002"] == [
        ("LD-002", 1),
        ("LD-002", 2),
        ("LD-002", 7),
    ]
    # The other items' lists are untouched.
    assert [p for p in after if p[0] != "LD-002"] == [p for p in before if p[0] != "LD-002"]
    async with unit_of_work(app.sessions, write=False) as session:
        removed = (
            await session.scalars(
                select(AuditEntry.object_id).where(AuditEntry.action == "import.remove")
            )
        ).all()
    assert sorted(removed) == ["LD-002/3", "LD-002/4", "LD-002/5"]


async def test_row_level_problems_are_named_and_nothing_is_written(app, tmp_path: Path) -> None:
    await load_demo(app)
    before = await row_counts(app)
    rows = [
        ["LD-001", "1", "年报是否按期公示", "查询公示系统", ""],
        ["NO-SUCH", "1", "未知事项", "", ""],
        ["LD-001", "", "缺序号", "", ""],
        ["LD-001", "二", "序号不是数字", "", ""],
        ["LD-001", "0", "序号为零", "", ""],
        ["LD-001", "2", "", "缺检查内容", ""],
        ["LD-001", "1", "与第 2 行重复", "", ""],
        ["LD-001", "３", "全角数字可以", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", HEADER, rows)
    report = await run_import(app, path, "checkpoints", rejects=tmp_path / "rejects.csv")
    assert not report.applied and report.rejected == 6
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (3, "事项编码", "import.reason.unknown_item"),
        (4, "序号", "import.reason.required"),
        (5, "序号", "import.reason.seq"),
        (6, "序号", "import.reason.seq"),
        (7, "检查内容", "import.reason.required"),
        (8, "事项编码", "import.reason.duplicate"),
    ]
    assert report.problems[-1].value == "LD-001/1"
    assert await row_counts(app) == before
    with (tmp_path / "rejects.csv").open(encoding="utf-8-sig", newline="") as f:
        rejected = list(csv.reader(f))
    assert len(rejected) == 7 and "抽查事项清单中没有这个事项编码" in rejected[1][-1]
    # The valid rows only: LD-001 gets the two good points, its other points go.
    valid = await run_import(app, path, "checkpoints", skip_invalid=True)
    assert valid.applied and valid.added == 0 and valid.updated == 2
    assert [s for c, s, _, _ in await _points(app) if c == "LD-001"] == [1, 2, 3]


async def test_a_point_already_answered_is_never_removed(app, tmp_path: Path) -> None:
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine)
    code = next(iter(rf.ITEMS))
    async with unit_of_work(app.sessions) as session:
        item_id = await session.scalar(select(Item.id).where(Item.code == code))
        assert item_id is not None
        kept = CheckPoint(item_id=item_id, seq=1, content="要点一")
        gone = CheckPoint(item_id=item_id, seq=2, content="要点二")
        session.add_all([kept, gone])
        await session.flush()
        session.add(
            ChecklistAnswer(
                result_id=rid, check_point_id=gone.id, answer="conform", answered_at=app.clock.now()
            )
        )
    before = await row_counts(app)
    path = write_csv(tmp_path / "p.csv", HEADER, [[code, "1", "要点一（改）", "", ""]])
    with pytest.raises(Conflict) as refused:
        await run_import(app, path, "checkpoints")
    assert refused.value.key == "import.points_answered"
    assert refused.value.params == {"points": f"{code}/2", "n": 1}
    assert await row_counts(app) == before
    # Kept in the file (its text may change), it stays with its answer.
    path = write_csv(
        tmp_path / "p2.csv", HEADER, [[code, "1", "一", "", ""], [code, "2", "二", "", ""]]
    )
    assert (await run_import(app, path, "checkpoints")).updated == 2


async def test_templates_and_chat_export_and_the_kind_guessed(app, tmp_path: Path) -> None:
    await load_demo(app)
    template = tmp_path / "t.xlsx"
    exporter.write_template("checkpoints", template)
    report = await run_import(app, template, kind=None)
    assert report.kind == "checkpoints" and report.updated == 1
    xlsx = write_xlsx(tmp_path / "n.xlsx", HEADER, [["LD-020", 6, "新增", "询问", ""]])
    assert (await run_import(app, xlsx, "checkpoints")).added == 1  # a number cell is read
    await user(app, "coord2", "coordinator")
    exported = await say(app, "coord2", "/export checkpoints")
    assert "检查要点：共" in texts(exported)
    document = exported[0].document
    assert document is not None and document.data.decode("utf-8-sig").startswith("事项编码")
    sent = await say(app, "coord2", "/template checkpoints xlsx")
    assert sent[0].document is not None and sent[0].document.name.endswith(".xlsx")
    assert "checkpoints（检查要点）" in texts(await say(app, "coord2", "/import"))


def _with_item_command(app: App) -> None:
    # Until the composition root lists handlers.directory.items, register it here.
    if "item" not in app.router.commands:
        item_handlers.register(app.router)


async def test_an_item_is_shown_with_its_basis_departments_and_check_points(app) -> None:
    await load_demo(app)
    _with_item_command(app)
    await console_account(app, "insp01")
    shown = texts(await say(app, "insp01", "/item ld-003"))
    assert "【LD-003】餐饮服务食品安全检查（重点事项）" in shown
    assert "抽查依据：《食品安全法》第一百一十条" in shown
    assert "发起部门：市场监管局" in shown and "配合部门：卫生健康局" in shown
    assert "检查要点（5 条）：" in shown
    first = demo_checkpoints.POINTS["LD-003"][0]
    assert f"1. {first[0]}" in shown and f"检查方法：{first[1]}" in shown
    assert f"检查依据：{first[2]}" in shown
    several = texts(await say(app, "insp01", "/item 食品"))
    assert "有 2 个事项符合“食品”" in several and "LD-002 食品经营行为检查" in several
    assert "没有找到事项“XX-9”" in texts(await say(app, "insp01", "/item XX-9"))
    listing = texts(await say(app, "insp01", "/item"))
    assert "现有事项 20 项" in listing and "LD-020 废旧金属收购业治安检查" in listing
    english = await say(app, "insp01", "/lang en")
    assert english
    assert "Check points (5):" in texts(await say(app, "insp01", "/item LD-003"))


async def test_an_item_without_points_and_a_long_list_split_to_fit(app) -> None:
    await load_demo(app)
    _with_item_command(app)
    await console_account(app, "insp01")
    async with unit_of_work(app.sessions) as session:
        item_id = await session.scalar(select(Item.id).where(Item.code == "LD-001"))
        points = await session.scalars(select(CheckPoint).where(CheckPoint.item_id == item_id))
        for point in points:
            await session.delete(point)
    assert "尚无检查要点" in texts(await say(app, "insp01", "/item LD-001"))
    async with unit_of_work(app.sessions) as session:
        for seq in range(1, 7):
            session.add(CheckPoint(item_id=item_id, seq=seq, content=f"{seq}号" + "长" * 1990))
    replies = await say(app, "insp01", "/item LD-001")
    assert len(replies) > 1 and all(len(r.text) <= 4096 for r in replies)
    assert "6. 6号" in texts(replies)


def test_the_command_line_imports_exports_and_templates_check_points(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").returncode == 0
    out = tmp_path / "检查要点.xlsx"
    exported = cli("export", "checkpoints", str(out))
    assert exported.returncode == 0, exported.stderr
    total = sum(len(p) for p in demo_checkpoints.POINTS.values())
    again = cli("import", "checkpoints", str(out), "--dry-run", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert f"0 added, 0 updated, {total} unchanged, 0 removed." in again.stdout
    template = tmp_path / "t.csv"
    assert cli("template", "checkpoints", str(template)).returncode == 0
    assert template.read_text(encoding="utf-8-sig").startswith("事项编码,抽查事项,序号")
