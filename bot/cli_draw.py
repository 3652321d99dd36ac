"""`jointcheck plan ...` and `jointcheck draw ...`: the scripted side of the draw."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.progress import progress

if TYPE_CHECKING:
    from bot.app import App

# The subcommand's modules (the draw services import the whole model) are imported by the
# runners, so that `jointcheck --help` never loads them.


def add_parsers(sub: Any) -> None:
    """Add the plan and draw subcommands."""
    plan = sub.add_parser("plan", help="spot-check plans")
    plan_sub = plan.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    create = plan_sub.add_parser("create", help="create a plan from a JSON file (see README)")
    create.add_argument("--file", required=True, type=Path)
    plan_sub.add_parser("list", help="list plans that can be drawn")
    draw = sub.add_parser("draw", help="the random draw")
    draw_sub = draw.add_subparsers(dest="draw_command", metavar="ACTION", required=True)
    preview = draw_sub.add_parser("preview", help="eligibility and every k, without drawing")
    preview.add_argument("plan_id", type=int)
    run = draw_sub.add_parser("run", help="freeze and draw a plan; prints the draw id last")
    run.add_argument("plan_id", type=int)
    run.add_argument("--salt", default="", help="public salt, e.g. read out at the meeting")
    export = draw_sub.add_parser("export", help="write the published record of a draw")
    export.add_argument("draw_id", type=int)
    export.add_argument("file", type=Path)
    verify = draw_sub.add_parser("verify", help="recompute a published record")
    verify.add_argument("file", type=Path)
    void = draw_sub.add_parser(
        "void", help="void a draw (audited); without --yes, only shows what would end"
    )
    void.add_argument("draw_id", type=int)
    void.add_argument("--reason", required=True)
    void.add_argument("--yes", action="store_true", help="confirm the void")
    cancel = draw_sub.add_parser("cancel", help="cancel one check of a final draw")
    cancel.add_argument("assignment_id", type=int)
    cancel.add_argument("--reason", required=True)
    sub = draw_sub.add_parser(
        "substitute", help="replace a team member by the ranking; prints the new one last"
    )
    sub.add_argument("assignment_id", type=int)
    sub.add_argument("--remove", required=True, help="certificate number (or name) to replace")
    sub.add_argument("--reason", required=True, help="starting with sick, left, recusal or other")
    supp = draw_sub.add_parser(
        "supplement", help="fill the short teams from a newly frozen pool; prints the draw id"
    )
    supp.add_argument("draw_id", type=int)
    supp.add_argument("--salt", default="", help="public salt, given after the commitment")


async def run_plan(app: App, args: argparse.Namespace) -> int:
    """`jointcheck plan ...`."""
    from handlers.core.db import unit_of_work
    from services.common.errors import InvalidInput
    from services.draw import plans

    if args.plan_command == "list":
        async with unit_of_work(app.sessions, write=False) as session:
            for p in await plans.open_plans(session):
                print(f"{p.id}\t{p.name}\t{p.check_start}..{p.check_end}")
        return 0
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("plan.bad_file", error=str(exc)) from None
    if not isinstance(data, dict):
        raise InvalidInput("plan.bad_file", error="not a JSON object")
    spec = plans.parse_spec(data)
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, spec, app.clock.now())
    print(f"计划已创建 / plan created: {plan.name}")
    print(plan.id)
    return 0


async def run_draw(app: App, args: argparse.Namespace) -> int:
    """`jointcheck draw ...`."""
    from handlers.core.db import unit_of_work
    from services.draw import freeze
    from services.draw import record as draw_record

    command = args.draw_command
    if command == "verify":
        return _verify_file(args.file)
    if command == "preview":
        async with unit_of_work(app.sessions, write=False) as session:
            pv = await freeze.preview(session, None, args.plan_id)
        print(
            json.dumps(
                {
                    "populations": pv.populations,
                    "k": pv.ks,
                    "excluded_enterprises": pv.enterprise_exclusions,
                    "excluded_inspectors": pv.inspector_exclusions,
                    "officers_by_department": pv.officers_by_department,
                    "warnings": [key for key, _ in pv.warnings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if command == "run":
        return await _run(app, args.plan_id, args.salt)
    if command == "export":
        async with unit_of_work(app.sessions, write=False) as session:
            record = await draw_record.export_record(session, args.draw_id)
        args.file.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"已导出 / exported: {args.file}")
        return 0
    return await AMENDMENTS[command](app, args)


def _both(key: str, **params: Any) -> str:
    """A catalog text as the command line prints it: "中文 / English"."""
    from handlers.core.i18n import t

    return f"{t('zh', key, **params)} / {t('en', key, **params)}"


async def _void(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.draw import cancel

    chats = app.core.policy.announce_chats
    if not args.yes:
        async with unit_of_work(app.sessions, write=False) as session:
            found = await cancel.void_outlook(session, None, args.draw_id)
        print(f"作废抽取 {args.draw_id} 将结束以下检查任务 / voiding draw {args.draw_id} ends:")
        for state, n in sorted(found.states.items(), key=lambda kv: _state_order(kv[0])):
            prefix = "astatus" if state in ("unstaffed", "cancelled", "void") else "status"
            print(f"  {_both(f'{prefix}.{state}')}: {n}")
        print("未作废；确认请加 --yes / not voided; add --yes to confirm")
        return 1
    async with unit_of_work(app.sessions) as session:
        await cancel.void(session, None, args.draw_id, args.reason, app.clock.now(), chats)
    print(f"已作废 / voided: draw {args.draw_id}")
    print(args.draw_id)
    return 0


def _state_order(state: str) -> int:
    from handlers.draw.render import STATE_ORDER

    return STATE_ORDER.index(state) if state in STATE_ORDER else len(STATE_ORDER)


async def _cancel(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.draw import cancel

    chats = app.core.policy.announce_chats
    async with unit_of_work(app.sessions) as session:
        await cancel.cancel(session, None, args.assignment_id, args.reason, app.clock.now(), chats)
    print(_both("cancel_task.done", id=args.assignment_id))
    print(args.assignment_id)
    return 0


async def _substitute(app: App, args: argparse.Namespace) -> int:
    from handlers.core.db import unit_of_work
    from services.draw import substitute

    chats = app.core.policy.announce_chats
    async with unit_of_work(app.sessions) as session:
        done = await substitute.substitute(
            session, None, args.assignment_id, args.remove, args.reason, app.clock.now(), chats
        )
    names = {"removed_name": done.removed_name, "added_name": done.added_name}
    print(
        _both(
            "sub.done",
            id=done.assignment_id,
            seq=done.seq,
            removed=done.removed,
            added=done.added,
            **names,
        )
    )
    print(done.added)
    return 0


async def _supplement(app: App, args: argparse.Namespace) -> int:
    # Two transactions, as for a draw: the commitment is stored (and announced) before any
    # team is formed; one frozen earlier is continued with its committed seed.
    from handlers.core.db import unit_of_work
    from services.draw import supplement

    chats = app.core.policy.announce_chats
    async with unit_of_work(app.sessions) as session:
        frozen = await supplement.frozen_supplement(session, args.draw_id)
        if frozen is None:
            frozen = await supplement.freeze(session, None, args.draw_id, app.clock.now(), chats)
        else:
            print(f"继续已冻结的补充抽取 / continuing the frozen supplement of {args.draw_id}")
        published = frozen.entry["commitment"]
    print(f"承诺 / commitment: {published}")
    async with unit_of_work(app.sessions) as session:
        formed = await supplement.form(
            session, None, args.draw_id, args.salt, app.clock.now(), chats
        )
    filled = sum(1 for f in formed.teams if f.added)
    short = sum(1 for f in formed.teams if f.shortfalls)
    print(f"补充抽取完成 / supplemented: amendment {formed.seq}, {filled} filled, {short} short")
    print(args.draw_id)
    return 0


AMENDMENTS = {
    "void": _void,
    "cancel": _cancel,
    "substitute": _substitute,
    "supplement": _supplement,
}


async def _run(app: App, plan_id: int, salt: str) -> int:
    # Two transactions, as in chat: the commitment is stored before anything is drawn.
    # A draw frozen earlier (the process died between the two, or it was frozen in chat)
    # is continued with its committed seed, never frozen again.
    from handlers.core.db import unit_of_work
    from services.draw import freeze
    from services.draw import run as draw_run

    async with unit_of_work(app.sessions, write=False) as session:
        earlier = await freeze.frozen_draw(session, plan_id)
    lists = None
    # Two steps, freezing the lists and drawing, each some seconds on a large directory.
    with progress(2, "抽取 / draw", unit="steps") as bar:
        if earlier is not None:
            frozen = earlier
            bar.echo(f"继续已冻结的抽取 / continuing frozen draw {frozen.id}")
        else:
            async with unit_of_work(app.sessions) as session:
                frozen, lists = await freeze.freeze_keeping_lists(
                    session, None, plan_id, app.clock.now()
                )
        bar.echo(f"承诺 / commitment: {frozen.commitment}")
        bar.update(1)
        async with unit_of_work(app.sessions) as session:
            drawn = await draw_run.execute(session, None, frozen.id, salt, app.clock.now(), lists)
        bar.update(1)
    print(f"抽取完成 / drawn: plan {drawn.plan_id}")
    print(drawn.id)
    return 0


def run_verify_file(args: argparse.Namespace) -> int:
    """`jointcheck draw verify FILE`."""
    return _verify_file(args.file)


def _verify_file(path: Path) -> int:
    from services.draw import record as draw_record

    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"无法读取记录 / cannot read the record: {exc}")
        return 2
    differences = draw_record.verify(record) if isinstance(record, dict) else ["not an object"]
    if not differences:
        print("一致 / consistent")
        return 0
    print(f"不一致 / inconsistent: {differences[0]}")
    return 1
