"""The published draw record (docs/draw-algorithm.md, section 4): building and verifying it.

Pure code, like the engine it recomputes with; tools/verify_draw.py is the independent,
standard-library-only twin for third parties.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from services.draw.engine import (
    ALGORITHM,
    RECORD_FORMAT,
    RISK_CLASSES,
    DrawOutcome,
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    commitment,
    run_draw,
    snapshot_hash,
)


def build_record(
    *,
    draw_id: int,
    plan_id: int,
    plan_name: str,
    params: DrawParams,
    check_start: str,
    check_end: str,
    enterprises: Iterable[EnterpriseIn],
    inspectors: Iterable[InspectorIn],
    recusals: Iterable[tuple[str, str]],
    seed: bytes,
    salt: str,
    outcome: DrawOutcome,
) -> dict[str, object]:
    """The published JSON record of a draw (docs/draw-algorithm.md, section 4)."""
    ents = sorted(enterprises, key=lambda e: e.code)
    insps = sorted(inspectors, key=lambda i: i.cert)
    return {
        "format": RECORD_FORMAT,
        "algorithm": ALGORITHM,
        "draw_id": draw_id,
        "plan_id": plan_id,
        "plan_name": plan_name,
        "params": {
            "ratios": dict(params.ratios),
            "min_count": params.min_count,
            "max_count": params.max_count,
            "team_size": params.team_size,
            "experts_per_team": params.experts_per_team,
            "load_cap": params.load_cap,
            "check_start": check_start,
            "check_end": check_end,
        },
        "enterprises": [
            {"code": e.code, "risk": e.risk, "departments": sorted(set(e.departments))}
            for e in ents
        ],
        "inspectors": [
            {"cert": i.cert, "department": i.department, "expert": bool(i.expert)} for i in insps
        ],
        "recusals": [[cert, code] for cert, code in sorted(set(recusals))],
        "enterprise_snapshot": snapshot_hash(e.code for e in ents),
        "inspector_snapshot": snapshot_hash(i.cert for i in insps),
        "commitment": commitment(seed),
        "seed": seed.hex(),
        "salt": salt,
        "strata": {c: {"population": n, "k": k} for c, (n, k) in outcome.strata.items()},
        "result": [
            {
                "code": t.code,
                "rank": t.rank.hex(),
                "team": list(t.team),
                "lead": t.lead,
                "shortfalls": list(t.shortfalls),
            }
            for t in outcome.result
        ],
    }


class _Malformed(Exception):
    pass


_T = TypeVar("_T")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_RESULT_FIELDS = ("code", "rank", "team", "lead", "shortfalls")


def _take(obj: object, key: str, kind: type[_T], where: str) -> _T:
    if not isinstance(obj, Mapping):
        raise _Malformed(f"{where} is not a JSON object")
    if key not in obj:
        raise _Malformed(f"{where} has no {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _Malformed(f"{where}.{key} has the wrong type ({type(value).__name__})")
    return value


def _strings(obj: object, key: str, where: str) -> list[str]:
    value = _take(obj, key, list, where)
    if not all(isinstance(v, str) for v in value):
        raise _Malformed(f"{where}.{key} is not a list of strings")
    return value


def _optional(obj: object, key: str, kind: type[_T], where: str) -> _T | None:
    if isinstance(obj, Mapping) and key in obj and obj[key] is None:
        return None
    return _take(obj, key, kind, where)


@dataclass(frozen=True)
class _Parsed:
    params: DrawParams
    enterprises: list[EnterpriseIn]
    inspectors: list[InspectorIn]
    recusals: list[tuple[str, str]]
    seed: bytes
    salt: str
    published: dict[str, str]  # the two snapshots and the commitment
    strata: dict[str, tuple[int, int]]
    result: list[tuple[str, str, list[str], str | None, list[str]]]


def _parse(record: object) -> _Parsed:
    """Check the shape of a record and read it, or raise _Malformed."""
    if _take(record, "format", str, "record") != RECORD_FORMAT:
        raise _Malformed(f"format is not {RECORD_FORMAT!r}")
    if _take(record, "algorithm", int, "record") != ALGORITHM:
        raise _Malformed(f"unsupported algorithm (this verifier knows {ALGORITHM})")
    _take(record, "draw_id", int, "record")
    _take(record, "plan_id", int, "record")
    _take(record, "plan_name", str, "record")
    p = _take(record, "params", dict, "record")
    _take(p, "check_start", str, "params")
    _take(p, "check_end", str, "params")
    try:
        params = DrawParams(
            ratios=_take(p, "ratios", dict, "params"),
            min_count=_take(p, "min_count", int, "params"),
            max_count=_optional(p, "max_count", int, "params"),
            team_size=_take(p, "team_size", int, "params"),
            experts_per_team=_take(p, "experts_per_team", int, "params"),
            load_cap=_take(p, "load_cap", int, "params"),
        )
    except ValueError as exc:
        raise _Malformed(f"params: {exc}") from exc
    enterprises = [
        EnterpriseIn(
            _take(e, "code", str, f"enterprises[{n}]"),
            _take(e, "risk", str, f"enterprises[{n}]"),
            tuple(_strings(e, "departments", f"enterprises[{n}]")),
        )
        for n, e in enumerate(_take(record, "enterprises", list, "record"))
    ]
    inspectors = [
        InspectorIn(
            _take(i, "cert", str, f"inspectors[{n}]"),
            _take(i, "department", str, f"inspectors[{n}]"),
            _take(i, "expert", bool, f"inspectors[{n}]"),
        )
        for n, i in enumerate(_take(record, "inspectors", list, "record"))
    ]
    recusals = []
    for n, pair in enumerate(_take(record, "recusals", list, "record")):
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
        ):
            raise _Malformed(f"recusals[{n}] is not a [cert, code] pair")
        recusals.append((pair[0], pair[1]))
    seed = _take(record, "seed", str, "record")
    if not _HEX64.fullmatch(seed):
        raise _Malformed("seed is not 64 hex digits")
    published = {
        name: _take(record, name, str, "record")
        for name in ("enterprise_snapshot", "inspector_snapshot", "commitment")
    }
    strata = _take(record, "strata", dict, "record")
    counts = {
        c: (
            _take(_take(strata, c, dict, "strata"), "population", int, f"strata.{c}"),
            _take(strata[c], "k", int, f"strata.{c}"),
        )
        for c in RISK_CLASSES
    }
    result = [
        (
            _take(t, "code", str, f"result[{n}]"),
            _take(t, "rank", str, f"result[{n}]"),
            _strings(t, "team", f"result[{n}]"),
            _optional(t, "lead", str, f"result[{n}]"),
            _strings(t, "shortfalls", f"result[{n}]"),
        )
        for n, t in enumerate(_take(record, "result", list, "record"))
    ]
    salt = _take(record, "salt", str, "record")
    return _Parsed(
        params,
        enterprises,
        inspectors,
        recusals,
        bytes.fromhex(seed),
        salt,
        published,
        counts,
        result,
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def verify_record(record: Mapping[str, object]) -> list[str]:
    """Recompute a published record; the differences found, first one first (empty: consistent)."""
    try:
        r = _parse(record)
        outcome = run_draw(r.enterprises, r.inspectors, r.recusals, r.params, r.seed, r.salt)
    except (_Malformed, ValueError) as exc:
        return [f"malformed record: {exc}"]
    differences: list[str] = []

    def check(what: str, has: object, want: object) -> None:
        if has != want:
            differences.append(f"{what}: record has {_json(has)}, recomputed {_json(want)}")

    check(
        "enterprise_snapshot",
        r.published["enterprise_snapshot"],
        snapshot_hash(e.code for e in r.enterprises),
    )
    check(
        "inspector_snapshot",
        r.published["inspector_snapshot"],
        snapshot_hash(i.cert for i in r.inspectors),
    )
    check("commitment", r.published["commitment"], commitment(r.seed))
    for c, (n, k) in outcome.strata.items():
        check(f"strata.{c}.population", r.strata[c][0], n)
        check(f"strata.{c}.k", r.strata[c][1], k)
    blank = (None,) * 5
    for n in range(max(len(r.result), len(outcome.result))):
        has = r.result[n] if n < len(r.result) else blank
        t = outcome.result[n] if n < len(outcome.result) else None
        want = (t.code, t.rank.hex(), list(t.team), t.lead, list(t.shortfalls)) if t else blank
        for name, h, w in zip(_RESULT_FIELDS, has, want, strict=True):
            check(f"result[{n}].{name}", h, w)
    return differences
