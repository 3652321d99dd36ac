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

import pytest

from services.draw.engine import DrawParams, EnterpriseIn, InspectorIn, run_draw
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
