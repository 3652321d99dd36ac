"""On site: 开始检查 with the place, the on-site record, 结束检查; the distance from the
registered place flagged to the reviewer; a location from each platform; the export."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Update

from bot.app import App
from bot.console import ConsoleTransport, read_location
from bot.telegram_transport import read_update
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming, Reply
from models import AuditEntry, CheckPoint, InspectionResult, Item, Signature, Visit
from services.common.clock import local_today
from services.common.errors import InvalidInput
from services.records import export_facts, export_field, visits
from services.records.export_columns import FIELD_COLUMNS, parse_columns
from services.records.signed_content import content_sha256
from tests import fieldcheck_fixture as ff
from tests import records_fixture as rf
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.helpers import console_account, row_counts, say, texts
from tests.wecom_helpers import CORP, Rig, card_event, text_msg, wecom_rig


async def _located(app: App, login: str, where: tuple[float, float]) -> list[Reply]:
    return await app.core.handle(Incoming("console", login, login, location=where))


async def _visit(app: App) -> Visit:
    async with unit_of_work(app.sessions, write=False) as session:
        found = await session.scalar(select(Visit))
    assert found is not None
    return found


async def _started(app: App) -> tuple[str, rf.Team]:
    """An inspector who opened the record and pressed 开始检查 (asked for the place)."""
    _, mine, _ = await ff.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    asked = await rf.press(app, login, "f:record:vgo")
    assert "检查开始时间" in texts(asked) and "请发送当前位置" in texts(asked)
    return login, mine


async def _through_details(app: App, login: str) -> list[Reply]:
    """From the measures' button to the card: attendees, certificates, recusal, end."""
    await rf.press(app, login, "f:record:onsite")
    saved = await say(app, login, "张建国 负责人；李秀英 店员")
    assert "张建国（负责人）、李秀英（店员）" in texts(saved)
    await rf.press(app, login, "f:record:cert:y")
    asked_end = await rf.press(app, login, "f:record:rec:no")
    assert "结束检查" in texts(asked_end)
    app.clock.advance(timedelta(minutes=50))
    return await rf.press(app, login, "f:record:vend")


def test_the_distance_is_the_great_circle_distance() -> None:
    # One degree of latitude is 111.2 km; the same point is 0.
    assert visits.distance_m((36.0, 102.0), (37.0, 102.0)) == pytest.approx(111_195, rel=1e-3)
    assert visits.distance_m(ff.REGISTERED, ff.REGISTERED) == 0
    assert 100 < visits.distance_m(ff.REGISTERED, ff.NEAR) < 200
    with pytest.raises(InvalidInput):
        visits.check_location((91.0, 0.0))
    assert visits.parse_attendees("张建国，负责人\n李秀英") == [
        {"name": "张建国", "post": "负责人"},
        {"name": "李秀英", "post": ""},
    ]


async def test_a_check_on_site_from_start_to_end_is_on_the_reviewers_card(app: App) -> None:
    login, _mine = await _started(app)
    placed = await _located(app, login, ff.NEAR)
    assert "距登记地址 1" in texts(placed) and "超出" not in texts(placed)
    assert "检查要点 · 事项 1/2" in texts(placed)  # on to the check points
    ids = await ff.point_ids(app)
    for label in ("I2-1", "I2-2", "I2-3", "I3-1", "I3-2"):
        await rf.press(app, login, f"f:record:ck:{ids[label]}:c")
    cats = await rf.press(app, login, "f:record:cldone")
    assert "已按检查要点的结果预选结果类别：1 未发现问题" in texts(cats)
    await rf.press(app, login, "f:record:cdone")
    measures = await rf.press(app, login, "f:record:pnone")
    assert "f:record:onsite" in rf.buttons(measures) and "f:record:hub" not in rf.buttons(measures)
    card = texts(await _through_details(app, login))
    assert "检查结束时间" in card and "现场检查：开始" in card and "⚠ 未记录" not in card
    assert "企业到场人员：张建国（负责人）、李秀英（店员）" in card
    assert "出示执法证件：是　告知回避权利：已告知，答复：不申请回避" in card
    submitted = await rf.press(app, login, "f:record:submit")
    assert "已提交审核" in texts(submitted) and "未记录" not in texts(submitted)
    visit = await _visit(app)
    assert visit.location_source == "console" and visit.ended_at is not None
    assert visit.started_at is not None and visit.ended_at - visit.started_at >= timedelta(
        minutes=50
    )
    async with unit_of_work(app.sessions, write=False) as session:
        rid = await session.scalar(select(InspectionResult.id))
        actions = set((await session.scalars(select(AuditEntry.action))).all())
    assert {"visit.start", "visit.location", "visit.attendees", "visit.end"} <= actions
    review = texts(await rf.press(app, "coord", f"review:show:{rid}"))
    assert "检查地点：纬度 36.48120，经度 102.40050（距登记地址 1" in review
    assert "I2 食品经营许可及经营行为检查：符合 3" in review and "未答 0" in review
    assert "告知回避权利：已告知，答复：不申请回避" in review


