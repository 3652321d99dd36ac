"""Free text made safe to store: no NUL characters, no lone surrogates.

PostgreSQL refuses a NUL in a text column and SQLite's driver cannot encode a lone
surrogate as UTF-8; both would turn a typed message into an internal error. Text from
every platform is cleaned at the edge (`handlers.core.model.Incoming`), and the import
reader cleans cell values the same way.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00\ud800-\udfff]")


def strip_unsafe(text: str) -> str:
    """`text` without NUL characters and lone surrogates (a common case costs one scan)."""
    if text.isascii() and "\x00" not in text:
        return text
    return _UNSAFE.sub("", text)
