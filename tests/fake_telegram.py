"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests and the benchmark.

It speaks the HTTP side of the Bot API that python-telegram-bot uses: POST
`{base_url}{token}/{method}` with form or multipart data (values that are objects arrive as
JSON text), answers `{"ok": true, "result": ...}`, and serves downloaded files at
`/file/bot{token}/{path}`. Updates are fed through getUpdates with Telegram's offset rules
(an update is served again until a later offset confirms it) and long polling. Every call is
recorded, and a test may make the next calls of a method fail (429 retry-after, 400, 500).

It runs under uvicorn as a task of the test's event loop, on a socket bound before the
server starts, so it accepts connections at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456789:TEST-token_for_the_fake_server"
BOT_ID = 123456789
BOT_USERNAME = "jointcheck_test_bot"
JSON_FIELDS = ("reply_markup", "commands", "scope", "allowed_updates", "reply_parameters")


@dataclass
class Call:
    """One Bot API request: the method, its parameters and any uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    ok: bool = True  # False: the fake answered with an error

    @property
    def chat_id(self) -> str:
        """The chat the call addresses, as text."""
        return str(self.params.get("chat_id", ""))

    @property
    def text(self) -> str:
        """The message text or caption."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[str]:
        """The callback data of the inline keyboard sent with the call."""
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        return [b.get("callback_data", "") for row in rows for b in row]


def _user(user_id: int, name: str) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first or "user"}
    if last:
        user["last_name"] = last
    return user


def _chat(chat_id: int, user: dict[str, Any] | None = None) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": (user or {}).get("first_name", "")}
    return {"id": chat_id, "type": "supergroup", "title": "联合抽查工作群"}


