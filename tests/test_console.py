"""The console transport, driven as a user would: a subprocess with a scripted stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _jointcheck(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        "DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scripted_console_session(tmp_path: Path) -> None:
    assert _jointcheck(tmp_path, "demo").returncode == 0
    run = _jointcheck(tmp_path, "console", "--as", "coord", stdin="/start\n/help\n2\n")
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "您好，联席办 李协调" in out
    assert "[1] 帮助" in out and "[2] 我是谁" in out
    assert "/whoami - 查看我的账号与角色" in out
    # Pressing [2] by its number ran /whoami.
    assert "登录名：coord" in out


def test_a_number_without_a_button_is_text_and_end_of_input_exits_0(tmp_path: Path) -> None:
    assert _jointcheck(tmp_path, "demo").returncode == 0
    run = _jointcheck(tmp_path, "console", "--as", "leader", stdin="/start\n7\n")
    assert run.returncode == 0
    assert "[3] 切换语言" in run.stdout
    assert "没有理解您的消息" in run.stdout


def test_unknown_login_exits_with_error(tmp_path: Path) -> None:
    run = _jointcheck(tmp_path, "console", "--as", "nobody", stdin="/start\n")
    assert run.returncode == 2
    assert "nobody" in run.stdout


def test_help_lists_subcommands(tmp_path: Path) -> None:
    run = _jointcheck(tmp_path, "--help")
    assert run.returncode == 0
    for sub in ("run", "console", "db", "demo", "audit", "invite"):
        assert sub in run.stdout
