"""`jointcheck import`, `export` and `template` as a clerk runs them."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.import_fixtures import (
    ENTERPRISE_HEADER,
    enterprise_row,
    enterprise_rows,
    write_csv,
)

ROOT = Path(__file__).resolve().parent.parent


def test_import_export_and_template_round_trip(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = write_csv(tmp_path / "e.csv", ENTERPRISE_HEADER, enterprise_rows(5), "gbk")
    dry = cli("import", "enterprises", str(source), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "新增 5" in dry.stdout and "试导入" in dry.stdout
    done = cli("import", "enterprises", str(source), "--progress")
    assert done.returncode == 0, done.stderr
    assert "【已导入】" in done.stdout and "新增 5" in done.stdout
    assert "行/秒" in done.stderr  # the progress line
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        exported = cli("export", "enterprises", str(out))
        assert exported.returncode == 0, exported.stderr
        again = cli("import", "auto", str(out), "--lang", "en")
        assert again.returncode == 0, again.stderr
        assert "0 added, 0 updated, 5 unchanged, 0 deactivated." in again.stdout
    template = tmp_path / "template.xlsx"
    assert cli("template", "inspectors", str(template)).returncode == 0
    assert template.stat().st_size > 0


def test_skip_invalid_writes_the_rejects_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [*enterprise_rows(2), enterprise_row(3, 信用风险等级="高风险?")]
    source = write_csv(tmp_path / "list.csv", ENTERPRISE_HEADER, rows)
    refused = cli("import", "enterprises", str(source))
    assert refused.returncode == 1
    assert "【未导入】" in refused.stdout and "第 4 行 信用风险等级" in refused.stdout
    partial = cli("import", "enterprises", str(source), "--skip-invalid")
    assert partial.returncode == 0, partial.stderr
    assert "新增 2" in partial.stdout
    rejects = tmp_path / "list.rejects.csv"
    assert str(rejects) in partial.stdout
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f))
    assert header[-1] == "问题" and row[1] == rows[2][1]


def test_a_bad_file_is_refused_with_a_clear_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "list.xlsx"
    fake.write_bytes(os.urandom(10_000))
    refused = cli("import", "enterprises", str(fake))
    assert refused.returncode == 1
    assert "无法作为 Excel（.xlsx）文件打开" in refused.stderr
    missing = cli("import", "enterprises", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "无法读取文件" in missing.stderr


def test_export_results_takes_a_plan_and_an_optional_file() -> None:
    args = build_parser().parse_args(["export", "results", "--plan", "3"])
    assert (args.kind, args.plan, args.file) == ("results", 3, None)
    args = build_parser().parse_args(["export", "results", "--plan", "3", "out.xlsx"])
    assert args.file == Path("out.xlsx")
    args = build_parser().parse_args(["export", "results", "out.xlsx", "--plan", "3"])
    assert (args.plan, args.file) == (3, Path("out.xlsx"))
    with pytest.raises(SystemExit):
        build_parser().parse_args(["export", "enterprises"])
    args = build_parser().parse_args(["import", "items", "x.csv", "--replace", "--skip-invalid"])
    assert (args.kind, args.replace, args.skip_invalid) == ("items", True, True)
    assert not args.dry_run
