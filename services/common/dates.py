"""Dates in the forms clerks type: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, Excel serials."""

from __future__ import annotations

import re
from datetime import date, timedelta

from services.common.errors import InvalidInput

_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug


def parse_date(raw: str | int | float | date) -> date:
    """Parse a date as clerks write it; raise InvalidInput("date.bad") otherwise."""
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float):
        return _from_serial(raw, str(raw))
    text = raw.strip().translate(_FULL_WIDTH)
    match = _PATTERN.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise InvalidInput("date.bad", value=raw) from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text), raw)
    raise InvalidInput("date.bad", value=raw)


def _from_serial(serial: float, raw: str) -> date:
    # Plausible serials only (1950..2100), so that a stray number is not taken for a date.
    if not 18264 <= serial <= 73415 or serial != int(serial):
        raise InvalidInput("date.bad", value=raw)
    return _EXCEL_EPOCH + timedelta(days=int(serial))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．　", "0123456789-/. ")