async def test_a_place_far_from_the_registered_one_is_flagged(app: App) -> None:
    login, _mine = await _started(app)
    placed = texts(await _located(app, login, ff.FAR))
    assert "⚠ 检查地点" in placed and "超出 500 米" in placed and "公里" in placed
    async with unit_of_work(app.sessions, write=False) as session:
        rid = await session.scalar(select(InspectionResult.id))
    review = texts(await rf.press(app, "coord", f"review:show:{rid}"))
    assert "超出 500 米" in review
    # The radius is the district's: with a larger one, the same place is not flagged.
    policy = app.core.policy
    app.core.policy = type(policy)(**{**policy.__dict__, "onsite_radius_meters": 10_000})
    try:
        assert "超出" not in texts(await rf.press(app, "coord", f"review:show:{rid}"))
    finally:
        app.core.policy = policy


async def test_a_record_without_start_and_end_is_submitted_and_the_reviewer_told(
    app: App,
) -> None:
    _, mine, _ = await ff.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    await rf.press(app, login, "f:record:vskip")
    await rf.press(app, login, "f:record:cldone")
    await rf.press(app, login, f"f:record:c+:{await rf.category_id(app, 'other_market_rule')}")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:pnone")
    await rf.press(app, login, "f:record:hub")
    submitted = texts(await rf.press(app, login, "f:record:submit"))
    assert "已提交审核" in submitted
    assert "注意：本次检查未记录开始时间、结束时间，审核人员会看到" in submitted
    async with unit_of_work(app.sessions, write=False) as session:
        result = await session.scalar(select(InspectionResult))
    assert result is not None and result.status == "awaiting_review"
    review = texts(await rf.press(app, "coord", f"review:show:{result.id}"))
    assert "⚠ 未记录检查开始时间、结束时间" in review


async def test_bad_on_site_input_is_refused_and_changes_nothing(app: App) -> None:
    login, _mine = await _started(app)
    before = await row_counts(app)
    text_place = await say(app, login, "碾伯镇古城大街")
    assert "请点击下方按钮" in texts(text_place) and "请发送当前位置" in texts(text_place)
    far_off = await _located(app, login, (95.0, 102.0))
    assert "位置无效" in texts(far_off)
    assert await row_counts(app) == before
    await rf.press(app, login, "f:record:lskip")
    await rf.press(app, login, "f:record:leave")
    # Outside any conversation, a location is answered politely and nothing is written.
    before = await row_counts(app)
    outside = await _located(app, login, ff.NEAR)
    assert texts(outside).strip() and "Traceback" not in texts(outside)
    assert await row_counts(app) == before
    # Attendees too long, and an answer recorded without the right explained.
    await say(app, login, f"/record {_mine.assignment_id}")
    await rf.press(app, login, "f:record:onsite")  # started, no place: asks for it
    await rf.press(app, login, "f:record:lskip")
    before = await row_counts(app)
    long_name = await say(app, login, "张" * 60 + " 负责人")
    assert "过长" in texts(long_name)
    assert await row_counts(app) == before


async def test_the_visit_is_shared_by_the_departments_and_started_once(app: App) -> None:
    """A restaurant checked under I1: X walks its points on site, Y records its part."""
    today = local_today(app.clock)
    await rf.build(app, today)
    async with unit_of_work(app.sessions) as session:
        i1 = await session.scalar(select(Item.id).where(Item.code == "I1"))
        session.add(CheckPoint(item_id=i1, seq=1, content="生熟分开存放", method=None, basis=None))
    plan_id = await rf.drawn_plan(app, today, items=["I1"])
    (team,) = await rf.teams(app, plan_id)
    officer = {rf.INSPECTORS[login][0]: login for login in team.logins}
    for login in team.logins:
        await console_account(app, login)
    await rf.press(app, officer["X"], f"rec:{team.assignment_id}")
    await rf.press(app, officer["X"], "f:record:vgo")
    first = (await _visit(app)).started_at
    app.clock.advance(timedelta(minutes=5))
    cats = await rf.press(app, officer["Y"], f"rec:{team.assignment_id}")
    assert "f:record:vstart" not in rf.buttons(cats)  # the check has started already
    await rf.press(app, officer["Y"], "f:record:hub")
    place = await rf.press(app, officer["Y"], "f:record:onsite")  # started: the place
    assert "请发送当前位置" in texts(place)
    await _located(app, officer["Y"], ff.NEAR)
    async with unit_of_work(app.sessions, write=False) as session:
        visits_ = (await session.scalars(select(Visit))).all()
        starts = (
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "visit.start"))
        ).all()
    assert len(visits_) == 1 and visits_[0].started_at == first and len(starts) == 1
    assert visits_[0].latitude == ff.NEAR[0]
    card = texts(await rf.press(app, officer["X"], "f:record:hub"))
    assert "检查地点：纬度 36.48120" in card  # recorded by Y, shown on X's part


