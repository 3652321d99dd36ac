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
    for sub in ("run", "console", "db", "demo", "audit", "invite", "user"):
        assert sub in run.stdout


def test_a_coordinator_added_to_an_empty_database_reaches_help_in_the_console(
    tmp_path: Path,
) -> None:
    added = _jointcheck(
        tmp_path, "user", "add", "--login", "li", "--name", "李协调", "--role", "coordinator"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.splitlines()[-1] == "li"
    run = _jointcheck(tmp_path, "console", "--as", "li", stdin="/help\n")
    assert run.returncode == 0, run.stderr
    assert "/draw - " in run.stdout and "/outbox - " in run.stdout
    assert "/invite - " not in run.stdout  # admins only


def test_a_stranger_binds_in_the_console_with_an_invite_code(tmp_path: Path) -> None:
    _jointcheck(tmp_path, "user", "add", "--login", "wang", "--name", "王局长", "--role", "leader")
    invite = _jointcheck(tmp_path, "invite", "--role", "leader", "--login", "wang")
    assert invite.returncode == 0, invite.stderr
    code = invite.stdout.splitlines()[-1]
    run = _jointcheck(tmp_path, "console", "--new", stdin=f"/whoami\n/bind {code}\n/whoami\n")
    assert run.returncode == 0, run.stderr
    before, after = run.stdout.split(f"/bind {code}")
    assert "还没有绑定账号" in before
    assert "绑定成功，王局长" in after and "登录名：wang" in after and "角色：领导" in after


def test_a_refused_user_add_is_one_sentence_without_traceback(tmp_path: Path) -> None:
    run = _jointcheck(tmp_path, "user", "add", "--login", "li", "--name", "李", "--role", "boss")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-1] == (
        "未知角色：boss。可选角色：admin, coordinator, inspector, leader, reviewer。 / "
        "Unknown role: boss. The roles are: admin, coordinator, inspector, leader, reviewer."
    )
