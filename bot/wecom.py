"""WeCom (企业微信) as a transport: the signed, encrypted callback in, the API out."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeXML
from defusedxml import DefusedXmlException
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.wecom_api import WeComApiError, WeComClient
from bot.wecom_crypto import WeComCrypto, WeComCryptoError
from handlers.core.db import unit_of_work
from handlers.core.dispatch import Core
from handlers.core.model import Attachment, Incoming, Reply
from models import ProcessedUpdate

log = logging.getLogger(__name__)
PLATFORM = "wecom"
MAX_BODY = 1_000_000  # WeCom callbacks are small; anything bigger is refused unread
WINDOW = 300  # seconds a callback's timestamp may differ from our clock
MAX_CARD_BUTTONS = 6  # button_interaction cards hold at most six buttons
TEXT_LIMIT = 2000  # message/send text content is limited to 2,048 bytes


class WeComTransport:
    """Sends neutral replies as WeCom messages: text, cards with buttons, images, files."""

    platform = PLATFORM

    def __init__(self, client: WeComClient) -> None:
        self.client = client

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver replies to one member (WeCom chats are members' user ids)."""
        for reply in replies:
            buttons = [b for row in reply.buttons for b in row]
            text = reply.text
            if buttons:
                title, _, rest = text.partition("\n")
                for start in range(0, len(buttons), MAX_CARD_BUTTONS):
                    chunk = buttons[start : start + MAX_CARD_BUTTONS]
                    card = {
                        "card_type": "button_interaction",
                        "main_title": {"title": title[:36]},
                        "sub_title_text": rest[:1000],
                        "task_id": uuid.uuid4().hex,
                        "button_list": [
                            {"text": b.label[:10], "style": 1, "key": b.data} for b in chunk
                        ],
                    }
                    await self.client.send(
                        chat_id, {"msgtype": "template_card", "template_card": card}
                    )
                    rest = ""  # the text goes with the first card only
            elif text:
                for part in _split(text, TEXT_LIMIT):
                    await self.client.send(chat_id, {"msgtype": "text", "text": {"content": part}})
            if reply.image is not None:
                media = await self.client.upload("image", "chart.png", reply.image, "image/png")
                await self.client.send(chat_id, {"msgtype": "image", "image": {"media_id": media}})
            if reply.document is not None:
                doc = reply.document
                media = await self.client.upload("file", doc.name, doc.data, doc.mime)
                await self.client.send(chat_id, {"msgtype": "file", "file": {"media_id": media}})


def _split(text: str, limit: int) -> list[str]:
    out, current = [], ""
    for line in text.split("\n"):
        if current and len((current + "\n" + line).encode()) > limit:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    return [*out, current] if current else out