def _update(data: dict[str, object]) -> Update:
    return Update.de_json(data, None)  # type: ignore[arg-type]


def test_telegram_locations_and_recordings_become_neutral_events() -> None:
    fake = FakeTelegram()
    shared = fake.message(5, location={"latitude": 36.4812, "longitude": 102.4005})
    event = read_update(_update(shared), BOT_USERNAME)
    assert event is not None and event.incoming.location == (36.4812, 102.4005)
    assert event.file_id is None and event.incoming.text is None
    wrong = fake.message(5, location={"latitude": 136.0, "longitude": 102.0})
    assert read_update(_update(wrong), BOT_USERNAME) is None
    video = fake.message(
        5,
        caption="后厨",
        video={
            "file_id": "V1",
            "file_unique_id": "v1",
            "width": 640,
            "height": 480,
            "duration": 3,
            "mime_type": "video/mp4",
            "file_size": 2048,
        },
    )
    clip = read_update(_update(video), BOT_USERNAME)
    assert clip is not None and clip.file_id == "V1" and clip.file_mime == "video/mp4"
    assert clip.file_name == "video-v1.mp4" and clip.file_size == 2048
    voice = fake.message(
        5, voice={"file_id": "A1", "file_unique_id": "a1", "duration": 2, "file_size": 99}
    )
    note = read_update(_update(voice), BOT_USERNAME)
    assert note is not None and note.file_mime == "audio/ogg" and note.file_name.endswith(".ogg")
    audio = fake.message(
        5,
        audio={
            "file_id": "M1",
            "file_unique_id": "m1",
            "duration": 60,
            "file_name": "询问录音.m4a",
            "mime_type": "audio/mp4",
        },
    )
    recording = read_update(_update(audio), BOT_USERNAME)
    assert recording is not None and recording.file_name == "询问录音.m4a"


def test_the_console_takes_a_location_line() -> None:
    console = ConsoleTransport(io.StringIO(), Path("unused"))
    event = console.to_incoming("insp1", "@location 36.48,102.40")
    assert event.location == (36.48, 102.40) and event.text is None
    assert read_location("36.48 102.40") == (36.48, 102.40)
    assert read_location("north") is None and read_location("91,0") is None
    typed = console.to_incoming("insp1", "@location somewhere")
    assert typed.location is None and typed.text == "@location somewhere"


def _location_msg(user: str, lat: str, lon: str, msg_id: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>1700000003</CreateTime><MsgType><![CDATA[location]]>"
        f"</MsgType><Location_X>{lat}</Location_X><Location_Y>{lon}</Location_Y>"
        f"<Scale>15</Scale><Label><![CDATA[碾伯镇古城大街]]></Label><MsgId>{msg_id}</MsgId>"
        f"<AgentID>1000002</AgentID></xml>"
    )


def _location_event(user: str, lat: str, lon: str, stamp: int) -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>{stamp}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[LOCATION]]></Event><Latitude>{lat}</Latitude>"
        f"<Longitude>{lon}</Longitude><Precision>65.0</Precision>"
        f"<AgentID>1000002</AgentID></xml>"
    )


async def _wecom_user(app: App, login: str) -> None:
    from services.accounts.users import ensure_local_account

    async with unit_of_work(app.sessions) as session:
        await ensure_local_account(session, "wecom", login, app.clock.now())


async def test_a_wecom_location_message_is_the_place_of_the_check(app: App) -> None:
    _, mine, _ = await ff.ready(app)
    login = mine.logins[0]
    await _wecom_user(app, login)
    async with wecom_rig(app) as rig:
        await rig.post(text_msg(login, f"/record {mine.assignment_id}", 1))
        await rig.post(card_event(login, "f:record:vgo", "t1"))
        assert "请发送当前位置" in _last(rig)
        await rig.post(_location_msg(login, "36.4812", "102.4005", 2))
        assert "距登记地址" in _last(rig)
    visit = await _visit(app)
    assert (visit.latitude, visit.longitude) == ff.NEAR and visit.location_source == "wecom"


