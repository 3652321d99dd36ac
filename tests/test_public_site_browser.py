"""The public site in a real browser: headless Chromium against uvicorn on a free port.

Every page is loaded with --dump-dom: its language, a label for every input, the content
expected, no internal field. On /draws/ID a stand-in for bot/static/verify-draw.js runs
under the page's Content-Security-Policy and fetches the record, as the verifier will.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from bot.app import build_app
from bot.public_site import STATIC_DIR, public_routes
from bot.settings import Settings
from bot.web import create_web_app
from models import Draw
from services.common.audit import Checkpoint
from services.common.audit_files import append_checkpoint
from services.common.clock import ManualClock
from tests import records_fixture as rf
from tests.test_public_page_browser import _chromium
from tests.test_public_site import INTERNAL, district

# Stands in for the verifier: runs only if the CSP lets our own script run and fetch.
STUB = """
const button = document.getElementById('verify-draw');
const out = document.getElementById('verify-result');
fetch(button.dataset.recordUrl)
  .then((r) => r.json())
  .then((record) => { out.textContent = 'stub fetched draw ' + record.draw_id; })
  .catch((e) => { out.textContent = 'stub failed ' + e; });
"""


CLICK = """
document.getElementById('verify-draw').click();
"""


class _Output(HTMLParser):
    """The verifier's verdict: the status and text of <output id="verify-result">."""

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.text = ""
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "output" and found.get("id") == "verify-result":
            self.status, self._inside = found.get("data-status"), True

    def handle_endtag(self, tag: str) -> None:
        if tag == "output":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.text += data


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
        data_dir=tmp_path / "data",
    )


async def _prepare(tmp_path: Path) -> tuple[dict[str, int], str, str]:
    clock = ManualClock(datetime.now(UTC))
    app = await build_app(_settings(tmp_path), clock=clock)
    try:
        ids = await district(app, clock)
        append_checkpoint(
            app.settings.audit_files().checkpoints, Checkpoint(5, "c3" * 32), clock.now(), "daily"
        )
        async with app.sessions() as session:
            frozen = await session.scalar(select(Draw.commitment).where(Draw.id == ids["frozen"]))
            seed = await session.scalar(select(Draw.seed_hex).where(Draw.id == ids["frozen"]))
        assert frozen is not None and seed is not None
        return ids, frozen, seed
    finally:
        await app.aclose()


class _Server(threading.Thread):
    """uvicorn serving the web app with the public site on a listening socket."""

    def __init__(self, settings: Settings, sock: socket.socket, static: Path) -> None:
        super().__init__(daemon=True)
        self.settings, self.sock, self.static = settings, sock, static
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
            routes = public_routes(app, static_dir=self.static)
            web = create_web_app(app, extra_routes=routes)
            config = uvicorn.Config(web, log_level="warning", lifespan="off")
            self.server = uvicorn.Server(config)
            self.ready.set()
            await self.server.serve(sockets=[self.sock])
        finally:
            await app.aclose()


class _Form(HTMLParser):
    """The language of the page, the ids of its inputs and what its labels are for."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.inputs: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        elif tag == "input" and found.get("type") != "hidden":
            self.inputs.append(found.get("id") or "")
        elif tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")


def _dump(browser: str, profile: Path, url: str) -> str:
    run = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=390,844",
            "--virtual-time-budget=5000",  # lets the page's fetch finish before the dump
            f"--user-data-dir={profile}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def _browser() -> str:
    browser = _chromium()
    if browser is None:
        reason = "Chromium is not installed (apt-get install chromium): browser test skipped"
        print(reason)
        pytest.skip(reason)
    return browser


def _dump_all(browser: str, tmp_path: Path, static: Path, paths: list[str]) -> dict[str, str]:
    """Each path's DOM after load, served by uvicorn from the prepared database."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)  # connections wait in the backlog until uvicorn accepts them
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = _Server(_settings(tmp_path), sock, static)
    server.start()
    try:
        assert server.ready.wait(30) and server.error is None, server.error
        return {p: _dump(browser, tmp_path / "chromium-profile", base + p) for p in paths}
    finally:
        if server.server is not None:
            server.server.should_exit = True
        server.join(timeout=30)
        sock.close()


def test_public_site_in_headless_chromium(tmp_path: Path) -> None:
    browser = _browser()
    ids, commitment, seed = asyncio.run(_prepare(tmp_path))
    static = tmp_path / "static"
    static.mkdir()
    (static / "verify-draw.js").write_text(STUB, encoding="utf-8")
    expected = {
        "/items": ["联合抽查事项清单", "《食品安全法》第五十五条", rf.DEPARTMENTS["Y"]],
        "/plans": ["2026年食品经营联合抽查", "2026年餐饮服务联合抽查", commitment],
        f"/plans/{ids['drawn_plan']}": [rf.ENTERPRISES[1][0], rf.ENTERPRISES[2][0]],
        f"/plans/{ids['frozen_plan']}": [commitment, "已冻结，待抽取"],
        f"/draws/{ids['drawn']}": [
            rf.ENTERPRISES[1][0],
            "第 1 次变更",
            "第 2 次变更",
            "已取消检查",
            f"stub fetched draw {ids['drawn']}",  # our script ran and fetched the record
        ],
        f"/draws/{ids['frozen']}": [commitment, "抽取后公布种子"],
        "/audit": ["5:" + "c3" * 32],
    }
    dumps = _dump_all(browser, tmp_path, static, list(expected))
    for path, wanted in expected.items():
        dom = dumps[path]
        form = _Form()
        form.feed(dom)
        assert form.lang == "zh-CN", path
        assert all(i and i in form.labels for i in form.inputs), (path, form.inputs)
        assert 'name="viewport"' in dom, path
        for text in wanted:
            assert text in dom, (path, text, dom[:3000])
        for secret in INTERNAL:
            assert secret not in dom, (path, secret)
        assert seed not in dom, path  # a frozen draw's seed stays secret
    draw_dom = dumps[f"/draws/{ids['drawn']}"]
    assert 'id="verify-draw"' in draw_dom and 'id="verify-file"' in draw_dom
    assert "<script" not in dumps["/plans"]


def test_the_verifier_checks_the_served_record_in_chromium(tmp_path: Path) -> None:
    verifier = STATIC_DIR / "verify-draw.js"
    if not verifier.exists():
        pytest.skip("bot/static/verify-draw.js is not there yet")
    browser = _browser()
    ids, _, _ = asyncio.run(_prepare(tmp_path))
    static = tmp_path / "static"
    static.mkdir()
    # The real verifier, pressed as soon as it is loaded (headless Chromium has no hands).
    script = verifier.read_text(encoding="utf-8") + CLICK
    (static / "verify-draw.js").write_text(script, encoding="utf-8")
    path = f"/draws/{ids['drawn']}"
    dom = _dump_all(browser, tmp_path, static, [path])[path]
    verdict = _Output()
    verdict.feed(dom)
    assert verdict.status == "ok", verdict.text
