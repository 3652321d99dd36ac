"""The whole field record as people type it: an inspector's console session from /tasks to
submission, a coordinator's review, approval and publication, then the public page."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bot.app import build_app
from bot.settings import Settings
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import AuditEntry, Case, EvidenceFile, InspectionResult, Problem, RectificationNotice
from services.common.clock import local_today
from services.common.policy import MAX_EVIDENCE_BYTES
from tests import records_fixture as rf

ROOT = Path(__file__).resolve().parent.parent


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        data_dir=tmp_path / "data",
    )


def _console(tmp_path: Path, login: str, lines: list[str]) -> str:
    settings = _settings(tmp_path)
    env = {**os.environ, "DATABASE_URL": settings.database_url, "DATA_DIR": str(settings.data_dir)}
    run = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", login],
        cwd=ROOT,
        env=env,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


async def _prepare(tmp_path: Path) -> tuple[int, rf.Team, rf.Team, int]:
    # The real clock, as the console subprocess has: the plan is in progress today.
    app = await build_app(_settings(tmp_path))
    try:
        today = local_today(app.clock)
        await rf.build(app, today)
        plan_id = await rf.drawn_plan(app, today)
        mine, other = await rf.teams(app, plan_id)
        return plan_id, mine, other, today.year
    finally:
        await app.aclose()


def _files(tmp_path: Path) -> dict[str, Path]:
    return {
        "shelf": rf.write(tmp_path / "shelf.png", rf.png(11)),
        "licence": rf.write(tmp_path / "licence.jpg", rf.jpeg(12)),
        "big": rf.write(tmp_path / "big.png", rf.png(13) + b"\0" * MAX_EVIDENCE_BYTES),
        "text": rf.write(tmp_path / "notes.png", b"just some notes, not a picture\n"),
    }


def test_console_session_from_tasks_to_the_public_page(tmp_path: Path) -> None:
    plan_id, mine, other, year = asyncio.run(_prepare(tmp_path))
    files = _files(tmp_path)
    inspector = [
        "/tasks",
        "1",  # 填报：<enterprise>
        "4",  # ☐ 违反其他市场监管规定
        "7",  # ☐ 发现问题待后续处理
        "16",  # 完成
        "1",  # 添加问题
        "1",  # item I2
        "货架上有过期食品（保质期至2026年8月）",
        "1",  # 采用事项依据
        f"@file {files['shelf']}",
        f"@file {files['shelf']}",  # the same photo again: kept once
        f"@file {files['big']}",  # over the limit: refused
        f"@file {files['text']}",  # called .png, but text: refused
        "1",  # 完成
        "1",  # 添加问题
        "2",  # 不针对具体事项
        "未在经营场所显著位置公示食品经营许可证",
        "《食品经营许可和备案管理办法》第三十三条",
        f"@file {files['licence']}",
        "1",  # 完成
        "2",  # 没有（更多）问题
        "1",  # 责令整改
        "1",  # 使用建议编号
        "1",  # 今天
        "下周五",  # text where a date is expected: refused
        "2020-01-01",  # a deadline in the past: refused
        "1",  # 使用默认期限
        "1",  # 责令整改 (a second notice)
        f"乐市监责改〔{year}〕1号",  # duplicate number: refused
        "2",  # 返回
        "2",  # 立案查处
        f"乐市监立〔{year}〕15号",
        "1",  # 今天
        "4",  # 完成，查看汇总
        f"/record {other.assignment_id}",  # another team's assignment: refused
        "1",  # 确认提交审核
        "1",  # the same button again: recorded once
    ]
    out = _console(tmp_path, mine.logins[0], inspector)
    assert f"[1] 填报：{mine.enterprise}" in out
    assert "开始填报" in out
    assert "已保存第 1 张" in out and "已经上传过" in out
    assert "文件过大" in out and "文件类型不支持" in out
    assert "无法识别" in out and "已经过去" in out
    assert f"编号 乐市监责改〔{year}〕1号 已被另一份通知书使用" in out
    assert f"责令整改通知书 乐市监责改〔{year}〕1号 已记录" in out
    assert f"案件 乐市监立〔{year}〕15号 已记录" in out
    assert "发现问题：2 个" in out
    assert "不属于您所在的检查组" in out
    assert "已提交审核" in out
    assert out.count("已提交审核") == 1 and "按钮已失效" in out.split("已提交审核")[1]

    coordinator = [
        f"/progress {plan_id}",
        "/review",
        "1",  # 审核：<enterprise>
        "3",  # 查看证据
        "1",  # 审核通过
        "/publish",
        "1",  # 公示：<enterprise>
    ]
    out = _console(tmp_path, "coord", coordinator)
    assert "待审核 1" in out and "未填报 1" in out  # /progress
    assert mine.enterprise in out and "照片 1 张" in out
    assert out.count("[文件 file]") == 2
    assert "已审核通过" in out and "已公示" in out

    asyncio.run(_check_state_and_page(tmp_path, mine, other))


async def _check_state_and_page(tmp_path: Path, mine: rf.Team, other: rf.Team) -> None:
    app = await build_app(_settings(tmp_path))
    try:
        async with unit_of_work(app.sessions, write=False) as session:
            result = await session.scalar(select(InspectionResult))
            assert result is not None and result.status == "published"
            counts = {
                model.__name__: await session.scalar(select(func.count()).select_from(model))
                for model in (InspectionResult, Problem, EvidenceFile, RectificationNotice, Case)
            }
            assert counts == {
                "InspectionResult": 1,
                "Problem": 2,
                "EvidenceFile": 2,
                "RectificationNotice": 1,
                "Case": 1,
            }
            for f in (await session.scalars(select(EvidenceFile))).all():
                data = (app.settings.data_dir / f.stored_path).read_bytes()
                assert hashlib.sha256(data).hexdigest() == f.sha256
            denied = (
                await session.scalars(select(AuditEntry).where(AuditEntry.action == "authz.denied"))
            ).all()
            assert [d.object_id for d in denied] == [str(other.assignment_id)]
            submits = await session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "record.submit")
            )
            assert submits == 1
        transport = httpx.ASGITransport(app=create_web_app(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            page = (await client.get("/results")).text
        assert mine.enterprise in page and mine.credit_code in page
        assert "违反其他市场监管规定；发现问题待后续处理" in page
        assert other.enterprise not in page
    finally:
        await app.aclose()
