"""The columns of the full publicity export, and a province's template of them.

The platforms name the columns; those names are JointCheck's names for them too. A
province whose upload wants other headers or another order supplies a template
(`RESULTS_EXPORT_TEMPLATE`, TOML or JSON; `examples/results_template.toml`):

    columns = ["企业名称", "统一社会信用代码", {column = "检查结果", header = "抽查结果"}]

Each entry is a column's name, or a table naming the column and the header to write for
it. A column the export does not know is refused with the list of those it knows.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.common.errors import InvalidInput

# The platforms' columns, in their order (the default export).
PLATFORM_COLUMNS = (
    "计划编号",
    "计划名称",
    "任务编号",
    "检查类型",
    "检查实施机关",
    "企业名称",
    "统一社会信用代码",
    "检查完成日期",
    "检查结果",
    "核查方式",
    "处置措施",
    "是否完结",
    "完结日期",
)
CORRECTED = "更正日期"  # the date of the latest correction (更正), empty if none
STATUS = "公示状态"  # published or not: added when unpublished parts are exported too
# Further columns a template may ask for.
EXTRA_COLUMNS = (CORRECTED, STATUS, "检查结果代码", "检查结果名称", "公示日期", "检查事项")
# The field check (export_facts.field_columns): the visit, the check points, signatures.
FIELD_COLUMNS = (
    "检查开始时间",
    "检查结束时间",
    "检查地点",
    "距登记地址",
    "检查要点结果",
    "签字情况",
)
COLUMNS = PLATFORM_COLUMNS + EXTRA_COLUMNS + FIELD_COLUMNS
DEFAULT_COLUMNS = (*PLATFORM_COLUMNS, CORRECTED)
# Columns kept as text in XLSX (long digit strings would become numbers).
TEXT_COLUMNS = frozenset({"计划编号", "任务编号", "统一社会信用代码", "检查结果代码"})
SEP = "、"


@dataclass(frozen=True)
class Template:
    """Which columns an export writes, in order, each with the header written for it."""

    columns: tuple[tuple[str, str], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The columns' names."""
        return tuple(name for name, _header in self.columns)

    @property
    def headers(self) -> list[str]:
        """The header row."""
        return [header for _name, header in self.columns]

    def text_positions(self) -> list[int]:
        """The positions of the columns written as text in XLSX."""
        return [i for i, name in enumerate(self.names) if name in TEXT_COLUMNS]

    def with_status(self) -> Template:
        """The template with the publication status column (once)."""
        if STATUS in self.names:
            return self
        return Template((*self.columns, (STATUS, STATUS)))


DEFAULT = Template(tuple((name, name) for name in DEFAULT_COLUMNS))


def load_template(path: Path | None) -> Template:
    """The template of a file (TOML, or JSON for .json); None: the platforms' columns."""
    if path is None:
        return DEFAULT
    source = str(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InvalidInput(
            "codes.template_unreadable", file=source, error=exc.strerror or str(exc)
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput("codes.template_syntax", file=source, error=str(exc)) from None
    try:
        document = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput("codes.template_syntax", file=source, error=str(exc)) from None
    entries = document.get("columns") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput("codes.template_empty", file=source)
    return parse_columns(source, entries)


def parse_columns(source: str, entries: list[Any]) -> Template:
    """Check a template's column entries: known, once each, headers given as text."""
    columns: list[tuple[str, str]] = []
    for n, entry in enumerate(entries, start=1):
        name, header = _entry(source, n, entry)
        if name not in COLUMNS:
            raise InvalidInput(
                "codes.template_unknown_column", file=source, column=name, known=SEP.join(COLUMNS)
            )
        if name in (c for c, _h in columns):
            raise InvalidInput("codes.template_duplicate", file=source, column=name)
        columns.append((name, header))
    return Template(tuple(columns))


def _entry(source: str, n: int, entry: Any) -> tuple[str, str]:
    if isinstance(entry, str) and entry.strip():
        return entry.strip(), entry.strip()
    if isinstance(entry, dict) and set(entry) <= {"column", "header"}:
        name, header = entry.get("column"), entry.get("header", entry.get("column"))
        if isinstance(name, str) and isinstance(header, str) and name.strip() and header.strip():
            return name.strip(), header.strip()
    raise InvalidInput("codes.template_entry", file=source, entry=n)