async def test_a_wecom_location_report_answers_only_the_question_for_the_place(
    app: App,
) -> None:
    _, mine, _ = await ff.ready(app)
    login = mine.logins[0]
    await _wecom_user(app, login)
    async with wecom_rig(app) as rig:
        # Reported on its own while nothing asks for it: no reply, nothing written.
        before, sent = await row_counts(app), len(rig.fake.sent())
        await rig.post(_location_event(login, "36.4812", "102.4005", 1700000010))
        assert len(rig.fake.sent()) == sent
        after = await row_counts(app)
        assert after.pop("processed_updates") >= before.pop("processed_updates")
        assert after == before
        await rig.post(text_msg(login, f"/record {mine.assignment_id}", 3))
        await rig.post(card_event(login, "f:record:vgo", "t2"))
        await rig.post(_location_event(login, "36.4812", "102.4005", 1700000020))
        assert "距登记地址" in _last(rig)
    visit = await _visit(app)
    assert (visit.latitude, visit.longitude) == ff.NEAR and visit.location_source == "wecom"


def _last(rig: Rig) -> str:
    sent = rig.fake.sent()[-1]
    if sent["msgtype"] == "text":
        return str(sent["text"]["content"])
    card = sent["template_card"]
    return f"{card['main_title']['title']}\n{card['sub_title_text']}"


async def test_the_export_carries_the_field_check(app: App) -> None:
    login, _mine = await _started(app)
    await _located(app, login, ff.FAR)
    ids = await ff.point_ids(app)
    await rf.press(app, login, f"f:record:ck:{ids['I2-1']}:c")
    await rf.press(app, login, f"f:record:ck:{ids['I2-2']}:n")
    await rf.press(app, login, "f:record:pdone")
    await rf.press(app, login, "f:record:cldone")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:pnone")
    await _through_details(app, login)
    async with unit_of_work(app.sessions) as session:
        rid = await session.scalar(select(InspectionResult.id))
        visit = await session.scalar(select(Visit))
        assert rid is not None and visit is not None
        session.add(
            Signature(
                visit_id=visit.id,
                role="inspected",
                signer="张建国",
                content_sha256="0" * 64,
                signed_at=app.clock.now(),
            )
        )
    async with unit_of_work(app.sessions, write=False) as session:
        (part,) = await export_facts.load(session, [rid], export_facts.PlanCache())
    columns = export_field.columns(part.on_site)
    assert set(columns) == set(FIELD_COLUMNS)
    assert columns["检查开始时间"] and columns["检查结束时间"] > columns["检查开始时间"]
    assert columns["检查地点"] == "36.500000,102.450000"
    assert columns["距登记地址"].endswith("公里（超出 500 米）")
    assert columns["检查要点结果"] == "I2-1 符合；I2-2 不符合"
    assert columns["签字情况"] == "被检查人 张建国 已签字"
    # The reviewer reads the signatures' verdict on the card: this one signed other content.
    review = texts(await rf.press(app, "coord", f"review:show:{rid}"))
    assert "签字情况：笔录在签字后发生了变化" in review
    template = parse_columns("t.toml", ["企业名称", *FIELD_COLUMNS])
    assert template.headers[1:] == list(FIELD_COLUMNS)


async def test_a_signed_record_refuses_a_change_of_the_visit_or_an_answer(app: App) -> None:
    login, _mine = await _started(app)
    await _located(app, login, ff.NEAR)
    async with unit_of_work(app.sessions) as session:
        visit = await session.scalar(select(Visit))
        assert visit is not None
        session.add(
            Signature(
                visit_id=visit.id,
                role="inspected",
                signer="张建国",
                content_sha256=await content_sha256(session, visit.assignment_id),
                signed_at=app.clock.now(),
            )
        )
    before = await row_counts(app)
    ids = await ff.point_ids(app)
    refused = await rf.press(app, login, f"f:record:ck:{ids['I2-1']}:c")
    assert "签字" in texts(refused)
    await rf.press(app, login, "f:record:hub")
    await rf.press(app, login, "f:record:onsite")
    asked = texts(await rf.press(app, login, "f:record:askip"))
    assert "出示执法证件" in asked
    assert "签字" in texts(await rf.press(app, login, "f:record:cert:y"))
    assert await row_counts(app) == before
    assert (await _visit(app)).certificates_shown is None
