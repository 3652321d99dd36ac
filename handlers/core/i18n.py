"""The message catalog: Chinese by default, English per user."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from handlers.accounts import texts as admin
from handlers.core import texts as core
from handlers.directory import texts as imports
from handlers.draw import plan_texts as plan
from handlers.draw import texts as draw
from handlers.meetings import texts as meetings
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


# One catalog module per feature, merged in one visible list.
CATALOG = _merge(*(m.TEXTS for m in (core, admin, draw, plan, imports, records, reports, meetings)))


def t(lang: str, key: str, **params: Any) -> str:
    """The text for `key` in `lang` (falling back to Chinese), with values filled in."""
    pair = CATALOG.get(key)
    if pair is None:
        return key
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**params) if params else template