class WeComCallback:
    """The callback URL of a self-built app: verification (GET) and messages (POST)."""

    def __init__(
        self,
        core: Core,
        crypto: WeComCrypto,
        client: WeComClient,
        transport: WeComTransport,
        clock: Callable[[], float],
    ) -> None:
        self.core, self.crypto, self.client, self.transport = core, crypto, client, transport
        self.clock = clock
        self._tasks: set[asyncio.Task[None]] = set()

    def routes(self, path: str = "/wecom/callback") -> list[Route]:
        """The Starlette routes to mount in the web app."""
        return [
            Route(path, self.verify, methods=["GET"]),
            Route(path, self.receive, methods=["POST"]),
        ]

    def _fresh(self, timestamp: str) -> bool:
        return timestamp.isdigit() and abs(self.clock() - int(timestamp)) <= WINDOW

    async def verify(self, request: Request) -> Response:
        """URL verification: answer the decrypted echostr when the signature holds."""
        q = request.query_params
        try:
            plain = self.crypto.verify_url(
                q.get("msg_signature", ""),
                q.get("timestamp", ""),
                q.get("nonce", ""),
                q.get("echostr", ""),
            )
        except WeComCryptoError:
            return PlainTextResponse("forbidden", status_code=403)
        return PlainTextResponse(plain)

    async def receive(self, request: Request) -> Response:
        """A message or event: checked, decrypted, handled; anything doubtful does nothing."""
        body = await _bounded_body(request)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        q = request.query_params
        signature, timestamp, nonce = (
            q.get(k, "") for k in ("msg_signature", "timestamp", "nonce")
        )
        if not (signature and nonce and self._fresh(timestamp)):
            return PlainTextResponse("stale or incomplete", status_code=403)
        try:
            encrypted = _parse(body).findtext("Encrypt") or ""
        except (ParseError, DefusedXmlException, ValueError):
            return PlainTextResponse("bad request", status_code=400)
        if not encrypted or not self.crypto.verify_signature(
            signature, timestamp, nonce, encrypted
        ):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            message = _parse(self.crypto.decrypt(encrypted).encode("utf-8"))
        except WeComCryptoError:
            return PlainTextResponse("forbidden", status_code=403)
        except (ParseError, DefusedXmlException, ValueError):
            return PlainTextResponse("bad request", status_code=400)
        if not await self._first_time(f"{timestamp}:{nonce}"):
            return PlainTextResponse("replayed", status_code=403)
        incoming = await self._incoming(message)
        if incoming is not None:
            replies = await self.core.handle(incoming)
            self._spawn(self._deliver(incoming, replies, message))
        return PlainTextResponse("success")

    async def _first_time(self, key: str) -> bool:
        # Nonces live in the database so that every process behind the URL sees them.
        async with unit_of_work(self.core.sessions) as session:
            seen = await session.scalar(
                select(ProcessedUpdate.update_key).where(
                    ProcessedUpdate.platform == "wecom-nonce", ProcessedUpdate.update_key == key
                )
            )
            if seen is not None:
                return False
            session.add(
                ProcessedUpdate(
                    platform="wecom-nonce", update_key=key, processed_at=self.core.clock.now()
                )
            )
        return True

    async def _incoming(self, m: Element) -> Incoming | None:
        sender = m.findtext("FromUserName") or ""
        kind = m.findtext("MsgType")
        base: dict[str, Any] = {
            "platform": PLATFORM,
            "sender_id": sender,
            "chat_id": sender,
            "sender_name": sender,
        }
        if kind == "text":
            return Incoming(
                **base, text=m.findtext("Content") or "", update_key=m.findtext("MsgId")
            )
        if kind in ("image", "file"):
            media_id = m.findtext("MediaId") or ""
            try:
                data = await self.client.media(media_id)
            except WeComApiError:
                log.warning("wecom media %s could not be fetched", media_id)
                return None
            name = m.findtext("FileName") or f"{m.findtext('MsgId')}.jpg"
            mime = "image/jpeg" if kind == "image" else "application/octet-stream"
            return Incoming(
                **base, file=Attachment(name, mime, data, media_id), update_key=m.findtext("MsgId")
            )
        if kind == "event" and m.findtext("Event") == "template_card_event":
            task = m.findtext("TaskId") or ""
            return Incoming(
                **base,
                button=m.findtext("EventKey") or "",
                update_key=f"card:{task}:{m.findtext('CreateTime')}",
            )
        return None

    async def _deliver(self, incoming: Incoming, replies: list[Reply], m: Element) -> None:
        code = m.findtext("ResponseCode")
        try:
            if incoming.button is not None and code:
                await self.client.update_card([incoming.sender_id], code, "已处理")
            await self.transport.send(incoming.chat_id, replies)
        except WeComApiError:
            log.exception("wecom delivery to %s failed", incoming.chat_id)

    def _spawn(self, coro: Any) -> None:
        # WeCom wants an answer within seconds: reply first, send from the background.
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the replies still being sent (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))


def _parse(data: bytes) -> Element:
    root: Element = SafeXML.fromstring(data, forbid_dtd=True)
    return root


async def _bounded_body(request: Request) -> bytes | None:
    """The body, or None as soon as it grows past MAX_BODY (never read a huge one whole)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
