"""/record in chat: the whole record, bad input refused with nothing half-saved, duplicated
presses recorded once, another team's assignment refused and audited, resuming later."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App, build_app
from handlers.core.db import unit_of_work
from models import (
    AuditEntry,
    Case,
    EvidenceFile,
    InspectionResult,
    Problem,
    RectificationNotice,
    ResultCategoryLink,
)
from services.common.clock import local_today
from services.common.policy import MAX_EVIDENCE_BYTES
from services.common.workdays import add_working_days
from services.records import evidence
from tests import records_fixture as rf
from tests.helpers import row_counts, say, texts


async def _count(app: App, model: type, *where: object) -> int:
    async with unit_of_work(app.sessions, write=False) as session:
        stmt = select(func.count()).select_from(model)
        for cond in where:
            stmt = stmt.where(cond)
        return await session.scalar(stmt) or 0


async def _actions(app: App, action: str) -> list[AuditEntry]:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return list(rows.all())


async def _start(app: App, login: str, team: rf.Team) -> None:
    """Open the record and pick two categories; the conversation is at the problems."""
    replies = await rf.press(app, login, f"rec:{team.assignment_id}")
    assert "开始填报" in texts(replies)
    other = await rf.category_id(app, "other_market_rule")
    pending = await rf.category_id(app, "pending_follow_up")
    await rf.press(app, login, f"f:record:c+:{other}")
    await rf.press(app, login, f"f:record:c+:{pending}")
    assert "是否还有发现的问题" in texts(await rf.press(app, login, "f:record:cdone"))


async def _problem(app: App, login: str, description: str, *photos: bytes) -> None:
    items = rf.buttons(await rf.press(app, login, "f:record:padd"))
    # Pressed twice (a duplicated update): the second press finds the step gone.
    assert "按钮已失效" in texts(await rf.press(app, login, "f:record:padd"))
    item = next(b for b in items if b.startswith("f:record:item:") and b != "f:record:item:0")
    await rf.press(app, login, item)
    assert "问题" in texts(await say(app, login, description))
    await rf.press(app, login, "f:record:basis:item")
    for n, photo in enumerate(photos):
        assert "已保存" in texts(await rf.upload(app, login, photo, name=f"p{n}.png"))
    await rf.press(app, login, "f:record:pdone")


async def _to_deadline(app: App, login: str, team: rf.Team) -> None:
    """A record with one problem, at the deadline question of an order to correct."""
    await _start(app, login, team)
    await _problem(app, login, "货架上有过期食品", rf.png(1))
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:order")
    await rf.press(app, login, "f:record:auto")
    assert "整改期限" in texts(await rf.press(app, login, "f:record:today"))


async def test_a_whole_record_from_tasks_to_submission(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    today = local_today(app.clock)
    listing = await say(app, login, "/tasks")
    assert mine.enterprise in texts(listing) and "检查组" in texts(listing)
    assert f"rec:{mine.assignment_id}" in rf.buttons(listing)
    await _start(app, login, mine)
    await _problem(app, login, "货架上有过期食品", rf.png(1), rf.png(2))
    await _problem(app, login, "未公示食品经营许可证", rf.jpeg(3))
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:order")
    proposal = await rf.press(app, login, "f:record:auto")
    assert "下达日期" in texts(proposal)
    deadline_q = await rf.press(app, login, "f:record:today")
    default = add_working_days(today, 15).day
    assert str(default) in texts(deadline_q)
    saved = await rf.press(app, login, "f:record:dflt")
    assert f"乐市监责改〔{today.year}〕1号" in texts(saved)
    await rf.press(app, login, "f:record:case")
    await say(app, login, "乐市监立〔2026〕7号")
    case_saved = await rf.press(app, login, "f:record:today")
    assert str(today + timedelta(days=90)) in texts(case_saved)
    depts = rf.buttons(await rf.press(app, login, "f:record:clue"))
    await rf.press(app, login, next(b for b in depts if b.startswith("f:record:dept:")))
    await say(app, login, "发现无证从事食品生产线索")
    card = await rf.press(app, login, "f:record:hub")
    text = texts(card)
    assert "发现问题：2 个" in text and "照片 2 张" in text and "照片 1 张" in text
    assert "《食品安全法》第三十五条" in text
    assert "违反其他市场监管规定" in text and "发现问题待后续处理" in text
    submitted = await rf.press(app, login, "f:record:submit")
    assert "已提交审核" in texts(submitted)
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.scalar(select(InspectionResult))
        assert result is not None and result.status == "awaiting_review"
        notice = await session.scalar(select(RectificationNotice))
        assert notice is not None and notice.deadline == default
        case = await session.scalar(select(Case))
        assert case is not None and case.decision_due == today + timedelta(days=90)
        files = (await session.scalars(select(EvidenceFile))).all()
    assert await _count(app, Problem) == 2
    assert len(files) == 3
    for f in files:
        stored = app.settings.data_dir / f.stored_path
        assert f.stored_path == f"evidence/{f.sha256[:2]}/{f.sha256}"
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == f.sha256
        assert f.size == stored.stat().st_size and f.uploaded_by is not None
    assert {f.mime for f in files} == {"image/png", "image/jpeg"}
    for action in ("record.start", "problem.add", "evidence.add", "notice.add", "case.add"):
        assert await _actions(app, action), action
    assert len(await _actions(app, "record.submit")) == 1


async def test_the_same_photo_for_a_second_problem_is_linked_but_stored_once(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await _problem(app, login, "货架上有过期食品", rf.png(1))
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "同一张照片")
    await rf.press(app, login, "f:record:basis:none")
    again = await rf.upload(app, login, rf.png(1))
    assert "已保存第 1 张" in texts(again)
    assert await _count(app, EvidenceFile) == 2
    files = list((app.settings.data_dir / "evidence").rglob("*"))
    assert len([f for f in files if f.is_file()]) == 1


async def test_the_same_photo_twice_for_one_problem_is_attached_once(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await _problem(app, login, "货架上有过期食品", rf.png(1))
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "另一处问题")
    await rf.press(app, login, "f:record:basis:none")
    await rf.upload(app, login, rf.png(2))
    again = await rf.upload(app, login, rf.png(2))
    assert "已经上传过" in texts(again)
    assert await _count(app, EvidenceFile) == 2


async def test_a_photo_over_the_limit_is_refused_and_nothing_is_stored(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "照片过大")
    await rf.press(app, login, "f:record:basis:none")
    before = await row_counts(app)
    big = rf.png(1) + b"\0" * MAX_EVIDENCE_BYTES
    refused = await rf.upload(app, login, big)
    assert "文件过大" in texts(refused) and "10,485,760 B" in texts(refused)
    assert await row_counts(app) == before
    assert not (app.settings.data_dir / "evidence").exists()


async def test_a_file_of_the_wrong_type_is_refused_by_its_content(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "文件类型")
    await rf.press(app, login, "f:record:basis:none")
    before = await row_counts(app)
    # Declared as a PNG, but it is a script.
    refused = await rf.upload(app, login, b"#!/bin/sh\necho hi\n", "photo.png", "image/png")
    assert "文件类型不支持" in texts(refused) and "JPEG, PNG, PDF" in texts(refused)
    exe = await rf.upload(app, login, b"MZ\x90\x00" + b"\0" * 100, "a.exe", "application/x-msdos")
    assert "文件类型不支持" in texts(exe)
    assert await row_counts(app) == before
    # A PDF is accepted even when the platform calls it application/octet-stream.
    ok = await rf.upload(app, login, b"%PDF-1.4\n%\xe2\xe3\n", "scan", "application/octet-stream")
    assert "已保存" in texts(ok)


async def test_text_where_a_date_is_expected_is_refused_and_the_question_stands(
    app: App,
) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _to_deadline(app, login, mine)
    before = await row_counts(app)
    refused = await say(app, login, "下周五")
    assert "无法识别" in texts(refused) and "2026-12-01" in texts(refused)
    assert await row_counts(app) == before
    ok = await say(app, login, str(local_today(app.clock) + timedelta(days=30)))
    assert "已记录" in texts(ok)


async def test_a_deadline_in_the_past_is_refused(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _to_deadline(app, login, mine)
    before = await row_counts(app)
    yesterday = local_today(app.clock) - timedelta(days=1)
    refused = await say(app, login, yesterday.strftime("%Y年%m月%d日"))
    assert "已经过去" in texts(refused)
    assert await row_counts(app) == before
    assert await _count(app, RectificationNotice) == 0


async def test_a_duplicate_notice_number_is_refused(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _to_deadline(app, login, mine)
    await rf.press(app, login, "f:record:dflt")  # takes 乐市监责改〔2026〕1号
    await rf.press(app, login, "f:record:order")
    before = await row_counts(app)
    number = f"乐市监责改〔{local_today(app.clock).year}〕1号"
    refused = await say(app, login, number)
    assert f"编号 {number} 已被另一份通知书使用" in texts(refused)
    assert await row_counts(app) == before
    # A number typed by hand is skipped by the sequence later on.
    await say(app, login, f"乐市监责改〔{local_today(app.clock).year}〕2号")
    await rf.press(app, login, "f:record:today")
    await rf.press(app, login, "f:record:dflt")
    await rf.press(app, login, "f:record:order")
    await rf.press(app, login, "f:record:auto")
    await rf.press(app, login, "f:record:today")
    third = await rf.press(app, login, "f:record:dflt")
    assert f"乐市监责改〔{local_today(app.clock).year}〕3号" in texts(third)


async def test_a_record_for_another_teams_assignment_is_refused_and_audited(app: App) -> None:
    _, mine, other = await rf.ready(app)
    login = mine.logins[0]
    before = await row_counts(app)
    by_command = await say(app, login, f"/record {other.assignment_id}")
    assert "不属于您所在的检查组" in texts(by_command)
    forged = await rf.press(app, login, f"rec:{other.assignment_id}")
    assert "不属于您所在的检查组" in texts(forged)
    after = await row_counts(app)
    assert after.pop("audit_log") == before.pop("audit_log") + 2
    assert after == before  # nothing else: no record, no conversation
    denied = await _actions(app, "authz.denied")
    assert [(d.object_id, d.after) for d in denied] == [
        (str(other.assignment_id), {"action": "record.open"})
    ] * 2
    assert all(d.actor.startswith("user:") for d in denied)


async def test_a_forged_entry_of_another_team_inside_my_record_is_refused(app: App) -> None:
    _, mine, other = await rf.ready(app)
    theirs = await rf.submitted(app, other, categories=("other_market_rule",), problem="他组问题")
    async with unit_of_work(app.sessions, write=False) as session:
        problem_id = await session.scalar(select(Problem.id).where(Problem.result_id == theirs))
    login = mine.logins[0]
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:remove")
    refused = await rf.press(app, login, f"f:record:del:p:{problem_id}")
    assert "不属于您所在的检查组" in texts(refused)
    assert await _count(app, Problem, Problem.id == problem_id) == 1
    assert len(await _actions(app, "authz.denied")) == 1


async def test_duplicated_button_presses_record_once(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}", update_key="u1")
    assert await rf.press(app, login, f"rec:{mine.assignment_id}", update_key="u1") == []
    other = await rf.category_id(app, "other_market_rule")
    # The same update delivered twice is handled once; the same add pressed twice adds once.
    await rf.press(app, login, f"f:record:c+:{other}", update_key="u2")
    await rf.press(app, login, f"f:record:c+:{other}", update_key="u2")
    await rf.press(app, login, f"f:record:c+:{other}", update_key="u3")
    assert await _count(app, ResultCategoryLink) == 3  # D with its parents 2 and A
    assert len(await _actions(app, "record.category")) == 1
    await rf.press(app, login, "f:record:cdone")
    await _problem(app, login, "货架上有过期食品", rf.png(1))
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:order")
    await rf.press(app, login, "f:record:auto")
    await rf.press(app, login, "f:record:today")
    await rf.press(app, login, "f:record:dflt")
    stale = await rf.press(app, login, "f:record:dflt")
    assert "按钮已失效" in texts(stale)
    assert await _count(app, RectificationNotice) == 1
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:submit")
    again = await rf.press(app, login, "f:record:submit")
    assert "按钮已失效" in texts(again)
    assert len(await _actions(app, "record.submit")) == 1
    assert len(await _actions(app, "record.start")) == 1


async def test_a_record_is_resumed_after_a_restart(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await app.aclose()
    restarted = await build_app(app.settings, clock=app.clock)
    try:
        saved = await say(restarted, login, "无健康证明人员从事接触直接入口食品工作")
        assert "问题 1 已记录" in texts(saved)
        left = await rf.press(restarted, login, "f:record:leave")
        assert f"/record {mine.assignment_id}" in texts(left)
        back = await say(restarted, login, f"/record {mine.assignment_id}")
        assert "继续填报" in texts(back) and "无健康证明人员" in texts(back)
        assert "f:record:submit" in rf.buttons(back)
    finally:
        await restarted.aclose()


async def test_after_submission_only_a_coordinator_changes_it_and_it_is_audited(
    app: App,
) -> None:
    _, mine, _ = await rf.ready(app)
    await rf.submitted(app, mine, categories=("other_market_rule",), problem="问题一")
    member = mine.logins[1]
    locked = await say(app, member, f"/record {mine.assignment_id}")
    assert "只有协调员可以修改" in texts(locked)
    card = await say(app, "coord", f"/record {mine.assignment_id}")
    assert "f:record:finish" in rf.buttons(card) and "f:record:submit" not in rf.buttons(card)
    await rf.press(app, "coord", "f:record:date")
    day = local_today(app.clock) - timedelta(days=1)
    await say(app, "coord", str(day))
    done = await rf.press(app, "coord", "f:record:finish")
    assert "审计" in texts(done)
    changes = await _actions(app, "record.checked_on")
    assert len(changes) == 1 and changes[0].after == {"checked_on": str(day)}
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.scalar(select(InspectionResult))
    assert result is not None and result.status == "awaiting_review"
    assert result.checked_on == day


async def test_categories_no_problem_cannot_be_combined(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    for code in ("no_problem", "other_market_rule"):
        await rf.press(app, login, f"f:record:c+:{await rf.category_id(app, code)}")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:hub")
    refused = await rf.press(app, login, "f:record:submit")
    assert "不能与其他类别同时选择" in texts(refused)
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.scalar(select(InspectionResult))
    assert result is not None and result.status == "draft"


async def test_a_check_date_in_the_future_is_refused(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await _start(app, login, mine)
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:date")
    tomorrow = local_today(app.clock) + timedelta(days=1)
    assert "晚于今天" in texts(await say(app, login, str(tomorrow)))


async def test_english_user_reads_the_record_in_english(app: App) -> None:
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await say(app, login, "/lang en")
    started = await rf.press(app, login, f"rec:{mine.assignment_id}")
    assert "Choose the result categories" in texts(started)
    assert "☐ 1 No problem found" in [b.label for r in started for row in r.buttons for b in row]


def test_evidence_limits_are_parameters_and_types_are_judged_by_content() -> None:
    import pytest

    from services.common.errors import InvalidInput

    assert evidence.check_file(rf.png(1)) == "image/png"
    assert evidence.check_file(rf.jpeg(1)) == "image/jpeg"
    with pytest.raises(InvalidInput) as too_big:
        evidence.check_file(rf.png(1), max_bytes=10)
    assert too_big.value.key == "evidence.too_big"
    with pytest.raises(InvalidInput) as not_allowed:
        evidence.check_file(b"%PDF-1.7\n", allowed=("image/png", "image/jpeg"))
    assert not_allowed.value.key == "evidence.bad_type"
    with pytest.raises(InvalidInput):
        evidence.check_file(b"")
    eleven = rf.png(1) + b"\0" * (11 * 1024 * 1024)
    with pytest.raises(InvalidInput) as big:
        evidence.check_file(eleven)
    assert big.value.params == {"size": "11.0 MB", "limit": "10 MB"}
