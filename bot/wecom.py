"""WeCom (企业微信) as a transport: the signed, encrypted callback in, the API out."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeXML
from defusedxml import DefusedXmlException
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.bodies import BodyRefused, read_body
from bot.wecom_api import WeComApiError, WeComClient
from bot.wecom_crypto import WeComCrypto, WeComCryptoError
from handlers.core.db import unit_of_work
from handlers.core.dispatch import Core
from handlers.core.model import Attachment, Incoming, Reply
from handlers.records.steps import asks_location
from models import ProcessedUpdate
from services.accounts.actors import actor_for_account
from services.common.dialect import dialect_name
from services.common.numbers import read_int
from services.messaging import conversations

log = logging.getLogger(__name__)
PLATFORM = "wecom"
MAX_BODY = 1_000_000  # WeCom callbacks are small; anything bigger is refused unread
WINDOW = 300  # seconds a callback's timestamp may differ from our clock
MAX_TIMESTAMP = 2**40  # seconds: far beyond any clock, and a float keeps it exact
MAX_NONCE = 64  # WeCom's nonces are short numbers
MAX_USER_ID = 64  # WeCom user ids are at most 64 characters
MAX_KEY = 128  # processed_updates.update_key
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
        stamp = read_int(timestamp, 0, MAX_TIMESTAMP)
        return stamp is not None and abs(self.clock() - stamp) <= WINDOW

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
        try:
            body = await read_body(request, MAX_BODY)
        except BodyRefused as refused:
            return PlainTextResponse(refused.reason, status_code=refused.status)
        q = request.query_params
        signature, timestamp, nonce = (
            q.get(k, "") for k in ("msg_signature", "timestamp", "nonce")
        )
        if not (signature and 0 < len(nonce) <= MAX_NONCE and self._fresh(timestamp)):
            return PlainTextResponse("stale or incomplete", status_code=403)
        encrypted = read_envelope(body)
        if encrypted is None:
            return PlainTextResponse("bad request", status_code=400)
        if not encrypted or not self.crypto.verify_signature(
            signature, timestamp, nonce, encrypted
        ):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            message = parse_xml(self.crypto.decrypt(encrypted).encode("utf-8"))
        except WeComCryptoError:
            return PlainTextResponse("forbidden", status_code=403)
        if message is None:
            return PlainTextResponse("bad request", status_code=400)
        if not await self._first_time(_key(f"{timestamp}:{nonce}") or ""):
            return PlainTextResponse("replayed", status_code=403)
        incoming = await self._incoming(message)
        if incoming is not None:
            replies = await self.core.handle(incoming)
            self._spawn(self._deliver(incoming, replies, message))
        return PlainTextResponse("success")

    async def _first_time(self, key: str) -> bool:
        # Nonces live in the database so that every process behind the URL sees them. One
        # atomic insert: of two copies arriving at once (two processes, or one process
        # twice), exactly one inserts the row; the other waits for it and inserts nothing,
        # where a look-then-insert would let both look and one fail on the unique key.
        async with unit_of_work(self.core.sessions) as session:
            return await _claim(session, "wecom-nonce", key, self.core.clock.now())

    async def _incoming(self, m: Element) -> Incoming | None:
        sender = m.findtext("FromUserName") or ""
        if not 0 < len(sender) <= MAX_USER_ID:
            return None  # WeCom user ids are 1-64 characters: nobody to answer
        kind = m.findtext("MsgType")
        base: dict[str, Any] = {
            "platform": PLATFORM,
            "sender_id": sender,
            "chat_id": sender,
            "sender_name": sender,
        }
        if kind == "text":
            return Incoming(
                **base, text=m.findtext("Content") or "", update_key=_key(m.findtext("MsgId"))
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
                **base,
                file=Attachment(name, mime, data, media_id),
                update_key=_key(m.findtext("MsgId")),
            )
        if kind == "location":  # a location message sent from the chat's + menu
            where = _location(m.findtext("Location_X"), m.findtext("Location_Y"))
            if where is None:
                return None
            return Incoming(**base, location=where, update_key=_key(m.findtext("MsgId")))
        if kind == "event" and m.findtext("Event") == "LOCATION":
            # Reported by the client on its own (when the app asks it to): taken only as
            # the answer to a question for the place, never answered otherwise.
            where = _location(m.findtext("Latitude"), m.findtext("Longitude"))
            if where is None or not await self._asks_location(sender):
                return None
            stamp = f"location:{sender}:{m.findtext('CreateTime')}"
            return Incoming(**base, location=where, update_key=_key(stamp))
        if kind == "event" and m.findtext("Event") == "template_card_event":
            task = m.findtext("TaskId") or ""
            return Incoming(
                **base,
                button=m.findtext("EventKey") or "",
                update_key=_key(f"card:{task}:{m.findtext('CreateTime')}"),
            )
        return None

    async def _asks_location(self, sender: str) -> bool:
        """Whether this member's conversation is waiting for the place of a check."""
        async with unit_of_work(self.core.sessions, write=False) as session:
            found = await actor_for_account(session, PLATFORM, sender)
            if found is None or found[1] is None:
                return False
            state = await conversations.load(session, found[0], self.core.clock.now())
        return asks_location(state)

    async def _deliver(self, incoming: Incoming, replies: list[Reply], m: Element) -> None:
        code = m.findtext("ResponseCode")
        try:
            if incoming.button is not None and code:
                await self.client.update_card([incoming.sender_id], code, "已处理")
            await self.transport.send(incoming.chat_id, replies)
        except Exception:  # a background task: nobody else would see the failure
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


def parse_xml(data: bytes) -> Element | None:
    """The root element of an XML document, or None for anything not plainly XML."""
    try:
        root: Element = SafeXML.fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError, LookupError):
        # expat refuses malformed text; an odd encoding declaration is a ValueError or a
        # LookupError; DTDs and entities are refused by defusedxml.
        return None
    return root


def read_envelope(body: bytes) -> str | None:
    """The `Encrypt` text of a callback body ("" when missing), None when it is no XML."""
    root = parse_xml(body)
    return None if root is None else root.findtext("Encrypt") or ""


async def _claim(session: AsyncSession, platform: str, key: str, now: datetime) -> bool:
    """Record `key` in the processed-update ledger; False when it is there already."""
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    table = ProcessedUpdate.__table__
    assert isinstance(table, Table)
    # On the table, not the entity: an ORM insert given values does not report its rows.
    statement = insert(table).on_conflict_do_nothing()
    values = {"platform": platform, "update_key": key, "processed_at": now}
    result = await session.execute(statement, values)
    return bool(getattr(result, "rowcount", 0))


def _location(latitude: str | None, longitude: str | None) -> tuple[float, float] | None:
    """WeCom's coordinates (decimal text) as (latitude, longitude), None when not valid."""
    values = []
    for text, limit in ((latitude, 90.0), (longitude, 180.0)):
        try:
            value = float((text or "").strip())
        except ValueError:
            return None
        if not math.isfinite(value) or abs(value) > limit:
            return None
        values.append(value)
    return values[0], values[1]


def _key(text: str | None) -> str | None:
    """A ledger key within the column's 128 characters (a long one is replaced by its hash)."""
    if text is None or len(text) <= MAX_KEY:
        return text
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
