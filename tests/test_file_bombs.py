"""Files built to exhaust the importer are refused, in bounded work and memory, changing nothing.

Each bomb goes through the import as the command line and the chat run it. The worker that
reads the file reports its peak memory; a CPU budget far below what reading the rows would
cost (a minute and more for a row numbered 1,048,576 before) shows that each refusal comes
from the bounds check, before the rows are read.
"""

from __future__ import annotations

import asyncio
import struct
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from services.common.errors import InvalidInput
from services.directory.imports import Limits, Options, Usage, import_file, parallel
from tests.helpers import row_counts, say, texts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    SHEET_HEAD,
    SHEET_TAIL,
    STRINGS_HEAD,
    STRINGS_TAIL,
    enterprise_row,
    enterprise_rows,
    enterprise_sheet,
    user,
    write_raw_xlsx,
    xml_row,
)
from tests.test_import_chat import send_file

MB = 2**20
BUDGET = Limits(check_seconds=10)  # reading the rows of any of these bombs costs far more
CEILING_MB = 300  # the worker's peak memory while it refuses a bomb


async def _refused(
    app: App, path: Path, key: str, limits: Limits = BUDGET
) -> tuple[InvalidInput, Usage]:
    """Import `path` on the command line's side; it must be refused with `key`, unchanged."""
    before = await row_counts(app)
    usage = Usage()
    with pytest.raises(InvalidInput) as caught:
        async with unit_of_work(app.sessions) as session:
            await import_file(
                session, None, "enterprises", path, app.clock.now(), limits=limits, usage=usage
            )
    assert caught.value.key == key, caught.value.params
    assert usage.peak_mb is not None and usage.peak_mb < CEILING_MB
    assert await row_counts(app) == before
    return caught.value, usage


def _empty_rows(count: int) -> Iterator[str]:
    yield SHEET_HEAD
    yield xml_row(1, ENTERPRISE_HEADER)
    for start in range(2, count + 2, 10_000):
        yield "".join(f'<row r="{n}"/>' for n in range(start, min(start + 10_000, count + 2)))
    yield SHEET_TAIL


def _one_cell(pieces: Iterator[bytes], *, shared: bool = False) -> Iterator[str | bytes]:
    """A sheet with the header and one row whose first cell is the pieces (or string 0)."""
    yield SHEET_HEAD
    yield xml_row(1, ENTERPRISE_HEADER)
    if shared:
        yield '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    else:
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from pieces
        yield "</t></is></c></row>"
    yield SHEET_TAIL


def _megabytes(count: int, byte: bytes = b"A") -> Iterator[bytes]:
    for _ in range(count):
        yield byte * MB


@pytest.mark.parametrize("row", [1_048_576, 50_000_000])
async def test_a_second_row_numbered_far_down_is_refused(app, tmp_path: Path, row: int) -> None:
    rows = enterprise_sheet([enterprise_row(1)], [row])
    path = write_raw_xlsx(tmp_path / "gap.xlsx", rows)
    assert path.stat().st_size < 2500  # the file had 2,273 bytes
    key = "import.blank_rows" if row <= BUDGET.max_rows else "import.too_many_rows"
    error, _ = await _refused(app, path, key)
    assert "未导入" in t("zh", error.key, **error.params)


async def test_two_million_empty_rows_are_refused(app, tmp_path: Path) -> None:
    path = write_raw_xlsx(tmp_path / "empty.xlsx", _empty_rows(2_000_000))
    error, _ = await _refused(app, path, "import.blank_rows")
    assert error.params == {"row": 2, "limit": BUDGET.max_blank_rows}


