"""Inputs that used to reach a traceback get a polite reply, and change no row.

The web page's and WeCom's numbers are tested with the web app (test_web_*.py,
test_wecom*.py); these are the chat, console and plan-file ones.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from bot.console import ConsoleTransport
from handlers.core.db import unit_of_work
from models import ConversationState, Plan
from services.common.errors import InvalidInput
from services.draw import plans
from tests.helpers import console_account, load_demo, row_counts, say, texts

INTERNAL = "内部错误"
HOSTILE_NUMBERS = ["²", "٣", "９", "-1", "+1", "1_0", "0x1", "9" * 400, "1e3", ""]


async def _coordinator(app) -> None:  # type: ignore[no-untyped-def]
    await load_demo(app)
    await console_account(app, "coord")
    await console_account(app, "insp01")


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
async def test_ids_in_commands_and_buttons_are_refused_politely(app, number: str) -> None:
    await _coordinator(app)
    before = await row_counts(app)
    for login, message in [
        ("insp01", {"button": f"rec:{number}"}),
        ("insp01", {"text": f"/record {number}"}),
        ("coord", {"text": f"/verify {number}"}),
        ("coord", {"text": f"/progress {number}"}),
        ("coord", {"button": f"mtg:held:{number}"}),
        ("coord", {"text": f"/report {number}"}),
    ]:
        reply = texts(await say(app, login, **message))
        assert reply and INTERNAL not in reply, (message, reply)
    after = await row_counts(app)
    # A refused attempt on another team's record is audited, and nothing else is written.
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }


async def test_an_id_beyond_the_integer_columns_is_not_found(app) -> None:
    await _coordinator(app)
    reply = texts(await say(app, "insp01", button="rec:2147483648"))
    assert INTERNAL not in reply and "2147483648" in reply


async def test_nul_and_lone_surrogates_in_free_text_are_stored_without_them(app) -> None:
    await _coordinator(app)
    await say(app, "coord", "/newplan")
    reply = texts(await say(app, "coord", "十二月\x00联合\ud800抽查"))
    assert INTERNAL not in reply
    async with unit_of_work(app.sessions, write=False) as session:
        states = (await session.scalars(select(ConversationState))).all()
    assert [s.data.get("name") for s in states if s.flow == "newplan"] == ["十二月联合抽查"]


@pytest.mark.parametrize("ratio", ["1e-1", ".25", "²", "0.1.2", "1.5", "0", "0." + "1" * 40])
def test_plan_ratios_are_refused_at_creation_unless_plain_decimals(ratio: str) -> None:
    spec = {
        "name": "x",
        "items": ["LD-001"],
        "check_start": "2027-01-04",
        "check_end": "2027-01-29",
        "ratios": {"A": ratio},
    }
    with pytest.raises(InvalidInput) as refused:
        plans.parse_spec(spec)
    assert refused.value.params["field"] == "ratios"


async def test_a_plan_file_with_a_bad_ratio_creates_no_plan(app) -> None:
    await _coordinator(app)
    with pytest.raises(InvalidInput):
        plans.parse_spec(
            {
                "name": "x",
                "items": ["LD-001"],
                "check_start": str(date(2027, 1, 4)),
                "check_end": str(date(2027, 1, 29)),
                "ratios": {"B": ".25"},
            }
        )
    async with unit_of_work(app.sessions, write=False) as session:
        assert (await session.scalars(select(Plan))).all() == []


@pytest.mark.parametrize("line", ["²", "'²", "٣", "9" * 400, "'" + "9" * 400, "0", "-1"])
def test_the_console_takes_any_line_as_text_or_a_button(line: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    console = ConsoleTransport(io.StringIO(), tmp_path)
    incoming = console.to_incoming("coord", line)
    assert incoming.button is None
    assert incoming.text is not None
