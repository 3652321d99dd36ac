"""Property tests of the file readers: any CSV or XLSX gives rows or a domain refusal.

Bytes of any kind, tables in any encoding, and XLSX files built from random rows, cells,
row numbers and shared strings (then damaged byte by byte) are read to their end within
small limits: the readers return rows whose text a database can store, or refuse the file
with a `DomainError`, never anything else. Through the whole import (worker process and
database), a refused file changes no row. The profile ("ci" by default, "long" with
HYPOTHESIS_PROFILE=long) is in tests/hypothesis_profiles.py.
"""

from __future__ import annotations

import asyncio
import csv
import io
from contextlib import suppress
from pathlib import Path
from tempfile import TemporaryDirectory
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from bot.app import build_app
from handlers.core.db import unit_of_work
from services.common.clock import ManualClock
from services.common.errors import DomainError
from services.directory.imports import Limits, Options, import_file
from services.directory.imports.formats import open_table
from services.directory.imports.sheetscan import column_number
from tests.helpers import row_counts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    SHEET_HEAD,
    SHEET_TAIL,
    STRINGS_HEAD,
    STRINGS_TAIL,
    enterprise_row,
    write_raw_xlsx,
)

SMALL = Limits(max_rows=200, max_columns=30, max_blank_rows=20, max_part_mb=1, max_cell_chars=3000)
EXAMPLES = settings.default.max_examples
# Text a clerk's list may hold, and text it should not.
ODD = ["乐都区", "'=1+1", '"', "", " ", "\r", "\n", "\t", ";", "_x0000_", "_xD800_", "\x00", "…"]
CELL = st.one_of(st.sampled_from(ODD), st.text(max_size=20), st.sampled_from(ENTERPRISE_HEADER))
ROWS = st.lists(st.lists(CELL, max_size=14), max_size=25)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "big5", "shift_jis", "utf-16", "latin-1"]


def _csv(rows: list[list[str]], encoding: str, delimiter: str, header: bool) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    if header:
        writer.writerow(ENTERPRISE_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="ignore")


CSV_FILES = st.one_of(
    st.binary(max_size=3000),
    st.builds(
        _csv, ROWS, st.sampled_from(ENCODINGS), st.sampled_from([",", "\t", ";"]), st.booleans()
    ),
    st.builds(bytes.__add__, st.builds(_csv, ROWS, st.just("utf-8"), st.just(","), st.just(True)),
              st.binary(max_size=200)),
)  # fmt: skip

# A cell: its reference (usually right), its type, its value as written in the XML.
REFS = st.one_of(
    st.builds(lambda c, r: f"{c}{r}", st.sampled_from(["A", "B", "L", "Z", "AD", "XFD", "a"]),
              st.integers(0, 3_000_000)),
    st.none(), st.text(max_size=4),
)  # fmt: skip
TYPES = st.sampled_from([None, "s", "inlineStr", "n", "b", "e", "str", "d"])
VALUES = st.one_of(CELL, st.integers(-5, 10**16).map(str), st.floats().map(str))
CELLS = st.lists(st.tuples(REFS, TYPES, VALUES, st.booleans()), max_size=8)
ROW_NUMBERS = st.one_of(st.integers(1, 3_000_000).map(str), st.none(), st.sampled_from(["0", "x"]))


