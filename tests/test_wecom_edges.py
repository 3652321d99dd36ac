"""WeCom at its edges: odd numbers, the same callback twice at once, and API answers that
are not what WeCom sends. Each is refused politely or becomes a WeComApiError."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from bot.app import App
from bot.wecom_api import GroupRobot, WeComApiError, WeComClient
from tests.helpers import row_counts
from tests.telegram_helpers import domain_rows
from tests.wecom_helpers import Rig, text_msg, wecom_rig

ODD_NUMBERS = ["²", "٣", "1" * 400, "-5", "+5", " ", "1e9", "0x10"]


@pytest.fixture
async def rig(app: App) -> AsyncIterator[Rig]:
    async with wecom_rig(app) as made:
        yield made


@pytest.mark.parametrize("stamp", ODD_NUMBERS)
async def test_an_odd_timestamp_is_refused_before_anything_is_read(
    app: App, rig: Rig, stamp: str
) -> None:
    before = await row_counts(app)
    params, body = rig.envelope(text_msg("zhangsan", "/start", 1))
    posted = await rig.endpoint.post(
        "/wecom/callback", params={**params, "timestamp": stamp}, content=body
    )
    checked = await rig.endpoint.get(
        "/wecom/callback", params={"msg_signature": "0" * 40, "timestamp": stamp, "echostr": "x"}
    )
    assert (posted.status_code, checked.status_code) == (403, 403)
    assert await row_counts(app) == before and rig.fake.sent() == []


@pytest.mark.parametrize(
    ("declared", "status"),
    [("²".encode(), 400), ("٣".encode(), 400), (b"-1", 400), (b"1" * 400, 413), (b"1000001", 413)],
)
async def test_an_odd_content_length_is_refused_unread(
    app: App, rig: Rig, declared: bytes, status: int
) -> None:
    before = await row_counts(app)
    params, body = rig.envelope(text_msg("zhangsan", "/start", 1))
    response = await rig.endpoint.post(
        "/wecom/callback", params=params, content=body, headers={"content-length": declared}
    )
    assert response.status_code == status
    assert await row_counts(app) == before


@asynccontextmanager
async def _writers_meet(app: App, writers: int) -> AsyncIterator[None]:
    """On PostgreSQL, hold writes to the ledger until `writers` transactions wait to write,
    so that their reads have all happened first: the race made certain, not likely."""
    if app.engine.dialect.name != "postgresql":
        yield  # SQLite takes its write lock at BEGIN: writers never overlap there
        return
    async with app.engine.connect() as holder:
        await holder.execute(text("LOCK TABLE processed_updates IN EXCLUSIVE MODE"))
        yield
        waiting = text(
            "SELECT count(*) FROM pg_locks "
            "WHERE relation = 'processed_updates'::regclass AND NOT granted"
        )
        for _ in range(10_000):  # each query lets the requests run on to their write
            if await holder.scalar(waiting) == writers:
                break
        else:
            raise AssertionError(f"{writers} writers never met")
        await holder.rollback()


async def test_the_same_callback_twice_at_once_is_handled_once(app: App, rig: Rig) -> None:
    params, body = rig.envelope(text_msg("zhangsan", "/start", 1))
    async with _writers_meet(app, 2):
        posts = [
            asyncio.create_task(rig.endpoint.post("/wecom/callback", params=params, content=body))
            for _ in range(2)
        ]
    answers = await asyncio.gather(*posts)
    await rig.callback.drain()
    # One is handled; the other gets what a replay gets afterwards, never a 500.
    assert sorted(a.status_code for a in answers) == [200, 403]
    assert [a.text for a in answers if a.status_code == 403] == ["replayed"]
    assert len(rig.fake.sent()) == 1  # one reply: the stranger is told how to bind


async def test_one_message_in_two_callbacks_at_once_is_answered_once(app: App, rig: Rig) -> None:
    envelopes = [rig.envelope(text_msg("zhangsan", "/start", 77)) for _ in range(2)]
    answers = await asyncio.gather(
        *(rig.endpoint.post("/wecom/callback", params=p, content=b) for p, b in envelopes)
    )
    await rig.callback.drain()
    assert [a.status_code for a in answers] == [200, 200]
    assert len(rig.fake.sent()) == 1


async def test_long_ids_are_kept_within_the_ledger(app: App, rig: Rig) -> None:
    before = await domain_rows(app)
    first = await rig.post(text_msg("zhangsan", "/start", "9" * 300))
    again = await rig.post(text_msg("zhangsan", "/start", "9" * 300))
    assert (first.status_code, again.status_code) == (200, 200)
    assert len(rig.fake.sent()) == 1  # the long MsgId was recognised the second time
    nobody = await rig.post(text_msg("u" * 65, "/start", 3))  # no WeCom user id is that long
    assert nobody.status_code == 200 and len(rig.fake.sent()) == 1
    assert await domain_rows(app) == before


def _client(answer: Callable[[httpx.Request], httpx.Response]) -> WeComClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://api")

    async def no_wait(_seconds: float) -> None:
        pass

    return WeComClient(http, corp_id="c", secret="s", agent_id="1", sleep=no_wait)


def _answering(token: Any, sent: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/gettoken":
            return httpx.Response(200, json=token)
        return sent

    return answer


TOKEN_OK = {"errcode": 0, "access_token": "tok", "expires_in": 7200}
ODD_ANSWERS = [
    (TOKEN_OK, httpx.Response(200, content=b"<html>busy</html>")),
    (TOKEN_OK, httpx.Response(200, json=[1, 2])),
    (TOKEN_OK, httpx.Response(200, json={"errcode": "²"})),
    (TOKEN_OK, httpx.Response(200, json={"errcode": "1" * 400})),
    (TOKEN_OK, httpx.Response(200, json={"errcode": None})),
    (TOKEN_OK, httpx.Response(200, json={"errcode": 0})),  # upload without a media_id
    ({"errcode": 0}, httpx.Response(200, json={"errcode": 0})),  # no access_token
    ({"errcode": 0, "access_token": 5}, httpx.Response(200, json={"errcode": 0})),
    (TOKEN_OK, httpx.Response(502, content=b"bad gateway")),
]


@pytest.mark.parametrize(("token", "sent"), ODD_ANSWERS)
async def test_an_answer_wecom_would_not_give_is_an_api_error(
    token: Any, sent: httpx.Response
) -> None:
    client = _client(_answering(token, sent))
    with pytest.raises(WeComApiError):
        await client.upload("file", "a.txt", b"a", "text/plain")
    await client.http.aclose()


async def test_an_unreadable_token_lifetime_means_two_hours() -> None:
    fetched = []

    def answer(request: httpx.Request) -> httpx.Response:
        fetched.append(request.url.path)
        lifetime: Any = "9" * 400 if len(fetched) == 1 else "²"
        return httpx.Response(200, json={"errcode": 0, "access_token": "t", "expires_in": lifetime})

    client = _client(answer)
    assert await client.token() == "t" and await client.token() == "t"
    assert fetched == ["/cgi-bin/gettoken"]  # kept, not refetched at once
    await client.http.aclose()


@pytest.mark.parametrize("agent", ["²", "", "abc", "1" * 400])
def test_an_agent_id_that_is_no_number_is_refused_at_start(agent: str) -> None:
    with pytest.raises(ValueError, match="WECOM_AGENT_ID"):
        WeComClient(httpx.AsyncClient(), corp_id="c", secret="s", agent_id=agent)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, content=b"not json"),
        httpx.Response(200, json={"errcode": "x"}),
        httpx.Response(500, content=b""),
    ],
)
async def test_a_robot_answer_that_is_no_wecom_answer_is_an_api_error(
    answer: httpx.Response,
) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda _r: answer), base_url="http://a")
    with pytest.raises(WeComApiError):
        await GroupRobot(http, "robot-key").markdown("周报")
    await http.aclose()


async def test_a_media_fetch_that_fails_is_an_api_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/gettoken":
            return httpx.Response(200, json=TOKEN_OK)
        if request.url.params.get("media_id") == "gone":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(
            200,
            content=json.dumps({"errcode": "?"}).encode(),
            headers={"content-type": "application/json"},
        )

    client = _client(answer)
    for media in ("gone", "odd"):
        with pytest.raises(WeComApiError):
            await client.media(media)
    await client.http.aclose()
