"""Record format 3: the input hash published at the freeze binds every input of the draw,
and the worked example of docs/draw-algorithm.md, recomputed from the document's numbers."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
import re
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from handlers.core.db import unit_of_work
from models import AuditEntry, Draw
from services.draw import freeze, inputs, run
from services.draw import record as draw_record
from services.draw.eligibility import Eligibility
from services.draw.engine import (
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    commitment,
    compute_k,
    draw_key,
    enterprise_rank,
    inspector_rank,
    run_draw,
    snapshot_hash,
)
from services.draw.verify import verify_record
from tests import amend_fixture as af
from tests import draw_fixture as fx
from tests import verify_fixture as vf
from tests.helpers import say

DOC = vf.ROOT / "docs" / "draw-algorithm.md"
INPUT_CHANGES = vf.TAMPERINGS[: vf.TAMPERINGS.index("check_end") + 1]


# --- The worked example, from the document -----------------------------------------------


def block(name: str) -> str:
    """The fenced block that follows `<!-- worked-example:name -->` in the document."""
    doc = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- worked-example:{name} -->\n```[a-z]*\n(.*?)\n```", doc, re.S)
    assert found, name
    return found.group(1)


def values(name: str) -> list[tuple[str, str]]:
    """The block's `name: value` lines, in order."""
    return [
        (key, value) for key, _, value in (line.partition(": ") for line in block(name).split("\n"))
    ]


def example() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(block("inputs"))
    return loaded


def rows(ex: dict[str, Any]) -> tuple[list[EnterpriseIn], list[InspectorIn], list[tuple[str, str]]]:
    return (
        [EnterpriseIn(e["code"], e["risk"], tuple(e["departments"])) for e in ex["enterprises"]],
        [InspectorIn(i["cert"], i["department"], i["expert"]) for i in ex["inspectors"]],
        [(c, e) for c, e in ex["recusals"]],
    )


def engine_params(p: dict[str, Any]) -> DrawParams:
    return DrawParams(**{k: v for k, v in p.items() if not k.startswith("check")})


def test_the_input_text_is_the_canonical_serialisation() -> None:
    ex = example()
    enterprises, inspectors, recusals = rows(ex)
    shown = block("input-text")
    text = inputs.document(
        ex["params"], [(e.code, e.risk, e.departments) for e in enterprises], inspectors, recusals
    )
    assert text.decode() == shown
    # Python's json.dumps of the document as section 1 lays it out writes the same bytes.
    document = {
        "algorithm": 1,
        "params": ex["params"],
        "enterprises": [[e.code, e.risk, list(e.departments)] for e in enterprises],
        "inspectors": [[i.cert, i.department, i.expert] for i in inspectors],
        "recusals": [list(p) for p in recusals],
    }
    assert json.dumps(document, ensure_ascii=False, separators=(",", ":")) == shown


def test_the_published_values_and_the_draw_key() -> None:
    ex = example()
    enterprises, inspectors, _ = rows(ex)
    seed = bytes.fromhex(ex["seed"])
    shown = dict(values("values"))
    assert shown["enterprise_snapshot"] == snapshot_hash(e.code for e in enterprises)
    assert shown["inspector_snapshot"] == snapshot_hash(i.cert for i in inspectors)
    assert shown["commitment"] == commitment(seed) == hashlib.sha256(seed).hexdigest()
    assert shown["input_hash"] == hashlib.sha256(block("input-text").encode()).hexdigest()
    assert shown["K"] == draw_key(seed, ex["salt"]).hex()


def test_the_enterprise_ranks_in_ascending_order() -> None:
    ex = example()
    key = draw_key(bytes.fromhex(ex["seed"]), ex["salt"])
    ranks = [(k.removeprefix("rank "), v) for k, v in values("values") if k.startswith("rank ")]
    assert len(ranks) == len(ex["enterprises"])
    assert [v for _, v in ranks] == sorted(v for _, v in ranks)
    for code, rank in ranks:
        assert enterprise_rank(key, code).hex() == rank