async def test_two_million_empty_lines_of_csv_are_refused(app, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(",".join(ENTERPRISE_HEADER).encode() + b"\r\n" * 2_000_001)
    error, _ = await _refused(app, path, "import.blank_rows")
    assert error.params == {"row": 2, "limit": BUDGET.max_blank_rows}


async def test_a_csv_line_of_64_mb_is_refused_without_being_held(app, tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    with path.open("wb") as f:
        f.write(",".join(ENTERPRISE_HEADER).encode() + b"\r\n")
        for piece in _megabytes(64):
            f.write(piece)
    error, usage = await _refused(app, path, "import.line_too_long")
    assert error.params == {"line": 2, "limit": BUDGET.line_bytes}
    assert usage.peak_mb is not None and usage.peak_mb < 64


async def test_a_200_mb_cell_is_refused_for_the_size_of_its_sheet(app, tmp_path: Path) -> None:
    path = write_raw_xlsx(tmp_path / "cell.xlsx", _one_cell(_megabytes(200)))
    assert path.stat().st_size < 250_000  # the file had 197 KB
    error, _ = await _refused(app, path, "import.xlsx_part_too_big")
    assert error.params == {"part": "xl/worksheets/sheet1.xml", "size": 201, "limit": 64}


async def test_a_200_mb_cell_is_refused_by_the_cell_limit_without_being_held(
    app, tmp_path: Path
) -> None:
    # With the size and ratio checks out of the way, the streaming count alone stops it.
    generous = Limits(check_seconds=10, max_part_mb=1024, max_zip_ratio=10**6)
    path = write_raw_xlsx(tmp_path / "cell.xlsx", _one_cell(_megabytes(200)))
    tracemalloc.start()
    try:
        error, usage = await _refused(app, path, "import.cell_too_big", generous)
        _, main_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.params == {"row": 2, "limit": generous.max_cell_chars}
    assert usage.peak_mb is not None and usage.peak_mb < 100  # far below the 200 MB cell
    assert main_peak < 20 * MB  # this process never opened the file


async def test_a_shared_strings_bomb_is_refused_for_its_size(app, tmp_path: Path) -> None:
    strings = [STRINGS_HEAD, *(b"<si><t>x</t></si>" * 100_000 for _ in range(50)), STRINGS_TAIL]
    path = write_raw_xlsx(tmp_path / "sst.xlsx", _one_cell(iter(()), shared=True), strings)
    error, _ = await _refused(app, path, "import.xlsx_part_too_big")
    assert error.params["part"] == "xl/sharedStrings.xml" and error.params["size"] == 82


async def test_shared_strings_no_cell_could_use_are_refused(app, tmp_path: Path) -> None:
    # Within the size and ratio limits (a 1 MB file), but openpyxl would hold all 300,000
    # strings for the one cell that refers to a shared string.
    distinct = (
        "".join(f"<si><t>名称{n:08x}</t></si>" for n in range(start, start + 10_000))
        for start in range(0, 300_000, 10_000)
    )
    strings = [STRINGS_HEAD, *distinct, STRINGS_TAIL]
    path = write_raw_xlsx(tmp_path / "sst.xlsx", _one_cell(iter(()), shared=True), strings)
    error, _ = await _refused(app, path, "import.xlsx_strings")
    assert error.params == {"limit": 1}


async def test_one_shared_string_of_200_mb_in_small_runs_is_refused(app, tmp_path: Path) -> None:
    # Rich text: many short runs that openpyxl would join into one 200 MB string.
    run = b"<r><t>" + b"A" * 1000 + b"</t></r>"
    runs = (run * (MB // len(run)) for _ in range(200))
    strings = [STRINGS_HEAD, "<si>", *runs, "</si>", STRINGS_TAIL]
    generous = Limits(check_seconds=10, max_part_mb=1024, max_zip_ratio=10**6)
    path = write_raw_xlsx(tmp_path / "sst.xlsx", _one_cell(iter(()), shared=True), strings)
    error, _ = await _refused(app, path, "import.cell_too_big", generous)
    assert error.params["limit"] == generous.max_cell_chars


async def test_a_zip_ratio_bomb_is_refused(app, tmp_path: Path) -> None:
    # 60 MB of spaces between the rows: within the size limit, compressed a thousandfold.
    sheet = [SHEET_HEAD, xml_row(1, ENTERPRISE_HEADER), *_megabytes(60, b" "), SHEET_TAIL]
    path = write_raw_xlsx(tmp_path / "ratio.xlsx", sheet)
    error, _ = await _refused(app, path, "import.xlsx_ratio")
    assert error.params["ratio"] > 1000 and error.params["limit"] == BUDGET.max_zip_ratio


async def test_a_part_larger_than_its_declared_size_is_never_inflated_past_it(
    app, tmp_path: Path
) -> None:
    path = tmp_path / "lying.xlsx"
    rows = enterprise_rows(20_000)
    write_raw_xlsx(path, enterprise_sheet(rows))
    data = bytearray(path.read_bytes())
    # The central directory's record of the sheet: its uncompressed size, 1 KB instead.
    name = b"xl/worksheets/sheet1.xml"
    at = data.rindex(b"PK\x01\x02", 0, data.rindex(name))
    assert struct.unpack_from("<I", data, at + 24)[0] > 10 * MB
    struct.pack_into("<I", data, at + 24, 1024)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name.decode()).file_size == 1024
    await _refused(app, path, "import.bad_xlsx")


async def test_a_bomb_sent_in_chat_holds_no_lock_another_user_waits_for(
    app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await user(app, "coord", "coordinator")
    await user(app, "insp", "inspector")
    before = await row_counts(app)
    gap = enterprise_sheet([enterprise_row(1)], [1_048_576])
    bomb = write_raw_xlsx(tmp_path / "gap.xlsx", gap).read_bytes()
    # Seen at the process boundary: the moment the checking worker has been started.
    checking = asyncio.Event()
    spawn = asyncio.create_subprocess_exec

    async def spawned(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await spawn(*args, **kwargs)
        checking.set()
        return process

    monkeypatch.setattr(parallel.asyncio, "create_subprocess_exec", spawned)
    importing = asyncio.create_task(send_file(app, "coord", "名录.xlsx", bomb, "/import"))
    await checking.wait()
    answer = await say(app, "insp", "/whoami")
    # Answered while the check still runs: had it held SQLite's write lock, /whoami
    # (BEGIN IMMEDIATE) would have waited for it to finish.
    assert "insp" in texts(answer) and not importing.done()
    refused = texts(await importing)
    assert "连续的空行" in refused and "10000" in refused
    assert await row_counts(app) == before


async def test_a_bomb_on_the_command_line_is_refused_before_the_transaction(
    cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = write_raw_xlsx(tmp_path / "gap.xlsx", enterprise_sheet([enterprise_row(1)], [1_048_576]))
    refused = cli("import", "enterprises", str(path))
    assert refused.returncode == 1
    assert "连续的空行" in refused.stderr


async def test_the_declared_dimension_is_held_to_the_limits(app, tmp_path: Path) -> None:
    head = SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:XFD2"/><sheetData>')
    sheet = [head, xml_row(1, ENTERPRISE_HEADER), xml_row(2, enterprise_row(1)), SHEET_TAIL]
    error, _ = await _refused(
        app, write_raw_xlsx(tmp_path / "d.xlsx", sheet), "import.too_many_columns"
    )
    assert error.params == {"cell": "XFD2", "limit": BUDGET.max_columns}


async def test_a_file_within_the_limits_imports(app, tmp_path: Path) -> None:
    # The streamed sheet the bombs are made of, well formed, imports like any other.
    path = write_raw_xlsx(tmp_path / "ok.xlsx", enterprise_sheet(enterprise_rows(3)))
    async with unit_of_work(app.sessions) as session:
        report = await import_file(
            session, None, None, path, app.clock.now(), options=Options(), limits=BUDGET
        )
    assert report.kind == "enterprises" and report.added == 3 and report.applied
