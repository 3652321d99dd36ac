"""`jointcheck audit ...`: check the hash chain against checkpoints, and take a checkpoint."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App
    from bot.settings import Settings
    from services.common import audit
    from services.common.audit_files import AuditFiles

# Why an entry breaks the chain, as `audit.VerifyReport.reason` names it.
REASONS = {
    "missing": ("条目缺失", "the entry is missing"),
    "chain": ("与前一条目不衔接", "it does not follow the previous entry"),
    "altered": ("内容与哈希不符", "its content does not match its hash"),
    "downgraded": ("在带密钥的条目之后出现无密钥条目", "an unkeyed entry follows keyed ones"),
    "scheme": ("哈希方式未知", "its hash scheme is unknown"),
    "checkpoint": ("与检查点不符", "it differs from the checkpoint"),
    "truncated": ("检查点之前的条目被删除", "entries up to the checkpoint were deleted"),
    "head": ("链头记录与最后一条目不符", "the head row does not match the last entry"),
}


def add_parsers(sub: Any) -> None:
    """Add `audit verify` and `audit checkpoint`."""
    parser = sub.add_parser("audit", help="the audit log")
    actions = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", help="walk the hash chain against the checkpoints; name the first broken entry"
    )
    verify.add_argument(
        "--checkpoint",
        metavar="SEQ:HASH",
        help="hold the chain to this head (e.g. from the leaders' group) instead of the file",
    )
    actions.add_parser(
        "checkpoint", help="verify, then append the head to the checkpoint file; SEQ:HASH last"
    )


def audit_files(settings: Settings) -> AuditFiles:
    """Where the key and the checkpoints are: AUDIT_KEY_FILE, AUDIT_CHECKPOINT_FILE or DATA_DIR."""
    return settings.audit_files()


def describe(report: audit.VerifyReport, source: str) -> list[str]:
    """The report as bilingual lines; `source` says where the checkpoints came from."""
    if not report.ok:
        zh, en = REASONS.get(report.reason or "", (report.reason, report.reason))
        return [
            f"审计链断裂于第 {report.broken_seq} 条：{zh}；之前 {report.checked} 条完整 / "
            f"audit chain broken at entry {report.broken_seq} ({report.reason}): {en}; "
            f"{report.checked} entries before it are intact"
        ]
    lines = [
        f"审计链完整 / audit chain intact: {report.checked} entries "
        f"({report.keyed} keyed), head {report.last.seq}"
    ]
    if report.checkpoint is None:
        lines.append(
            "未找到检查点，无法发现被截短或清空的历史 / no checkpoint found: a history cut "
            "short or emptied cannot be detected (take one: jointcheck audit checkpoint)"
        )
    else:
        lines.append(f"与检查点一致 / consistent with the checkpoints of {source}, newest:")
        lines.append(str(report.checkpoint))
    return lines


async def run_audit(app: App, args: argparse.Namespace) -> int:
    """`jointcheck audit verify|checkpoint`."""
    from handlers.core.db import unit_of_work
    from services.common import audit
    from services.common.audit_files import append_checkpoint, read_checkpoints

    files = audit_files(app.settings)
    given = getattr(args, "checkpoint", None)
    if given:
        checkpoints, source = [audit.Checkpoint.parse(given)], "--checkpoint"
    else:
        checkpoints = [r.checkpoint for r in read_checkpoints(files.checkpoints)]
        source = str(files.checkpoints)
    async with unit_of_work(app.sessions, write=False) as session:
        report = await audit.verify(session, checkpoints)
    if args.audit_command == "verify":
        print("\n".join(describe(report, source)))
        return 0 if report.ok else 1
    if not report.ok:
        # A checkpoint of a broken chain would vouch for the break.
        print(describe(report, source)[0])
        print("未记录检查点 / no checkpoint taken")
        return 1
    append_checkpoint(files.checkpoints, report.last, app.clock.now(), "cli")
    print(
        f"检查点已记录 / checkpoint recorded in {files.checkpoints}: entry {report.last.seq}, "
        f"{report.checked} entries intact"
    )
    print(report.last)
    return 0


RUNNERS: dict[str, Runner] = {"audit": run_audit}
