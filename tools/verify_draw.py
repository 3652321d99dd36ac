#!/usr/bin/env python3
"""Check a published JointCheck draw record (algorithm version 1). Standard library only.

    python tools/verify_draw.py RECORD.json [--commitment HEX] [--input-hash HEX]

Prints "一致 / consistent" and exits 0 when the record recomputes exactly, otherwise prints
"不一致 / inconsistent: <first difference>" and exits 1. Exits 2 when the file cannot be read
or is not a well-formed record. --commitment and --input-hash take the values announced at
the freeze: the record must then carry exactly those.

The normative description is docs/draw-algorithm.md. In short:

1. Freeze: each snapshot is the SHA-256 of the sorted enterprise codes (certificate numbers)
   joined by newlines; the commitment is the SHA-256 of the 32-byte seed. A record of
   format 3 also has the input hash: the SHA-256 of one compact JSON text of the algorithm,
   the parameters, every enterprise with its risk class and departments, every inspector
   with department and expert flag, and the recusals, each list sorted.
2. Enterprises: K = HMAC-SHA256(seed, salt); rank(e) = HMAC-SHA256(K, "enterprise:" + code).
   In each risk class of n enterprises with ratio r, k = min(n, ceil(r * n)), exactly, then
   the total is brought within max_count (cutting A first) and min_count (raising D first).
   The k lowest ranks of each class are drawn.
3. Teams: for each drawn enterprise, lowest rank first, the inspectors under the load cap,
   not recused, and experts or officers of one of its departments are ranked by
   HMAC-SHA256(K, "inspector:" + code + ":" + cert). The team takes the best officer of each
   department, then the best remaining officers up to team_size, then experts_per_team
   experts. Missing people are named as shortfalls; a team of fewer than 2 officers is
   dropped.
5. Amendments (when the record has any), replayed in order: a cancelled check frees its
   members' loads; a substitute is the lowest-ranked inspector of the pool in force who is
   of the removed member's kind and department, available, not recused, not in the team
   and under the load cap; a supplementary draw commits to a new seed, brings its own
   pool and key into force and fills the listed short teams by the passes of step 3,
   keeping their members.

This file deliberately shares no code with JointCheck itself, so that it can be read and
trusted on its own.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import math
import re
import sys
from fractions import Fraction
from typing import Any

CLASSES = ("A", "B", "C", "D")


class Malformed(Exception):
    """The input is not a well-formed draw record of algorithm version 1."""


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def mac(key: bytes, text: str) -> bytes:
    return hmac.digest(key, text.encode("utf-8"), "sha256")


def snapshot(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode("utf-8")).hexdigest()


def get(obj: Any, key: str, kind: type, where: str = "record") -> Any:
    """obj[key], which must exist and be of the given JSON type."""
    if not isinstance(obj, dict) or key not in obj:
        raise Malformed(f"{where}: missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise Malformed(f"{where}.{key}: expected {kind.__name__}, got {value!r}")
    return value


def get_strings(obj: Any, key: str, where: str) -> list[str]:
    value: list[str] = get(obj, key, list, where)
    if not all(isinstance(v, str) for v in value):
        raise Malformed(f"{where}.{key}: expected a list of strings")
    return value


def ratio(text: Any) -> Fraction:
    """A ratio is a plain decimal string such as "0.08", read exactly, in [0, 1]."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        raise Malformed(f"ratio {text!r} is not a decimal string")
    if Fraction(text) > 1:
        raise Malformed(f"ratio {text!r} is above 1")
    return Fraction(text)


