"""Files as they come: encodings, XLSX, and the files that must be refused untouched."""

from __future__ import annotations

import os
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from handlers.core.i18n import t
from services.common.errors import InvalidInput
from tests.helpers import row_counts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    code,
    counts,
    csv_bytes,
    enterprise_row,
    enterprise_rows,
    enterprises,
    run_import,
    write_csv,
    write_xlsx,
)


@pytest.mark.parametrize("form", ["utf-8", "utf-8-sig", "gbk", "gb18030", "xlsx"])
async def test_the_same_enterprises_in_every_encoding_import_to_identical_rows(
    app, tmp_path: Path, form: str
) -> None:
    rows = enterprise_rows(6)
    reference = write_csv(tmp_path / "ref.csv", ENTERPRISE_HEADER, rows)
    if form == "xlsx":
        path = write_xlsx(tmp_path / "list.xlsx", ENTERPRISE_HEADER, rows)
    else:
        path = write_csv(tmp_path / "list.csv", ENTERPRISE_HEADER, rows, form)
    report = await run_import(app, path)
    assert counts(report)["added"] == 6 and report.applied
    imported = await enterprises(app)
    assert imported[0][1] == "乐都区测试1商贸有限公司"
    assert imported[0][9] in "ABCD" and imported[0][10] == "active"
    # The UTF-8 file imports back as unchanged: the rows are identical.
    again = await run_import(app, reference, dry_run=True)
    assert counts(again)["unchanged"] == 6 and again.problem_count == 0


async def test_xlsx_numbers_and_dates_read_as_the_clerk_sees_them(app, tmp_path: Path) -> None:
    rows = [
        enterprise_row(1, 最近检查日期=datetime(2024, 5, 1, tzinfo=None), 联系电话=13900000001),  # type: ignore[arg-type]  # noqa: DTZ001 (Excel has no zones)
        enterprise_row(2, 最近检查日期=45413),  # type: ignore[arg-type]  # an Excel serial
        enterprise_row(3, 最近检查日期=date(2024, 5, 3)),  # type: ignore[arg-type]
    ]
    report = await run_import(app, write_xlsx(tmp_path / "x.xlsx", ENTERPRISE_HEADER, rows))
    assert report.problem_count == 0, report.problems
    dates = [r[11] for r in await enterprises(app)]
    assert dates == [date(2024, 5, 1), date(2024, 5, 1), date(2024, 5, 3)]


async def test_a_title_row_above_the_header_is_skipped(app, tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    body = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2), "utf-8-sig")
    path.write_bytes("乐都区检查对象名录库（2026年）\n".encode("utf-8-sig") + body[3:])
    report = await run_import(app, path, kind=None)
    assert report.kind == "enterprises" and report.added == 2


async def test_blank_rows_are_skipped_and_unknown_columns_are_named(app, tmp_path: Path) -> None:
    rows = [[*enterprise_row(1), "1"], [""] * 13, [" "] * 13, [*enterprise_row(2), "2"]]
    header = [*ENTERPRISE_HEADER, "统计序号"]
    report = await run_import(app, write_csv(tmp_path / "b.csv", header, rows))
    assert counts(report)["added"] == 2 and report.rows == 2
    assert report.ignored_columns == ["统计序号"]


async def _refused(app, path: Path, key: str, **params: object) -> InvalidInput:  # type: ignore[no-untyped-def]
    before = await row_counts(app)
    with pytest.raises(InvalidInput) as caught:
        await run_import(app, path)
    assert caught.value.key == key
    for name, value in params.items():
        assert caught.value.params[name] == value
    assert await row_counts(app) == before
    return caught.value


