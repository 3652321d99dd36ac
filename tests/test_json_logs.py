"""LOG_FORMAT=json: one JSON object a line, the update's id in every line of its handling
(also when updates are handled at once), secrets still masked."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import SecretStr

from bot.app import App
from bot.logs import forget_all, install_redaction, log_handler
from bot.settings import Settings
from handlers.core.model import Incoming, Reply
from handlers.core.router import Command, Ctx
from tests.helpers import console_account, load_demo

TOKEN = "json-logs-metrics-token"
handler_log = logging.getLogger("tests.json_logs")


@contextmanager
def json_lines(settings: Settings) -> Iterator[list[dict[str, Any]]]:
    """Every record logged in the block, as the JSON handler wrote it."""
    stream = io.StringIO()
    handler = log_handler(settings, stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    lines: list[dict[str, Any]] = []
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


async def noisy(ctx: Ctx, args: list[str]) -> list[Reply]:
    """A handler that logs on its way, lets others run, and fails when asked to."""
    handler_log.info("working on %s", args[0])
    await asyncio.sleep(0)  # the other events' handling runs meanwhile
    handler_log.warning("still on %s, token %s", args[0], TOKEN)
    if args[0] == "fail":
        raise RuntimeError("broken on purpose")
    return [ctx.reply("error.not_understood")]


async def test_every_line_of_an_update_carries_its_id(app: App) -> None:
    await load_demo(app)
    await console_account(app, "coord")
    app.router.command(Command("noisy", noisy, None, "help.start"))
    settings = Settings(_env_file=None, log_format="json", metrics_token=SecretStr(TOKEN))
    install_redaction(settings)
    try:
        with json_lines(settings) as lines:
            await asyncio.gather(
                *(
                    app.core.handle(
                        Incoming("console", "coord", "coord", text=f"/noisy {arg}", update_key=key)
                    )
                    for key, arg in (("7001", "a"), ("7002", "b"), ("7003", "fail"))
                )
            )
            handler_log.info("after the handling")
    finally:
        forget_all()
    ours = [
        line for line in lines if line["logger"] in ("tests.json_logs", "handlers.core.dispatch")
    ]
    by_update: dict[str, list[dict[str, Any]]] = {}
    for line in ours:
        assert set(line) >= {"time", "level", "logger", "message"}
        by_update.setdefault(line.get("update", "-"), []).append(line)
    assert set(by_update) == {"console:7001", "console:7002", "console:7003", "-"}
    for key, arg in (("7001", "a"), ("7002", "b"), ("7003", "fail")):
        messages = [line["message"] for line in by_update[f"console:{key}"]]
        assert f"working on {arg}" in messages
        assert f"still on {arg}, token [REDACTED]" in messages
        assert any(m.startswith("console event:") for m in messages)
    failed = by_update["console:7003"]
    error = next(line for line in failed if line["level"] == "ERROR")
    assert "RuntimeError: broken on purpose" in error["exception"]
    assert [line["message"] for line in by_update["-"]] == ["after the handling"]
    assert TOKEN not in json.dumps(lines)


async def test_an_event_without_a_platform_id_still_has_one_id_for_its_lines(app: App) -> None:
    app.router.command(Command("noisy", noisy, None, "help.start", public=True))
    settings = Settings(_env_file=None, log_format="json")
    with json_lines(settings) as lines:
        await app.core.handle(Incoming("console", "someone", "someone", text="/noisy x"))
    ours = [line for line in lines if line["logger"] == "tests.json_logs"]
    assert len(ours) == 2
    assert ours[0]["update"] == ours[1]["update"]
    assert ours[0]["update"].startswith("console:~")


def test_text_stays_the_default_format() -> None:
    stream = io.StringIO()
    handler = log_handler(Settings(_env_file=None), stream)
    handler.handle(logging.makeLogRecord({"msg": "plain", "levelname": "INFO"}))
    assert stream.getvalue().rstrip().endswith("INFO plain")
