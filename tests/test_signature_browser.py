"""The signature page in a real browser: headless Chromium driven over the DevTools protocol.

Chromium emulates a phone (390 CSS pixels wide, device pixel ratio 3, touch). A finger's
stroke is sent as real touch input events onto the canvas of bot/static/sign.js, under the
page's Content-Security-Policy; the submit button is clicked as a mouse would. The
signature is then looked for on the record: the Signature row and its PNG, not blank,
drawn at the device's pixel ratio. A witness refuses to sign on the same page, with a
reason typed into the form.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import socket
import subprocess
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from PIL import Image
from sqlalchemy import select

from bot.app import build_app
from bot.public_site import public_routes
from bot.settings import Settings
from bot.signature_page import signature_routes
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import EvidenceFile, Signature
from services.common.clock import ManualClock, local_today
from services.records import evidence, problems, results, signature_links, signature_status
from services.records.signature_png import MIN_INK, ink_pixels
from tests import records_fixture as rf
from tests.test_public_page_browser import _chromium

websockets = pytest.importorskip("websockets.asyncio.client")
WAIT = 60  # seconds a browser step may take before the test gives up (not a measurement)


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'sign.db'}",
        data_dir=tmp_path / "data",
    )


async def _prepare(settings: Settings) -> tuple[rf.Team, str, str]:
    """A started record with a problem; links for the person inspected and a witness."""
    app = await build_app(settings, clock=ManualClock(datetime.now(UTC)))
    try:
        today = local_today(app.clock)
        await rf.build(app, today)
        mine, _other = await rf.teams(app, await rf.drawn_plan(app, today))
        member = await rf.actor(app, mine.logins[0])
        tokens = []
        async with unit_of_work(app.sessions) as session:
            opened = await results.open_record(
                session, member, mine.assignment_id, today, app.clock.now()
            )
            await problems.add_problem(
                session, member, opened.result.id, None, "未公示食品经营许可证", app.clock.now()
            )
            for role, name in (("inspected", "张建国"), ("witness", "王见证")):
                made = await signature_links.create_link(
                    session, member, mine.assignment_id, role, name, app.clock.now(), 30
                )
                tokens.append(made.token)
        return mine, tokens[0], tokens[1]
    finally:
        await app.aclose()


class _Server(threading.Thread):
    """uvicorn serving the web app with the public site and the signature page."""

    def __init__(self, settings: Settings, sock: socket.socket) -> None:
        super().__init__(daemon=True)
        self.settings, self.sock = settings, sock
        self.ready = threading.Event()
        self.server: uvicorn.Server | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.ready.set()

    async def _serve(self) -> None:
        app = await build_app(self.settings, upgrade=False)
        try:
            routes = public_routes(app) + signature_routes(app)
            web = create_web_app(app, extra_routes=routes)
            self.server = uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="off"))
            self.ready.set()
            await self.server.serve(sockets=[self.sock])
        finally:
            await app.aclose()


class _Tab:
    """One page of Chromium over its DevTools websocket: commands and the events seen."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.next_id = 0
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.connection:
            message = json.loads(raw)
            if "id" in message and message["id"] in self.waiting:
                self.waiting.pop(message["id"]).set_result(message)
            elif "method" in message:
                await self.events.put(message)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[self.next_id] = future
        await self.connection.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        answer = await asyncio.wait_for(future, WAIT)
        assert "error" not in answer, answer
        return dict(answer.get("result", {}))

    async def event(self, method: str) -> dict[str, Any]:
        async def first() -> dict[str, Any]:
            while True:
                found = await self.events.get()
                if found["method"] == method:
                    return found

        return await asyncio.wait_for(first(), WAIT)

    async def value(self, expression: str) -> Any:
        answer = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer["result"].get("value")

    async def open(self, url: str) -> None:
        while not self.events.empty():
            self.events.get_nowait()
        await self.send("Page.navigate", url=url)
        await self.event("Page.loadEventFired")

    async def box(self, element_id: str) -> dict[str, float]:
        """The element scrolled into view, and its rectangle in CSS pixels."""
        found = await self.value(
            f"(() => {{ const e = document.getElementById({json.dumps(element_id)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()"
        )
        assert isinstance(found, dict), element_id
        return found

    async def click(self, element_id: str) -> None:
        """A mouse click in the middle of the element, with the navigation it starts."""
        r = await self.box(element_id)
        x, y = r["x"] + r["width"] / 2, r["y"] + r["height"] / 2
        while not self.events.empty():
            self.events.get_nowait()
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def stroke(self, element_id: str) -> None:
        """A finger drawing a zigzag across the element, as touch input events."""
        r = await self.box(element_id)
        points = [
            (
                r["x"] + r["width"] * (0.1 + 0.8 * i / 24),
                r["y"] + r["height"] * (0.3 + 0.4 * (i % 2)),
            )
            for i in range(25)
        ]
        x, y = points[0]
        await self.send(
            "Input.dispatchTouchEvent", type="touchStart", touchPoints=[{"x": x, "y": y}]
        )
        for x, y in points[1:]:
            await self.send(
                "Input.dispatchTouchEvent", type="touchMove", touchPoints=[{"x": x, "y": y}]
            )
        await self.send("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])

    async def close(self) -> None:
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        await self.connection.close()


@contextlib.asynccontextmanager
async def _chromium_tab(browser: str, profile: Path) -> AsyncIterator[_Tab]:
    """Headless Chromium with its DevTools port, and a phone-sized tab on it."""
    process = await asyncio.create_subprocess_exec(
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",  # Chromium picks a free port and writes it down
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(WAIT * 20):
            if port_file.exists() and port_file.read_text().strip():
                break
            assert process.returncode is None, "Chromium exited before opening its DevTools port"
            await asyncio.sleep(0.05)  # waiting for the browser to start, not a measurement
        port = int(port_file.read_text().split()[0])
        async with httpx.AsyncClient() as client:
            targets = (await client.get(f"http://127.0.0.1:{port}/json/list")).json()
        page = next(t for t in targets if t["type"] == "page")
        connection = await websockets.connect(page["webSocketDebuggerUrl"], max_size=None)
        tab = _Tab(connection)
        try:
            await tab.send("Page.enable")
            await tab.send(
                "Emulation.setDeviceMetricsOverride",
                width=390,
                height=844,
                deviceScaleFactor=3,
                mobile=True,
            )
            await tab.send("Emulation.setTouchEmulationEnabled", enabled=True, maxTouchPoints=5)
            yield tab
        finally:
            await tab.close()
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), WAIT)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_a_finger_signs_and_a_witness_refuses_on_a_phone(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        reason = "Chromium is not installed (apt-get install chromium): browser test skipped"
        print(reason)
        pytest.skip(reason)
    settings = _settings(tmp_path)
    mine, inspected, witness = await _prepare(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _Server(settings, sock)
    server.start()
    try:
        assert server.ready.wait(30) and server.error is None, server.error
        async with _chromium_tab(browser, tmp_path / "profile") as tab:
            await tab.open(f"{base}/sign/{'x' * 43}")
            refused = await tab.value("document.body.innerText")
            assert "签字链接无效" in refused and mine.enterprise not in refused

            await tab.open(f"{base}/sign/{inspected}")
            assert await tab.value("document.documentElement.lang") == "zh-CN"
            shown = await tab.value("document.body.innerText")
            assert mine.enterprise in shown and "未公示食品经营许可证" in shown
            assert await tab.value("document.getElementById('sign-submit').disabled") is True
            await tab.stroke("signature-pad")
            assert await tab.value("document.getElementById('sign-submit').disabled") is False
            await tab.click("sign-submit")
            await tab.event("Page.loadEventFired")
            done = await tab.value("document.getElementById('sign-done').textContent")
            assert "张建国" in done and "签名已提交" in done

            await tab.open(f"{base}/sign/{witness}")
            await tab.click("reason")
            await tab.send("Input.insertText", text="不认可检查结论")
            await tab.click("refuse-submit")
            await tab.event("Page.loadEventFired")
            assert "拒绝签字" in await tab.value("document.getElementById('sign-done').textContent")

            await tab.open(f"{base}/sign/{inspected}")  # the link was used
            assert "已经使用过" in await tab.value("document.body.innerText")
    finally:
        if server.server is not None:
            server.server.should_exit = True
        server.join(timeout=30)
        sock.close()

    app = await build_app(settings, upgrade=False)
    try:
        async with unit_of_work(app.sessions, write=False) as session:
            status = await signature_status.status(session, mine.assignment_id)
            signed = await session.scalar(select(Signature).where(Signature.role == "inspected"))
            assert signed is not None and signed.evidence_id is not None
            kept = await session.get(EvidenceFile, signed.evidence_id)
            assert kept is not None
            png = await evidence.read(settings.data_dir, kept)  # checked against its SHA-256
    finally:
        await app.aclose()
    assert ink_pixels(png) >= MIN_INK
    width, _height = Image.open(io.BytesIO(png)).size
    assert width > 390 * 2  # drawn at the phone's device pixel ratio, not at CSS size
    places = {p.role: p for p in status.places}
    assert places["inspected"].state == "signed" and places["inspected"].current
    assert places["witness"].state == "refused"
    assert places["witness"].signature is not None
    assert places["witness"].signature.refusal_reason == "不认可检查结论"
