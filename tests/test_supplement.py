"""A supplementary draw fills the teams a draw left short, from a pool frozen anew.

The plan draws the six enterprises of the small district with one team per officer: six
officers form three teams at most, so some enterprises are left without one. New officers
are then added to the directory.
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import replace

import pytest

from bot import cli_draw
from bot.app import App
from handlers.core.db import unit_of_work
from services.common.errors import Conflict
from services.draw import substitute, supplement
from services.draw.verify import verify_record
from tests import amend_fixture as af
from tests.helpers import row_counts, say, texts
from tests.records_fixture import buttons
from tests.test_substitution import tool_verify

NEW = [(f"X{n:02d}", "X") for n in range(7, 17)]  # ten new officers of department X


async def test_a_supplement_fills_unformed_teams_after_announcing_its_commitment(
    app: App,
) -> None:
    app.core.policy = replace(app.core.policy, announce_chats=(("console", "group"),))
    draw_id = await af.drawn(app, load_cap=1)
    drawn = await af.checks(app, draw_id)
    unformed = [c for c in drawn if c.status == "unstaffed"]
    assert unformed
    await af.add_officers(app, *NEW)

    preview = await say(app, "coord", f"/supplement {draw_id}")
    assert f"未组成的 {len(unformed)} 个" in texts(preview)
    assert buttons(preview) == ["f:supp:freeze", "f:supp:cancel"]
    frozen = await say(app, "coord", button="f:supp:freeze")
    assert "新种子承诺" in texts(frozen)
    announced = await af.messages(app, "supp.frozen")
    assert [m.chat_id for m in announced] == ["group"]
    commitment = announced[0].payload["params"]["commitment"]
    assert commitment in texts(frozen)
    # Committed and announced, nothing formed yet.
    assert [c.status for c in await af.checks(app, draw_id) if c in unformed] == [
        "unstaffed"
    ] * len(unformed)

    done = await say(app, "coord", button="f:supp:nosalt")
    assert "补充抽取完成" in texts(done)
    after = {c.code: c for c in await af.checks(app, draw_id)}
    filled = [after[c.code] for c in unformed if after[c.code].team]
    assert filled and all(c.status == "pending" for c in filled)
    changed = [c.code for c in drawn if after[c.code].team != c.team]  # also short teams
    formed = await af.messages(app, "supp.formed")
    assert formed and formed[0].id > announced[0].id  # announced after the commitment

    record = await af.record(app, draw_id)
    entry = record["amendments"][0]
    assert entry["kind"] == "supplement" and entry["commitment"] == commitment
    assert hashlib.sha256(bytes.fromhex(entry["seed"])).hexdigest() == commitment
    assert [t["code"] for t in entry["teams"] if t["added"]] == changed
    pool = {i["cert"] for i in entry["inspectors"]}
    assert {cert for c in filled for cert in c.team} <= pool
    assert {cert for cert, _ in NEW} <= pool
    assert verify_record(record) == [] and tool_verify(record) == []
    told = {m.recipient_user_id for m in await af.messages(app, "draw.assigned")}
    assert await af.user_id(app, filled[0].team[0].lower()) in told

    # A substitution afterwards ranks the supplement's pool with the supplement's key
    # (ten new officers: some are left free, whatever the random seed drew).
    newcomer = next(cert for c in filled for cert in c.team if cert.startswith("X"))
    check = next(c for c in filled if newcomer in c.team)
    async with unit_of_work(app.sessions) as session:
        await substitute.substitute(
            session, None, check.assignment_id, newcomer, "病假", app.clock.now()
        )
    record = await af.record(app, draw_id)
    assert [a["kind"] for a in record["amendments"]] == ["supplement", "substitution"]
    assert verify_record(record) == [] and tool_verify(record) == []


async def test_a_draw_with_every_team_complete_has_nothing_to_supplement(app: App) -> None:
    draw_id = await af.drawn(app, items=["I2"], load_cap=5)  # 食品: department X alone
    assert all(c.team for c in await af.checks(app, draw_id))
    before = await row_counts(app)
    assert "没有可补充" in texts(await say(app, "coord", f"/supplement {draw_id}"))
    with pytest.raises(Conflict) as refused:
        async with unit_of_work(app.sessions) as session:
            await supplement.freeze(session, None, draw_id, app.clock.now())
    assert refused.value.key == "supp.none_short"
    assert await row_counts(app) == before


async def test_a_frozen_supplement_is_finished_with_its_committed_seed(app: App) -> None:
    draw_id = await af.drawn(app, load_cap=1)
    await af.add_officers(app, *NEW)
    async with unit_of_work(app.sessions) as session:
        frozen = await supplement.freeze(session, None, draw_id, app.clock.now())
    seed = frozen.seed_hex
    before = await row_counts(app)
    with pytest.raises(Conflict):
        async with unit_of_work(app.sessions) as session:
            await supplement.freeze(session, None, draw_id, app.clock.now())
    assert await row_counts(app) == before
    # The chat goes straight to the salt: the seed committed earlier stays.
    asked = await say(app, "coord", f"/supplement {draw_id}")
    assert buttons(asked) == ["f:supp:nosalt", "f:supp:cancel"]
    assert frozen.entry["commitment"] in texts(asked)
    await say(app, "coord", "第二次联席会议 07")
    record = await af.record(app, draw_id)
    entry = record["amendments"][0]
    assert (entry["seed"], entry["salt"]) == (seed, "第二次联席会议 07")
    assert verify_record(record) == [] and tool_verify(record) == []


async def test_the_command_line_prints_the_commitment_then_the_draw_id(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    draw_id = await af.drawn(app, load_cap=1)
    await af.add_officers(app, *NEW)
    args = argparse.Namespace(draw_command="supplement", draw_id=draw_id, salt="")
    assert await cli_draw.run_draw(app, args) == 0
    lines = capsys.readouterr().out.splitlines()
    record = await af.record(app, draw_id)
    assert lines[0] == f"承诺 / commitment: {record['amendments'][0]['commitment']}"
    assert lines[-1] == str(draw_id)
    assert verify_record(record) == []
