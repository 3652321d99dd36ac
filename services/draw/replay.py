"""Replaying a record's amendments in order (docs/draw-algorithm.md, section 5).

Each entry is read, applied to the roster the earlier ones left, and what it states
(the substitute and its rank, a supplement's commitment and teams) compared with what
the rules give.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from services.draw import shape
from services.draw.amend import AmendError, Roster
from services.draw.engine import InspectorIn, commitment, draw_key, snapshot_hash
from services.draw.shape import Malformed, omissible, optional, pairs, strings, take

KINDS = ("cancel", "substitution", "supplement")
CAUSES = ("sick", "left", "recusal", "other")
_TEAM_FIELDS = ("code", "added", "team", "lead", "shortfalls")

Check = Callable[[str, object, object], None]


def replay(roster: Roster, entries: object) -> list[str]:
    """Apply the entries to the roster; the differences found (empty: consistent)."""
    found: list[str] = []

    def check(what: str, has: object, want: object) -> None:
        if has != want:
            has_text = json.dumps(has, ensure_ascii=False)
            want_text = json.dumps(want, ensure_ascii=False)
            found.append(f"{what}: record has {has_text}, recomputed {want_text}")

    if not isinstance(entries, list):
        return ["malformed record: amendments is not a list"]
    for n, entry in enumerate(entries):
        where = f"amendments[{n}]"
        try:
            _apply(roster, entry, where, n, check)
        except Malformed as exc:
            return [*found, f"malformed record: {exc}"]
        except (AmendError, KeyError) as exc:
            # The state after an entry that cannot apply is unknown: stop there.
            return [*found, f"{where}: cannot apply ({exc})"]
    return found


def _apply(roster: Roster, entry: object, where: str, n: int, check: Check) -> None:
    if take(entry, "seq", int, where) != n + 1:
        raise Malformed(f"{where}.seq is not {n + 1}")
    kind = take(entry, "kind", str, where)
    if kind not in KINDS:
        raise Malformed(f"{where}.kind {kind!r} is unknown")
    # Who did it and why may be left out of a public record (services/draw/record.py).
    for name in ("at", "by", "reason"):
        omissible(entry, name, str, where)
    code = take(entry, "code", str, where) if kind != "supplement" else ""
    if kind == "cancel":
        roster.cancel(code)
    elif kind == "substitution":
        if omissible(entry, "cause", str, where) not in (None, *CAUSES):
            raise Malformed(f"{where}.cause is not one of {', '.join(CAUSES)}")
        added, rank = roster.substitute(
            code,
            take(entry, "removed", str, where),
            strings(entry, "unavailable", where),
            pairs(entry, "recusals", where),
        )
        check(f"{where}.added", take(entry, "added", str, where), added)
        check(f"{where}.rank", take(entry, "rank", str, where), rank.hex())
    else:
        _supplement(roster, entry, where, check)


def _supplement(roster: Roster, entry: object, where: str, check: Check) -> None:
    take(entry, "frozen_at", str, where)
    seed_hex = take(entry, "seed", str, where)
    if not shape.HEX64.fullmatch(seed_hex):
        raise Malformed(f"{where}.seed is not 64 hex digits")
    seed = bytes.fromhex(seed_hex)
    inspectors = [
        InspectorIn(
            take(i, "cert", str, f"{where}.inspectors[{m}]"),
            take(i, "department", str, f"{where}.inspectors[{m}]"),
            take(i, "expert", bool, f"{where}.inspectors[{m}]"),
        )
        for m, i in enumerate(take(entry, "inspectors", list, where))
    ]
    if len({i.cert for i in inspectors}) != len(inspectors):
        raise Malformed(f"{where}.inspectors: a certificate appears twice")
    check(f"{where}.commitment", take(entry, "commitment", str, where), commitment(seed))
    snapshot = snapshot_hash(i.cert for i in inspectors)
    check(f"{where}.inspector_snapshot", take(entry, "inspector_snapshot", str, where), snapshot)
    teams = take(entry, "teams", list, where)
    stated = [
        (
            take(t, "code", str, f"{where}.teams[{m}]"),
            strings(t, "added", f"{where}.teams[{m}]"),
            strings(t, "team", f"{where}.teams[{m}]"),
            optional(t, "lead", str, f"{where}.teams[{m}]"),
            strings(t, "shortfalls", f"{where}.teams[{m}]"),
        )
        for m, t in enumerate(teams)
    ]
    key = draw_key(seed, take(entry, "salt", str, where))
    filled = roster.supplement(
        inspectors, pairs(entry, "recusals", where), key, [s[0] for s in stated]
    )
    for m, (has, f) in enumerate(zip(stated, filled, strict=True)):
        want = (f.code, list(f.added), list(f.team), f.lead, list(f.shortfalls))
        for name, h, w in zip(_TEAM_FIELDS, has, want, strict=True):
            check(f"{where}.teams[{m}].{name}", h, w)
