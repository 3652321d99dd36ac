"""Reading a result-codes file: the default tree, or a province's `RESULT_CODES_FILE`.

The file (TOML, `result_codes.toml` beside this module shows its shape) is checked as a
whole before anything is written: unique keys and codes, known parents and rules, no
cycle, rules that fit the tree. A broken file is refused with a sentence naming the file
and the entry, so that the bot does not start on a half-read tree.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from services.common.errors import InvalidInput
from services.records.codes import EXCLUSIVE, RULES, SEP, TERMINAL, Category, Tree

DEFAULT_FILE = "result_codes.toml"
# Field -> longest value the database keeps (models.records.ResultCategory).
_LIMITS = {"key": 32, "code": 16, "name_zh": 100, "name_en": 200, "parent": 32, "rule": 16}
_REQUIRED = ("key", "code", "name_zh", "name_en")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def source_name(path: Path | None) -> str:
    """How the audit log and messages name a codes file."""
    return DEFAULT_FILE if path is None else str(path)


def load(path: Path | None = None) -> Tree:
    """The tree of a codes file; None: the default tree shipped with JointCheck."""
    if path is None:
        data = resources.files(__package__ or "services.records").joinpath(DEFAULT_FILE)
        return parse(data.read_bytes(), DEFAULT_FILE)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            "codes.file_unreadable", file=str(path), error=exc.strerror or str(exc)
        ) from None
    return parse(raw, str(path))


def parse(raw: bytes, source: str) -> Tree:
    """Read and check a codes file's text; a broken file is refused naming file and entry."""
    try:
        document = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("codes.file_syntax", file=source, error=str(exc)) from None
    entries = document.get("category")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput("codes.file_empty", file=source)
    categories = [_entry(source, n, entry) for n, entry in enumerate(entries, start=1)]
    _check_tree(source, categories)
    return Tree(tuple(categories))


def _entry(source: str, n: int, entry: Any) -> Category:
    where = str(n)
    if not isinstance(entry, dict):
        raise InvalidInput("codes.file_entry", file=source, entry=where)
    if isinstance(entry.get("key"), str):
        where = f"{n} ({entry['key']})"
    unknown = sorted(set(entry) - set(_LIMITS))
    if unknown:
        raise InvalidInput(
            "codes.file_unknown_field", file=source, entry=where, field=SEP.join(unknown)
        )
    values: dict[str, str | None] = {}
    for name, limit in _LIMITS.items():
        value = entry.get(name)
        if value is None and name not in _REQUIRED:
            values[name] = None
            continue
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("codes.file_missing", file=source, entry=where, field=name)
        value = value.strip()
        if len(value) > limit:
            raise InvalidInput(
                "codes.file_too_long", file=source, entry=where, field=name, limit=limit
            )
        values[name] = value
    key = values["key"] or ""
    if not _KEY.match(key):
        raise InvalidInput("codes.file_bad_key", file=source, entry=where, name=key)
    if values["rule"] is not None and values["rule"] not in RULES:
        raise InvalidInput(
            "codes.file_unknown_rule",
            file=source,
            entry=where,
            rule=values["rule"],
            rules=SEP.join(RULES),
        )
    return Category(
        key=key,
        code=values["code"] or "",
        name_zh=values["name_zh"] or "",
        name_en=values["name_en"] or "",
        parent=values["parent"],
        rule=values["rule"],
    )


def _check_tree(source: str, categories: list[Category]) -> None:
    keys: dict[str, int] = {}
    codes: dict[str, str] = {}
    for n, c in enumerate(categories, start=1):
        where = f"{n} ({c.key})"
        if c.key in keys:
            raise InvalidInput("codes.file_duplicate_key", file=source, entry=where, name=c.key)
        if c.code in codes:
            raise InvalidInput(
                "codes.file_duplicate_code",
                file=source,
                entry=where,
                code=c.code,
                other=codes[c.code],
            )
        keys[c.key], codes[c.code] = n, c.key
    by_key = {c.key: c for c in categories}
    for n, c in enumerate(categories, start=1):
        where = f"{n} ({c.key})"
        if c.parent is None:
            continue
        parent = by_key.get(c.parent)
        if parent is None:
            raise InvalidInput(
                "codes.file_unknown_parent", file=source, entry=where, parent=c.parent
            )
        if EXCLUSIVE in (c.rule, parent.rule) or (c.rule == TERMINAL) != (parent.rule == TERMINAL):
            raise InvalidInput(
                "codes.file_rule_nested",
                file=source,
                entry=where,
                parent=c.parent,
                rule=c.rule or "-",
                parent_rule=parent.rule or "-",
            )
    for c in categories:
        chain = [c.key]
        up = c.parent
        while up is not None:
            if up in chain:
                loop = " → ".join([*chain[chain.index(up) :], up])
                raise InvalidInput("codes.file_cycle", file=source, chain=loop)
            chain.append(up)
            up = by_key[up].parent
