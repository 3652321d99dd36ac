"""The Telegram webhook endpoint: POST /telegram/webhook, for the web app of bot/web.py.

The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` is compared in constant time;
a wrong or missing one gets 403 before the body is read. The update is then processed before
the endpoint answers 200, so that an update this process could not finish (a crash, a
restart) is delivered again by Telegram; the core handles a redelivered update once.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.ext import Application

from bot.bodies import BodyRefused, read_body

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_WEBHOOK_BODY = 1_000_000  # an update is a few kilobytes; files never come inline


def check_secret(secret: str | None) -> None:
    """Refuse to serve a webhook without a secret Telegram accepts (1-256 of A-Z a-z 0-9 _ -)."""
    if secret is None or not SECRET_PATTERN.fullmatch(secret):
        raise ValueError(
            "TELEGRAM_WEBHOOK_SECRET must be set to 1-256 characters of A-Z, a-z, 0-9, _ and -"
        )


def webhook_route(application: Application[Any, Any, Any, Any, Any, Any], secret: str) -> Route:
    """POST /telegram/webhook: the secret checked in constant time, then the update handled."""
    check_secret(secret)
    expected = secret.encode("utf-8")

    async def endpoint(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            return Response("forbidden", status_code=403)
        if not application.running:
            return Response("starting", status_code=503)  # Telegram retries later
        try:
            body = await read_body(request, MAX_WEBHOOK_BODY)
        except BodyRefused as refused:
            return Response(refused.reason, status_code=refused.status)
        try:
            update = parse_update(body, application.bot)
        except BadUpdate as exc:
            log.warning("unreadable Telegram webhook body: %s", exc)
            return Response("bad update", status_code=400)
        # Handled before answering: if this process dies first, Telegram delivers it again.
        processor = application.update_processor
        await processor.process_update(update, application.process_update(update))
        return Response(status_code=200)

    return Route(WEBHOOK_PATH, endpoint, methods=["POST"])


class BadUpdate(ValueError):
    """A webhook body that is no update python-telegram-bot can read."""


def parse_update(body: bytes, bot: Bot | None) -> Update:
    """The update a webhook body carries; BadUpdate for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # also bad UTF-8 and over-long numbers
        raise BadUpdate(f"not JSON: {type(exc).__name__}") from exc
    if not isinstance(data, dict):
        raise BadUpdate("an update is a JSON object")
    try:
        update = Update.de_json(data, bot)
        user, chat = update.effective_user, update.effective_chat
    except Exception as exc:
        # de_json trusts Telegram's types: a forged field fails in any way (a TypeError,
        # a KeyError, an OverflowError for a date), and only the type of failure is logged.
        raise BadUpdate(f"not an update: {type(exc).__name__}") from exc
    # python-telegram-bot files updates by these ids before any handler runs (and a list
    # there is a TypeError outside every handler): they must be what Telegram sends.
    ids = [update.update_id, *(x.id for x in (user, chat) if x is not None)]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise BadUpdate("not an update: an id is no integer")
    return update