def check_shape(rec: Any) -> None:
    """Raise Malformed unless rec has every field of the record, with the right types."""
    # Formats 1 and 2 (without, with amendments) say "jointcheck-draw-record"; format 3,
    # with the input hash, says 3.
    form = get(rec, "format", object)
    if form != "jointcheck-draw-record" and not (type(form) is int and form == 3):
        raise Malformed("not a jointcheck-draw-record (format 1, 2 or 3)")
    if get(rec, "algorithm", int) != 1:
        raise Malformed("not a draw record of algorithm 1")
    for name, kind in [("draw_id", int), ("plan_id", int), ("plan_name", str), ("salt", str)]:
        get(rec, name, kind)
    for name in ["enterprise_snapshot", "inspector_snapshot", "commitment"]:
        get(rec, name, str)
    if form == 3:
        get(rec, "input_hash", str)
    if not re.fullmatch(r"[0-9a-fA-F]{64}", get(rec, "seed", str)):
        raise Malformed("seed is not 64 hex digits")

    p = get(rec, "params", dict)
    if sorted(get(p, "ratios", dict, "params")) != list(CLASSES):
        raise Malformed("params.ratios must give exactly A, B, C and D")
    for c in CLASSES:
        ratio(p["ratios"][c])
    for name, least in [
        ("min_count", 0),
        ("team_size", 2),
        ("experts_per_team", 0),
        ("load_cap", 1),
    ]:
        if get(p, name, int, "params") < least:
            raise Malformed(f"params.{name} must be >= {least}")
    max_count = get(p, "max_count", object, "params")
    if max_count is not None and get(p, "max_count", int, "params") < p["min_count"]:
        raise Malformed("params.max_count is below min_count")
    get(p, "check_start", str, "params")
    get(p, "check_end", str, "params")

    for n, e in enumerate(get(rec, "enterprises", list)):
        get(e, "code", str, f"enterprises[{n}]")
        get_strings(e, "departments", f"enterprises[{n}]")
        if get(e, "risk", str, f"enterprises[{n}]") not in CLASSES:
            raise Malformed(f"enterprises[{n}].risk is not A, B, C or D")
    if len({e["code"] for e in rec["enterprises"]}) != len(rec["enterprises"]):
        raise Malformed("an enterprise code appears twice")
    for n, i in enumerate(get(rec, "inspectors", list)):
        get(i, "cert", str, f"inspectors[{n}]")
        get(i, "department", str, f"inspectors[{n}]")
        get(i, "expert", bool, f"inspectors[{n}]")
    if len({i["cert"] for i in rec["inspectors"]}) != len(rec["inspectors"]):
        raise Malformed("an inspector certificate appears twice")
    for pair in get(rec, "recusals", list):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, str) for v in pair)
        ):
            raise Malformed(f"recusal {pair!r} is not a [cert, code] pair")

    check_amendments_shape(rec)
    for c in CLASSES:
        get(get(get(rec, "strata", dict), c, dict, "strata"), "population", int, f"strata.{c}")
        get(rec["strata"][c], "k", int, f"strata.{c}")
    for n, t in enumerate(get(rec, "result", list)):
        get(t, "code", str, f"result[{n}]")
        get(t, "rank", str, f"result[{n}]")
        get_strings(t, "team", f"result[{n}]")
        get_strings(t, "shortfalls", f"result[{n}]")
        if get(t, "lead", object, f"result[{n}]") is not None:
            get(t, "lead", str, f"result[{n}]")


def check_pairs(obj: Any, key: str, where: str) -> None:
    for pair in get(obj, key, list, where):
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, str) for v in pair)
        ):
            raise Malformed(f"{where}: {pair!r} is not a [cert, code] pair")


def check_amendments_shape(rec: Any) -> None:
    """Raise Malformed unless every amendment (section 5) has its fields, typed."""
    if "amendments" not in rec:
        return  # a record made before amendments existed
    for n, a in enumerate(get(rec, "amendments", list)):
        where = f"amendments[{n}]"
        if get(a, "seq", int, where) != n + 1:
            raise Malformed(f"{where}.seq is not {n + 1}")
        get(a, "kind", str, where)
        for name in ("at", "by", "reason", "cause"):  # a public record may leave them out
            if name in a:
                get(a, name, str, where)
        if a["kind"] == "cancel":
            get(a, "code", str, where)
        elif a["kind"] == "substitution":
            for name in ("code", "removed", "added", "rank"):
                get(a, name, str, where)
            if a.get("cause", "other") not in ("sick", "left", "recusal", "other"):
                raise Malformed(f"{where}.cause is not sick, left, recusal or other")
            get_strings(a, "unavailable", where)
            check_pairs(a, "recusals", where)
        elif a["kind"] == "supplement":
            for name in ("frozen_at", "commitment", "inspector_snapshot", "salt"):
                get(a, name, str, where)
            if not re.fullmatch(r"[0-9a-fA-F]{64}", get(a, "seed", str, where)):
                raise Malformed(f"{where}.seed is not 64 hex digits")
            for m, i in enumerate(get(a, "inspectors", list, where)):
                get(i, "cert", str, f"{where}.inspectors[{m}]")
                get(i, "department", str, f"{where}.inspectors[{m}]")
                get(i, "expert", bool, f"{where}.inspectors[{m}]")
            if len({i["cert"] for i in a["inspectors"]}) != len(a["inspectors"]):
                raise Malformed(f"{where}: an inspector certificate appears twice")
            check_pairs(a, "recusals", where)
            for m, t in enumerate(get(a, "teams", list, where)):
                get(t, "code", str, f"{where}.teams[{m}]")
                for name in ("added", "team", "shortfalls"):
                    get_strings(t, name, f"{where}.teams[{m}]")
                if get(t, "lead", object, f"{where}.teams[{m}]") is not None:
                    get(t, "lead", str, f"{where}.teams[{m}]")
        else:
            raise Malformed(f"{where}.kind {a['kind']!r} is unknown")


