"""The frozen lists of a draw: packed into the draw row, read back, or kept in memory."""

from __future__ import annotations

import json
import zlib

import pytest

from handlers.core.db import unit_of_work
from services.draw import freeze as draws
from services.draw import record as draw_record
from services.draw import run, snapshot
from services.draw.eligibility import Eligibility
from services.draw.engine import InspectorIn
from tests import draw_fixture as fx


def _lists() -> Eligibility:
    return Eligibility(
        entries={
            "A": "91630202000000001X\t1\n91630202000000002Y\t",
            "B": "",
            "C": "91630202000000003Z\t2",
            "D": "",
        },
        departments_by_key={"1": ["SCJG"], "2": ["SCJG", "WSJ"], "": ["SCJG"]},
        inspectors=[InspectorIn("C1", "SCJG", False), InspectorIn("C2", "WSJ", True)],
        recusals=[("C1", "91630202000000003Z")],
        plan_departments=["SCJG", "WSJ"],
    )


def _same(a: Eligibility, b: Eligibility) -> None:
    assert a.entries == b.entries
    assert a.codes_by_risk() == b.codes_by_risk()
    assert a.departments_by_key == b.departments_by_key
    assert a.inspectors == b.inspectors
    assert a.recusals == b.recusals


def test_codes_and_departments_come_from_the_joined_lines() -> None:
    lists = _lists()
    assert lists.codes_by_risk() == {
        "A": ["91630202000000001X", "91630202000000002Y"],
        "B": [],
        "C": ["91630202000000003Z"],
        "D": [],
    }
    wanted = {"91630202000000002Y", "91630202000000003Z", "not-eligible"}
    assert lists.departments_of(wanted) == {
        "91630202000000002Y": ("SCJG",),
        "91630202000000003Z": ("SCJG", "WSJ"),
    }


def test_a_type_without_items_of_its_own_gets_the_departments_of_general_items() -> None:
    lists = _lists()
    lists.entries["B"] = "91630202000000004A\t7"
    assert lists.departments_of({"91630202000000004A"}) == {"91630202000000004A": ("SCJG",)}


def test_pack_and_unpack_give_back_the_same_lists() -> None:
    _same(snapshot.unpack(snapshot.pack(_lists())), _lists())


def test_compressing_alongside_other_work_gives_the_same_blob_and_its_result() -> None:
    blob, result = snapshot.pack_alongside(_lists(), lambda: sorted(["b", "a"]))
    assert result == ["a", "b"]
    _same(snapshot.unpack(blob), _lists())


def test_a_snapshot_of_format_2_is_still_read() -> None:
    # Format 2 held each class's bare codes before its lines.
    lists = _lists()
    lists.entries["B"] = "91630202000000004A\t7"  # a type without items of its own
    header = {
        "format": 2,
        "departments_by_type": lists.departments_by_key,
        "inspectors": [[i.cert, i.department, i.expert] for i in lists.inspectors],
        "recusals": [list(p) for p in lists.recusals],
    }
    sections = [json.dumps(header, ensure_ascii=False).encode()]
    for risk in "ABCD":
        sections.append("\n".join(lists.codes_by_risk()[risk]).encode())
        sections.append(lists.entries[risk].encode())
    old = snapshot.unpack(zlib.compress(b"\x00".join(sections)))
    _same(old, lists)
    # As drawn then, so that those draws recompute: such a type got no departments.
    assert old.departments_of({"91630202000000004A"}) == {"91630202000000004A": ()}


def test_an_unknown_snapshot_format_is_refused() -> None:
    blob = zlib.compress(json.dumps({"format": 99}).encode() + b"\x00" * 4)
    with pytest.raises(ValueError, match="format"):
        snapshot.unpack(blob)


async def test_lists_kept_from_the_freeze_are_those_stored_and_draw_the_same(app) -> None:
    await fx.build(app, recusals=[("X01", 1)])
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen, kept = await draws.freeze_keeping_lists(session, None, plan_id, app.clock.now())
    assert kept.matches(frozen)
    _same(kept.lists, snapshot.unpack(frozen.snapshot_blob))
    async with unit_of_work(app.sessions) as session:
        drawn = await run.execute(session, None, frozen.id, "8848", app.clock.now(), kept)
    async with unit_of_work(app.sessions, write=False) as session:
        record = await draw_record.export_record(session, drawn.id)
    # The record is rebuilt from the stored snapshot and recomputed from scratch.
    assert record["result"] and draw_record.verify(record) == []


async def test_lists_of_another_draw_are_ignored(app) -> None:
    await fx.build(app)
    plan_id = await fx.plan(app)
    async with unit_of_work(app.sessions) as session:
        frozen = await draws.freeze(session, None, plan_id, app.clock.now())
    empty = Eligibility({r: "" for r in "ABCD"}, {}, [], [], [])
    stale = draws.Frozen(frozen.id, "00" * 32, empty)  # same id, another seed
    assert not stale.matches(frozen)
    async with unit_of_work(app.sessions) as session:
        drawn = await run.execute(session, None, frozen.id, "", app.clock.now(), stale)
    async with unit_of_work(app.sessions, write=False) as session:
        record = await draw_record.export_record(session, drawn.id)
    assert record["result"] and draw_record.verify(record) == []
