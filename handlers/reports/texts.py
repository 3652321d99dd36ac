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
    # /progress year: the year against the annual joint plan (handlers/reports/progress.py).
    "progress_year.usage": (
        "用法：/progress year [年份]，或 /progress year 年份 meeting 会议编号（附入会议议程）。",
        "Usage: /progress year [YEAR], or /progress year YEAR meeting MEETING_ID (attach it "
        "to a meeting's agenda).",
    ),
    "progress_year.none": (
        "{year} 年没有年度联合抽查计划，也没有抽查计划。",
        "No annual joint plan and no plan for {year}.",
    ),
    "progress_year.no_document": ("未导入年度计划", "no annual plan imported"),
    "progress_year.head": (
        "{year} 年度联合抽查进度（{documents}）",
        "Joint spot checks {year}: progress ({documents})",
    ),
    "progress_year.figures": (
        "计划 {planned}｜已抽取 {drawn}｜已检查 {checked}｜已审核 {reviewed}｜已公示 {published}"
        "｜发现问题 {problems}",
        "planned {planned} | drawn {drawn} | checked {checked} | reviewed {reviewed} | "
        "published {published} | problems {problems}",
    ),
    "progress_year.total": (
        "合计（每户企业每次检查计一次）：{figures}",
        "In all (an enterprise once per check): {figures}",
    ),
    "progress_year.departments_head": (
        "按部门（本部门的检查结果）：",
        "By department (its own parts of the checks):",
    ),
    "progress_year.department_line": ("· {name}：{figures}", "- {name}: {figures}"),
    "progress_year.rows_head": ("按年度计划行：", "By row of the annual plan:"),
    "progress_year.row_line": (
        "{seq}. {code} {item}（{department}，{window}，比例 {ratio}，{state}）：{figures}",
        "{seq}. {code} {item} ({department}, {window}, ratio {ratio}, {state}): {figures}",
    ),
    "progress_year.quarter": ("第{n}季度", "Q{n}"),
    "progress_year.window": ("{start}至{end}", "{start} to {end}"),
    "progress_year.state.none": ("未生成批次", "no batch yet"),
    "progress_year.state.draft": ("批次 {number} 未抽取", "batch {number} not drawn"),
    "progress_year.state.frozen": ("批次 {number} 已冻结待抽取", "batch {number} frozen"),
    "progress_year.state.drawn": ("批次 {number} 已抽取", "batch {number} drawn"),
    "progress_year.state.closed": ("批次 {number} 已结束", "batch {number} closed"),
    "progress_year.other": (
        "年度计划外的抽查计划（{plans} 个）：{figures}",
        "Plans outside the annual plan ({plans}): {figures}",
    ),
    "progress_year.note": (
        "说明：计划＝冻结抽取时确定的应查户数；已抽取＝未作废、未取消的检查；已检查＝任一部门已提交；"
        "已审核、已公示＝各部门均已完成。",
        "Planned: the enterprises a frozen draw is to check; drawn: checks neither void nor "
        "cancelled; checked: a department's part submitted; reviewed and published: every "
        "department's part.",
    ),
    "progress_year.button_agenda": ("附入联席会议议程", "Attach to a meeting's agenda"),
    "progress_year.pick_meeting": (
        "选择要附上 {year} 年度进度的联席会议：",
        "Choose the meeting to attach the {year} progress to:",
    ),
    "progress_year.meeting_button": ("{time} {title}", "{time} {title}"),
    "progress_year.no_meetings": (
        "没有待召开的联席会议，请先用 /meeting 安排会议。",
        "No meeting is scheduled; schedule one with /meeting first.",
    ),
    "progress_year.attached": (
        "已将 {year} 年度进度作为会议 {id} 的议程材料发送给 {count} 位参会人员"
        "（按发送时的数据生成）。",
        "The {year} progress goes to the {count} invitee(s) of meeting {id} as an agenda "
        "paper (with the figures of the moment it is sent).",
    ),
    "progress_year.agenda_paper": (
        "联席会议《{title}》（{time}）议程材料：{year} 年度联合抽查进度",
        'Agenda paper of the joint meeting "{title}" ({time}): joint spot checks {year}',
    ),
}
