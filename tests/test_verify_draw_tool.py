"""tools/verify_draw.py: the independent, standard-library-only verifier."""

from __future__ import annotations

import ast
import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

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
from services.draw.verify import build_record, verify_record

TOOL = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def random_record(rnd: random.Random) -> dict[str, object]:
    """A draw with random inputs, built by the engine and passed through JSON."""
    departments = [f"D{n}" for n in range(rnd.randint(1, 4))]
    enterprises = [
        EnterpriseIn(
            f"9144{n:014d}",
            rnd.choice("ABCD"),
            tuple(rnd.sample(departments, rnd.randint(0, len(departments)))),
        )
        for n in range(rnd.randint(0, 40))
    ]
    inspectors = [
        InspectorIn(f"4403{n:04d}", rnd.choice(departments), rnd.random() < 0.2)
        for n in range(rnd.randint(0, 16))
    ]
    recusals = [
        (rnd.choice(inspectors).cert, rnd.choice(enterprises).code)
        for _ in range(rnd.randint(0, 8) if inspectors and enterprises else 0)
    ]
    min_count = rnd.randint(0, 8)
    params = DrawParams(
        ratios={c: rnd.choice(["0", "0.07", "0.1", "0.25", "0.5", "1"]) for c in "ABCD"},
        min_count=min_count,
        max_count=rnd.choice([None, rnd.randint(min_count, 20)]),
        team_size=rnd.randint(2, 4),
        experts_per_team=rnd.randint(0, 2),
        load_cap=rnd.randint(1, 3),
    )
    seed, salt = rnd.randbytes(32), rnd.choice(["", "20261201", "第二轮"])
    outcome = run_draw(enterprises, inspectors, recusals, params, seed, salt)
    record = build_record(
        draw_id=1,
        plan_id=1,
        plan_name="plan",
        params=params,
        check_start="2026-12-01",
        check_end="2026-12-31",
        enterprises=enterprises,
        inspectors=inspectors,
        recusals=recusals,
        seed=seed,
        salt=salt,
        outcome=outcome,
    )
    loaded: dict[str, object] = json.loads(json.dumps(record))
    return loaded


def run_tool(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), str(path)], capture_output=True, text=True, check=False
    )


def test_tool_agrees_with_the_engine_on_random_draws() -> None:
    tool = load_tool()
    for n in range(150):
        record = random_record(random.Random(n))
        strata, result = tool.recompute(record)
        assert result == record["result"], n
        assert strata == record["strata"], n
        assert tool.verify(record) == [], n


def test_tool_and_engine_report_the_same_first_difference() -> None:
    tool = load_tool()
    rnd = random.Random(99)
    checked = 0
    while checked < 30:
        record = random_record(rnd)
        results = record["result"]
        assert isinstance(results, list)
        if not results:
            continue
        results[rnd.randrange(len(results))]["rank"] = "00" * 32
        assert tool.verify(record)[0] == verify_record(record)[0]
        checked += 1


def test_tool_uses_the_standard_library_only() -> None:
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import)
        for alias in n.names
    }
    imported |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert imported <= sys.stdlib_module_names | {"__future__"}


def test_consistent_record_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(random_record(random.Random(1)), ensure_ascii=False), "utf-8")
    done = run_tool(path)
    assert (done.returncode, done.stdout.strip()) == (0, "一致 / consistent")


def test_inconsistent_record_exits_1_with_the_first_difference(tmp_path: Path) -> None:
    record = random_record(random.Random(1))
    record["commitment"] = "0" * 64
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    done = run_tool(path)
    assert done.returncode == 1
    assert done.stdout.startswith("不一致 / inconsistent: commitment: record has")


@pytest.mark.parametrize(
    "content", ["{not json", "[]", '{"format": "jointcheck-draw-record"}', "\xff\xfe"]
)
def test_unreadable_or_malformed_file_exits_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(content.encode("latin-1"))
    done = run_tool(path)
    assert done.returncode == 2 and done.stderr and not done.stdout


def test_missing_key_exits_2(tmp_path: Path) -> None:
    record = random_record(random.Random(2))
    del record["inspectors"]
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), "utf-8")
    done = run_tool(path)
    assert done.returncode == 2 and "inspectors" in done.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    assert run_tool(tmp_path / "absent.json").returncode == 2


def _amend(rnd: random.Random, record: dict[str, Any]) -> None:
    """Apply random amendments (section 5) through services/draw/amend.py and append them
    to the record as the services write them."""
    params = DrawParams(**{k: v for k, v in record["params"].items() if not k.startswith("check")})
    roster = Roster.after_draw(
        params,
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
    departments = sorted({i["department"] for i in record["inspectors"]} | {"D0", "D9"})
    entries: list[dict[str, Any]] = []
    for _ in range(rnd.randint(1, 6)):
        head = {"seq": len(entries) + 1, "at": "2026-12-02T01:00:00+00:00", "by": "cli"}
        live = [c for c in roster.order if c not in roster.cancelled]
        kind = rnd.choice(["cancel", "substitution", "substitution", "supplement"])
        if kind == "cancel" and live:
            code = rnd.choice(live)
            roster.cancel(code)
            entries.append({**head, "kind": "cancel", "reason": "停业", "code": code})
        elif kind == "substitution":
            staffed = [c for c in live if roster.teams[c]]
            if not staffed:
                continue
            code = rnd.choice(staffed)
            removed = rnd.choice(roster.teams[code])
            unavailable = sorted(i.cert for i in roster.pool if rnd.random() < 0.2)
            recusals = sorted((i.cert, code) for i in roster.pool if rnd.random() < 0.1)
            try:
                added, rank = roster.substitute(code, removed, unavailable, recusals)
            except AmendError:
                continue
            entries.append(
                {
                    **head,
                    "kind": "substitution",
                    "reason": "病假",
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
                for n in range(rnd.randint(0, 6))
            ]
            pool = sorted(old + new, key=lambda i: i.cert)
            short = [c for c in live if roster.shortfalls[c] and rnd.random() < 0.8]
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
    record["amendments"] = entries


def amended_record(seed: int) -> dict[str, Any]:
    """A random draw with random amendments, through JSON."""
    rnd = random.Random(seed)
    record: dict[str, Any] = random_record(rnd)
    _amend(rnd, record)
    loaded: dict[str, Any] = json.loads(json.dumps(record))
    return loaded


def test_tool_agrees_with_the_services_on_random_amendments() -> None:
    tool = load_tool()
    kinds: set[str] = set()
    for n in range(200):
        record = amended_record(n)
        kinds |= {a["kind"] for a in record["amendments"]}
        assert verify_record(record) == [], n
        assert tool.verify(record) == [], n
    assert kinds == {"cancel", "substitution", "supplement"}


def test_a_changed_amendment_is_found_by_both_verifiers() -> None:
    tool = load_tool()
    checked = 0
    for n in range(400):
        record = amended_record(n)
        changeable = [
            a for a in record["amendments"] if a["kind"] == "substitution" or a.get("teams")
        ]
        if not changeable:
            continue
        entry = changeable[0]
        if entry["kind"] == "substitution":
            entry["rank"] = "00" * 32
        else:
            entry["seed"] = "11" * 32  # the commitment no longer matches
        ours, theirs = verify_record(record), tool.verify(record)
        assert ours and theirs, n
        assert ours[0] == theirs[0], n
        checked += 1
    assert checked >= 30


def test_a_record_without_amendments_verifies_as_before() -> None:
    tool = load_tool()
    record = random_record(random.Random(5))
    del record["amendments"]  # a record exported before amendments existed
    assert verify_record(record) == [] and tool.verify(record) == []
