"""Enterprises of a district and results files of the checks done before JointCheck."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bot.app import App
from handlers.core.db import unit_of_work
from models import Enterprise
from tests.import_fixtures import code, write_csv, write_xlsx

HEADER = ["统一社会信用代码", "抽查计划", "检查日期", "检查结果", "问题数", "责令整改数", "立案数"]


def row(n: int, **changes: Any) -> list[Any]:
    """A valid results row for enterprise n (checked in March 2026)."""
    values: dict[str, Any] = dict(
        zip(
            HEADER,
            [code(n), "2026年第一批联合抽查", "2026-03-15", "发现问题经责令已改正", 3, 2, 1],
            strict=True,
        )
    )
    values.update({HEADER[int(k[1:])]: v for k, v in changes.items()})
    return list(values.values())


async def add_enterprises(app: App, *numbers: int) -> None:
    """Put enterprises with the codes `code(n)` into the directory."""
    async with unit_of_work(app.sessions) as s:
        s.add_all(Enterprise(credit_code=code(n), name=f"企业{n}", risk_class="B") for n in numbers)


def csv_file(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """A results CSV with the header."""
    return write_csv(path, HEADER, rows)


def xlsx_file(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """A results XLSX with the header."""
    return write_xlsx(path, HEADER, rows)


MARCH = date(2026, 3, 15)
