"""The WeCom (企业微信) server API: access token, messages, cards, media, the group robot."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot import logs
from handlers.core.model import Reply
from services.common.numbers import read_int

log = logging.getLogger(__name__)

TOKEN_EXPIRED = {40014, 42001}  # invalid or expired access token: fetch a new one
BUSY = {-1, 45009, 45033}  # system busy or over a frequency limit: retry later
REFRESH_MARGIN = 300.0  # seconds before expiry when the token is renewed
TOKEN_LIFETIME = 7200  # seconds, when WeCom does not say
MAX_AGENT_ID = 2**31 - 1
UNREADABLE = -3  # our errcode for an answer that is not the JSON object WeCom sends


class WeComApiError(Exception):
    """An answer of the API with a non-zero errcode, or a transport failure after retries."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class RateLimiter:
    """At most `limit` sends per `period` seconds per key, by waiting, never by dropping."""

    limit: int
    period: float = 60.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def wait(self, key: str) -> None:
        """Return when one more send to `key` keeps within the limit, and count it."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # one queue per key keeps the order of messages
            sent = self._sent.setdefault(key, deque())
            while True:
                now = self.clock()
                while sent and sent[0] <= now - self.period:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return
                await self.sleep(sent[0] + self.period - now)


class WeComClient:
    """Calls of a self-built app: token cached and refreshed, retries with backoff."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        corp_id: str,
        secret: str,
        agent_id: str,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        retries: int = 3,
    ) -> None:
        agent = read_int(agent_id, 0, MAX_AGENT_ID)
        if agent is None:
            raise ValueError("WECOM_AGENT_ID must be the application's AgentId, a number")
        self.http = http
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent
        logs.remember(secret)
        self.clock, self.sleep, self.retries = clock, sleep, retries
        self._token: str | None = None
        self._expires = 0.0
        self._token_lock = asyncio.Lock()
        self.per_member = RateLimiter(30, clock=clock, sleep=sleep)

    async def token(self, *, force: bool = False) -> str:
        """The access token, fetched once and renewed before its 7,200 s run out."""
        async with self._token_lock:
            if force or self._token is None or self.clock() >= self._expires - REFRESH_MARGIN:
                data = await self._get(
                    "/cgi-bin/gettoken", {"corpid": self.corp_id, "corpsecret": self.secret}
                )
                token = data.get("access_token")
                if not isinstance(token, str) or not token:
                    raise WeComApiError(UNREADABLE, "gettoken answered no access_token")
                logs.remember(token, recent=True)  # before any URL carrying it is logged
                self._token = token
                self._expires = self.clock() + _lifetime(data.get("expires_in"))
            return self._token

    async def _get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        return await self._request("GET", path, params=params)

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                response = await self.http.request(method, path, **kwargs)
                if response.status_code >= 500:
                    raise httpx.HTTPStatusError(
                        "server error", request=response.request, response=response
                    )
                data = _json_object(response)
            except (httpx.TransportError, httpx.HTTPStatusError, ValueError) as exc:
                if attempt == self.retries:
                    raise WeComApiError(-2, f"transport: {exc}") from exc
                await self.sleep(delay)
                delay *= 2
                continue
            errcode = _errcode(data)
            if errcode in BUSY and attempt < self.retries:
                await self.sleep(delay)
                delay *= 2
                continue
            if errcode:
                raise WeComApiError(errcode, str(data.get("errmsg", "")))
            return data
        raise WeComApiError(-2, "unreachable")  # pragma: no cover - the loop returns or raises

    async def call(
        self,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST to the API with the token; a rejected token is renewed once and retried."""
        for renewed in (False, True):
            query = {**(params or {}), "access_token": await self.token(force=renewed)}
            try:
                return await self._request("POST", path, params=query, json=json, files=files)
            except WeComApiError as exc:
                if exc.errcode in TOKEN_EXPIRED and not renewed:
                    log.info("wecom token rejected (%s); renewing", exc.errcode)
                    continue
                raise
        raise WeComApiError(-2, "unreachable")  # pragma: no cover

    async def send(self, user: str, message: dict[str, Any]) -> dict[str, Any]:
        """message/send to one member, queued to keep within 30 a minute for that member."""
        await self.per_member.wait(user)
        body = {"touser": user, "agentid": self.agent_id, **message}
        return await self.call("/cgi-bin/message/send", json=body)

    async def upload(self, kind: str, name: str, data: bytes, mime: str) -> str:
        """media/upload an image or file; returns its media_id."""
        reply = await self.call(
            "/cgi-bin/media/upload", params={"type": kind}, files={"media": (name, data, mime)}
        )
        media_id = reply.get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise WeComApiError(UNREADABLE, "media/upload answered no media_id")
        return media_id

    async def update_card(self, users: list[str], response_code: str, label: str) -> None:
        """Replace a pressed card's buttons with a label (update_template_card)."""
        await self.call(
            "/cgi-bin/message/update_template_card",
            json={
                "userids": users,
                "agentid": self.agent_id,
                "response_code": response_code,
                "button": {"replace_name": label},
            },
        )

    async def media(self, media_id: str) -> bytes:
        """Fetch an uploaded photo's bytes (media/get)."""
        token = await self.token()
        try:
            response = await self.http.get(
                "/cgi-bin/media/get", params={"access_token": token, "media_id": media_id}
            )
        except httpx.TransportError as exc:
            raise WeComApiError(-2, f"transport: {exc}") from exc
        if response.headers.get("content-type", "").startswith("application/json"):
            data = _answer(response)
            raise WeComApiError(_errcode(data) or UNREADABLE, str(data.get("errmsg", "")))
        if response.status_code != 200:
            raise WeComApiError(-2, f"media/get answered HTTP {response.status_code}")
        return response.content


def _json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object; ValueError for anything else (retried like a failure)."""
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    return data


def _answer(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or an unreadable-answer error code in its place."""
    try:
        return _json_object(response)
    except ValueError:
        return {"errcode": UNREADABLE, "errmsg": f"unreadable answer (HTTP {response.status_code})"}


def _errcode(data: dict[str, Any]) -> int:
    """WeCom's errcode: 0 for success, a code otherwise (UNREADABLE when it is no number)."""
    code = data.get("errcode", 0)
    if isinstance(code, bool):
        return UNREADABLE
    if isinstance(code, int):
        return code
    if isinstance(code, str):
        negative = code.strip().startswith("-")
        value = read_int(code.strip().removeprefix("-"), 0, 10**9)
        if value is not None:
            return -value if negative else value
    return UNREADABLE


def _lifetime(value: object) -> float:
    """The token's lifetime in seconds as WeCom gives it, or two hours when unreadable."""
    seconds: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        seconds = read_int(value, 0, 10**6)
    return float(seconds) if seconds is not None and 0 < seconds <= 10**6 else TOKEN_LIFETIME


class GroupRobot:
    """The group robot webhook (群机器人): markdown and images, 20 messages a minute."""

    def __init__(
        self, http: httpx.AsyncClient, key: str, limiter: RateLimiter | None = None
    ) -> None:
        self.http, self.key = http, key
        self.limiter = limiter or RateLimiter(20)
        logs.remember(key)

    async def _post(self, body: dict[str, Any]) -> None:
        await self.limiter.wait("robot")
        try:
            response = await self.http.post(
                "/cgi-bin/webhook/send", params={"key": self.key}, json=body
            )
        except httpx.TransportError as exc:
            raise WeComApiError(-2, f"transport: {exc}") from exc
        data = _answer(response)
        if errcode := _errcode(data):
            raise WeComApiError(errcode, str(data.get("errmsg", "")))

    async def markdown(self, text: str) -> None:
        """Post a markdown message."""
        await self._post({"msgtype": "markdown", "markdown": {"content": text}})

    async def image(self, png: bytes) -> None:
        """Post an image (base64 and MD5, as the robot wants it)."""
        await self._post(
            {
                "msgtype": "image",
                "image": {
                    "base64": base64.b64encode(png).decode(),
                    "md5": hashlib.md5(png).hexdigest(),
                },
            }
        )


class RobotTransport:
    """The group robot as a transport: the leaders' group gets markdown and the chart."""

    platform = "wecom-robot"

    def __init__(self, robot: GroupRobot) -> None:
        self.robot = robot

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Post each reply's text as markdown and its image, if any."""
        for reply in replies:
            await self.robot.markdown(reply.text)
            if reply.image is not None:
                await self.robot.image(reply.image)
