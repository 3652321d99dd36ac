"""`jointcheck user add|list|deactivate`: accounts for every member of staff.

Office staff and leaders need no certificate; an inspector is linked to the directory by
`--cert`. The account is then reached with `jointcheck console --as LOGIN`, or bound to
a chat platform with an invite code (`jointcheck invite --login LOGIN`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.app import App

# `models.ROLES` (a test keeps the two equal), written out so that the parser is built
# without loading the model.
ROLES = ("admin", "coordinator", "inspector", "leader", "reviewer")


def add_parsers(sub: Any) -> None:
    """Add the `user` subcommand."""
    user = sub.add_parser("user", help="staff accounts: add, list, deactivate")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user; prints the login last")
    add.add_argument("--login", required=True, help="the login, e.g. li.xt")
    add.add_argument("--name", required=True, help="the person's name")
    # Checked by the service, not by argparse, so that a wrong role is one clear sentence.
    add.add_argument("--role", required=True, help=f"one of: {', '.join(ROLES)}")
    add.add_argument("--department", help="department code (optional)")
    add.add_argument("--cert", help="certificate number in the inspector directory (inspectors)")
    user_sub.add_parser("list", help="list users with roles, status and bound platforms")
    deactivate = user_sub.add_parser("deactivate", help="end a user's access at once")
    deactivate.add_argument("--login", required=True)


def _say(key: str, **params: Any) -> str:
    """A catalog text as one "中文 / English" line."""
    from handlers.core.i18n import t

    return f"{t('zh', key, **params)} / {t('en', key, **params)}"


async def run_user(app: App, args: argparse.Namespace) -> int:
    """`jointcheck user ...`; a refusal is one sentence on stderr, status 1, nothing written."""
    from services.common.errors import DomainError

    try:
        if args.user_command == "add":
            return await _add(app, args)
        if args.user_command == "deactivate":
            return await _deactivate(app, args)
        return await _list(app)
    except DomainError as exc:
        print(_say(exc.key, **exc.params), file=sys.stderr)
        return 1


async def _add(app: App, args: argparse.Namespace) -> int:
    from handlers.accounts.invites import role_code
    from handlers.core.db import unit_of_work
    from handlers.core.i18n import t
    from services.accounts import staff

    new = staff.NewUser(
        login=args.login,
        name=args.name,
        role=role_code(args.role),
        department=args.department,
        cert_no=args.cert,
    )
    async with unit_of_work(app.sessions) as session:
        user = await staff.add_user(session, None, new, app.clock.now())
        login = user.login
    role = f"{t('zh', f'role.{new.role}')} / {t('en', f'role.{new.role}')}"
    print(f"用户已创建 / user created: {new.name.strip()} ({role})")
    print(login)
    return 0


async def _deactivate(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.accounts import staff

    async with unit_of_work(app.sessions) as session:
        cancelled = await staff.deactivate(session, None, args.login, app.clock.now())
    print(f"用户已停用 / user deactivated; 取消的待发消息 / queued messages cancelled: {cancelled}")
    print(args.login.strip())
    return 0


async def _list(app: App) -> int:
    from handlers.core.db import unit_of_work
    from services.accounts import staff

    async with unit_of_work(app.sessions, write=False) as session:
        rows = await staff.list_users(session)
    print(
        "登录名 login\t姓名 name\t角色 roles\t部门 department\t执法证号 cert\t"
        "状态 status\t已绑定 bound on"
    )
    for row in rows:
        status = "在用 active" if row.active else "已停用 deactivated"
        print(
            "\t".join(
                (
                    row.login,
                    row.name,
                    ",".join(row.roles) or "-",
                    row.department or "-",
                    row.cert_no or "-",
                    status,
                    ",".join(row.platforms) or "-",
                )
            )
        )
    print(f"共 {len(rows)} 个用户 / {len(rows)} users")
    return 0


RUNNERS = {"user": run_user}
