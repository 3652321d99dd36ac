"""The whole field record as people type it: an inspector's console session from /tasks to
submission, a coordinator's review, approval and publication, then the public page; and a
check on site walking the items' check points, as the reviewer then reads it."""

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
from tests import fieldcheck_fixture as ff
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
        "7",  # ☐ D 违反其他市场监管规定 (brings its parents 2 and A)
        "19",  # 完成
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
        "1",  # the documents offered on submission: the on-site record as PDF
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
    assert out.count("已提交审核") == 1
    after = out.split("已提交审核")[1]
    # Submitted, the on-site record and the order to correct are offered to print.
    assert "现场检查笔录 PDF" in after and "责令改正通知书" in after
    assert "现场检查笔录" in after.split("[文件 file]")[1] and ".pdf" in after

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
        assert "A 发现问题待后续处理；2 违反市场监管相关规定；D 违反其他市场监管规定" in page
        assert other.enterprise not in page
    finally:
        await app.aclose()


async def _prepare_field_check(tmp_path: Path) -> rf.Team:
    # The real clock, as the console subprocess has; a plan over two items with points.
    app = await build_app(_settings(tmp_path))
    try:
        _plan_id, mine, _other = await ff.build(app, local_today(app.clock))
        return mine
    finally:
        await app.aclose()


def test_console_check_on_site_walking_the_check_points_to_the_reviewer(tmp_path: Path) -> None:
    mine = asyncio.run(_prepare_field_check(tmp_path))
    shelf = rf.write(tmp_path / "shelf.png", rf.png(21))
    lat, lon = ff.NEAR
    inspector = [
        "/tasks",
        "1",  # 填报：<enterprise> (its items have check points: on site first)
        "1",  # 开始检查
        f"@location {lat},{lon}",  # the place, 140 m from the registered one
        "1",  # I2-1 符合
        "许可证在有效期内",  # its note
        "2",  # I2-2 不符合: a problem opened, photos asked
        f"@file {shelf}",
        "1",  # 完成: back to the check points
        "许可证未悬挂，放在抽屉里",  # the note of I2-2, also in its problem
        "4",  # I2-3 合理缺项
        "6",  # 下一事项 ›
        "5",  # 本事项全部符合 (I3-1, I3-2)
        "3",  # 完成检查要点: categories proposed and pre-selected
        "19",  # 完成
        "2",  # 没有（更多）问题
        "4",  # 完成，填写现场记录
        "张建国 负责人；李秀英 店员",
        "1",  # 已出示执法证件
        "1",  # 已告知，不申请回避
        "1",  # 结束检查: the card
        "1",  # 确认提交审核
        f"@location {lat},{lon}",  # no conversation now: refused politely
    ]
    out = _console(tmp_path, mine.logins[0], inspector)
    assert "检查开始时间" in out and "距登记地址 1" in out and "超出" not in out
    assert "检查要点 · 事项 1/2：I2" in out and "检查要点 · 事项 2/2：I3" in out
    assert "已生成问题：不符合检查要点 I2-2" in out and "已保存第 1 张" in out
    assert "已按检查要点的结果预选结果类别：A 发现问题待后续处理、3 违反食品药品" in out
    assert "到场人员已记录：张建国（负责人）、李秀英（店员）" in out
    assert "检查结束时间" in out and "已提交审核" in out and "未记录开始时间" not in out
    assert "现在不需要位置" in out.split("已提交审核")[1]

    reviewer = _console(tmp_path, "coord", ["/review", "1"])
    card = reviewer.split("> 1")[1]
    assert mine.enterprise in card and "现场检查：开始" in card and "⚠ 未记录" not in card
    assert f"检查地点：纬度 {lat:.5f}，经度 {lon:.5f}（距登记地址 1" in card
    assert "企业到场人员：张建国（负责人）、李秀英（店员）" in card
    assert "出示执法证件：是　告知回避权利：已告知，答复：不申请回避" in card
    assert "I2 食品经营许可及经营行为检查：符合 1，不符合 1，未检查 0，合理缺项 1，未答 0" in card
    assert "I3 进货查验记录制度检查：符合 2，不符合 0，未检查 0，合理缺项 0，未答 0" in card
    assert "1.【符合】是否取得食品经营许可证并在有效期内（备注：许可证在有效期内）" in card
    assert "结果类别：A 发现问题待后续处理、3 违反食品药品管理相关规定" in card
    assert "不符合检查要点 I2-2：许可证是否在经营场所显著位置悬挂。现场情况：许可证未悬挂" in card
    assert "照片 1 张" in card
    assert "签字情况：尚待签字：被检查人" in card  # nobody signed the on-site record yet
