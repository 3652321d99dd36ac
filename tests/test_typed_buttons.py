"""Typing the label of a button of the last question works like pressing it."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from handlers.core.db import unit_of_work
from services.common.clock import local_today
from services.records import notices
from tests import records_fixture as rf
from tests.helpers import say, texts


async def _at_outcome(app: App) -> str:
    """An inspector asked the outcome of a re-inspection (buttons 已整改, 未整改，延期…)."""
    _, mine, _ = await rf.ready(app)
    rid = await rf.submitted(app, mine, categories=("pending_follow_up",), problem="过期食品")
    today = local_today(app.clock)
    async with unit_of_work(app.sessions) as session:
        notice = await notices.add_notice(
            session,
            None,
            rid,
            number=None,
            issued_on=today,
            deadline=today + timedelta(days=10),
            today=today,
            now=app.clock.now(),
        )
    login = mine.logins[0]
    await rf.press(app, login, f"fup:n:{notice.id}")
    return login


async def test_a_typed_label_acts_like_its_button(app: App) -> None:
    login = await _at_outcome(app)
    assert "整改完成日期" in texts(await say(app, login, " 已整改 "))


async def test_a_typed_label_of_the_next_question_acts_like_its_button(app: App) -> None:
    login = await _at_outcome(app)
    await say(app, login, "已整改")
    today = local_today(app.clock)
    # The date question's buttons replaced the outcome's: 今天 (its label) answers it.
    label = f"今天（{today}）"
    done = texts(await say(app, login, label))
    assert "整改完毕" in done, done


async def test_text_matching_no_label_is_an_answer_not_a_press(app: App) -> None:
    login = await _at_outcome(app)
    assert "整改完成日期" not in texts(await say(app, login, "整改"))