def _strata_lines(name: str) -> dict[str, dict[str, str]]:
    out = {}
    for line in block(name).split("\n"):
        if line.startswith("k "):
            risk, _, fields = line[2:].partition(": ")
            out[risk] = dict(f.split("=") for f in fields.split())
    return out


def _check_strata(shown: dict[str, dict[str, str]], params: DrawParams) -> None:
    tool = vf.load_tool()
    populations = {c: int(v["n"]) for c, v in shown.items()}
    for c, v in shown.items():
        assert params.ratios[c] == v["ratio"]
        n = populations[c]
        assert min(n, math.ceil(Fraction(v["ratio"]) * n)) == int(v["ceil"])
    after = {c: int(v["after"]) for c, v in shown.items()}
    bounds = {"min_count": params.min_count, "max_count": params.max_count}
    assert compute_k(populations, params) == after
    assert tool.sizes(populations, {"ratios": params.ratios, **bounds}) == after


def test_the_strata_before_and_after_the_bounds() -> None:
    ex = example()
    params = engine_params(ex["params"])
    shown = _strata_lines("strata")
    _check_strata(shown, params)
    enterprises, inspectors, recusals = rows(ex)
    outcome = run_draw(
        enterprises, inspectors, recusals, params, bytes.fromhex(ex["seed"]), ex["salt"]
    )
    assert {c: (int(v["n"]), int(v["after"])) for c, v in shown.items()} == outcome.strata


def test_the_raising_example() -> None:
    head, *_ = block("raise").split("\n")
    bounds = dict(f.split("=") for f in head.split())
    shown = _strata_lines("raise")
    params = DrawParams(
        ratios={c: v["ratio"] for c, v in shown.items()},
        min_count=int(bounds["min_count"]),
        max_count=None if bounds["max_count"] == "none" else int(bounds["max_count"]),
    )
    _check_strata(shown, params)


def test_the_inspector_ranks_and_the_teams() -> None:
    ex = example()
    enterprises, inspectors, recusals = rows(ex)
    seed = bytes.fromhex(ex["seed"])
    key = draw_key(seed, ex["salt"])
    ranks = values("inspector-ranks")
    assert [v for _, v in ranks] == sorted(v for _, v in ranks)
    assert len(ranks) == len(inspectors)
    for name, rank in ranks:
        _, code, cert = name.split(" ")
        assert inspector_rank(key, code, cert).hex() == rank
    outcome = run_draw(
        enterprises, inspectors, recusals, engine_params(ex["params"]), seed, ex["salt"]
    )
    shown = []
    for name, value in values("teams"):
        team, lead, shortfalls = (part.strip() for part in value.split("|"))
        shown.append(
            (
                name.removeprefix("team "),
                tuple(team.split()) if team != "-" else (),
                lead.removeprefix("lead ") if lead != "lead -" else None,
                tuple(shortfalls.split()[1:]) if shortfalls != "shortfalls -" else (),
            )
        )
    assert shown == [(t.code, t.team, t.lead, t.shortfalls) for t in outcome.result]
    assert ranks[0][0].split(" ")[1] == outcome.result[0].code


def worked_record() -> dict[str, Any]:
    """The worked example as a format 3 record."""
    ex = example()
    enterprises, inspectors, recusals = rows(ex)
    return vf.make_record(
        enterprises,
        inspectors,
        recusals,
        engine_params(ex["params"]),
        bytes.fromhex(ex["seed"]),
        ex["salt"],
        draw_id=6,
    )


def test_the_worked_example_record_verifies_and_carries_the_shown_hash() -> None:
    record = worked_record()
    assert record["format"] == 3
    assert record["input_hash"] == dict(values("values"))["input_hash"]
    assert verify_record(record) == [] and vf.load_tool().verify(record) == []


# --- Format 3 from the freeze to the record ----------------------------------------------


