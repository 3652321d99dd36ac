"""A fast start: the command line loads heavy modules only when the work needs them, the
schema check is one query when the database is current, and long work shows progress.

(How fast is measured by bench/startup.py; these tests hold what makes it fast.)
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli_import, cli_users, migrate
from bot.progress import Progress, progress
from handlers.core.db import create_engine

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "telegram", "alembic", "openpyxl")


def _loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages loaded by a fresh interpreter running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {name.split(".")[0] for name in json.loads(out.stdout.splitlines()[-1])}


def test_importing_the_command_line_loads_no_heavy_module() -> None:
    loaded = _loaded_after("import bot.cli")
    assert [m for m in HEAVY if m in loaded] == []
    # `--help` is answered by the parser alone: no app, no database layer.
    assert "sqlalchemy" not in loaded and "pydantic" not in loaded


def test_the_parser_is_built_from_light_modules() -> None:
    loaded = _loaded_after("from bot.cli import build_parser\nbuild_parser()")
    assert "sqlalchemy" not in loaded and "handlers" not in loaded and "services" not in loaded


def test_the_console_path_loads_no_chart_transport_or_migration_stack() -> None:
    loaded = _loaded_after("import bot.app, bot.console, bot.migrate")
    assert [m for m in (*HEAVY, "uvicorn", "httpx") if m in loaded] == []


def test_the_parser_lists_the_services_names() -> None:
    from models import ROLES
    from services.directory.imports.columns import KINDS

    # Written out in the command line modules so that the parser loads neither.
    assert cli_import.KINDS == KINDS
    assert cli_users.ROLES == ROLES


def test_the_scanned_head_is_alembics_head() -> None:
    assert migrate.scanned_head() == migrate.alembic_head()
    assert migrate.head_revision() == migrate.alembic_head()


def test_an_unclear_history_falls_back_to_alembic(tmp_path: Path) -> None:
    def write(name: str, revision: str, down: str) -> None:
        (tmp_path / name).write_text(
            f'revision: str = "{revision}"\ndown_revision: str | None = {down}\n',
            encoding="utf-8",
        )

    write("a.py", "a", "None")
    write("b.py", "b", '"a"')
    write("c.py", "c", '"a"')
    assert migrate.scanned_head(tmp_path) is None  # two heads: not ours to choose
    write("d.py", "d", '("b", "c")')
    assert migrate.scanned_head(tmp_path) == "d"  # a merge names both parents


async def test_the_schema_check_tells_current_from_not(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        assert await migrate.current_revision(engine) is None
        assert not await migrate.is_current(engine)
        await migrate.upgrade(engine, "0001")
        assert await migrate.current_revision(engine) == "0001"
        assert not await migrate.is_current(engine)
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        assert await migrate.is_current(engine)
    finally:
        await engine.dispose()


async def test_starting_on_a_current_database_does_not_load_alembic(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    await migrate.upgrade(engine)
    await engine.dispose()
    code = (
        "import asyncio\n"
        "from bot import migrate\n"
        "from handlers.core.db import create_engine\n"
        "async def start():\n"
        f"    engine = create_engine({sqlite_url!r})\n"
        "    await migrate.upgrade(engine)\n"
        "    print(await migrate.current_revision(engine))\n"
        "    await engine.dispose()\n"
        "asyncio.run(start())"
    )
    assert "alembic" not in _loaded_after(code)


class Ticks:
    """A clock moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_come_at_most_every_period_and_once_at_the_end() -> None:
    out, ticks = io.StringIO(), Ticks()
    bar = Progress(5000, "导入 / import", stream=out, unit="rows", every=2, tty=False, clock=ticks)
    bar.update(1000)  # within the first period: no line yet
    ticks.now = 2.5
    bar.update(200)
    ticks.now = 3.0
    bar.update(300)  # half a period after the last line: none
    ticks.now = 5.0
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("导入 / import: 1200/5000 rows")
    assert lines[1].startswith("导入 / import: 1500/5000 rows, 300 rows/s")
    assert len(lines) == 2


def test_a_terminal_gets_a_bar_and_echoed_lines_keep_it_whole() -> None:
    err, out = io.StringIO(), io.StringIO()
    with progress(3, "抽取 / draw", unit="steps", stream=err, tty=True) as bar:
        bar.update(1)
        bar.echo("42", file=out)
        bar.update(2)
    assert "3/3" in err.getvalue() and "|" in err.getvalue()  # tqdm's bar
    assert out.getvalue() == "42\n"


def test_progress_follows_the_stream_and_describe_words_the_lines() -> None:
    out = io.StringIO()  # no terminal
    with progress(None, "x", stream=out, describe=lambda p: f"{p.done} 行") as bar:
        bar.update(7)
    assert out.getvalue() == "7 行\n"


@pytest.mark.parametrize("kind", ["enterprises"])
def test_export_and_import_report_progress_off_a_terminal(cli, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    from tests.import_fixtures import ENTERPRISE_HEADER, enterprise_rows, write_csv

    source = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, enterprise_rows(3))
    imported = cli("import", kind, str(source))
    assert imported.returncode == 0, imported.stderr
    assert "已读 3 行" in imported.stderr  # the import's plain progress line
    exported = cli("export", kind, str(tmp_path / "out.csv"))
    assert exported.returncode == 0, exported.stderr
    assert "导出 / export: 3/3 rows" in exported.stderr
    assert exported.stdout.strip().splitlines()[-1].endswith("out.csv")
