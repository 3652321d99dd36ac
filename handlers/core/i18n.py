"""The message catalog: Chinese by default, English per user."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# The catalogs are leaf modules of data (they import nothing), one beside each subject's
# handlers; the core reads them and nothing else of the subjects.
from handlers.accounts import texts as accounts
from handlers.calendar import texts as calendar
from handlers.core import texts as core
from handlers.directory import texts as directory
from handlers.documents import texts as documents
from handlers.draw import texts as draw
from handlers.meetings import texts as meetings
from handlers.publicity import texts as publicity
from handlers.records import texts as records
from handlers.reports import texts as reports

LANGUAGES = ("zh", "en")


def _merge(*catalogs: Mapping[str, tuple[str, str]]) -> Mapping[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for catalog in catalogs:
        clash = merged.keys() & catalog.keys()
        if clash:
            raise ValueError(f"message keys defined twice: {sorted(clash)}")
        merged.update(catalog)
    return MappingProxyType(merged)


# One catalog module per subject, merged in one visible list.
CATALOG = _merge(
    *(
        m.TEXTS
        for m in (
            core,
            accounts,
            draw,
            directory,
            records,
            reports,
            meetings,
            calendar,
            publicity,
            documents,
        )
    )
)


def t(lang: str, key: str, **params: Any) -> str:
    """The text for `key` in `lang` (falling back to Chinese), with values filled in."""
    pair = CATALOG.get(key)
    if pair is None:
        return key
    template = pair[1] if lang == "en" else pair[0]
    return template.format_map(_Values(params)) if params else template


class _Values(dict[str, Any]):
    # A message queued by an older version may lack a value a newer text names: it shows
    # as "-" rather than failing the delivery.
    def __missing__(self, key: str) -> str:
        return "-"