async def _frozen_and_drawn(app) -> tuple[Draw, dict[str, Any]]:  # type: ignore[no-untyped-def]
    await fx.build(app, recusals=[("X01", 3), ("Y02", 1)])
    plan_id = await fx.plan(
        app,
        ratios={"A": "1", "B": "1", "C": "0.5", "D": "0.5"},
        experts_per_team=1,
        max_count=4,
    )
    async with unit_of_work(app.sessions) as session:
        frozen = await freeze.freeze(session, None, plan_id, app.clock.now())
    async with unit_of_work(app.sessions) as session:
        drawn = await run.execute(session, None, frozen.id, " 07 ", app.clock.now())
    async with unit_of_work(app.sessions, write=False) as session:
        record = await draw_record.export_record(session, drawn.id)
    return drawn, record


async def test_the_freeze_publishes_the_input_hash_and_the_record_verifies(app) -> None:  # type: ignore[no-untyped-def]
    draw, record = await _frozen_and_drawn(app)
    assert draw.input_hash is not None and re.fullmatch("[0-9a-f]{64}", draw.input_hash)
    assert record["format"] == 3 and record["input_hash"] == draw.input_hash
    assert record["salt"] == "07"  # trimmed before drawing, used as recorded
    enterprises = [(e["code"], e["risk"], e["departments"]) for e in record["enterprises"]]
    insps = [InspectorIn(i["cert"], i["department"], i["expert"]) for i in record["inspectors"]]
    pairs = [(c, e) for c, e in record["recusals"]]
    assert pairs  # the recusals are inputs too
    assert inputs.input_hash(record["params"], enterprises, insps, pairs) == draw.input_hash
    assert verify_record(record) == [] and vf.load_tool().verify(record) == []
    async with unit_of_work(app.sessions, write=False) as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "draw.freeze"))
    assert entry is not None and entry.after["input_hash"] == draw.input_hash


@pytest.mark.parametrize("change", INPUT_CHANGES)
async def test_changing_any_input_fails_against_the_published_hash(app, change: str) -> None:  # type: ignore[no-untyped-def]
    _, record = await _frozen_and_drawn(app)
    changed = vf.tampered(record, change)
    for found in (verify_record(changed), vf.load_tool().verify(changed)):
        assert found and found[0].startswith("input_hash: record has"), found


def test_changing_any_input_of_varied_records_fails_in_both_verifiers() -> None:
    tool = vf.load_tool()
    base = vf.tamper_base([vf.varied_record(n) for n in range(12)])
    assert verify_record(base) == [] and tool.verify(base) == []
    for change in INPUT_CHANGES:
        changed = vf.tampered(base, change)
        ours, theirs = verify_record(changed), tool.verify(changed)
        assert ours[:1] == theirs[:1] and ours[0].startswith("input_hash:"), change


def test_the_freeze_hashes_equal_the_plain_text_for_any_codes() -> None:
    rnd = random.Random(3)
    params = vf.params_json(DrawParams(ratios={"A": "0.5", "B": "0", "C": "0.25", "D": "1"}))
    for trial in range(40):
        departments = {"1": ["SCJG", "YJJ"], "2": ["WJW"], "3": ["YJJ", "SCJG", "YJJ"]}
        if trial % 2:
            departments[""] = ["SCJG"]  # the items for every other type
        # Every fifth list holds codes with quotes, backslashes, spaces and control or
        # non-ASCII characters: those take the plain way.
        alphabet = "0123456789ABCD" + ('!" 中\\\x01\U0001f600\ue000' if trial % 5 == 0 else "")
        # Codes of one length (as credit codes are) on odd trials, of several on even ones.
        lengths = (3, 3) if trial % 2 else (1, 4)
        codes = {
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(*lengths))) for _ in range(60)
        }
        entries: dict[str, list[str]] = {r: [] for r in "ABCD"}
        for c in sorted(codes):
            entries[rnd.choice("ABCD")].append(f"{c}\t{rnd.choice(['1', '2', '3', '', '9'])}")
        elig = Eligibility(
            {r: "\n".join(v) for r, v in entries.items()},
            departments,
            [InspectorIn("c2", "X", False), InspectorIn("c1", "Y", True)],
            [("c1", "x"), ("c1", "x"), ("a", "b")],
            [],
        )
        listed = list(elig.enterprises())
        plain = inputs.input_hash(params, listed, elig.inspectors, elig.recusals)
        assert inputs.freeze_hashes(elig, params) == (
            snapshot_hash(c for c, _, _ in listed),
            plain,
        ), trial


