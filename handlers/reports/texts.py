"""Texts of summaries and the annual report."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.summary": (
        "查看工作汇总（/summary week|month|year）",
        "Summary (/summary week|month|year)",
    ),
    "cmd.report": ("生成年度报告段落（/report 年份）", "Annual report paragraph (/report YEAR)"),
    "summary.usage": ("用法：/summary week|month|year", "Usage: /summary week|month|year"),
    "summary.head": ("【联合抽查汇总】{start} 至 {end}", "[Joint spot checks] {start} to {end}"),
    "summary.body": (
        "召开联席会议 {meetings} 次；检查企业 {enterprises} 家；发现问题 {problems} 处；"
        "下达责令整改通知书 {notices} 份；立案查处 {cases} 次；整改率 {correction}；"
        "逾期事项 {overdue} 项；按时公示率 {on_time}。",
        "Joint meetings held: {meetings}; enterprises inspected: {enterprises}; problems "
        "found: {problems}; orders to correct: {notices}; cases filed: {cases}; correction "
        "rate: {correction}; overdue items: {overdue}; published on time: {on_time}.",
    ),
    "summary.week_label": ("上周", "Last week"),
    "summary.year_label": ("{year}年累计（至 {end}）", "{year} to {end}"),
    "summary.none": ("—", "n/a"),
    "audit.checkpoint": (
        "【审计检查点】{date}：审计日志共 {seq} 条。请保留本消息，日后可用以下命令核验历史"
        "未被删改：\njointcheck audit verify --checkpoint {seq}:{hash}",
        "[Audit checkpoint] {date}: the audit log holds {seq} entries. Keep this message: "
        "it shows later that no history was deleted or rewritten:\n"
        "jointcheck audit verify --checkpoint {seq}:{hash}",
    ),
    "report.usage": (
        "用法：/report 年份，例如 /report 2026",
        "Usage: /report YEAR, e.g. /report 2026",
    ),
    "report.text": ("{year}年度：{paragraph}", "{year}: {paragraph}"),
    "cmd.outbox": (
        "查看等待绑定、未送达和错过的消息",
        "Messages waiting for an account, failed or missed",
    ),
    "outbox.none": (
        "没有未送达或错过的消息，也没有等待对方绑定账号的消息。",
        "No message failed or was missed, and none waits for an account.",
    ),
    "outbox.waiting_head": (
        "等待对方绑定账号后送达（{people} 人）：",
        "Waiting until the person binds an account ({people} people):",
    ),
    "outbox.waiting_line": (
        "{name}（{login}）：{count} 条，最早 {since}；{kinds}",
        "{name} ({login}): {count}, oldest {since}; {kinds}",
    ),
    "outbox.waiting_more": (
        "……另有 {count} 人，发送 /people unbound 查看全部未绑定人员。",
        "... and {count} more; /people unbound lists everyone without an account.",
    ),
    "outbox.waiting_hint": (
        "对方绑定后消息自动送达；已过时的提醒不再补发，记为已错过。"
        "管理员可用 /invite 角色 执法证号或登录名 为其生成邀请码。",
        "They are delivered once the person binds; a reminder whose time has passed is "
        "not sent late but marked missed. An admin issues the code with "
        "/invite ROLE CERT_OR_LOGIN.",
    ),
    "outbox.head": ("未送达或错过的消息（最近 30 条）：", "Failed or missed messages (latest 30):"),
    "outbox.line": ("{status}｜{kind}｜{due}｜{reason}", "{status} | {kind} | {due} | {reason}"),
    "outbox.status.failed": ("发送失败", "failed"),
    "outbox.status.missed": ("已错过", "missed"),
    "outbox.status.unknown": (
        "发送中断（可能已送达，未重发）",
        "interrupted (may have arrived; not resent)",
    ),
}
