"""The public site beside /results: plans and draws, and no internal field on any page.

Plans appear once frozen (the commitment before the draw), draws show what they published
and never the teams' people, certificates, recusals or risk classes.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select, update

from bot.app import App
from bot.public_site import public_routes
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import Department, Draw, Inspector, Plan
from services.common.audit import Checkpoint
from services.common.audit_files import append_checkpoint
from services.common.clock import ManualClock, local_today
from services.draw import cancel, plans, substitute, supplement
from services.draw import freeze as draws
from services.draw.record import verify
from tests import records_fixture as rf

SUBSTITUTION_REASON = "病假 钱进住院两周"
CANCEL_REASON = "企业已停业，无法检查"
VOID_REASON = "计划范围录入有误，重新抽取"
# Whatever must never reach a public page: risk classes, recusals, certificates, phones,
# people, addresses and contacts, a substitution's reason, internal user ids.
INTERNAL = [
    "风险",
    "risk",
    "回避",
    rf.RECUSAL_REASON,
    SUBSTITUTION_REASON,
    CANCEL_REASON,  # free text beside a check may name a person: the record leaves it out
    "钱进",
    "user:",
    "联席办",
    *(cert for _, cert, _, _ in rf.INSPECTORS.values()),
    *(phone for _, _, _, phone in rf.INSPECTORS.values()),
    *(name for _, _, name, _ in rf.INSPECTORS.values()),
    *(e[3] for e in rf.ENTERPRISES.values()),  # addresses
    *(e[4] for e in rf.ENTERPRISES.values()),  # contact people
    *(e[5] for e in rf.ENTERPRISES.values()),  # enterprise phones
]


def web(app: App, static_dir: Path | None = None) -> httpx.AsyncClient:
    """A client of the web app with the public site's routes."""
    routes = public_routes(app) if static_dir is None else public_routes(app, static_dir=static_dir)
    transport = httpx.ASGITransport(app=create_web_app(app, extra_routes=routes))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _spec(name: str, item: str, today: date) -> plans.PlanSpec:
    return plans.parse_spec(
        {
            "name": name,
            "items": [item],
            "check_start": today,
            "check_end": today + timedelta(days=20),
            "districts": ["碾伯镇"],
            "ratios": {"A": "1", "B": "1", "C": "1", "D": "1"},
            "team_size": 2,
            "load_cap": 2,
        }
    )


async def _plan(app: App, name: str, item: str) -> int:
    spec = _spec(name, item, local_today(app.clock))
    async with unit_of_work(app.sessions) as session:
        return (await plans.create_plan(session, None, spec, app.clock.now())).id


async def _freeze(app: App, plan_id: int) -> Draw:
    async with unit_of_work(app.sessions) as session:
        return await draws.freeze(session, None, plan_id, app.clock.now())


async def district(app: App, clock: ManualClock) -> dict[str, int]:
    """A draft plan, a frozen one, and a drawn one with a cancellation and a substitution."""
    await rf.build(app, local_today(app.clock))
    ids = {"draft": await _plan(app, "草稿计划甲", "I1")}
    drawn_plan = await rf.drawn_plan(app, local_today(app.clock), load_cap=2)
    async with unit_of_work(app.sessions, write=False) as session:
        ids["drawn"] = await session.scalar(select(Draw.id).where(Draw.plan_id == drawn_plan)) or 0
    ids["drawn_plan"] = drawn_plan
    teams = await rf.teams(app, drawn_plan)
    clock.advance(timedelta(hours=1))
    async with unit_of_work(app.sessions) as session:
        await substitute.substitute(
            session,
            None,
            teams[0].assignment_id,
            rf.INSPECTORS[teams[0].logins[0]][1],
            SUBSTITUTION_REASON,
            app.clock.now(),
        )
    clock.advance(timedelta(hours=1))
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, teams[1].assignment_id, CANCEL_REASON, app.clock.now())
    ids["frozen_plan"] = await _plan(app, "2026年餐饮服务联合抽查", "I1")
    ids["frozen"] = (await _freeze(app, ids["frozen_plan"])).id
    return ids


