"""The WeCom test rig: our callback endpoint in front of a fake WeCom API on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette

from bot.app import App
from bot.wecom import WeComCallback, WeComTransport
from bot.wecom_api import WeComClient
from bot.wecom_crypto import WeComCrypto
from tests.fake_wecom import FakeWeCom, serve

CORP, TOKEN = "wx5823bf96d3bd56c7", "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


@dataclass
class Rig:
    """The fake API, our client of it, our callback and an HTTP client in front of it."""

    fake: FakeWeCom
    client: WeComClient
    callback: WeComCallback
    endpoint: httpx.AsyncClient
    crypto: WeComCrypto
    nonce: int = 0

    def envelope(self, inner: str, corp: str = CORP, ts: int | None = None) -> tuple[dict, str]:  # type: ignore[type-arg]
        """An encrypted, signed callback as WeCom posts it."""
        sender = self.crypto if corp == CORP else WeComCrypto(TOKEN, AES_KEY, corp)
        encrypted = sender.encrypt(inner)
        self.nonce += 1
        stamp = str(ts if ts is not None else int(time.time()))
        params = {
            "msg_signature": self.crypto.signature(stamp, str(self.nonce), encrypted),
            "timestamp": stamp,
            "nonce": str(self.nonce),
        }
        body = (
            f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]>"
            f"</Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>"
        )
        return params, body

    async def post(self, inner: str, **kw: object) -> httpx.Response:
        """Post a callback and wait for the replies it causes to be sent."""
        params, body = self.envelope(inner, **kw)  # type: ignore[arg-type]
        response = await self.endpoint.post("/wecom/callback", params=params, content=body)
        await self.callback.drain()
        return response


def text_msg(user: str, content: str, msg_id: int | str) -> str:
    """A text message as WeCom encrypts it into a callback."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]>"
        f"</MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>"
        f"<AgentID>1000002</AgentID></xml>"
    )


def card_event(user: str, key: str, task: str) -> str:
    """A press of a template card's button."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]>"
        f"</MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{key}]]>"
        f"</EventKey><TaskId><![CDATA[{task}]]></TaskId><CardType><![CDATA[button_interaction]]>"
        f"</CardType><ResponseCode><![CDATA[RC1]]></ResponseCode><AgentID>1000002</AgentID></xml>"
    )


@asynccontextmanager
async def wecom_rig(app: App) -> AsyncIterator[Rig]:
    """The fake WeCom API served, and our callback routes in front of the app's core."""
    fake = FakeWeCom()
    async with serve(fake.app()) as base, httpx.AsyncClient(base_url=base) as http:
        client = WeComClient(http, corp_id=CORP, secret="s", agent_id="1000002")
        crypto = WeComCrypto(TOKEN, AES_KEY, CORP)
        callback = WeComCallback(app.core, crypto, client, WeComTransport(client), time.time)
        web = Starlette(routes=callback.routes())
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web), base_url="http://ours"
        ) as endpoint:
            yield Rig(fake, client, callback, endpoint, crypto)


def image_msg(user: str, media_id: str, msg_id: int | str) -> str:
    """A photo a member sent (its bytes are fetched with media/get)."""
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]>"
        f"</FromUserName><CreateTime>1700000002</CreateTime><MsgType><![CDATA[image]]>"
        f"</MsgType><MediaId><![CDATA[{media_id}]]></MediaId><MsgId>{msg_id}</MsgId>"
        f"<AgentID>1000002</AgentID></xml>"
    )
