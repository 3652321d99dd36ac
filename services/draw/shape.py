"""Reading a published draw record field by field, refusing a malformed one."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")
HEX64 = re.compile(r"[0-9a-fA-F]{64}")


class Malformed(Exception):
    """The record is not well formed: a field missing or of the wrong type."""


def take(obj: object, key: str, kind: type[T], where: str) -> T:
    """obj[key], which must exist and be of `kind` (a bool is no int)."""
    if not isinstance(obj, Mapping):
        raise Malformed(f"{where} is not a JSON object")
    if key not in obj:
        raise Malformed(f"{where} has no {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{where}.{key} has the wrong type ({type(value).__name__})")
    return value


def strings(obj: object, key: str, where: str) -> list[str]:
    """obj[key], a list of strings."""
    value = take(obj, key, list, where)
    if not all(isinstance(v, str) for v in value):
        raise Malformed(f"{where}.{key} is not a list of strings")
    return value


def optional(obj: object, key: str, kind: type[T], where: str) -> T | None:
    """obj[key], of `kind` or null."""
    if isinstance(obj, Mapping) and key in obj and obj[key] is None:
        return None
    return take(obj, key, kind, where)


def pairs(obj: object, key: str, where: str) -> list[tuple[str, str]]:
    """obj[key], a list of [cert, code] pairs."""
    out = []
    for n, pair in enumerate(take(obj, key, list, where)):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            raise Malformed(f"{where}.{key}[{n}] is not a [cert, code] pair")
        out.append((pair[0], pair[1]))
    return out


def omissible(obj: object, key: str, kind: type[T], where: str) -> T | None:
    """obj[key], of `kind`, or None when the key is absent (left out of a public record)."""
    if isinstance(obj, Mapping) and key not in obj:
        return None
    return take(obj, key, kind, where)