async def test_an_empty_file_is_refused(app, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    await _refused(app, tmp_path / "empty.csv", "import.empty_file")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n")
    await _refused(app, tmp_path / "bom.csv", "import.empty_file")


async def test_a_header_without_rows_is_refused(app, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "header.csv", ENTERPRISE_HEADER, [])
    await _refused(app, path, "import.no_rows")


async def test_missing_required_columns_are_named(app, tmp_path: Path) -> None:
    header = [h for h in ENTERPRISE_HEADER if h not in ("统一社会信用代码", "信用风险等级")]
    rows = [
        [c for h, c in zip(ENTERPRISE_HEADER, r, strict=True) if h in header]
        for r in enterprise_rows(2)
    ]
    path = write_csv(tmp_path / "m.csv", header, rows)
    error = await _refused(app, path, "import.missing_columns")
    message = t("zh", error.key, **error.params)
    assert "统一社会信用代码" in message and "信用风险等级" in message


async def test_a_20_mb_random_binary_named_xlsx_is_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(random.Random(3).randbytes(20 * 1024 * 1024))
    error = await _refused(app, path, "import.bad_xlsx")
    assert "Excel" in t("en", error.key, **error.params)


async def test_a_random_binary_named_csv_is_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(os.urandom(4096) + b"\0")
    await _refused(app, path, "import.binary")


async def test_a_csv_mixing_encodings_is_refused(app, tmp_path: Path) -> None:
    utf8 = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2), "utf-8")
    gbk = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(2, start=3), "gbk").split(b"\r\n", 1)[1]
    path = tmp_path / "mixed.csv"
    path.write_bytes(utf8 + gbk)
    error = await _refused(app, path, "import.mixed_encoding")
    assert error.params == {"utf8": 1, "other": 4}


async def test_an_old_xls_file_is_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    await _refused(app, path, "import.old_xls")


async def test_an_xlsx_with_a_formula_is_refused_naming_the_cell(app, tmp_path: Path) -> None:
    rows = enterprise_rows(3)
    rows[1][0] = '=HYPERLINK("http://example.com","点我")'
    path = write_xlsx(tmp_path / "f.xlsx", ENTERPRISE_HEADER, rows)
    before = await row_counts(app)
    report = await run_import(app, path)
    assert not report.applied and report.added == 2
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (3, "企业名称", "import.reason.formula")
    ]
    assert await row_counts(app) == before


async def test_a_100000_character_cell_is_refused_not_stored(app, tmp_path: Path) -> None:
    rows = enterprise_rows(3)
    rows[2][3] = "长" * 100_000
    before = await row_counts(app)
    report = await run_import(app, write_csv(tmp_path / "long.csv", ENTERPRISE_HEADER, rows))
    assert not report.applied
    (problem,) = report.problems
    assert (problem.row, problem.column, problem.key) == (4, "住所", "import.reason.cell_too_long")
    assert problem.params["length"] == 100_000 and len(problem.value) < 50
    assert "100000" in t("zh", problem.key, **problem.params)
    assert await row_counts(app) == before


async def test_duplicate_keys_inside_one_file_are_refused(app, tmp_path: Path) -> None:
    rows = [*enterprise_rows(3), enterprise_row(2, 企业名称="另一家公司")]
    before = await row_counts(app)
    report = await run_import(app, write_csv(tmp_path / "dup.csv", ENTERPRISE_HEADER, rows))
    assert not report.applied
    (problem,) = report.problems
    assert (problem.row, problem.value, problem.key) == (5, code(2), "import.reason.duplicate")
    assert problem.params == {"row": 3}
    assert await row_counts(app) == before


async def test_a_row_with_more_cells_than_the_header_is_refused(app, tmp_path: Path) -> None:
    rows = enterprise_rows(2)
    rows[0] = [*rows[0][:3], "海东市乐都区", *rows[0][3:]]  # an unquoted comma in the address
    report = await run_import(app, write_csv(tmp_path / "shift.csv", ENTERPRISE_HEADER, rows))
    assert not report.applied
    assert report.problems[0].key == "import.reason.extra_cells"


async def test_a_csv_changing_encoding_after_its_first_megabyte_is_refused(
    app, tmp_path: Path
) -> None:
    utf8 = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(9000), "utf-8")
    assert len(utf8) > 1 << 20
    gbk = csv_bytes(ENTERPRISE_HEADER, enterprise_rows(3, 9001), "gbk").split(b"\r\n", 1)[1]
    path = tmp_path / "late.csv"
    path.write_bytes(utf8 + gbk)
    error = await _refused(app, path, "import.encoding_changes")
    assert error.params["line"] > 8000
