"""The checking worker's budget: a file within the bounds that still costs too much is stopped.

CPU time and address space are capped in the worker itself (the kernel enforces them); a
worker silent for twice its CPU budget is killed by the importing process. Each way the
file is refused with the budget named, and nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from services.common.errors import InvalidInput
from services.directory.imports import Limits, Usage, import_file
from services.directory.imports.xlsx import check_xlsx
from tests.helpers import row_counts
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    SHEET_HEAD,
    SHEET_TAIL,
    STRINGS_HEAD,
    STRINGS_TAIL,
    csv_bytes,
    enterprise_row,
    write_raw_xlsx,
    xml_row,
)


async def _refused(app, path: Path, limits: Limits, key: str) -> InvalidInput:  # type: ignore[no-untyped-def]
    before = await row_counts(app)
    usage = Usage()
    with pytest.raises(InvalidInput) as caught:
        async with unit_of_work(app.sessions) as session:
            await import_file(
                session, None, "enterprises", path, app.clock.now(), limits=limits, usage=usage
            )
    assert caught.value.key == key, caught.value.params
    assert usage.peak_mb is None  # the worker did not get to say anything
    assert await row_counts(app) == before
    return caught.value


async def test_a_worker_over_its_cpu_time_is_stopped(app, tmp_path: Path) -> None:
    # 100,000 rows repeating one code: checking them all takes several CPU seconds.
    path = tmp_path / "long.csv"
    path.write_bytes(csv_bytes(ENTERPRISE_HEADER, [enterprise_row(1)] * 100_000))
    error = await _refused(app, path, Limits(check_seconds=1), "import.check_cpu")
    assert error.params == {"seconds": 1}
    assert "1 秒" in t("zh", error.key, **error.params)


def _shared_cells(count: int) -> Iterator[str]:
    """A sheet whose every cell holds a shared string of its own."""
    yield SHEET_HEAD
    yield xml_row(1, ENTERPRISE_HEADER)
    for row in range(2, count // 12 + 2):
        cells = "".join(
            f'<c r="{chr(65 + i)}{row}" t="s"><v>{(row - 2) * 12 + i}</v></c>' for i in range(12)
        )
        yield f'<row r="{row}">{cells}</row>'
    yield SHEET_TAIL


def _strings(count: int) -> Iterator[str]:
    yield STRINGS_HEAD
    for start in range(0, count, 10_000):
        yield "".join(f"<si><t>名称{n:08x}</t></si>" for n in range(start, start + 10_000))
    yield STRINGS_TAIL


async def test_a_worker_over_its_memory_is_stopped(app, tmp_path: Path) -> None:
    # Within every bound (a 1.4 MB file), but openpyxl holds its 240,000 distinct strings
    # at once: about twice what the worker needs for an ordinary file.
    path = write_raw_xlsx(tmp_path / "hungry.xlsx", _shared_cells(240_000), _strings(240_000))
    assert check_xlsx(path, Limits()).rows == 20_001
    error = await _refused(app, path, Limits(check_memory_mb=100), "import.check_memory")
    assert error.params == {"limit": 100}


async def test_a_silent_worker_is_killed_after_twice_its_cpu_time(app, tmp_path: Path) -> None:
    # A pipe nobody writes to: the worker waits on it without spending any CPU time.
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    error = await _refused(app, path, Limits(check_seconds=1), "import.check_time")
    assert error.params == {"seconds": 2}