async def test_a_frozen_plan_shows_its_commitment_before_its_draw(app: App) -> None:
    await rf.build(app, local_today(app.clock))
    draft = await _plan(app, "草稿计划甲", "I2")
    frozen_plan = await _plan(app, "2026年餐饮服务联合抽查", "I1")
    draw = await _freeze(app, frozen_plan)
    async with web(app) as client:
        listing = await client.get("/plans")
        assert listing.status_code == 200
        assert "2026年餐饮服务联合抽查" in listing.text
        assert draw.commitment in listing.text and "已冻结，待抽取" in listing.text
        assert draw.enterprise_snapshot in listing.text
        assert draw.input_hash is not None and draw.input_hash in listing.text
        assert draw.seed_hex not in listing.text  # secret until the draw
        assert "草稿计划甲" not in listing.text
        assert (await client.get(f"/plans/{draft}")).status_code == 404
        plan_page = await client.get(f"/plans/{frozen_plan}")
        assert plan_page.status_code == 200 and draw.commitment in plan_page.text
        page = await client.get(f"/draws/{draw.id}")
        assert page.status_code == 200
        assert draw.commitment in page.text and draw.seed_hex not in page.text
        assert "verify-draw" not in page.text and "<script" not in page.text
        assert "<h2>抽中的企业</h2>" not in page.text
        assert (await client.get(f"/draws/{draw.id}/record.json")).status_code == 404
        for text in (listing.text, plan_page.text, page.text):
            for secret in INTERNAL:
                assert secret not in text, secret


async def test_a_drawn_plan_shows_its_enterprises_timeline_and_record(
    app: App, clock: ManualClock
) -> None:
    ids = await district(app, clock)
    async with unit_of_work(app.sessions, write=False) as session:
        drawn = await session.get(Draw, ids["drawn"])
        assert drawn is not None
    teams = await rf.teams(app, ids["drawn_plan"])
    async with web(app) as client:
        listing = (await client.get("/plans")).text
        assert "2026年食品经营联合抽查" in listing and "已抽取" in listing
        assert drawn.seed_hex in listing and "抽中企业" in listing
        assert "A 类 100%、B 类 100%、C 类 100%、D 类 100%" in listing
        plan_page = (await client.get(f"/plans/{ids['drawn_plan']}")).text
        response = await client.get(f"/draws/{ids['drawn']}")
        page = response.text
        for team in teams:
            assert team.enterprise in plan_page and team.credit_code in plan_page
            assert team.enterprise in page and team.credit_code in page
        assert drawn.commitment in page and drawn.seed_hex in page
        assert "冻结名单" in page and "抽取：公布随机种子" in page
        assert "第 1 次变更：按公布的排序替补" in page
        assert f"第 2 次变更：取消对 {teams[1].enterprise}" in page
        assert "已取消检查" in page
        record_url = f"/draws/{ids['drawn']}/record.json"
        announced = f'data-commitment="{drawn.commitment}" data-input-hash="{drawn.input_hash}"'
        button = f'<button id="verify-draw" data-record-url="{record_url}" {announced}>'
        assert button + "在浏览器中验证</button>" in page
        assert '<input type="file" id="verify-file" accept="application/json">' in page
        assert '<label for="verify-file">' in page
        assert '<output id="verify-result"></output>' in page
        assert '<script src="/static/verify-draw.js" defer></script>' in page
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "connect-src 'self'" in csp
        assert "default-src 'none'" in csp
        assert response.headers["cache-control"] == "public, max-age=60"
        record = await client.get(record_url)
        assert record.status_code == 200
        assert record.headers["content-type"].startswith("application/json")
        body = record.json()
        assert body["draw_id"] == ids["drawn"] and verify(body) == []
        assert [a["kind"] for a in body["amendments"]] == ["substitution", "cancel"]
        assert drawn.input_hash is not None and body["input_hash"] == drawn.input_hash
        assert drawn.input_hash in page and drawn.input_hash in listing
        for remark in (CANCEL_REASON, SUBSTITUTION_REASON, "sick", "user:"):
            assert remark not in record.text, remark
        for path in ("/plans", f"/plans/{ids['drawn_plan']}", f"/draws/{ids['drawn']}"):
            text = (await client.get(path)).text
            for secret in INTERNAL:
                assert secret not in text, (path, secret)
        other = (await client.get("/plans")).headers["content-security-policy"]
        assert "script-src" not in other  # only the draw page runs the verifier


async def test_no_public_page_shows_an_internal_field(app: App, clock: ManualClock) -> None:
    ids = await district(app, clock)
    append_checkpoint(
        app.settings.audit_files().checkpoints, Checkpoint(7, "ab" * 32), app.clock.now(), "daily"
    )
    pages = [
        "/items",
        "/items?q=食品",
        "/plans",
        f"/plans/{ids['drawn_plan']}",
        f"/plans/{ids['frozen_plan']}",
        f"/draws/{ids['drawn']}",
        f"/draws/{ids['frozen']}",
        "/audit",
        "/draws/999",
    ]
    async with web(app) as client:
        for path in pages:
            response = await client.get(path)
            assert response.status_code in (200, 404), path
            text = response.text
            assert '<html lang="zh-CN">' in text, path
            assert 'name="viewport"' in text, path
            assert "http://" not in text and "https://" not in text, path  # nothing external
            for secret in INTERNAL:
                assert secret not in text, (path, secret)
            for section in ("/results", "/items", "/plans", "/audit"):
                assert f'href="{section}"' in text, (path, section)


