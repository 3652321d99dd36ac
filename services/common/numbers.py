"""One strict way to read a number that a user or a platform sends.

`str.isdigit()` is true for "²", "٣" and other digits that `int()` refuses or reads
differently, and `int()` takes "+5", " 5", "5_000" and 4,000-digit strings. Every id,
page, count, year and timestamp that comes from outside goes through here instead: ASCII
digits only, at most 18 of them, within the caller's range.
"""

from __future__ import annotations

import re
from typing import Any

from services.common.errors import InvalidInput

# The largest id a row can have: PostgreSQL's integer columns stop here, and a larger
# value sent to them is a driver error, not "not found".
MAX_ID = 2**31 - 1

# A str pattern: [0-9] matches the ten ASCII digits only, never other Unicode digits.
_DIGITS = re.compile(r"[0-9]{1,18}")


def read_int(text: object, low: int, high: int) -> int | None:
    """The number `text` writes in ASCII digits if it lies in [low, high], else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if _DIGITS.fullmatch(text) is None:
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_int(
    text: object, low: int, high: int, key: str = "error.bad_number", **params: Any
) -> int:
    """The number `text` writes within [low, high]; otherwise a polite `InvalidInput`."""
    value = read_int(text, low, high)
    if value is None:
        raise InvalidInput(key, low=low, high=high, **params)
    return value
