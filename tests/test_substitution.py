"""Replacing a team member after the draw, by the published ranking, while nothing is entered.

The plan draws the two 餐饮 enterprises (departments X and Y) with one team per officer:
two X officers and both Y officers are placed, two X officers are left to substitute with,
and no Y officer.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli_draw
from bot.app import App
from handlers.core.db import unit_of_work
from models import Enterprise, Inspector, OutboxMessage
from services.common.clock import local_today
from services.common.errors import Conflict
from services.draw import cancel, proposals, substitute
from services.draw.engine import draw_key, inspector_rank
from services.draw.verify import verify_record
from services.records import results
from tests import amend_fixture as af
from tests import draw_fixture as fx
from tests.helpers import console_account, row_counts, say, texts
from tests.import_fixtures import run_import, write_csv
from tests.records_fixture import actor, press

TOOL = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"
ONLY_D = {"items": ["I1"], "load_cap": 1}  # item I1: the 餐饮 enterprises 1 and 2


def tool_verify(record: dict[str, object]) -> list[str]:
    """tools/verify_draw.py, the standard-library verifier, loaded as a module."""
    spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: list[str] = module.verify(record)
    return found


async def _substitute(app: App, assignment_id: int, member: str, reason: str = "病假 住院"):  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        return await substitute.substitute(
            session, None, assignment_id, member, reason, app.clock.now()
        )


async def test_the_substitute_is_the_best_ranked_free_officer_and_the_record_verifies(
    app: App, tmp_path: Path
) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, second = await af.checks(app, draw_id)
    removed = next(c for c in first.team if c.startswith("X"))
    placed = set(first.team) | set(second.team)
    draw = await af.the_draw(app, draw_id)
    key = draw_key(bytes.fromhex(draw.seed_hex), draw.salt or "")
    free = [c for c in ("X01", "X02", "X03", "X04") if c not in placed]
    expected = min(free, key=lambda c: inspector_rank(key, first.code, c))

    done = await _substitute(app, first.assignment_id, removed)

    assert done.added == expected
    now = await af.checks(app, draw_id)
    assert now[0].team == [expected if c == removed else c for c in first.team]
    record = await af.record(app, draw_id)
    assert record["result"][0]["team"] == first.team  # the record keeps the draw as drawn
    entry = record["amendments"][0]
    assert (entry["kind"], entry["cause"], entry["removed"], entry["added"]) == (
        "substitution",
        "sick",
        removed,
        expected,
    )
    assert entry["rank"] == inspector_rank(key, first.code, expected).hex()
    assert verify_record(record) == [] and tool_verify(record) == []
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tool = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(TOOL), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tool.returncode == 0 and "consistent" in tool.stdout
    assert cli_draw._verify_file(path) == 0  # what `jointcheck draw verify` runs

    other = next(c for c in free if c != expected)
    entry["added"] = other  # a substitute not chosen by the ranking
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert cli_draw._verify_file(path) == 1
    assert tool_verify(record)[0].startswith("amendments[0].added: record has")


async def test_a_substitution_is_refused_once_the_record_is_entered(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    member = await actor(app, first.team[0].lower())
    async with unit_of_work(app.sessions) as session:
        await results.open_record(
            session, member, first.assignment_id, local_today(app.clock), app.clock.now()
        )
    before = await row_counts(app)
    with pytest.raises(Conflict) as refused:
        await _substitute(app, first.assignment_id, first.team[0])
    assert refused.value.key == "sub.record_entered"
    assert await row_counts(app) == before


async def test_nobody_of_the_department_left_means_no_substitution(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    officer_y = next(c for c in first.team if c.startswith("Y"))
    before = await row_counts(app)
    with pytest.raises(Conflict) as refused:
        await _substitute(app, first.assignment_id, officer_y)
    assert refused.value.key == "sub.no_candidate"
    assert await row_counts(app) == before


async def test_a_cancelled_check_frees_its_officers_for_a_substitution(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, second = await af.checks(app, draw_id)
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, first.assignment_id, "企业已停业", app.clock.now())
    officer_y = next(c for c in second.team if c.startswith("Y"))
    done = await _substitute(app, second.assignment_id, officer_y, "离职")
    # The only other Y officer was in the cancelled team: its load no longer counts.
    assert done.added == next(c for c in first.team if c.startswith("Y"))
    record = await af.record(app, draw_id)
    assert [a["kind"] for a in record["amendments"]] == ["cancel", "substitution"]
    assert record["amendments"][1]["cause"] == "left"
    assert verify_record(record) == [] and tool_verify(record) == []


async def test_the_old_and_new_members_are_told_and_the_old_one_loses_the_task(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    removed = next(c for c in first.team if c.startswith("X"))
    for login in ("coord", removed.lower()):
        await console_account(app, login)
    done = await _substitute(app, first.assignment_id, removed)
    await console_account(app, done.added.lower())
    gone, new = await af.user_id(app, removed.lower()), await af.user_id(app, done.added.lower())
    drawn_notice = [m for m in await af.messages(app, "draw.assigned")]
    assert {m.status for m in drawn_notice if m.recipient_user_id == gone} == {"cancelled"}
    assert [m.status for m in drawn_notice if m.recipient_user_id == new] == ["pending"]
    assert [m.recipient_user_id for m in await af.messages(app, "sub.removed_notice")] == [gone]
    teammates = {m.recipient_user_id for m in await af.messages(app, "sub.team_notice")}
    assert gone not in teammates and new not in teammates and len(teammates) == 1
    assert str(first.assignment_id) not in texts(await say(app, removed.lower(), "/tasks"))
    assert "企业" in texts(await say(app, done.added.lower(), "/tasks"))


async def test_a_recusal_added_after_the_freeze_proposes_the_substitution(
    app: App, tmp_path: Path
) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    member = next(c for c in first.team if c.startswith("X"))
    header = ["执法证号", "统一社会信用代码", "回避原因"]
    rows = [[member, first.code, "配偶在该企业任职"]]
    await run_import(app, write_csv(tmp_path / "r.csv", header, rows), "recusals")
    async with unit_of_work(app.sessions) as session:
        assert await proposals.propose(session, app.clock.now()) == 1
    async with unit_of_work(app.sessions) as session:
        await proposals.propose(session, app.clock.now())  # the next sweep: no second offer
    offers = await af.messages(app, "sub.proposed_recusal")
    assert [m.recipient_user_id for m in offers] == [await af.user_id(app, "coord")]
    assert member in offers[0].payload["params"]["cert"]
    button = offers[0].payload["buttons"][0][0]
    assert button[0] == "sub.button_do" and button[1].endswith(":recusal")

    replies = await press(app, "coord", button[1])
    assert "已更换" in texts(replies)
    record = await af.record(app, draw_id)
    entry = record["amendments"][0]
    assert (entry["removed"], entry["cause"]) == (member, "recusal")
    assert [member, first.code] in entry["recusals"]
    assert verify_record(record) == [] and tool_verify(record) == []
    async with unit_of_work(app.sessions) as session:
        assert await proposals.proposals(session) == []  # nothing left to offer
    again = await press(app, "coord", button[1])  # the offer pressed twice
    assert "不是任务" in texts(again)


async def test_substitute_in_chat_by_name_and_its_refusals(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    removed = next(c for c in first.team if c.startswith("X"))
    before = await row_counts(app)
    assert "用法" in texts(await say(app, "coord", f"/substitute {first.assignment_id}"))
    assert "不是任务" in texts(
        await say(app, "coord", f"/substitute {first.assignment_id} 张三 病假")
    )
    assert await row_counts(app) == before
    await console_account(app, "x01")
    assert "无权" in texts(
        await say(app, "x01", f"/substitute {first.assignment_id} {removed} 病假")
    )
    reply = await say(app, "coord", f"/substitute {first.assignment_id} 检查员{removed} 回避 亲属")
    assert "已更换（修订 1）" in texts(reply)
    record = await af.record(app, draw_id)
    assert record["amendments"][0]["cause"] == "recusal"
    assert record["amendments"][0]["reason"] == "回避 亲属"


async def test_the_substitute_of_a_member_whose_certificate_lapsed_is_proposed(app: App) -> None:
    draw_id = await af.drawn(app, **ONLY_D)
    first, _ = await af.checks(app, draw_id)
    member = next(c for c in first.team if c.startswith("X"))
    async with unit_of_work(app.sessions) as session:
        inspector = await session.scalar(select(Inspector).where(Inspector.cert_no == member))
        assert inspector is not None
        inspector.cert_expiry = fx.CHECK_START
        name = await session.scalar(
            select(Enterprise.name).where(Enterprise.credit_code == first.code)
        )
    async with unit_of_work(app.sessions) as session:
        await proposals.propose(session, app.clock.now())
    offers = await af.messages(app, "sub.proposed_cert_expired")
    assert offers and offers[0].payload["params"]["enterprise"] == name
    async with unit_of_work(app.sessions, write=False) as session:
        kinds = (await session.scalars(select(OutboxMessage.kind))).all()
    assert "draw.proposal" in kinds
