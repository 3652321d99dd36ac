"""Objections to a published part: recorded, rejected (nothing published changes) or
corrected (republished as a new version, marked 更正, the old version kept in the history).

The clock starts on Wednesday 2026-11-25 (Shanghai); December 2026 has no holiday, so
15 working days from 11-25 end on Wednesday 12-16, and its reminder (3 working days
before) is due on Friday 12-11.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import AuditEntry, InspectionResult, Objection, ResultVersion
from services.common.clock import ManualClock, local_today
from services.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from services.publicity import corrections, objections, versions
from services.records import export
from tests import publicity_fixture as pf
from tests import records_fixture as rf
from tests.helpers import say, texts
from tests.test_deadline_reminders import nine, received, sent_once_when_due, sweep_at

REVIEW_DUE = date(2026, 12, 16)


async def _record(app: App, rid: int, login: str = "coord", **extra: object) -> objections.Filed:
    actor = await rf.actor(app, login)
    values: dict[str, object] = {
        "filed_by": "乐都区放心粮油店 张建国",
        "filed_on": local_today(app.clock),
        "grounds": "检查当日已在公示系统报送年度报告，结果认定有误。",
        **extra,
    }
    async with unit_of_work(app.sessions) as session:
        return await objections.record(
            session,
            actor,
            rid,
            files_dir=app.settings.data_dir,
            today=local_today(app.clock),
            now=app.clock.now(),
            **values,  # type: ignore[arg-type]
        )


async def _public_state(app: App) -> tuple[list[export.PublicRow], bytes, str]:
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await export.published(session, limit=None)
    async with pf.client(app) as web:
        page = (await web.get("/results")).text
    return rows, export.to_csv(rows), page


async def test_an_objection_is_recorded_with_a_reference_and_a_review_deadline(
    app: App,
) -> None:
    d = await pf.district(app)
    filed = await _record(app, d.result_id, upload=objections.Upload(rf.png(1), "年报截图.png"))
    o = filed.objection
    assert (o.reference, o.review_due, o.status, o.source) == (
        "YY-2026-0001",
        REVIEW_DUE,
        "open",
        "office",
    )
    assert not filed.fallback
    assert o.evidence_id is not None
    notices = await pf.outbox_for(app, "coord", "objection.filed")
    assert [n["key"] for n in notices] == ["objection.filed_office"]
    assert notices[0]["params"]["reference"] == "YY-2026-0001"  # type: ignore[index]
    second = await _record(app, d.result_id)
    assert second.objection.reference == "YY-2026-0002"
    async with unit_of_work(app.sessions, write=False) as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
        # The objection's file is no evidence of the record the team gathered.
        from services.records import evidence

        assert await evidence.result_evidence(session, d.result_id) == []
    assert actions.count("objection.record") == 2


async def test_only_a_published_part_can_be_objected_to(app: App) -> None:
    d = await pf.district(app)
    unpublished = await rf.submitted(app, d.other)
    with pytest.raises(NotFound):
        await _record(app, unpublished)
    with pytest.raises(InvalidInput, match=r"objection\.date_future"):
        await _record(app, d.result_id, filed_on=local_today(app.clock) + timedelta(days=1))


async def test_rejected_with_reasons_nothing_published_changes(app: App) -> None:
    d = await pf.district(app)
    filed = await _record(app, d.result_id)
    before = await _public_state(app)
    async with unit_of_work(app.sessions) as session:
        await objections.reject(
            session,
            None,
            filed.objection.reference,
            "经核查，检查时未报送年报属实。",
            app.clock.now(),
        )
    assert await _public_state(app) == before
    async with unit_of_work(app.sessions, write=False) as session:
        o = await session.get(Objection, filed.objection.id)
        assert o is not None and o.status == "rejected" and o.decision
        assert await session.scalar(select(func.count()).select_from(ResultVersion)) == 0
        part = await session.get(InspectionResult, d.result_id)
        assert part is not None and (part.publication, part.corrected_on) == (1, None)
    with pytest.raises(Conflict, match=r"objection\.decided"):
        async with unit_of_work(app.sessions) as session:
            await objections.reject(
                session, None, str(filed.objection.id), "再次驳回", app.clock.now()
            )


async def test_corrected_the_page_shows_the_mark_and_the_history(
    app: App, clock: ManualClock
) -> None:
    d = await pf.district(app)
    filed = await _record(app, d.result_id)
    async with unit_of_work(app.sessions, write=False) as session:
        first = await session.get(InspectionResult, d.result_id)
        assert first is not None
        published_at = first.published_at
    clock.set(clock.now() + timedelta(days=3))  # corrected on Saturday 11-28
    async with unit_of_work(app.sessions) as session:
        await corrections.correct(
            session,
            await rf.actor(app, "coord"),
            filed.objection.reference,
            ["B"],
            "经复核，企业未按规定公示年度报告。",
            local_today(clock),
            clock.now(),
        )
    async with unit_of_work(app.sessions, write=False) as session:
        part = await session.get(InspectionResult, d.result_id)
        assert part is not None
        assert (part.publication, part.corrected_on) == (2, date(2026, 11, 28))
        assert part.published_at == published_at  # the first publication is kept
        kept = (await session.scalars(select(ResultVersion))).all()
        assert [(v.number, v.objection_id) for v in kept] == [(1, filed.objection.id)]
        assert [c["code"] for c in kept[0].content["categories"]] == ["no_problem"]
        assert kept[0].content["department"] == pf.DEPARTMENT_X
        o = await session.get(Objection, filed.objection.id)
        assert o is not None and o.status == "corrected"
        rows = await export.published(session, limit=None)
        history = await versions.public_history(session, d.result_id)
    row = next(r for r in rows if r.credit_code == d.mine.credit_code)
    assert row.corrected_on == date(2026, 11, 28)
    assert row.categories == [
        "A 发现问题待后续处理",
        "2 违反市场监管相关规定",
        "B 未按规定公示应当公示的信息",
    ]
    assert [(v.number, v.current, v.corrected_on) for v in history.versions] == [
        (2, True, date(2026, 11, 28)),
        (1, False, None),
    ]
    async with pf.client(app) as web:
        results_page = (await web.get("/results")).text
        history_page = (await web.get(f"/results/{d.result_id}/history")).text
    assert "2026-11-28" in results_page and "更正日期" in results_page
    assert '<span class="status corrected">更正 2026-11-28</span>' in history_page
    assert "第 2 版" in history_page and "当前版本" in history_page and "第 1 版" in history_page
    assert "1 未发现问题" in history_page and "B 未按规定公示应当公示的信息" in history_page
    assert pf.DEPARTMENT_X in history_page
    for internal in ("张建国", "年度报告。", "检查当日"):  # the objection itself is not public
        assert internal not in history_page


async def test_a_correction_is_held_to_the_category_rules(app: App) -> None:
    d = await pf.district(app)
    filed = await _record(app, d.result_id)
    before = await _public_state(app)
    for names, key in (
        (["1", "B"], "codes.exclusive_with_others"),
        (["no_problem"], "objection.nothing_changed"),
        (["nonsense"], "objection.unknown_category"),
    ):
        with pytest.raises(InvalidInput, match=key):
            async with unit_of_work(app.sessions) as session:
                await corrections.correct(
                    session,
                    None,
                    filed.objection.reference,
                    names,
                    None,
                    local_today(app.clock),
                    app.clock.now(),
                )
    assert await _public_state(app) == before


async def test_reviewers_decide_only_their_own_departments_parts(app: App) -> None:
    d = await pf.district(app)
    filed = await _record(app, d.result_id)
    await pf.reviewer(app, "rev_y", "Y")
    await pf.reviewer(app, "rev_x", "X")
    with pytest.raises(NotAllowed):
        async with unit_of_work(app.sessions) as session:
            await objections.reject(
                session, await rf.actor(app, "rev_y"), "YY-2026-0001", "不成立", app.clock.now()
            )
    async with unit_of_work(app.sessions, write=False) as session:
        assert await objections.open_objections(session, await rf.actor(app, "rev_y")) == []
        mine = await objections.open_objections(session, await rf.actor(app, "rev_x"))
    assert [v.objection.id for v in mine] == [filed.objection.id]
    # The reviewer of the part's department was told of it, the other one not.
    assert await pf.outbox_for(app, "rev_y", "objection.filed") == []
    with pytest.raises(NotAllowed):
        await _record(app, d.result_id, login=d.mine.logins[0])  # an inspector


async def test_chat_record_list_and_reject(app: App) -> None:
    d = await pf.district(app)
    pf.with_chat(app)
    start = texts(await say(app, "coord", f"/objection {d.result_id}"))
    assert d.mine.enterprise in start and pf.DEPARTMENT_X in start
    await say(app, "coord", "乐都区放心粮油店")
    await say(app, "coord", button="f:objection:today")
    asked = texts(await say(app, "coord", "已按期报送年报，认定有误。"))
    assert "证明材料" in asked
    saved = texts(await rf.upload(app, "coord", rf.png(3), "回执.png"))
    assert "YY-2026-0001" in saved and "2026-12-16" in saved
    listing = await say(app, "coord", "/objections")
    assert "YY-2026-0001" in texts(listing)
    assert "obj:show:1" in rf.buttons(listing)
    card = await rf.press(app, "coord", "obj:show:1")
    assert "已按期报送年报" in texts(card) and "obj:ev:1" in rf.buttons(card)
    evidence = await rf.press(app, "coord", "obj:ev:1")
    assert evidence[0].document is not None and evidence[0].document.data == rf.png(3)
    followup = await say(app, "coord", "/followup")
    assert "异议 YY-2026-0001" in texts(followup) and "obj:show:1" in rf.buttons(followup)
    rejected = texts(await say(app, "coord", "/objection YY-2026-0001 reject 经核查认定无误"))
    assert "已驳回" in rejected
    assert "没有待处理的异议" in texts(await say(app, "coord", "/objections"))
    again = texts(await say(app, "coord", "/objection YY-2026-0001 reject 再次"))
    assert "已处理完毕" in again


async def test_chat_correct_lists_the_categories_then_corrects(app: App) -> None:
    d = await pf.district(app)
    pf.with_chat(app)
    await _record(app, d.result_id)
    help_text = texts(await say(app, "coord", "/objection YY-2026-0001 correct"))
    assert "unreachable" in help_text and "B" in help_text
    done = texts(await say(app, "coord", "/objection 1 correct 6 住所无法联系"))
    assert "第 2 版" in done and "6 通过登记的住所（经营场所）无法联系" in done
    # An inspector has no such command.
    assert "/objection" not in texts(await say(app, d.mine.logins[0], "/help"))


async def test_review_deadline_reminds_the_office_and_stops_once_decided(
    app: App, clock: ManualClock
) -> None:
    d = await pf.district(app)
    await _record(app, d.result_id)
    marker = "【异议处理提醒】异议 YY-2026-0001"
    await sent_once_when_due(
        app, clock, "remind.objection", marker, nine(date(2026, 12, 11)), ["coord"]
    )


async def test_no_review_reminder_once_rejected(app: App, clock: ManualClock) -> None:
    d = await pf.district(app)
    await _record(app, d.result_id)
    due = nine(date(2026, 12, 11))
    await sweep_at(app, clock, due - timedelta(days=14))
    async with unit_of_work(app.sessions) as session:
        await objections.reject(session, None, "YY-2026-0001", "不成立", clock.now())
    await sweep_at(app, clock, due - timedelta(days=13))
    assert await received(app, clock, due, "【异议处理提醒】") == []
