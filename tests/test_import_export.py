"""Exports import back unchanged; formulas are neutralised; templates are valid examples."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.core.db import unit_of_work
from services.directory.imports import KINDS, exporter
from services.directory.imports.columns import SPECS
from services.directory.imports.schemas import ColumnValidator
from services.directory.imports.writers import neutralise, unneutralise
from tests.helpers import load_demo
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    counts,
    enterprise_row,
    enterprises,
    run_import,
    write_csv,
)


async def _export(app, kind: str, path: Path) -> int:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions, write=False) as session:
        return await exporter.export_kind(session, None, kind, path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
async def test_every_export_imports_back_unchanged(app, tmp_path: Path, suffix: str) -> None:
    await load_demo(app)
    expected = {"departments": 8, "items": 20, "enterprises": 300, "inspectors": 40}
    for kind in KINDS:
        path = tmp_path / f"{kind}{suffix}"
        written = await _export(app, kind, path)
        assert written == expected.get(kind, written) and written > 0
        report = await run_import(app, path, kind=None)
        assert report.kind == kind
        assert counts(report) == {
            "rows": written, "added": 0, "updated": 0, "unchanged": written,
            "deactivated": 0, "rejected": 0,
        }, (kind, report.problems[:3])  # fmt: skip


async def test_a_formula_cell_is_neutralised_in_the_csv_and_round_trips(
    app, tmp_path: Path
) -> None:
    hyperlink = '=HYPERLINK("http://evil.example","点我")'
    rows = [enterprise_row(1, 企业名称=hyperlink), enterprise_row(2, 联系人="@SUM(A1)")]
    await run_import(app, write_csv(tmp_path / "in.csv", ENTERPRISE_HEADER, rows))
    stored = await enterprises(app)
    assert stored[0][1] == hyperlink  # the text is kept as text
    out = tmp_path / "out.csv"
    await _export(app, "enterprises", out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[1][0] == "'" + hyperlink
    assert lines[2][7] == "'@SUM(A1)"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)
    assert counts(await run_import(app, out))["unchanged"] == 2
    xlsx = tmp_path / "out.xlsx"
    await _export(app, "enterprises", xlsx)
    sheet = load_workbook(xlsx).active
    assert sheet["A2"].value == "'" + hyperlink and sheet["A2"].data_type == "s"
    assert counts(await run_import(app, xlsx))["unchanged"] == 2


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=x", "plain"])
def test_neutralise_round_trips(value: str) -> None:
    assert unneutralise(neutralise(value)) == value
    assert not neutralise(value).startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("kind", KINDS)
def test_each_template_has_the_headers_and_a_valid_example(tmp_path: Path, kind: str) -> None:
    spec = SPECS[kind]
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"{kind}{suffix}"
        exporter.write_template(kind, path)
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as f:
                header, example = list(csv.reader(f))
        else:
            sheet = load_workbook(path).active
            header, example = ([c or "" for c in row] for row in sheet.iter_rows(values_only=True))
        assert header == [c.header for c in spec.columns]
    for column, cell in zip(spec.columns, example, strict=True):
        if column.info:
            continue
        field = spec.model.model_fields[column.field]
        _, refused = ColumnValidator(field.rebuild_annotation()).validate([cell or None])
        assert not refused, (column.header, cell)


async def test_the_template_imports(app, tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    exporter.write_template("enterprises", path)
    assert (await run_import(app, path, kind=None)).added == 1
