"""The browser's verifier (bot/static/verify-draw.js) in headless Chromium, against
tools/verify_draw.py on the same record files: records of varied plans, amendments of
every kind, records of formats 1 and 2, public records, and tampered and malformed ones.

A tiny local server serves a page with the public page's DOM contract, the script, the
records and a harness that presses the button (or hands the file input a file) for each
record in turn and posts every verdict back; one Chromium run checks them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import io
import json
import os
import shutil
import signal
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.settings import Settings
from handlers.core.db import unit_of_work
from services.draw import cancel, supplement
from services.draw import record as draw_record
from services.draw.verify import verify_record
from tests import amend_fixture as af
from tests import verify_fixture as vf

SCRIPT = vf.ROOT / "bot" / "static" / "verify-draw.js"

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>verify</title>
<script src="/static/verify-draw.js" defer></script>
<script src="/harness.js" defer></script></head>
<body>
<button id="verify-draw" data-record-url="/records/none.json">在浏览器中验证</button>
<input type="file" id="verify-file" accept="application/json">
<output id="verify-result"></output>
</body></html>
"""

HARNESS = """
(async () => {
  const button = document.getElementById("verify-draw");
  const file = document.getElementById("verify-file");
  const out = document.getElementById("verify-result");
  const settled = () => new Promise((resolve) => {
    const look = () => (out.dataset.status && !button.disabled ? resolve() : setTimeout(look, 5));
    look();
  });
  const results = [];
  for (const c of await (await fetch("/cases.json")).json()) {
    try {
      if (c.via === "file") {
        const bytes = await (await fetch(`/records/${c.id}.json`)).arrayBuffer();
        const chosen = new DataTransfer();
        chosen.items.add(new File([bytes], `${c.id}.json`, { type: "application/json" }));
        file.files = chosen.files;
        file.dispatchEvent(new Event("change"));
      } else {
        button.dataset.recordUrl = `/records/${c.id}.json`;
        delete button.dataset.inputHash;
        if (c.input_hash) button.dataset.inputHash = c.input_hash;
        button.click();
      }
      await settled();
      results.push({ id: c.id, status: out.dataset.status, text: out.textContent });
    } catch (exc) {
      results.push({ id: c.id, status: "harness: " + exc, text: "" });
    }
  }
  await fetch("/report", { method: "POST", body: JSON.stringify(results) });
})();
"""


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class Case:
    """One record file and how the page gets it; `published` as announced at the freeze."""

    def __init__(self, id: str, body: str, via: str = "button", input_hash: str = "") -> None:
        self.id, self.body, self.via, self.input_hash = id, body, via, input_hash


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1)


async def _service_record(tmp_path: Path) -> dict[str, Any]:
    """A draw frozen, drawn, supplemented and cancelled in by the services, exported."""
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'draws.db'}",
        data_dir=tmp_path / "data",
    )
    app = await build_app(settings)
    try:
        draw_id = await af.drawn(app, load_cap=1)
        await af.add_officers(app, *[(f"X{n:02d}", "X") for n in range(7, 13)])
        async with unit_of_work(app.sessions) as session:
            await supplement.freeze(session, None, draw_id, app.clock.now())
        async with unit_of_work(app.sessions) as session:
            await supplement.form(session, None, draw_id, "补抽", app.clock.now())
        first = (await af.checks(app, draw_id))[0]
        async with unit_of_work(app.sessions) as session:
            await cancel.cancel(session, None, first.assignment_id, "企业已停业", app.clock.now())
        return await af.record(app, draw_id)
    finally:
        await app.aclose()


def cases(tmp_path: Path) -> list[Case]:
    """Every record the browser and the tool check, with the kinds of verdict expected."""
    varied = [vf.varied_record(n) for n in range(24)]
    out = [Case(f"varied-{n}", _json(r)) for n, r in enumerate(varied)]
    base = vf.tamper_base(varied)
    out += [
        Case(f"tampered-{change}", _json(vf.tampered(base, change))) for change in vf.TAMPERINGS
    ]
    service = asyncio.run(_service_record(tmp_path))
    assert service["format"] == 3 and {a["kind"] for a in service["amendments"]} == {
        "supplement",
        "cancel",
    }
    public = draw_record.public_record(service)
    out += [Case("service", _json(service)), Case("service-public", _json(public))]
    out.append(Case("service-public-file", _json(public), via="file"))
    out.append(Case("service-tampered", _json(vf.tampered(service, "expert"))))
    format2 = copy.deepcopy(varied[5])
    format2["format"] = "jointcheck-draw-record"
    del format2["input_hash"]
    format1 = copy.deepcopy(format2)
    del format1["amendments"]
    out += [Case("format-2", _json(format2)), Case("format-1", _json(format1), via="file")]
    out.append(Case("downgraded", _json(format2), input_hash=varied[5]["input_hash"]))
    out.append(Case("announced", _json(varied[5]), input_hash=varied[5]["input_hash"]))
    out.append(Case("tampered-file", _json(vf.tampered(base, "risk")), via="file"))
    no_seed = copy.deepcopy(varied[1])
    del no_seed["seed"]
    no_hash = copy.deepcopy(varied[1])
    del no_hash["input_hash"]
    out += [
        Case("malformed-no-seed", _json(no_seed)),
        Case("malformed-no-input-hash", _json(no_hash)),
        Case(
            "malformed-float-count", _json(varied[2]).replace('"team_size": 4', '"team_size": 4.0')
        ),
        Case("not-json", "{not json"),
    ]
    return out