def _cell(ref: str | None, kind: str | None, value: str, raw: bool) -> str:
    text = value if raw else escape(value)  # raw: characters XML does not allow, unescaped
    attrs = (f' r="{escape(ref)}"' if ref is not None else "") + (f' t="{kind}"' if kind else "")
    if kind == "inlineStr":
        return f"<c{attrs}><is><t>{text}</t></is></c>"
    if kind == "str":
        return f"<c{attrs}><f>A1&amp;1</f><v>{text}</v></c>"
    return f"<c{attrs}><v>{text}</v></c>"


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    """An XLSX of random rows and shared strings, sometimes damaged afterwards."""
    head = SHEET_HEAD
    if draw(st.booleans()):
        ref = draw(st.sampled_from(["A1:L20", "A1:XFD1048576", "A1", "bogus", "A1:L9000000"]))
        head = head.replace("<sheetData>", f'<dimension ref="{ref}"/><sheetData>')
    pieces = [head]
    if draw(st.booleans()):
        header = "".join(_cell(None, "inlineStr", h, False) for h in ENTERPRISE_HEADER)
        pieces.append(f'<row r="1">{header}</row>')
    for number, cells in draw(st.lists(st.tuples(ROW_NUMBERS, CELLS), max_size=12)):
        attr = f' r="{number}"' if number is not None else ""
        pieces.append(f"<row{attr}>{''.join(_cell(*cell) for cell in cells)}</row>")
    pieces.append(SHEET_TAIL)
    strings = draw(st.lists(CELL, max_size=8))
    shared = [STRINGS_HEAD, *(f"<si><t>{escape(s)}</t></si>" for s in strings), STRINGS_TAIL]
    with TemporaryDirectory() as folder:
        data = write_raw_xlsx(Path(folder) / "f.xlsx", pieces, shared).read_bytes()
    damage = draw(
        st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=3)
    )
    raw = bytearray(data)
    for at, byte in damage:
        raw[at] = byte
    return bytes(raw)


def _read_all(path: Path) -> list[list[str]]:
    """Every row of a file, or its refusal (a DomainError) - and nothing else."""
    rows: list[list[str]] = []
    with open_table(path, SMALL) as table:
        while batch := table.read(50):
            rows.extend(batch.cells)
        table.done()
    return rows


def _storable(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert "\x00" not in cell and not any("\ud800" <= c <= "\udfff" for c in cell)


@settings(max_examples=EXAMPLES)
@given(CSV_FILES)
def test_any_csv_gives_rows_or_a_refusal(data: bytes) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "list.csv"
        path.write_bytes(data)
        with suppress(DomainError):
            _storable(_read_all(path))


@settings(max_examples=max(10, EXAMPLES // 2))
@given(xlsx_files())
def test_any_xlsx_gives_rows_or_a_refusal(data: bytes) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / "list.xlsx"
        path.write_bytes(data)
        try:
            rows = _read_all(path)
        except DomainError:
            return
    _storable(rows)
    assert len(rows) <= SMALL.max_rows


def test_column_letters_count_like_excel() -> None:
    assert [column_number(c) for c in ("A", "Z", "AA", "IV", "XFD")] == [1, 26, 27, 256, 16384]


IMPORTS = st.one_of(
    CSV_FILES.map(lambda data: ("list.csv", data)),
    xlsx_files().map(lambda data: ("list.xlsx", data)),
    st.lists(st.integers(1, 40), max_size=6).map(
        lambda ns: ("ok.csv", _csv([enterprise_row(n) for n in ns], "utf-8", ",", True))
    ),
)


def test_a_refused_import_changes_no_row(
    db_url: str,
    settings_for,  # type: ignore[no-untyped-def]
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(build_app(settings_for(db_url), clock=clock))

    async def attempt(path: Path, kind: str | None, options: Options) -> None:
        before = await row_counts(app)
        try:
            async with unit_of_work(app.sessions) as session:
                await import_file(
                    session, None, kind, path, app.clock.now(), options=options, limits=SMALL
                )
        except DomainError:
            assert await row_counts(app) == before

    # Each import starts a worker process: a few examples here, the readers above take many.
    @settings(max_examples=max(5, EXAMPLES // 20))
    @given(IMPORTS, st.sampled_from([None, "enterprises", "inspectors"]), st.booleans())
    def imported(named: tuple[str, bytes], kind: str | None, skip: bool) -> None:
        path = tmp_path / named[0]
        path.write_bytes(named[1])
        loop.run_until_complete(attempt(path, kind, Options(skip_invalid=skip)))

    try:
        imported()
    finally:
        loop.run_until_complete(app.aclose())
        loop.close()
