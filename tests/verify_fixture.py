"""Draw records of varied plans (format 3, with amendments) and tampered copies of them,
for the verifiers to agree on: services/draw/verify.py, tools/verify_draw.py and the
browser's bot/static/verify-draw.js."""

from __future__ import annotations

import copy
import importlib.util
import json
import random
from pathlib import Path
from types import ModuleType
from typing import Any

from services.draw import inputs
from services.draw.amend import AmendError, Roster
from services.draw.engine import (
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    TeamOut,
    commitment,
    draw_key,
    run_draw,
    snapshot_hash,
)
from services.draw.verify import build_record

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "verify_draw.py"
CHECK_START, CHECK_END = "2026-12-01", "2026-12-31"
Record = dict[str, Any]


def load_tool() -> ModuleType:
    """tools/verify_draw.py as a module."""
    spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def params_json(params: DrawParams) -> dict[str, Any]:
    """The parameters as a record (and the freeze) writes them."""
    return {
        "ratios": dict(params.ratios),
        "min_count": params.min_count,
        "max_count": params.max_count,
        "team_size": params.team_size,
        "experts_per_team": params.experts_per_team,
        "load_cap": params.load_cap,
        "check_start": CHECK_START,
        "check_end": CHECK_END,
    }


def make_record(
    enterprises: list[EnterpriseIn],
    inspectors: list[InspectorIn],
    recusals: list[tuple[str, str]],
    params: DrawParams,
    seed: bytes,
    salt: str,
    *,
    draw_id: int = 1,
    format3: bool = True,
) -> Record:
    """A record as exported, of format 3 (the input hash as the freeze computes it) or 2."""
    outcome = run_draw(enterprises, inspectors, recusals, params, seed, salt)
    rows = [(e.code, e.risk, e.departments) for e in enterprises]
    digest = inputs.input_hash(params_json(params), rows, inspectors, recusals)
    record = build_record(
        draw_id=draw_id,
        plan_id=draw_id,
        plan_name=f"计划{draw_id}",
        params=params,
        check_start=CHECK_START,
        check_end=CHECK_END,
        enterprises=enterprises,
        inspectors=inspectors,
        recusals=recusals,
        seed=seed,
        salt=salt,
        outcome=outcome,
        input_hash=digest if format3 else None,
    )
    loaded: Record = json.loads(json.dumps(record, ensure_ascii=False))
    return loaded


def _roster(record: Record) -> Roster:
    p = {k: v for k, v in record["params"].items() if not k.startswith("check")}
    return Roster.after_draw(
        DrawParams(**p),
        {e["code"]: e["departments"] for e in record["enterprises"]},
        [
            TeamOut(
                t["code"],
                bytes.fromhex(t["rank"]),
                tuple(t["team"]),
                t["lead"],
                tuple(t["shortfalls"]),
            )
            for t in record["result"]
        ],
        [InspectorIn(i["cert"], i["department"], i["expert"]) for i in record["inspectors"]],
        [(c, e) for c, e in record["recusals"]],
        draw_key(bytes.fromhex(record["seed"]), record["salt"]),
    )


def amend(rnd: random.Random, record: Record, kinds: list[str]) -> None:
    """Apply amendments of these kinds (when they can apply), as the services write them."""
    roster = _roster(record)
    entries: list[Record] = record["amendments"]
    departments = sorted({i["department"] for i in record["inspectors"]} | {"D0"})
    for kind in kinds:
        head = {"seq": len(entries) + 1, "at": "2026-12-02T01:00:00+00:00", "by": "user:3"}
        live = [c for c in roster.order if c not in roster.cancelled]
        if kind == "cancel" and live:
            code = rnd.choice(live)
            roster.cancel(code)
            entries.append({**head, "kind": "cancel", "reason": "停业", "code": code})
        elif kind == "substitution":
            staffed = [c for c in live if roster.teams[c]]
            for _ in range(20 if staffed else 0):  # until one member can be replaced
                code = rnd.choice(staffed)
                removed = rnd.choice(roster.teams[code])
                unavailable = sorted(i.cert for i in roster.pool if rnd.random() < 0.2)
                recusals = sorted((i.cert, code) for i in roster.pool if rnd.random() < 0.1)
                try:
                    added, rank = roster.substitute(code, removed, unavailable, recusals)
                    break
                except AmendError:
                    continue
            else:
                continue
            entries.append(
                {
                    **head,
                    "kind": "substitution",
                    "reason": "病假 张三",
                    "cause": "sick",
                    "code": code,
                    "removed": removed,
                    "added": added,
                    "rank": rank.hex(),
                    "unavailable": unavailable,
                    "recusals": [list(p) for p in recusals],
                }
            )
        elif kind == "supplement":
            old = [i for i in roster.pool if rnd.random() < 0.7]
            new = [
                InspectorIn(f"N{len(entries)}{n:03d}", rnd.choice(departments), rnd.random() < 0.2)
                for n in range(rnd.randint(1, 6))
            ]
            pool = sorted(old + new, key=lambda i: i.cert)
            short = [c for c in live if roster.shortfalls[c]]
            recusals = sorted((i.cert, c) for i in pool for c in short if rnd.random() < 0.05)
            seed, salt = rnd.randbytes(32), rnd.choice(["", "补抽"])
            filled = roster.supplement(pool, recusals, draw_key(seed, salt), short)
            entries.append(
                {
                    **head,
                    "kind": "supplement",
                    "reason": "",
                    "frozen_at": "2026-12-02T00:00:00+00:00",
                    "commitment": commitment(seed),
                    "inspector_snapshot": snapshot_hash(i.cert for i in pool),
                    "inspectors": [
                        {"cert": i.cert, "department": i.department, "expert": i.expert}
                        for i in pool
                    ],
                    "recusals": [list(p) for p in recusals],
                    "seed": seed.hex(),
                    "salt": salt,
                    "teams": [
                        {
                            "code": f.code,
                            "added": list(f.added),
                            "team": list(f.team),
                            "lead": f.lead,
                            "shortfalls": list(f.shortfalls),
                        }
                        for f in filled
                    ],
                }
            )