# --- Formats 1 and 2, the public record, the published values ----------------------------


def _format2() -> dict[str, Any]:
    ex = example()
    enterprises, inspectors, recusals = rows(ex)
    return vf.make_record(
        enterprises,
        inspectors,
        recusals,
        engine_params(ex["params"]),
        bytes.fromhex(ex["seed"]),
        ex["salt"],
        format3=False,
    )


def test_records_of_formats_1_and_2_verify_as_before() -> None:
    tool = vf.load_tool()
    format2 = _format2()
    assert format2["format"] == "jointcheck-draw-record" and "input_hash" not in format2
    format1 = copy.deepcopy(format2)
    del format1["amendments"]
    for record in (format1, format2):
        assert verify_record(record) == [] and tool.verify(record) == []
    # A record claiming format 3 must carry its input hash.
    claimed = {**format2, "format": 3}
    for found in (verify_record(claimed), tool.verify(claimed)):
        assert found[0].startswith("malformed record"), found


def test_a_format_3_record_passed_off_as_format_2_fails_against_the_published_hash() -> None:
    record = worked_record()
    published = {"commitment": record["commitment"], "input_hash": record["input_hash"]}
    downgraded = copy.deepcopy(record)
    del downgraded["input_hash"]
    downgraded["format"] = "jointcheck-draw-record"
    downgraded["enterprises"][0]["risk"] = "B"
    tool = vf.load_tool()
    assert tool.verify(record, published) == []
    assert tool.verify(downgraded, published)[0].startswith("input_hash: record has null")


def test_the_public_record_leaves_out_personal_remarks_and_verifies() -> None:
    record = vf.varied_record(4)
    record["status"], record["void_reason"] = "voided", "张三 回避"
    assert {"by", "reason", "cause"} <= set().union(*record["amendments"])
    public = draw_record.public_record(record)
    assert "void_reason" not in public and "张三" not in json.dumps(public, ensure_ascii=False)
    assert not {"by", "reason", "cause"} & set().union(*public["amendments"])
    assert record["void_reason"] == "张三 回避"  # the original is left alone
    assert verify_record(public) == [] and vf.load_tool().verify(public) == []


def _run_tool(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(vf.TOOL), str(path), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_tool_compares_the_values_announced_at_the_freeze(tmp_path: Path) -> None:
    record = worked_record()
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    upper = record["input_hash"].upper()
    done = _run_tool(path, "--commitment", record["commitment"], "--input-hash", upper)
    assert (done.returncode, done.stdout.strip()) == (0, "一致 / consistent")
    done = _run_tool(path, "--input-hash", "0" * 64)
    assert done.returncode == 1
    assert done.stdout.startswith("不一致 / inconsistent: input_hash: record has")


async def test_the_freeze_notice_carries_the_input_hash(app) -> None:  # type: ignore[no-untyped-def]
    app.core.policy = replace(app.core.policy, announce_chats=(("telegram", "-1001"),))
    await fx.build(app)
    await af.coordinator(app)
    plan_id = await fx.plan(app)
    await say(app, "coord", f"/draw {plan_id}")
    await say(app, "coord", button="f:draw:freeze")
    async with unit_of_work(app.sessions, write=False) as session:
        draw = await session.scalar(select(Draw))
    notices = await af.messages(app, "draw.frozen")
    assert draw is not None and draw.input_hash is not None
    assert [m.payload["params"]["input_hash"] for m in notices] == [draw.input_hash]
    assert notices[0].payload["params"]["commitment"] == draw.commitment
