"""The published draw record (docs/draw-algorithm.md, section 4): building and verifying it.

Pure code, like the engine it recomputes with; tools/verify_draw.py is the independent,
standard-library-only twin for third parties.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.draw import inputs
from services.draw.amend import Roster
from services.draw.engine import (
    ALGORITHM,
    INPUT_HASH_FORMAT,
    RECORD_FORMAT,
    RISK_CLASSES,
    DrawOutcome,
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    commitment,
    draw_key,
    run_draw,
    snapshot_hash,
)
from services.draw.replay import replay
from services.draw.shape import HEX64, Malformed, optional, pairs, strings, take


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
    amendments: list[dict[str, Any]] | None = None,
    input_hash: str | None = None,
) -> dict[str, object]:
    """The published JSON record of a draw (docs/draw-algorithm.md, section 4).

    With the `input_hash` published at its freeze, the record is of format 3; without,
    of format 2 (a draw frozen before input hashes existed).
    """
    ents = sorted(enterprises, key=lambda e: e.code)
    insps = sorted(inspectors, key=lambda i: i.cert)
    published = {} if input_hash is None else {"input_hash": input_hash}
    return {
        "format": RECORD_FORMAT if input_hash is None else INPUT_HASH_FORMAT,
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
        **published,
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
        "amendments": list(amendments or []),
    }


_RESULT_FIELDS = ("code", "rank", "team", "lead", "shortfalls")


@dataclass(frozen=True)
class _Parsed:
    params: DrawParams
    canonical_params: dict[str, Any]
    enterprises: list[EnterpriseIn]
    inspectors: list[InspectorIn]
    recusals: list[tuple[str, str]]
    seed: bytes
    salt: str
    published: dict[str, str]  # the two snapshots, the commitment (and the input hash)
    strata: dict[str, tuple[int, int]]
    result: list[tuple[str, str, list[str], str | None, list[str]]]


def _parse(record: object) -> _Parsed:
    """Check the shape of a record and read it, or raise Malformed."""
    form = take(record, "format", object, "record")
    if not (form == RECORD_FORMAT or (type(form) is int and form == INPUT_HASH_FORMAT)):
        raise Malformed(f"format is neither {RECORD_FORMAT!r} nor {INPUT_HASH_FORMAT}")
    if take(record, "algorithm", int, "record") != ALGORITHM:
        raise Malformed(f"unsupported algorithm (this verifier knows {ALGORITHM})")
    take(record, "draw_id", int, "record")
    take(record, "plan_id", int, "record")
    take(record, "plan_name", str, "record")
    p = take(record, "params", dict, "record")
    take(p, "check_start", str, "params")
    take(p, "check_end", str, "params")
    try:
        params = DrawParams(
            ratios=take(p, "ratios", dict, "params"),
            min_count=take(p, "min_count", int, "params"),
            max_count=optional(p, "max_count", int, "params"),
            team_size=take(p, "team_size", int, "params"),
            experts_per_team=take(p, "experts_per_team", int, "params"),
            load_cap=take(p, "load_cap", int, "params"),
        )
    except ValueError as exc:
        raise Malformed(f"params: {exc}") from exc
    enterprises = [
        EnterpriseIn(
            take(e, "code", str, f"enterprises[{n}]"),
            take(e, "risk", str, f"enterprises[{n}]"),
            tuple(strings(e, "departments", f"enterprises[{n}]")),
        )
        for n, e in enumerate(take(record, "enterprises", list, "record"))
    ]
    inspectors = [
        InspectorIn(
            take(i, "cert", str, f"inspectors[{n}]"),
            take(i, "department", str, f"inspectors[{n}]"),
            take(i, "expert", bool, f"inspectors[{n}]"),
        )
        for n, i in enumerate(take(record, "inspectors", list, "record"))
    ]
    recusals = pairs(record, "recusals", "record")
    seed = take(record, "seed", str, "record")
    if not HEX64.fullmatch(seed):
        raise Malformed("seed is not 64 hex digits")
    names = ["enterprise_snapshot", "inspector_snapshot", "commitment"]
    published = {
        name: take(record, name, str, "record")
        for name in names + (["input_hash"] if form == INPUT_HASH_FORMAT else [])
    }
    strata = take(record, "strata", dict, "record")
    counts = {
        c: (
            take(take(strata, c, dict, "strata"), "population", int, f"strata.{c}"),
            take(strata[c], "k", int, f"strata.{c}"),
        )
        for c in RISK_CLASSES
    }
    result = [
        (
            take(t, "code", str, f"result[{n}]"),
            take(t, "rank", str, f"result[{n}]"),
            strings(t, "team", f"result[{n}]"),
            optional(t, "lead", str, f"result[{n}]"),
            strings(t, "shortfalls", f"result[{n}]"),
        )
        for n, t in enumerate(take(record, "result", list, "record"))
    ]
    salt = take(record, "salt", str, "record")
    return _Parsed(
        params,
        inputs.canonical_params(p),
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
        # UnicodeEncodeError (a lone surrogate in a string) is a ValueError too.
        return _differences(record, r, outcome)
    except (Malformed, ValueError) as exc:
        return [f"malformed record: {exc}"]


def _differences(record: Mapping[str, object], r: _Parsed, outcome: DrawOutcome) -> list[str]:
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
    if "input_hash" in r.published:
        rows = ((e.code, e.risk, e.departments) for e in r.enterprises)
        digest = inputs.input_hash(r.canonical_params, rows, r.inspectors, r.recusals)
        check("input_hash", r.published["input_hash"], digest)
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
    # Amendments (section 5) apply to the draw as recomputed; a record without any (every
    # record made before they existed) has nothing more to check.
    if "amendments" in record:
        departments = {e.code: e.departments for e in r.enterprises}
        roster = Roster.after_draw(
            r.params,
            departments,
            outcome.result,
            r.inspectors,
            r.recusals,
            draw_key(r.seed, r.salt),
        )
        differences += replay(roster, record["amendments"])
    return differences