RATIO_SETS = [
    {"A": "0.1", "B": "0.25", "C": "0.5", "D": "1"},
    {"A": "0.03", "B": "0.08", "C": "0.2", "D": "0.5"},
    {"A": "1", "B": "1", "C": "1", "D": "1"},
    {"A": "0", "B": "0.333", "C": "0.07", "D": "0.66"},
    {"A": "0.5", "B": "0", "C": "0", "D": "0"},
]
AMENDMENTS = [
    [],
    ["cancel"],
    ["substitution"],
    ["supplement"],
    ["substitution", "cancel", "supplement", "substitution"],
    ["supplement", "substitution", "supplement"],
    ["substitution", "substitution"],
]


def varied_record(n: int) -> Record:
    """Plan number n: its ratios, bounds, team size, experts, recusals and amendments vary."""
    rnd = random.Random(1000 + n)
    departments = [f"D{d}" for d in range(1 + n % 4)]
    enterprises = [
        EnterpriseIn(
            f"91440300MA5G{m:04d}{rnd.choice('0123456789ABCDEFGHJKLMNPQRTUWXY')}X",
            rnd.choice("ABCD"),
            tuple(rnd.sample(departments, rnd.randint(0 if n % 5 == 0 else 1, len(departments)))),
        )
        for m in range(8 + (n * 7) % 30)
    ]
    inspectors = [
        InspectorIn(f"4403{m:04d}", rnd.choice(departments), rnd.random() < 0.15 + 0.1 * (n % 3))
        for m in range(4 + (n * 5) % 14)
    ]
    recusals = [
        (rnd.choice(inspectors).cert, rnd.choice(enterprises).code) for _ in range(n % 4 * 2)
    ]
    min_count = [0, 0, 3, 12][n % 4]
    params = DrawParams(
        ratios=RATIO_SETS[n % len(RATIO_SETS)],
        min_count=min_count,
        max_count=[None, max(4, min_count), None, 15, min_count + 1][n % 5],
        team_size=2 + n % 3,
        experts_per_team=[0, 1, 0, 2][n % 4],
        load_cap=1 + n % 3,
    )
    salt = ["", "20261201", "第二轮 抽取"][n % 3]
    record = make_record(
        enterprises, inspectors, recusals, params, rnd.randbytes(32), salt, draw_id=n
    )
    amend(rnd, record, AMENDMENTS[n % len(AMENDMENTS)])
    return record


def tamper_base(records: list[Record]) -> Record:
    """The first record with recusals, a substitution, a team and an enterprise not drawn."""
    for record in records:
        drawn = {t["code"] for t in record["result"]}
        if (
            record["recusals"]
            and any(a["kind"] == "substitution" for a in record["amendments"])
            and any(t["team"] for t in record["result"])
            and any(e["code"] not in drawn for e in record["enterprises"])
        ):
            return record
    raise AssertionError("no record to tamper with")


def _undrawn(record: Record) -> Record:
    drawn = {t["code"] for t in record["result"]}
    return next(e for e in record["enterprises"] if e["code"] not in drawn)


# One change of each input the input hash binds, and a few of what the draw produced.
TAMPERINGS = (
    "risk",
    "department",
    "inspector_department",
    "expert",
    "recusal_added",
    "recusal_removed",
    "ratio",
    "ratio_spelling",
    "team_size",
    "max_count",
    "check_end",
    "team_member",
    "seed",
    "substitute",
)


def tampered(base: Record, change: str) -> Record:
    """A copy of a format 3 record with one change."""
    r = copy.deepcopy(base)
    if change == "risk":
        e = _undrawn(r)
        e["risk"] = "D" if e["risk"] != "D" else "A"
    elif change == "department":
        e = _undrawn(r)
        e["departments"] = sorted({*e["departments"], "D9"})
    elif change == "inspector_department":
        r["inspectors"][-1]["department"] = "D9"
    elif change == "expert":
        r["inspectors"][0]["expert"] = not r["inspectors"][0]["expert"]
    elif change == "recusal_added":
        r["recusals"].append([r["inspectors"][0]["cert"], _undrawn(r)["code"]])
    elif change == "recusal_removed":
        r["recusals"].pop()
    elif change == "ratio":
        r["params"]["ratios"]["A"] = "0.9" if r["params"]["ratios"]["A"] != "0.9" else "0.8"
    elif change == "ratio_spelling":  # the same value written otherwise: only the hash sees it
        text = r["params"]["ratios"]["D"]
        r["params"]["ratios"]["D"] = text + ("0" if "." in text else ".0")
    elif change == "team_size":
        r["params"]["team_size"] += 1
    elif change == "max_count":
        r["params"]["max_count"] = 1000
    elif change == "check_end":
        r["params"]["check_end"] = "2027-01-31"
    elif change == "team_member":
        team = next(t for t in r["result"] if t["team"])["team"]
        outside = [i["cert"] for i in r["inspectors"] if i["cert"] not in team]
        team[-1] = outside[0]
    elif change == "seed":
        r["seed"] = ("00" if r["seed"].startswith("ff") else "ff") + r["seed"][2:]
    elif change == "substitute":
        entry = next(a for a in r["amendments"] if a["kind"] == "substitution")
        entry["rank"] = "00" * 32
    else:
        raise ValueError(change)
    return r
