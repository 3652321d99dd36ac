"""Request bodies of the callbacks and webhooks, read within a limit and never whole first."""

from __future__ import annotations

import re

from starlette.requests import Request

from services.common.numbers import read_int

MAX_DECLARED = 10**18  # read_int's ceiling: a longer Content-Length is no number we read
_ASCII_DIGITS = re.compile(r"\s*[0-9]+\s*")


class BodyRefused(Exception):
    """The body was not read: `status` 413 (too large) or 400 (unreadable length)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it grows past `limit` bytes (or says it will)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        length = read_int(declared, 0, MAX_DECLARED)
        if length is None:
            # Digits beyond read_int's 18 announce a huge body; anything else is no length.
            too_many = _ASCII_DIGITS.fullmatch(declared) is not None
            raise BodyRefused(413, "too large") if too_many else BodyRefused(400, "bad request")
        if length > limit:
            raise BodyRefused(413, "too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyRefused(413, "too large")
        chunks.append(chunk)
    return b"".join(chunks)
