"""The import against a real database: upserts, exact counts, atomicity, audit, each list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from handlers.core.db import unit_of_work
from models import AuditEntry, Department, Enterprise, Inspector, Item, ItemDepartment, Recusal
from services.accounts.actors import Actor
from services.common import audit
from services.common.errors import InvalidInput, NotAllowed
from services.directory.imports import import_file, importer, run
from tests.helpers import row_counts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    add_departments,
    code,
    counts,
    csv_bytes,
    enterprise_row,
    enterprise_rows,
    run_import,
    write_csv,
)

INSPECTOR_HEADER = ["姓名", "所属部门", "执法证号", "有效期至", "检查领域", "状态", "是否专家"]
ITEM_HEADER = ["事项编码", "抽查事项", "发起部门", "配合部门", "事项类别", "抽查依据"]


async def _status(app, credit_code: str) -> str | None:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(
            select(Enterprise.status).where(Enterprise.credit_code == credit_code)
        )


async def test_a_re_import_reports_exact_counts(app, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "v1.csv", ENTERPRISE_HEADER, enterprise_rows(5))
    assert counts(await run_import(app, first)) == {
        "rows": 5, "added": 5, "updated": 0, "unchanged": 0, "deactivated": 0, "rejected": 0,
    }  # fmt: skip
    rows = [enterprise_row(1, 企业名称="乐都区改名商贸有限公司"), *enterprise_rows(3, start=2)]
    rows.append(enterprise_row(6))  # new; number 5 is left out
    second = write_csv(tmp_path / "v2.csv", ENTERPRISE_HEADER, rows)
    assert counts(await run_import(app, second)) == {
        "rows": 5, "added": 1, "updated": 1, "unchanged": 3, "deactivated": 0, "rejected": 0,
    }  # fmt: skip
    assert await _status(app, code(5)) == "active"  # omission alone deactivates nothing
    replaced = await run_import(app, second, replace=True)
    assert counts(replaced) == {
        "rows": 5, "added": 0, "updated": 0, "unchanged": 5, "deactivated": 1, "rejected": 0,
    }  # fmt: skip
    assert await _status(app, code(5)) == "moved_out"
    again = await run_import(app, second, replace=True)
    assert (again.unchanged, again.deactivated) == (5, 0)
    back = await run_import(app, first)  # listed again: active again
    assert (back.updated, await _status(app, code(5))) == (2, "active")


async def test_a_column_the_file_lacks_is_left_as_stored(app, tmp_path: Path) -> None:
    await run_import(app, write_csv(tmp_path / "full.csv", ENTERPRISE_HEADER, enterprise_rows(3)))
    header = ["企业名称", "统一社会信用代码", "风险等级"]
    rows = [[f"乐都区测试{n}商贸有限公司", code(n), "D"] for n in (1, 3)]
    report = await run_import(app, write_csv(tmp_path / "part.csv", header, rows))
    assert (report.updated, report.unchanged) == (1, 1)  # number 3 was D already
    async with unit_of_work(app.sessions, write=False) as session:
        phones = set((await session.scalars(select(Enterprise.contact_phone))).all())
    assert phones == {"13900000001", "13900000002", "13900000003"}


async def test_a_dry_run_writes_nothing_and_counts_what_it_would_do(app, tmp_path: Path) -> None:
    await run_import(app, write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, enterprise_rows(2)))
    before = await row_counts(app)
    path = write_csv(tmp_path / "b.csv", ENTERPRISE_HEADER, enterprise_rows(3))
    report = await run_import(app, path, dry_run=True, replace=True)
    assert counts(report)["added"] == 1 and report.unchanged == 2 and not report.applied
    assert await row_counts(app) == before


async def test_atomic_by_default_even_when_the_bad_row_comes_late(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)  # the first batches are written before the bad row
    rows = [*enterprise_rows(6), enterprise_row(7, 信用风险等级="")]
    before = await row_counts(app)
    report = await run_import(app, write_csv(tmp_path / "late.csv", ENTERPRISE_HEADER, rows))
    assert not report.applied and report.added == 6 and report.rejected == 1
    assert await row_counts(app) == before


async def test_skip_invalid_imports_the_valid_rows_and_writes_the_rejects(
    app, tmp_path: Path
) -> None:
    rows = [*enterprise_rows(3), enterprise_row(4, 统一社会信用代码="914403001922038217")]
    rows.append(enterprise_row(5, 联系电话="12345", 信用风险等级="Z"))
    path = write_csv(tmp_path / "some.csv", ENTERPRISE_HEADER, rows)
    rejects = tmp_path / "some.rejects.csv"
    report = await run_import(app, path, rejects=rejects, skip_invalid=True)
    assert report.applied and (report.added, report.rejected) == (3, 2)
    assert report.rejects_written
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == [*ENTERPRISE_HEADER, "问题"]
    assert [line[1] for line in lines[1:]] == ["914403001922038217", code(5)]
    assert "校验位不正确" in lines[1][-1]
    assert "联系电话" in lines[2][-1] and "信用风险等级" in lines[2][-1]
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8


async def test_no_rejects_file_is_left_when_every_row_is_valid(app, tmp_path: Path) -> None:
    rejects = tmp_path / "r.csv"
    path = write_csv(tmp_path / "ok.csv", ENTERPRISE_HEADER, enterprise_rows(2))
    assert not (await run_import(app, path, rejects=rejects)).rejects_written
    assert not rejects.exists()


async def test_every_change_is_audited(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await run_import(app, write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, enterprise_rows(2)))
    rows = [enterprise_row(1, 联系人="王五"), enterprise_row(3)]
    await run_import(app, write_csv(tmp_path / "b.csv", ENTERPRISE_HEADER, rows), replace=True)
    async with unit_of_work(app.sessions, write=False) as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all()
        assert (await audit.verify(session)).ok
    actions = [(e.action, e.object_id) for e in entries]
    assert actions[:2] == [("import.add", code(1)), ("import.add", code(2))]
    assert actions[2][0] == "import.file"
    update = next(e for e in entries if e.action == "import.update")
    assert (update.object_id, update.before, update.after) == (
        code(1), {"contact_person": "李四"}, {"contact_person": "王五"},
    )  # fmt: skip
    gone = next(e for e in entries if e.action == "import.deactivate")
    assert (gone.object_id, gone.before) == (code(2), {"status": "active"})
    summary = entries[-1]
    assert (summary.action, summary.object_type) == ("import.file", "import")
    assert summary.after is not None and summary.after["kind"] == "enterprises"
    assert update.object_type == "enterprise"
    assert summary.after["updated"] == 1 and summary.after["deactivated"] == 1
    assert len(summary.after["sha256"]) == 64
    # A large import is audited by its summary alone.
    monkeypatch.setattr(run, "AUDIT_ROWS", 2)
    await run_import(app, write_csv(tmp_path / "c.csv", ENTERPRISE_HEADER, enterprise_rows(5, 10)))
    async with unit_of_work(app.sessions, write=False) as session:
        last = (await session.scalars(select(AuditEntry).order_by(AuditEntry.seq))).all()
    assert len(last) == len(entries) + 1 and last[-1].after["rows_audited"] is False  # type: ignore[index]


async def test_a_refused_or_unchanged_import_writes_no_audit_entry(app, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, enterprise_rows(2))
    await run_import(app, path)
    before = await row_counts(app)
    await run_import(app, path)
    assert await row_counts(app) == before


async def test_inspectors_and_leaders_may_not_import(app, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, enterprise_rows(1))
    for role in ("inspector", "leader"):
        actor = Actor(user_id=9, login="x", name="x", roles=frozenset({role}), language="zh")
        async with unit_of_work(app.sessions) as session:
            with pytest.raises(NotAllowed):
                await import_file(session, actor, "enterprises", path, app.clock.now())


async def test_departments_upsert_by_code_and_names_stay_unique(app, tmp_path: Path) -> None:
    header = ["部门编码", "部门名称"]
    path = write_csv(tmp_path / "d.csv", header, [["SCJG", "市场监管局"], ["GA", "公安局"]])
    assert (await run_import(app, path, "departments")).added == 2
    rows = [["SCJG", "市场监督管理局"], ["GA", "公安局"], ["WS", "公安局"], ["JT", "交通运输局"]]
    report = await run_import(app, write_csv(tmp_path / "d2.csv", header, rows), "departments")
    assert [(p.row, p.key, p.params) for p in report.problems] == [
        (4, "import.reason.name_taken", {"code": "GA"})
    ]
    rows = [["SCJG", "市场监督管理局"], ["JT", "交通运输局"]]
    report = await run_import(
        app, write_csv(tmp_path / "d3.csv", header, rows), "departments", replace=True
    )
    assert (report.added, report.updated, report.deactivated) == (1, 1, 1)
    async with unit_of_work(app.sessions, write=False) as session:
        stored = dict((await session.execute(select(Department.code, Department.active))).all())
    assert stored == {"SCJG": True, "GA": False, "JT": True}


async def test_items_name_their_departments_by_name_or_code(app, tmp_path: Path) -> None:
    await add_departments(app, ("SCJG", "市场监管局"), ("GA", "公安局"), ("WSJK", "卫生健康局"))
    rows = [
        ["LD-001", "食品经营行为检查", "市场监管局", "公安局、WSJK", "重点", "《食品安全法》"],
        ["LD-002", "旅馆业治安管理检查", "ga", "", "一般", ""],
        ["LD-003", "娱乐场所检查", "文旅局", "公安局，体育局", "", ""],
    ]
    report = await run_import(app, write_csv(tmp_path / "i.csv", ITEM_HEADER, rows), "items")
    assert [(p.row, p.column, p.params) for p in report.problems] == [
        (4, "发起部门", {"name": "文旅局"}),
        (4, "配合部门", {"name": "体育局"}),
    ]
    report = await run_import(app, write_csv(tmp_path / "i.csv", ITEM_HEADER, rows[:2]), "items")
    assert report.added == 2 and report.applied
    rows[0][3] = "卫生健康局"
    rows[1][4] = "重点"
    report = await run_import(
        app, write_csv(tmp_path / "i2.csv", ITEM_HEADER, rows[:2]), "items", replace=True
    )
    assert (report.updated, report.unchanged, report.deactivated) == (2, 0, 0)
    async with unit_of_work(app.sessions, write=False) as session:
        links = (
            await session.execute(
                select(Item.code, Department.code, ItemDepartment.role)
                .join(ItemDepartment, ItemDepartment.item_id == Item.id)
                .join(Department, Department.id == ItemDepartment.department_id)
                .order_by(Item.code, Department.code)
            )
        ).all()
        kinds = dict((await session.execute(select(Item.code, Item.kind))).all())
    assert [tuple(link) for link in links] == [
        ("LD-001", "SCJG", "initiating"),
        ("LD-001", "WSJK", "cooperating"),
        ("LD-002", "GA", "initiating"),
    ]
    assert kinds == {"LD-001": "key", "LD-002": "key"}
    report = await run_import(
        app, write_csv(tmp_path / "i3.csv", ITEM_HEADER, rows[:1]), "items", replace=True
    )
    assert (report.unchanged, report.deactivated) == (1, 1)


async def test_inspectors_with_departments_expiry_and_replace(app, tmp_path: Path) -> None:
    await add_departments(app)
    rows = [
        ["王五", "市场监管局", "X001", "2027/12/31", "食品、药品", "在岗", "否"],
        ["赵六", "GA", "X002", "2026年1月1日", "", "休假", "是"],
        ["钱七", "税务局", "X003", "2027-01-01", "", "", ""],
        ["孙八", "公安局", "X001", "2027-01-01", "", "", ""],
        ["周九", "公安局", "", "2027-01-01", "", "", ""],
    ]
    report = await run_import(
        app, write_csv(tmp_path / "p.csv", INSPECTOR_HEADER, rows), "inspectors", skip_invalid=True
    )
    assert [(p.row, p.key) for p in report.problems] == [
        (4, "import.reason.unknown_department"),
        (5, "import.reason.duplicate"),
        (6, "import.reason.required"),
    ]
    assert report.added == 2 and report.warnings == {"import.warn_expired": 1}
    async with unit_of_work(app.sessions, write=False) as session:
        stored = {i.cert_no: i for i in (await session.scalars(select(Inspector))).all()}
    assert stored["X001"].fields == ["食品", "药品"] and not stored["X001"].is_expert
    assert stored["X002"].status == "on_leave" and stored["X002"].is_expert
    report = await run_import(
        app, write_csv(tmp_path / "p2.csv", INSPECTOR_HEADER, rows[:1]), "inspectors", replace=True
    )
    assert (report.unchanged, report.deactivated) == (1, 1)
    async with unit_of_work(app.sessions, write=False) as session:
        status = await session.scalar(select(Inspector.status).where(Inspector.cert_no == "X002"))
    assert status == "left"


async def test_recusals_pair_a_certificate_with_a_credit_code(app, tmp_path: Path) -> None:
    await add_departments(app)
    await run_import(app, write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, enterprise_rows(2)))
    people = [["王五", "市场监管局", "X001", "2030-01-01", "", "", ""]]
    await run_import(app, write_csv(tmp_path / "p.csv", INSPECTOR_HEADER, people), "inspectors")
    header = ["执法证号", "统一社会信用代码", "回避原因"]
    rows = [["X001", code(1), "近亲属任职"], ["X009", code(2), ""], ["X001", code(7), ""]]
    report = await run_import(
        app, write_csv(tmp_path / "r.csv", header, rows), "recusals", skip_invalid=True
    )
    assert report.added == 1
    assert [(p.row, p.key) for p in report.problems] == [
        (3, "import.reason.unknown_cert"),
        (4, "import.reason.unknown_code"),
    ]
    rows = [["X001", code(1), "曾在该企业任职"], ["X001", code(2), ""]]
    report = await run_import(app, write_csv(tmp_path / "r2.csv", header, rows), "recusals")
    assert (report.added, report.updated) == (1, 1)
    report = await run_import(
        app, write_csv(tmp_path / "r3.csv", header, rows[1:]), "recusals", replace=True
    )
    assert (report.unchanged, report.deactivated) == (1, 1)
    async with unit_of_work(app.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Recusal)) == 1


async def test_the_kind_is_guessed_from_the_header(app, tmp_path: Path) -> None:
    await add_departments(app)
    row = ["王五", "公安局", "X1", "2030-1-1", "", "", ""]
    path = write_csv(tmp_path / "x.csv", INSPECTOR_HEADER, [row])
    report = await run_import(app, path, kind=None)
    assert report.kind == "inspectors" and report.added == 1


async def test_batches_checked_in_the_worker_process_come_to_one_outcome(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)
    await run_import(app, write_csv(tmp_path / "a.csv", ENTERPRISE_HEADER, enterprise_rows(4)))
    rows = [
        enterprise_row(1, 联系人="王五"),
        *enterprise_rows(2, start=2),
        enterprise_row(5, 统一社会信用代码="914403001922038217"),
        enterprise_row(6),
        enterprise_row(2, 企业名称="重复"),
    ]
    path = write_csv(tmp_path / "b.csv", ENTERPRISE_HEADER, rows, "gbk")
    rejects = tmp_path / "b.rejects.csv"
    before = await row_counts(app)
    refused = await run_import(app, path, replace=True)
    assert not refused.applied and await row_counts(app) == before
    report = await run_import(app, path, rejects=rejects, skip_invalid=True, replace=True)
    assert counts(report) == {
        "rows": 6, "added": 1, "updated": 1, "unchanged": 2, "deactivated": 1, "rejected": 2,
    }  # fmt: skip
    assert [(p.row, p.key) for p in report.problems] == [
        (5, "import.reason.credit_code_checksum"),
        (7, "import.reason.duplicate"),
    ]
    assert len(report.sha256) == 64 and rejects.exists()
    assert await _status(app, code(4)) == "moved_out"


async def test_a_bad_file_refused_by_the_worker_changes_nothing(app, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    utf8 = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(9000), "utf-8")  # over 1 MB
    gbk = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(3, 9001), "gbk").split(b"\r\n", 1)[1]
    path.write_bytes(utf8 + gbk)
    before = await row_counts(app)
    with pytest.raises(InvalidInput) as caught:
        await run_import(app, path)
    assert caught.value.key == "import.encoding_changes"
    assert await row_counts(app) == before


async def test_references_refused_here_join_the_worker_s_problems_in_row_order(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker checks each row alone; the departments are looked up here, and a row
    # refused for one goes to the rejects file as read, in its place among the others.
    monkeypatch.setattr(importer, "BATCH", 2)
    await add_departments(app)
    rows = [
        ["王五", "公安局", "X1", "2030-1-1", "", "", ""],
        ["赵六", "文旅局", "X2", "2030-1-1", "", "", ""],
        ["钱七", "公安局", "X3", "不是日期", "", "", ""],
        ["孙八", "体育局", "X4", "2030-1-1", "", "", ""],
    ]
    rejects = tmp_path / "p.rejects.csv"
    path = write_csv(tmp_path / "p.csv", INSPECTOR_HEADER, rows)
    report = await run_import(app, path, "inspectors", rejects=rejects, skip_invalid=True)
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "所属部门"), (4, "有效期至"), (5, "所属部门"),
    ]  # fmt: skip
    assert (report.added, report.rejected) == (1, 3)
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        written = list(csv.reader(f))[1:]
    assert [row[:4] for row in written] == [row[:4] for row in rows[1:]]
