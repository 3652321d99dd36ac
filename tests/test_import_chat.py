"""/import as a coordinator chats it: send a file, read the dry run, confirm or cancel."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.model import Attachment, Incoming, Reply
from handlers.directory.imports import button_hash
from models import Enterprise
from tests.helpers import row_counts, say, texts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    csv_bytes,
    enterprise_row,
    enterprise_rows,
    user,
    write_csv,
)


async def send_file(
    app: App, login: str, name: str, data: bytes, text: str | None = None
) -> list[Reply]:
    """Send a file (with an optional caption command) from a console user."""
    attachment = Attachment(name, "text/csv", data)
    return await app.core.handle(
        Incoming("console", login, login, sender_name=login, text=text, file=attachment)
    )


async def _count(app: App) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        return await session.scalar(select(func.count()).select_from(Enterprise)) or 0


async def test_dry_run_then_confirm_imports(app) -> None:
    await user(app, "coord", "coordinator")
    asked = await say(app, "coord", "/import")
    assert "请发送要导入的 CSV 或 Excel" in texts(asked)
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(4), "gbk")
    preview = await send_file(app, "coord", "名录.csv", data)
    text = texts(preview)
    assert "【试导入，尚未写入】" in text and "新增 4，更新 0，未变 0" in text
    assert preview[0].document is None
    go = f"f:import:go:{button_hash(hashlib.sha256(data).hexdigest())}"
    assert [b.data for b in preview[0].buttons[0]] == [go, "f:import:cancel"]
    assert await _count(app) == 0
    uploads = list((app.settings.data_dir / "uploads").iterdir())
    assert len(uploads) == 1 and uploads[0].read_bytes() == data
    done = await say(app, "coord", button=go)
    assert "【已导入】" in texts(done) and await _count(app) == 4
    # The flow is over: the same button again does nothing.
    assert "按钮已失效" in texts(await say(app, "coord", button=go))
    assert await _count(app) == 4


async def test_problems_are_listed_with_a_rejects_file_and_valid_rows_can_go(app) -> None:
    await user(app, "coord", "coordinator")
    rows = [*enterprise_rows(3), enterprise_row(4, 统一社会信用代码="914403001922038217")]
    preview = await send_file(
        app, "coord", "list.csv", csv_bytes(ENTERPRISE_HEADER, rows), text="/import enterprises"
    )
    text = texts(preview)
    assert "1 行有问题（共 1 处）" in text
    assert "第 5 行 统一社会信用代码“914403001922038217”：统一社会信用代码校验位不正确" in text
    document = preview[0].document
    assert document is not None and document.name == "list-问题行.csv"
    assert "914403001922038217" in document.data.decode("utf-8-sig")
    valid = preview[0].buttons[0][0].data
    assert valid.startswith("f:import:valid:")
    done = await say(app, "coord", button=valid)
    assert "【已导入】" in texts(done) and await _count(app) == 3


async def test_only_the_first_20_problems_are_shown(app) -> None:
    await user(app, "coord", "coordinator")
    rows = [enterprise_row(n, 信用风险等级="X") for n in range(1, 31)]
    data = csv_bytes(ENTERPRISE_HEADER, rows)
    preview = await send_file(app, "coord", "bad.csv", data, "/import")
    text = texts(preview)
    assert "前 20 处如下" in text and "另有 10 处问题" in text
    assert "没有可导入的行" in text and not preview[0].buttons


async def test_cancel_imports_nothing(app) -> None:
    await user(app, "coord", "coordinator")
    await say(app, "coord", "/import enterprises")
    await send_file(app, "coord", "a.csv", csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2)))
    assert "已取消" in texts(await say(app, "coord", button="f:import:cancel"))
    assert await _count(app) == 0


async def test_a_bad_file_gets_a_clear_reply_and_changes_nothing(app) -> None:
    await user(app, "coord", "coordinator")
    await say(app, "coord", "/import")
    before = await row_counts(app)
    header = [h for h in ENTERPRISE_HEADER if h != "统一社会信用代码"]
    reply = await send_file(app, "coord", "a.csv", csv_bytes(header, [["x"] * len(header)]))
    assert "文件缺少必填列：统一社会信用代码" in texts(reply)
    assert await row_counts(app) == before


async def test_the_console_imports_a_path(app, tmp_path: Path) -> None:
    await user(app, "coord", "coordinator")
    path = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, enterprise_rows(2), "utf-8-sig")
    preview = await say(app, "coord", f"/import enterprises {path}")
    assert "新增 2" in texts(preview)
    await say(app, "coord", button=preview[0].buttons[0][0].data)
    assert await _count(app) == 2
    again = await say(app, "coord", f"/import {path}")
    assert "名单与现有数据一致，无需导入" in texts(again)
    missing = await say(app, "coord", f"/import {tmp_path / 'nope.csv'}")
    assert "无法读取文件" in texts(missing)


async def test_a_path_is_refused_on_other_platforms(app) -> None:
    from services.accounts.users import ensure_local_account

    await user(app, "coord", "coordinator")
    async with unit_of_work(app.sessions) as session:
        await ensure_local_account(session, "telegram", "coord", app.clock.now())
    reply = await app.core.handle(Incoming("telegram", "coord", "coord", text="/import /etc/hosts"))
    assert "只能在控制台按路径导入" in texts(reply)
    stranger = await app.core.handle(Incoming("telegram", "9", "9", text="/import /etc/hosts"))
    assert "请向管理员索取邀请码" in texts(stranger)


async def test_inspectors_and_leaders_cannot_import(app) -> None:
    await user(app, "insp", "inspector")
    await user(app, "boss", "leader")
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(1))
    for login in ("insp", "boss"):
        assert "无权" in texts(await say(app, login, "/import"))
        assert "无权" in texts(await send_file(app, login, "a.csv", data, "/import"))
        assert "按钮已失效" in texts(await say(app, login, button=f"f:import:go:{'A' * 43}"))
    assert await _count(app) == 0


async def test_export_and_template_are_sent_as_files(app) -> None:
    await user(app, "coord", "coordinator")
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2))
    preview = await send_file(app, "coord", "a.csv", data, "/import")
    await say(app, "coord", button=preview[0].buttons[0][0].data)
    exported = await say(app, "coord", "/export enterprises")
    assert "共 2 行" in texts(exported)
    document = exported[0].document
    assert document is not None and document.name.endswith(".csv")
    assert document.data.decode("utf-8-sig").startswith(",".join(ENTERPRISE_HEADER))
    template = await say(app, "coord", "/template inspectors xlsx")
    assert template[0].document is not None and template[0].document.name.endswith(".xlsx")
    assert "用法" in texts(await say(app, "coord", "/export"))
    await user(app, "insp", "inspector")
    assert "无权" in texts(await say(app, "insp", "/export enterprises"))


async def test_a_replayed_button_imports_the_file_it_was_shown_with_or_nothing(app) -> None:
    await user(app, "coord", "coordinator")
    first = await send_file(
        app, "coord", "a.csv", csv_bytes(ENTERPRISE_HEADER, enterprise_rows(4)), "/import"
    )
    second = await send_file(
        app, "coord", "b.csv", csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2, 5)), "/import"
    )
    old, new = first[0].buttons[0][0].data, second[0].buttons[0][0].data
    assert old != new
    # The first file's button, pressed after the second file was checked: nothing.
    assert "属于之前检查的另一个文件" in texts(await say(app, "coord", button=old))
    assert await _count(app) == 0
    assert "【已导入】" in texts(await say(app, "coord", button=new))
    assert await _count(app) == 2  # the second file's two rows, not the first's four


async def test_a_file_changed_after_its_check_is_not_imported(app) -> None:
    await user(app, "coord", "coordinator")
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(3))
    preview = await send_file(app, "coord", "a.csv", data, "/import")
    (upload,) = (app.settings.data_dir / "uploads").glob("*.csv")
    upload.write_bytes(csv_bytes(ENTERPRISE_HEADER, enterprise_rows(30)))
    before = await row_counts(app)
    done = await say(app, "coord", button=preview[0].buttons[0][0].data)
    assert "文件在检查之后被改动过" in texts(done)
    assert await row_counts(app) == before


@pytest.mark.parametrize(
    "caption", ["/import", "/import enterprises", "/import@jc_bot enterprises"]
)
async def test_a_document_with_import_as_its_caption_is_the_import(app, caption: str) -> None:
    await user(app, "coord", "coordinator")
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2))
    preview = await send_file(app, "coord", "名录.csv", data, caption)
    assert "【试导入，尚未写入】" in texts(preview) and "新增 2" in texts(preview)
    await say(app, "coord", button=preview[0].buttons[0][0].data)
    assert await _count(app) == 2


async def test_the_kind_in_a_caption_is_the_kind_imported(app) -> None:
    await user(app, "coord", "coordinator")
    data = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2))
    refused = await send_file(app, "coord", "名录.csv", data, "/import inspectors")
    assert "文件缺少必填列" in texts(refused) and "执法证号" in texts(refused)
    # Without a caption and no import under way, a file is still not expected.
    assert "现在不需要文件" in texts(await send_file(app, "coord", "名录.csv", data))
