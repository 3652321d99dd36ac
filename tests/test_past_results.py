"""Results of checks done before JointCheck, imported from a file: all rows or none."""

from __future__ import annotations

import argparse
import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import cli_past
from handlers.core.db import unit_of_work
from models.records import PastResult
from services.common.errors import DomainError
from services.records import past
from tests.helpers import row_counts
from tests.import_fixtures import code
from tests.past_fixture import MARCH, add_enterprises, csv_file, row, xlsx_file


async def _import(app, path: Path) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        return await past.import_results(session, None, path, app.clock.now())


async def _stored(app) -> list[PastResult]:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return list((await session.scalars(select(PastResult).order_by(PastResult.id))).all())


async def test_a_results_csv_is_imported_with_its_counts(app, tmp_path: Path) -> None:
    await add_enterprises(app, 1, 2)
    rows = [row(1), row(2, c2="2026/4/1", c3="no_problem", c4=0, c5=0, c6="")]
    assert await _import(app, csv_file(tmp_path / "r.csv", rows)) == 2
    first, second = await _stored(app)
    assert (first.checked_on, first.categories) == (MARCH, "corrected")
    assert (first.problems, first.notices, first.cases) == (3, 2, 1)
    assert (second.checked_on, second.categories, second.cases) == (
        date(2026, 4, 1),
        "no_problem",
        0,
    )


async def test_a_results_xlsx_with_several_categories(app, tmp_path: Path) -> None:
    await add_enterprises(app, 1)
    rows = [row(1, c2=date(2026, 5, 6), c3="未按规定公示应当公示的信息、corrected")]
    assert await _import(app, xlsx_file(tmp_path / "r.xlsx", rows)) == 1
    (stored,) = await _stored(app)
    assert (stored.checked_on, stored.categories) == (date(2026, 5, 6), "undisclosed,corrected")


@pytest.mark.parametrize(
    ("bad", "key"),
    [
        ({"c0": "91630202000000001X"}, "past.bad_code"),
        ({"c0": code(9)}, "past.unknown_enterprise"),
        ({"c2": "2026-02-30"}, "past.bad_date"),
        ({"c2": "2027-01-05"}, "past.bad_date"),  # after today
        ({"c4": -1}, "past.bad_count"),
        ({"c3": "优秀"}, "past.bad_category"),
    ],
)
async def test_one_bad_row_refuses_the_file_and_writes_nothing(
    app, tmp_path: Path, bad: dict[str, object], key: str
) -> None:
    await add_enterprises(app, 1, 2)
    path = csv_file(tmp_path / "r.csv", [row(1), row(2, **bad)])
    before = await row_counts(app)
    with pytest.raises(DomainError) as refused:
        await _import(app, path)
    assert refused.value.key == key and refused.value.params["row"] == 3
    assert await row_counts(app) == before


async def test_a_file_without_a_needed_column_is_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("统一社会信用代码,抽查计划\n" + code(1) + ",p\n", encoding="utf-8")
    with pytest.raises(DomainError, match=r"past\.missing_column"):
        await _import(app, path)


async def test_the_same_file_is_not_imported_twice(app, tmp_path: Path) -> None:
    await add_enterprises(app, 1)
    path = csv_file(tmp_path / "r.csv", [row(1)])
    await _import(app, path)
    before = await row_counts(app)
    with pytest.raises(DomainError, match=r"past\.already_imported"):
        await _import(app, path)
    assert await row_counts(app) == before


async def test_the_command_prints_the_number_imported_last(app, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    await add_enterprises(app, 1, 2)
    path = csv_file(tmp_path / "r.csv", [row(1), row(2)])
    status = await cli_past.run_import_results(app, argparse.Namespace(file=path))
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 0
    assert lines[-1] == "2" and "已导入 2 条" in lines[0] and "2 past results imported" in lines[0]


async def test_the_command_refuses_in_one_sentence(app, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    status = await cli_past.run_import_results(
        app, argparse.Namespace(file=tmp_path / "missing.csv")
    )
    out = capsys.readouterr().out.strip()
    assert status == 1
    assert out == (
        "无法读取文件 missing.csv，未导入任何结果。 / "
        "Cannot read the file missing.csv; nothing was imported."
    )


def test_import_results_on_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").returncode == 0
    listed = cli("export", "enterprises", str(tmp_path / "e.csv"))
    assert listed.returncode == 0, listed.stdout + listed.stderr
    with (tmp_path / "e.csv").open(encoding="utf-8-sig", newline="") as f:
        credit = next(csv.DictReader(f))["统一社会信用代码"]
    path = csv_file(tmp_path / "r.csv", [row(1, c0=credit)])
    done = cli("import", "results", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "1"
    again = cli("import", "results", str(path))
    assert again.returncode == 1 and "Traceback" not in again.stderr