class FakeTelegram:
    """The fake server: start it, point the bot at `base_url`, feed updates, read `calls`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (path, data)
        self.failures: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.port = 0
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )

    # Running

    async def start(self) -> FakeTelegram:
        """Listen on a free port of 127.0.0.1."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        # IPPROTO_TCP given: asyncio only sets TCP_NODELAY on such sockets, and without it
        # every keep-alive request waits 40 ms for a delayed ACK.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(1024)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        return self

    async def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            async with self._changed:
                self._changed.notify_all()
            await self._task

    @property
    def _stopping(self) -> bool:
        return self._server is not None and self._server.should_exit

    @property
    def base_url(self) -> str:
        """What the bot's `base_url` is set to."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded from."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # Feeding updates

    def next_update_id(self) -> int:
        """A fresh update id."""
        return next(self._ids)

    async def push(self, *updates: dict[str, Any]) -> None:
        """Make updates available to getUpdates (a repeated update_id is served again)."""
        async with self._changed:
            self.updates.extend(updates)
            self._changed.notify_all()

    def message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        name: str = "Test User",
        chat_id: int | None = None,
        update_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """A message update from a user (private chat unless `chat_id` is a group's)."""
        user = _user(user_id, name)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(chat_id if chat_id is not None else user_id, user),
            "from": user,
            **content,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": update_id or self.next_update_id(), "message": message}

    def photo(self, user_id: int, data: bytes, **kwargs: Any) -> dict[str, Any]:
        """A photo message; Telegram sends several sizes, the largest last."""
        small = self.add_file(data[: max(1, len(data) // 4)], "photos/small.jpg")
        large = self.add_file(data, "photos/large.jpg")
        sizes = [
            {"file_id": small, "file_unique_id": "s" + small, "width": 90, "height": 90},
            {
                "file_id": large,
                "file_unique_id": "u" + large,
                "width": 1280,
                "height": 960,
                "file_size": len(data),
            },
        ]
        return self.message(user_id, photo=sizes, **kwargs)

    def document(
        self, user_id: int, data: bytes, file_name: str, mime_type: str, **kwargs: Any
    ) -> dict[str, Any]:
        """A file sent as a document."""
        file_id = self.add_file(data, f"documents/{file_name}")
        doc = {
            "file_id": file_id,
            "file_unique_id": "u" + file_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return self.message(user_id, document=doc, **kwargs)

    def press(
        self,
        user_id: int,
        data: str,
        *,
        name: str = "Test User",
        update_id: int | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A press of the button carrying `data` on the last bot message showing it; with
        `chat_id`, on a message of that chat whatever it showed (a forged press)."""
        if chat_id is None:
            sent = next(
                (c for c in reversed(self.calls) if data in c.buttons and "message_id" in c.params),
                None,
            )
            if sent is None:
                raise AssertionError(f"no message with a button {data!r} was sent")
            chat_id, message_id, text = int(sent.chat_id), sent.params["message_id"], sent.text
        else:
            message_id, text = next(self._message_ids), "-"
        bot_message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "JointCheck"},
            "text": text or "-",
        }
        query = {
            "id": str(self.next_update_id() * 7),
            "from": _user(user_id, name),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": bot_message,
        }
        return {"update_id": update_id or self.next_update_id(), "callback_query": query}

    def add_file(self, data: bytes, path: str) -> str:
        """Store a file the bot may fetch with getFile; its file_id."""
        file_id = f"F{len(self.files) + 1:05d}"
        self.files[file_id] = (
            f"{path.rsplit('/', 1)[0]}/{file_id}-{path.rsplit('/', 1)[-1]}",
            data,
        )
        return file_id

    def fail(
        self, method: str, status: int, description: str, times: int = 1, **extra: Any
    ) -> None:
        """Make the next `times` calls of `method` fail with this error."""
        body = {"ok": False, "error_code": status, "description": description, **extra}
        self.failures.setdefault(method, []).extend([(status, body)] * times)

    # Reading what the bot did

    def sent(self, method: str | None = None, chat_id: int | str | None = None) -> list[Call]:
        """Calls of a method (all when None), optionally to one chat."""
        return [
            c
            for c in self.calls
            if (method is None or c.method == method)
            and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def messages(self, chat_id: int | str | None = None) -> list[Call]:
        """What users were shown: messages, photos, documents and edits Telegram accepted."""
        kinds = ("sendMessage", "sendPhoto", "sendDocument", "editMessageText")
        return [c for c in self.sent(chat_id=chat_id) if c.method in kinds and c.ok]

    async def wait_for(
        self, predicate: Callable[[FakeTelegram], bool], within: float = 60.0
    ) -> None:
        """Wait until the predicate holds (checked at every call); fail after `within` s."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: predicate(self))

    # The HTTP side

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status_code=401
            )
        method = request.path_params["method"]
        params, files = await _read(request)
        call = Call(method, params, files)
        failures = self.failures.get(method)
        if failures:
            status, body = failures.pop(0)
            call.ok = False
            async with self._changed:
                self.calls.append(call)
                self._changed.notify_all()
            return JSONResponse(body, status_code=status)
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params)})
        result = self._result(call)
        if result is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
            )
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return JSONResponse({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)

        def ready() -> list[dict[str, Any]]:
            pending = [u for u in self.updates if u["update_id"] >= offset]
            return sorted(pending, key=lambda u: u["update_id"])[:limit]  # as Telegram does

        async with self._changed:
            self.calls.append(Call("getUpdates", params))
            if not ready() and timeout > 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await self._changed.wait_for(lambda: bool(ready()) or self._stopping)
            return ready()

    def _result(self, call: Call) -> Any:
        method, params = call.method, call.params
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "JointCheck",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in (
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "deleteMyCommands",
            "answerCallbackQuery",
        ):
            return True
        if method == "getFile":
            file_id = str(params.get("file_id"))
            if file_id not in self.files:
                return None
            path, data = self.files[file_id]
            return {
                "file_id": file_id,
                "file_unique_id": "u" + file_id,
                "file_size": len(data),
                "file_path": path,
            }
        if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText"):
            return self._message_result(call)
        if method == "editMessageReplyMarkup":
            return self._message_result(call)
        return None

    def _message_result(self, call: Call) -> dict[str, Any]:
        params = call.params
        if "message_id" not in params:
            params["message_id"] = next(self._message_ids)
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": int(params["message_id"]),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "JointCheck"},
        }
        if "text" in params:
            message["text"] = params["text"]
        if "caption" in params:
            message["caption"] = params["caption"]
        if call.method == "sendPhoto":
            message["photo"] = [
                {"file_id": "P1", "file_unique_id": "p1", "width": 800, "height": 600}
            ]
        if call.method == "sendDocument":
            name = next(iter(call.files.values()), ("file", b""))[0]
            message["document"] = {"file_id": "D1", "file_unique_id": "d1", "file_name": name}
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        path = request.path_params["path"]
        for stored, data in self.files.values():
            if stored == path:
                return Response(data, media_type="application/octet-stream")
        return Response(status_code=404)


async def _read(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """The call's parameters (object values decoded from JSON) and uploaded files."""
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, tuple[str, bytes]] = {}
    if request.method == "POST":
        if request.headers.get("content-type", "").startswith("application/json"):
            params.update(await request.json())
        else:
            form = await request.form()
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    files[key] = (value.filename or key, await value.read())
                else:
                    params[key] = value
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    # A file given by attach:// is named in the parameter and uploaded as a part.
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = files.get(value[len("attach://") :], ("", b""))[0]
    return params, files
