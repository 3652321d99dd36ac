"""A fake WeCom API server on 127.0.0.1: tokens, messages, cards, media, the group robot."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class FakeWeCom:
    """What the fake server was asked, and how it should answer."""

    tokens_issued: int = 0
    token_prefix: str = "T"  # access tokens are the prefix and a serial number
    expire_next_send: bool = False
    server_errors: int = 0  # the next message/send calls answered HTTP 500
    robot_errcode: int = 0  # the group robot's answer
    calls: list[tuple[str, str | None, Any]] = field(default_factory=list)

    def sent(self) -> list[dict[str, Any]]:
        """Bodies of message/send calls that were accepted."""
        return [body for path, _, body in self.calls if path == "send"]

    def app(self) -> Starlette:
        """The Starlette app of the fake API."""

        async def gettoken(request: Request) -> Response:
            self.tokens_issued += 1
            return JSONResponse(
                {
                    "errcode": 0,
                    "access_token": f"{self.token_prefix}{self.tokens_issued}",
                    "expires_in": 7200,
                }
            )

        async def send(request: Request) -> Response:
            token = request.query_params.get("access_token")
            if self.expire_next_send:
                self.expire_next_send = False
                return JSONResponse({"errcode": 42001, "errmsg": "access_token expired"})
            if self.server_errors:
                self.server_errors -= 1
                return Response("upstream failure", status_code=500)
            self.calls.append(("send", token, json.loads(await request.body())))
            return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": "m1"})

        async def upload(request: Request) -> Response:
            form = await request.form()
            media = form["media"]
            data = await media.read() if hasattr(media, "read") else b""
            self.calls.append(("upload", request.query_params.get("type"), len(data)))
            return JSONResponse({"errcode": 0, "media_id": f"M{len(self.calls)}"})

        async def media_get(request: Request) -> Response:
            return Response(PNG, media_type="image/jpeg")

        async def update_card(request: Request) -> Response:
            self.calls.append(("update_card", None, json.loads(await request.body())))
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        async def robot(request: Request) -> Response:
            self.calls.append(
                ("robot", request.query_params.get("key"), json.loads(await request.body()))
            )
            if self.robot_errcode:
                return JSONResponse({"errcode": self.robot_errcode, "errmsg": "invalid webhook"})
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        return Starlette(
            routes=[
                Route("/cgi-bin/gettoken", gettoken),
                Route("/cgi-bin/message/send", send, methods=["POST"]),
                Route("/cgi-bin/media/upload", upload, methods=["POST"]),
                Route("/cgi-bin/media/get", media_get),
                Route("/cgi-bin/message/update_template_card", update_card, methods=["POST"]),
                Route("/cgi-bin/webhook/send", robot, methods=["POST"]),
            ]
        )


@asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    """Serve an ASGI app on a free 127.0.0.1 port for the block; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):  # uvicorn offers a flag, not an event, for "listening"
        if server.started:
            break
        await asyncio.sleep(0.01)
    else:
        raise RuntimeError("fake WeCom server did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