async def test_a_void_shows_its_reason_and_a_voided_freeze_keeps_its_seed(
    app: App, clock: ManualClock
) -> None:
    ids = await district(app, clock)
    async with unit_of_work(app.sessions, write=False) as session:
        frozen = await session.get(Draw, ids["frozen"])
        assert frozen is not None
    async with unit_of_work(app.sessions) as session:
        await cancel.void(session, None, ids["frozen"], VOID_REASON, app.clock.now())
    async with web(app) as client:
        page = (await client.get(f"/draws/{ids['frozen']}")).text
        assert "已作废" in page and VOID_REASON in page and "本次抽取作废" in page
        assert frozen.commitment in page and frozen.seed_hex not in page
        listing = (await client.get("/plans")).text
        assert VOID_REASON in listing and frozen.seed_hex not in listing
        assert (await client.get(f"/draws/{ids['frozen']}/record.json")).status_code == 404
        # The plan is a draft again, but once frozen it stays public with its void.
        assert (await client.get(f"/plans/{ids['frozen_plan']}")).status_code == 200


async def test_a_drawn_and_voided_draw_keeps_its_enterprises(app: App, clock: ManualClock) -> None:
    ids = await district(app, clock)
    async with unit_of_work(app.sessions) as session:
        await cancel.void(session, None, ids["drawn"], VOID_REASON, app.clock.now())
    async with web(app) as client:
        page = (await client.get(f"/draws/{ids['drawn']}")).text
        assert "本次抽取已作废" in page and VOID_REASON in page
        assert rf.ENTERPRISES[1][0] in page
        assert "verify-draw" in page  # a drawn record stays verifiable
        record = (await client.get(f"/draws/{ids['drawn']}/record.json")).json()
        assert record["status"] == "voided" and verify(record) == []


async def test_everything_is_escaped(app: App, clock: ManualClock) -> None:
    ids = await district(app, clock)
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Plan).where(Plan.id == ids["drawn_plan"]).values(name="<b>计划</b>")
        )
    async with web(app) as client:
        for path in ("/plans", f"/draws/{ids['drawn']}", f"/plans/{ids['drawn_plan']}"):
            text = (await client.get(path)).text
            assert "<b>计划</b>" not in text and "&lt;b&gt;计划&lt;/b&gt;" in text


NEW_OFFICERS = {"630201900077": "冯新", "630201900078": "陈来"}


async def test_a_supplement_shows_its_commitment_then_its_seed(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    # Teams of three from four officers: the second team cannot form and stays short.
    plan_id = await rf.drawn_plan(app, today, team_size=3)
    async with unit_of_work(app.sessions, write=False) as session:
        draw_id = await session.scalar(select(Draw.id).where(Draw.plan_id == plan_id)) or 0
    async with unit_of_work(app.sessions) as session:
        x = await session.scalar(select(Department.id).where(Department.code == "X"))
        assert x is not None
        for cert, name in NEW_OFFICERS.items():
            session.add(
                Inspector(
                    cert_no=cert,
                    name=name,
                    phone="13997100099",
                    department_id=x,
                    cert_expiry=today + timedelta(days=800),
                )
            )
    async with unit_of_work(app.sessions) as session:
        frozen = await supplement.freeze(session, None, draw_id, app.clock.now())
    commitment = frozen.entry["commitment"]
    async with web(app) as client:
        page = (await client.get(f"/draws/{draw_id}")).text
        assert f"补充抽取检查人员：冻结名单，公布承诺值 {_hash_html(commitment)}" in page
        assert frozen.seed_hex is not None and frozen.seed_hex not in page
    async with unit_of_work(app.sessions) as session:
        await supplement.form(session, None, draw_id, "会议抽签 42", app.clock.now())
    async with web(app) as client:
        page = (await client.get(f"/draws/{draw_id}")).text
        record = (await client.get(f"/draws/{draw_id}/record.json")).json()
    filled = [t["code"] for t in record["amendments"][0]["teams"] if t["added"]]
    assert len(filled) == 1  # the two new officers form the short team
    assert "第 1 次变更：补充抽取检查人员，补足检查组：" in page
    assert f"（{filled[0]}）；随机种子" in page
    assert frozen.seed_hex in page and "会议抽签 42" in page
    assert record["amendments"][0]["kind"] == "supplement" and verify(record) == []
    for secret in [*INTERNAL, *NEW_OFFICERS, *NEW_OFFICERS.values(), "13997100099"]:
        assert secret not in page, secret


def _hash_html(value: str) -> str:
    return f'<span class="hash">{value}</span>'