def tool_verdict(tool: Any, case: Case, tmp_path: Path) -> tuple[str, str]:
    """tools/verify_draw.py run on the file as a citizen would: (status, first difference)."""
    path = tmp_path / f"{case.id}.json"
    path.write_text(case.body, encoding="utf-8")
    args = ["verify_draw.py", str(path)] + (
        ["--input-hash", case.input_hash] if case.input_hash else []
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = tool.main(args)
    status = {0: "ok", 1: "mismatch", 2: "error"}[code]
    return status, stdout.getvalue().strip().removeprefix("不一致 / inconsistent: ")


class _Handler(BaseHTTPRequestHandler):
    files: dict[str, tuple[str, bytes]]
    reported: list[bytes]
    done: threading.Event

    def do_GET(self) -> None:
        found = self.files.get(self.path.split("?")[0])
        if found is None:
            self.send_error(404)
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.reported.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(204)
        self.end_headers()
        self.done.set()

    def log_message(self, *_: Any) -> None:
        pass


def run_in_chromium(browser: str, all_cases: list[Case], tmp_path: Path) -> list[dict[str, str]]:
    """Serve the harness, run Chromium until it reports, return its verdicts."""
    files = {
        "/harness": ("text/html; charset=utf-8", PAGE.encode()),
        "/harness.js": ("text/javascript", HARNESS.encode()),
        "/static/verify-draw.js": ("text/javascript; charset=utf-8", SCRIPT.read_bytes()),
        "/cases.json": (
            "application/json",
            json.dumps(
                [{"id": c.id, "via": c.via, "input_hash": c.input_hash} for c in all_cases]
            ).encode(),
        ),
    }
    files |= {f"/records/{c.id}.json": ("application/json", c.body.encode()) for c in all_cases}
    reported: list[bytes] = []
    done = threading.Event()
    handler = type("Handler", (_Handler,), {"files": files, "reported": reported, "done": done})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    chromium = subprocess.Popen(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            f"http://127.0.0.1:{server.server_address[1]}/harness",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its renderers in a group of their own, ended with it
    )
    try:
        finished = done.wait(180)
    finally:
        chromium.terminate()
        try:
            chromium.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(chromium.pid, signal.SIGKILL)
            chromium.wait(30)
        server.shutdown()
        server.server_close()
    assert finished, (
        "Chromium never reported: "
        + (chromium.stderr.read() if chromium.stderr else b"").decode()[-2000:]
    )
    verdicts: list[dict[str, str]] = json.loads(reported[0])
    return verdicts


def test_the_browser_and_the_tool_agree_on_every_record(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        reason = "Chromium is not installed (apt-get install chromium): browser test skipped"
        print(reason)
        pytest.skip(reason)
    all_cases = cases(tmp_path)
    tool = vf.load_tool()
    expected = {c.id: tool_verdict(tool, c, tmp_path) for c in all_cases}
    verdicts = run_in_chromium(browser, all_cases, tmp_path)

    assert [v["id"] for v in verdicts] == [c.id for c in all_cases]
    for v in verdicts:
        status, first = expected[v["id"]]
        assert v["status"] == status, (v, first)
        if status == "ok":
            assert v["text"].startswith("一致 / match"), v
        if status == "mismatch":
            assert v["text"] == f"不一致 / mismatch: {first}", v
    statuses = {c.id: expected[c.id][0] for c in all_cases}
    # What the cases are for: 20+ varied plans and the service's records pass, every
    # tampered one fails (its inputs against the input hash), broken files are refused.
    assert [statuses[f"varied-{n}"] for n in range(24)] == ["ok"] * 24
    assert statuses["service"] == statuses["service-public"] == "ok"
    assert statuses["service-public-file"] == statuses["format-1"] == statuses["format-2"] == "ok"
    assert statuses["announced"] == "ok"
    assert {statuses[c.id] for c in all_cases if "tampered" in c.id} == {"mismatch"}
    assert statuses["downgraded"] == "mismatch"
    assert {statuses[c.id] for c in all_cases if c.id.startswith(("malformed", "not-json"))} == {
        "error"
    }
    for change in vf.TAMPERINGS[: vf.TAMPERINGS.index("check_end") + 1]:
        assert expected[f"tampered-{change}"][1].startswith("input_hash: record has")
    assert verify_record(json.loads(next(c.body for c in all_cases if c.id == "service-tampered")))
