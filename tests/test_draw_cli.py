"""The scripted draw: plan create, draw run, export and verify, as a clerk would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_example_plan_draws_and_verifies_on_demo_data(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").returncode == 0
    created = cli("plan", "create", "--file", str(ROOT / "examples" / "plan.json"))
    assert created.returncode == 0, created.stderr
    plan_id = created.stdout.strip().splitlines()[-1]
    assert plan_id.isdigit()
    drawn = cli("draw", "run", plan_id, "--salt", "20261201")
    assert drawn.returncode == 0, drawn.stderr
    draw_id = drawn.stdout.strip().splitlines()[-1]
    assert draw_id.isdigit()
    record_file = tmp_path / "record.json"
    assert cli("draw", "export", draw_id, str(record_file)).returncode == 0
    verified = cli("draw", "verify", str(record_file))
    assert verified.returncode == 0
    assert "一致 / consistent" in verified.stdout
    tool = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_draw.py"), str(record_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert tool.returncode == 0 and "consistent" in tool.stdout

    record = json.loads(record_file.read_text(encoding="utf-8"))
    team = record["result"][0]["team"]
    record["result"][0]["team"] = list(reversed(team))
    record_file.write_text(json.dumps(record), encoding="utf-8")
    tampered = cli("draw", "verify", str(record_file))
    assert tampered.returncode == 1
    assert "不一致 / inconsistent" in tampered.stdout


def test_bad_plan_file_gets_a_clear_message(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").returncode == 0
    bad = tmp_path / "plan.json"
    bad.write_text(
        json.dumps(
            {
                "name": "x",
                "items": ["LD-002"],
                "check_start": "2026-12-31",
                "check_end": "2026-12-01",
            }
        ),
        encoding="utf-8",
    )
    run = cli("plan", "create", "--file", str(bad))
    assert run.returncode == 1
    assert "计划参数有误" in run.stderr
    small_team = tmp_path / "team.json"
    small_team.write_text(
        json.dumps(
            {
                "name": "x",
                "items": ["LD-002"],
                "team_size": 1,
                "check_start": "2026-12-01",
                "check_end": "2026-12-31",
            }
        ),
        encoding="utf-8",
    )
    assert "检查组人数" in cli("plan", "create", "--file", str(small_team)).stderr


async def test_draw_run_continues_a_draw_frozen_before_a_crash(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from services.draw import freeze

    assert cli("demo").returncode == 0
    created = cli("plan", "create", "--file", str(ROOT / "examples" / "plan.json"))
    plan_id = int(created.stdout.strip().splitlines()[-1])
    # The freeze is committed, then the process dies before the draw.
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", data_dir=tmp_path / "data"
    )
    app = await build_app(settings)
    try:
        async with unit_of_work(app.sessions) as session:
            frozen = await freeze.freeze(session, None, plan_id, app.clock.now())
    finally:
        await app.aclose()
    drawn = cli("draw", "run", str(plan_id), "--salt", "20261201")
    assert drawn.returncode == 0, drawn.stdout + drawn.stderr
    assert f"continuing frozen draw {frozen.id}" in drawn.stdout
    assert f"commitment: {frozen.commitment}" in drawn.stdout
    assert drawn.stdout.strip().splitlines()[-1] == str(frozen.id)
    record_file = tmp_path / "record.json"
    assert cli("draw", "export", str(frozen.id), str(record_file)).returncode == 0
    assert cli("draw", "verify", str(record_file)).returncode == 0
    # Drawn now, the plan is not drawn again: a second run is a clear refusal.
    again = cli("draw", "run", str(plan_id))
    assert again.returncode != 0 and "Traceback" not in again.stderr


async def test_after_the_draw_substitute_cancel_and_void(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_app
    from bot.settings import Settings
    from tests import amend_fixture as af

    # The small district drawn in process on the command line's database: its 餐饮 teams
    # leave two officers of department X free.
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", data_dir=tmp_path / "data"
    )
    app = await build_app(settings)
    try:
        draw_id = str(await af.drawn(app, items=["I1"], load_cap=1))
        checks = await af.checks(app, int(draw_id))
    finally:
        await app.aclose()
    first = (checks[0].assignment_id, next(c for c in checks[0].team if c.startswith("X")))
    second = (checks[1].assignment_id, checks[1].team[0])

    sub = cli("draw", "substitute", str(first[0]), "--remove", first[1], "--reason", "病假")
    assert sub.returncode == 0, sub.stderr
    new_cert = sub.stdout.strip().splitlines()[-1]
    assert new_cert != first[1] and f"({new_cert})" in sub.stdout
    again = cli("draw", "substitute", str(first[0]), "--remove", first[1], "--reason", "病假")
    assert again.returncode == 1 and "不是任务" in again.stderr and "Traceback" not in again.stderr
    cancelled = cli("draw", "cancel", str(second[0]), "--reason", "企业已停业")
    assert cancelled.returncode == 0 and cancelled.stdout.strip().splitlines()[-1] == str(second[0])
    unconfirmed = cli("draw", "void", draw_id, "--reason", "测试")
    assert unconfirmed.returncode == 1
    assert "未填报 / not entered" in unconfirmed.stdout and "--yes" in unconfirmed.stdout
    record_file = tmp_path / "record.json"
    assert cli("draw", "export", draw_id, str(record_file)).returncode == 0
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert [a["kind"] for a in record["amendments"]] == ["substitution", "cancel"]
    assert record["amendments"][0]["added"] == new_cert
    assert "一致 / consistent" in cli("draw", "verify", str(record_file)).stdout
    tool = cli_tool(record_file)
    assert tool.returncode == 0, tool.stdout
    assert cli("draw", "void", draw_id, "--reason", "测试", "--yes").returncode == 0


def cli_tool(record_file: Path) -> subprocess.CompletedProcess[str]:
    """tools/verify_draw.py run on a record file."""
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "verify_draw.py"), str(record_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