def input_hash(rec: dict[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON text of every input (format 3)."""
    p = rec["params"]
    names = ["min_count", "max_count", "team_size", "experts_per_team", "load_cap"]
    params = {"ratios": {c: p["ratios"][c] for c in CLASSES}}
    params.update((name, p[name]) for name in [*names, "check_start", "check_end"])
    document = {
        "algorithm": 1,
        "params": params,
        "enterprises": sorted(
            [e["code"], e["risk"], sorted(set(e["departments"]))] for e in rec["enterprises"]
        ),
        "inspectors": sorted([i["cert"], i["department"], i["expert"]] for i in rec["inspectors"]),
        "recusals": sorted({(cert, code) for cert, code in rec["recusals"]}),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sizes(population: dict[str, int], p: dict[str, Any]) -> dict[str, int]:
    """k per risk class: the exact ratio, then max_count and min_count (section 2)."""
    k = {c: min(population[c], math.ceil(ratio(p["ratios"][c]) * population[c])) for c in CLASSES}
    # Steps below zero (bound already met, or class empty) change nothing.
    if p["max_count"] is not None:
        for keep in (1, 0):  # first every non-empty class keeps one, then not even that
            for c in CLASSES:
                k[c] -= max(0, min(sum(k.values()) - p["max_count"], k[c] - keep))
    for c in reversed(CLASSES):
        k[c] += max(0, min(p["min_count"] - sum(k.values()), population[c] - k[c]))
    return k


def form_team(
    e: dict[str, Any],
    members: list[dict[str, Any]],
    pool: list[dict[str, Any]],
    known: dict[str, dict[str, Any]],
    load: dict[str, int],
    recused: set[tuple[str, str]],
    key: bytes,
    p: dict[str, Any],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Step 3 for one enterprise, keeping `members` (a supplement's short team): the team
    (officers first) and its shortfalls; the loads of the people taken grow by one."""
    code, departments = e["code"], sorted(set(e["departments"]))
    in_team = {m["cert"] for m in members}
    candidates = [
        i
        for i in pool
        if load.get(i["cert"], 0) < p["load_cap"]
        and (i["cert"], code) not in recused
        and i["cert"] not in in_team
        and (i["expert"] or i["department"] in departments)
    ]
    candidates.sort(key=lambda i: (mac(key, "inspector:" + code + ":" + i["cert"]), i["cert"]))
    officers = [m for m in members if not known.get(m["cert"], m)["expert"]]
    experts = [m for m in members if known.get(m["cert"], m)["expert"]]
    covered = [known.get(m["cert"], m)["department"] for m in officers]
    new: list[dict[str, Any]] = []
    for i in candidates:  # pass 1: one officer per department not covered yet
        if not i["expert"] and i["department"] not in covered:
            new.append(i)
            covered.append(i["department"])
    target = max(p["team_size"], len(officers) + len(new))
    for i in candidates:  # pass 2: officers up to the team size
        if len(officers) + len(new) < target and not i["expert"] and i not in new:
            new.append(i)
    wanted = max(0, p["experts_per_team"] - len(experts))
    new_experts = [i for i in candidates if i["expert"]][:wanted]  # pass 3
    n_officers, n_experts = len(officers) + len(new), len(experts) + len(new_experts)
    shortfalls = ["department:" + d for d in departments if d not in covered]
    if n_officers < p["team_size"]:
        shortfalls.append(f"officers:{n_officers}")
    if n_experts < p["experts_per_team"]:
        shortfalls.append(f"experts:{n_experts}")
    if n_officers < 2:  # no check with fewer than two officers: nobody is placed
        return members, sorted(shortfalls)
    for i in new + new_experts:
        load[i["cert"]] = load.get(i["cert"], 0) + 1
    return officers + new + experts + new_experts, sorted(shortfalls)


def recompute(rec: dict[str, Any]) -> tuple[dict[str, dict[str, int]], list[dict[str, Any]]]:
    """The strata and the result that the record's inputs produce."""
    p, inspectors = rec["params"], rec["inspectors"]
    key = mac(bytes.fromhex(rec["seed"]), rec["salt"])

    rank = {e["code"]: mac(key, "enterprise:" + e["code"]) for e in rec["enterprises"]}
    by_class = {c: [e for e in rec["enterprises"] if e["risk"] == c] for c in CLASSES}
    k = sizes({c: len(by_class[c]) for c in CLASSES}, p)
    drawn = []
    for c in CLASSES:
        drawn += sorted(by_class[c], key=lambda e: rank[e["code"]])[: k[c]]
    drawn.sort(key=lambda e: rank[e["code"]])

    load = {i["cert"]: 0 for i in inspectors}
    recused = {(cert, code) for cert, code in rec["recusals"]}
    result = []
    for e in drawn:
        code = e["code"]
        team, shortfalls = form_team(e, [], inspectors, {}, load, recused, key, p)
        result.append(
            {
                "code": code,
                "rank": rank[code].hex(),
                "team": [i["cert"] for i in team],
                "lead": team[0]["cert"] if team else None,
                "shortfalls": shortfalls,
            }
        )
    strata = {c: {"population": len(by_class[c]), "k": k[c]} for c in CLASSES}
    return strata, result


class CannotApply(Exception):
    """An amendment that does not apply to the teams as the earlier ones left them."""


def replay(rec: dict[str, Any], result: list[dict[str, Any]], compare: Any) -> None:
    """Section 5: apply the amendments in order to the recomputed result, comparing what
    each one states with what the rules give. Raises CannotApply at the first that cannot."""
    p = rec["params"]
    enterprise = {e["code"]: e for e in rec["enterprises"]}
    teams = {t["code"]: list(t["team"]) for t in result}
    shortfalls = {t["code"]: t["shortfalls"] for t in result}
    order = [t["code"] for t in result]
    cancelled: set[str] = set()
    known = {i["cert"]: i for i in rec["inspectors"]}
    pool, key = rec["inspectors"], mac(bytes.fromhex(rec["seed"]), rec["salt"])
    recused = {(cert, code) for cert, code in rec["recusals"]}

    def live(code: str) -> list[str]:
        if code not in teams or code in cancelled:
            raise CannotApply(f"{code} was not drawn or is cancelled")
        return teams[code]

    def loads() -> dict[str, int]:
        count: dict[str, int] = {}
        for code, team in teams.items():
            for cert in team if code not in cancelled else []:
                count[cert] = count.get(cert, 0) + 1
        return count

    for n, a in enumerate(rec.get("amendments", [])):
        where = f"amendments[{n}]"
        recused |= {(cert, code) for cert, code in a.get("recusals", [])}
        if a["kind"] == "cancel":
            live(a["code"])
            cancelled.add(a["code"])
        elif a["kind"] == "substitution":
            code, removed = a["code"], a["removed"]
            team, load = live(code), loads()
            if removed not in team:
                raise CannotApply(f"{removed} is not in the team of {code}")
            who = known[removed]
            candidates = [
                i
                for i in pool
                if i["cert"] not in a["unavailable"]
                and i["cert"] not in team
                and (i["cert"], code) not in recused
                and load.get(i["cert"], 0) < p["load_cap"]
                and i["expert"] == who["expert"]
                and (i["expert"] or i["department"] == who["department"])
            ]
            if not candidates:
                raise CannotApply(f"{where}: nobody can replace {removed}")
            best = min(
                candidates, key=lambda i: (mac(key, f"inspector:{code}:{i['cert']}"), i["cert"])
            )
            compare(f"{where}.added", a["added"], best["cert"])
            rank = mac(key, f"inspector:{code}:{best['cert']}").hex()
            compare(f"{where}.rank", a["rank"], rank)
            team[team.index(removed)] = best["cert"]
        else:
            seed = bytes.fromhex(a["seed"])
            compare(f"{where}.commitment", a["commitment"], hashlib.sha256(seed).hexdigest())
            certs = [i["cert"] for i in a["inspectors"]]
            compare(f"{where}.inspector_snapshot", a["inspector_snapshot"], snapshot(certs))
            pool, key = sorted(a["inspectors"], key=lambda i: i["cert"]), mac(seed, a["salt"])
            known.update((i["cert"], i) for i in pool)
            load, last = loads(), -1
            for m, t in enumerate(a["teams"]):
                code = t["code"]
                members = [known[c] for c in live(code)]
                if not shortfalls[code] or order.index(code) <= last:
                    raise CannotApply(f"{where}.teams[{m}]: {code} is not short or out of order")
                last = order.index(code)
                formed, short = form_team(
                    enterprise[code], members, pool, known, load, recused, key, p
                )
                before = set(teams[code])
                teams[code], shortfalls[code] = [i["cert"] for i in formed], short
                want = {
                    "code": code,
                    "added": [i["cert"] for i in formed if i["cert"] not in before],
                    "team": teams[code],
                    "lead": teams[code][0] if teams[code] else None,
                    "shortfalls": short,
                }
                for name in ("code", "added", "team", "lead", "shortfalls"):
                    compare(f"{where}.teams[{m}].{name}", t[name], want[name])


def differences(rec: dict[str, Any]) -> list[str]:
    """Every difference between a well-formed record and its recomputation, in order."""
    found = []

    def compare(what: str, recorded: Any, recomputed: Any) -> None:
        if recorded != recomputed:
            has, want = dumps(recorded), dumps(recomputed)
            found.append(f"{what}: record has {has}, recomputed {want}")

    codes = [e["code"] for e in rec["enterprises"]]
    compare("enterprise_snapshot", rec["enterprise_snapshot"], snapshot(codes))
    certs = [i["cert"] for i in rec["inspectors"]]
    compare("inspector_snapshot", rec["inspector_snapshot"], snapshot(certs))
    seed = bytes.fromhex(rec["seed"])
    compare("commitment", rec["commitment"], hashlib.sha256(seed).hexdigest())
    if rec["format"] == 3:
        compare("input_hash", rec["input_hash"], input_hash(rec))
    strata, result = recompute(rec)
    for c in CLASSES:
        for name in ("population", "k"):
            compare(f"strata.{c}.{name}", rec["strata"][c][name], strata[c][name])
    for n in range(max(len(result), len(rec["result"]))):
        recorded = rec["result"][n] if n < len(rec["result"]) else {}
        recomputed = result[n] if n < len(result) else {}
        for name in ("code", "rank", "team", "lead", "shortfalls"):
            compare(f"result[{n}].{name}", recorded.get(name), recomputed.get(name))
    try:
        replay(rec, result, compare)
    except (CannotApply, KeyError) as exc:
        found.append(f"amendments: cannot apply ({exc})")
    return found


def verify(record: Any, published: dict[str, str] | None = None) -> list[str]:
    """The differences found in a record, first one first; an empty list means consistent.

    `published`: values announced at the freeze ("commitment", "input_hash") that the record
    must carry."""
    try:
        check_shape(record)
        found = [
            f"{name}: record has {dumps(record.get(name))}, published {dumps(value)}"
            for name, value in (published or {}).items()
            if record.get(name) != value
        ]
        return found + differences(record)
    except Malformed as exc:
        return [f"malformed record: {exc}"]
    except UnicodeEncodeError as exc:  # a lone surrogate, which no draw could have hashed
        return [f"malformed record: a string is not valid Unicode ({exc.reason})"]


def main(argv: list[str]) -> int:
    args = argparse.ArgumentParser(
        prog="python tools/verify_draw.py", description="Check a published JointCheck draw record."
    )
    args.add_argument("record", help="the record, a JSON file")
    args.add_argument("--commitment", help="the seed commitment announced at the freeze")
    args.add_argument("--input-hash", help="the input hash announced at the freeze (format 3)")
    try:
        opts = args.parse_args(argv[1:])
    except SystemExit as exc:
        return 2 if exc.code else 0
    published = {
        name: value.strip().lower()
        for name, value in (("commitment", opts.commitment), ("input_hash", opts.input_hash))
        if value is not None
    }
    try:
        with open(opts.record, encoding="utf-8") as f:
            record = json.load(f)
        check_shape(record)
    except (OSError, ValueError, Malformed) as exc:  # JSON and UTF-8 errors are ValueErrors
        print(f"无法读取 / unreadable record: {exc}", file=sys.stderr)
        return 2
    found = verify(record, published)
    if found and found[0].startswith("malformed record: "):
        print(f"无法读取 / unreadable record: {found[0]}", file=sys.stderr)
        return 2
    if found:
        print(f"不一致 / inconsistent: {found[0]}")
        return 1
    print("一致 / consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
