"""Properties of the Telegram intake: whatever body the webhook gets, it is read as an update
or refused, an update becomes a neutral event or is ignored, and a refusal changes no row."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from functools import reduce
from operator import getitem
from typing import Any

import httpx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from telegram import Bot

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from bot.app import App
from bot.telegram import TelegramBot
from bot.telegram_transport import Wanted, read_update
from bot.telegram_webhook import SECRET_HEADER, WEBHOOK_PATH, BadUpdate, parse_update
from tests import records_fixture as rf
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.helpers import row_counts
from tests.telegram_helpers import SECRET, domain_rows, stack, webhook_client

# A quarter of the profile's examples where each is a request and a few database queries.
THROUGH_THE_DATABASE = settings(max_examples=max(20, settings().max_examples // 4))

BOT = Bot("1:x")
_FAKE = FakeTelegram()  # only its update builders: never started
TEMPLATES = [
    _FAKE.message(5, "/start", update_id=1),
    _FAKE.message(5, "hello", name="Wang Fang", update_id=2),
    _FAKE.message(5, "/whoami@jointcheck_test_bot", chat_id=-100123, update_id=3),
    _FAKE.photo(5, rf.png(1), update_id=4),
    _FAKE.document(5, b"%PDF", "a.pdf", "application/pdf", update_id=5),
    _FAKE.press(5, "lang:en", chat_id=5, update_id=6),
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["private", "supergroup", "channel", "/bind x", "²", "-1"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


@st.composite
def forged_updates(draw: st.DrawFn) -> dict[str, Any]:
    """A real update of each kind with a few of its fields replaced or removed."""
    update: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(TEMPLATES)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(update)))
        parent = reduce(getitem, path[:-1], update)
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
        if not _paths(update):
            break
    return update


def _dumped(update: dict[str, Any]) -> bytes:
    return json.dumps(update, allow_nan=True).encode()


def _checked(wanted: Wanted | None) -> None:
    if wanted is None:
        return
    incoming = wanted.incoming
    assert incoming.sender_id.isascii() and int(incoming.sender_id) > 0
    assert incoming.update_key is not None and int(incoming.update_key) >= 0
    assert int(incoming.chat_id) != 0 or incoming.chat_id == "0"
    for value in (incoming.text, incoming.button, wanted.file_id):
        assert value is None or isinstance(value, str)
    assert wanted.file_size is None or isinstance(wanted.file_size, int)


@given(st.one_of(st.binary(max_size=300), JSON.map(lambda v: json.dumps(v).encode())))
def test_any_body_is_an_update_or_refused(body: bytes) -> None:
    try:
        update = parse_update(body, BOT)
    except BadUpdate:
        return
    _checked(read_update(update, BOT_USERNAME))


@given(forged_updates())
def test_a_forged_update_becomes_an_event_or_is_ignored(update: dict[str, Any]) -> None:
    try:
        parsed = parse_update(_dumped(update), BOT)
    except BadUpdate:
        return
    _checked(read_update(parsed, BOT_USERNAME))


@pytest.fixture
async def hooked(app: App) -> AsyncIterator[tuple[FakeTelegram, TelegramBot, httpx.AsyncClient]]:
    """The bot by webhook against the fake server, and a client posting to the webhook."""
    async with stack(app, webhook=True) as (fake, bot), webhook_client(bot) as client:
        yield fake, bot, client


@THROUGH_THE_DATABASE
@given(forged_updates())
async def test_a_forged_update_through_the_webhook_is_answered_and_changes_nothing(
    app: App, hooked: tuple[FakeTelegram, TelegramBot, httpx.AsyncClient], update: dict[str, Any]
) -> None:
    assume("/bind" not in _dumped(update).decode())  # a wrong code is counted, by design
    _fake, _bot, client = hooked
    before = await domain_rows(app)
    response = await client.post(
        WEBHOOK_PATH, content=_dumped(update), headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code in (200, 400)
    assert await domain_rows(app) == before


@pytest.mark.parametrize(
    ("declared", "status"),
    [("²".encode(), 400), ("٣".encode(), 400), (b"1" * 400, 413), (b"2000000", 413)],
)
async def test_an_odd_content_length_is_refused_unread(
    app: App, declared: bytes, status: int
) -> None:
    async with stack(app, webhook=True) as (fake, bot), webhook_client(bot) as client:
        before, calls = await row_counts(app), len(fake.calls)
        update = fake.message(6001, "/start")
        response = await client.post(
            WEBHOOK_PATH, json=update, headers={"content-length": declared, SECRET_HEADER: SECRET}
        )
        assert response.status_code == status
        assert await row_counts(app) == before and len(fake.calls) == calls
