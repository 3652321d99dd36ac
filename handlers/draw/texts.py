"""Texts of plans (the guided /newplan), the draw and its verification."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.draw": ("随机抽取检查对象和检查组", "Draw enterprises and inspector teams"),
    "cmd.newplan": ("新建抽查计划", "Create a spot-check plan"),
    "cmd.verify": ("验证一次抽取（/verify 编号）", "Verify a draw (/verify ID)"),
    "cmd.void": ("作废一次抽取（/void 编号 理由）", "Void a draw (/void ID reason)"),
    "cmd.plans": ("查看抽查计划", "List spot-check plans"),
    "date.bad": (
        "日期“{value}”无法识别，请写成 2026-12-01、2026/12/1 或 2026年12月1日。",
        'Cannot read the date "{value}"; write it like 2026-12-01 or 2026/12/1.',
    ),
    "plan.invalid": ("计划参数有误（{field}）：{reason}", "Invalid plan ({field}): {reason}"),
    "plan.bad_file": ("无法读取计划文件：{error}", "Cannot read the plan file: {error}"),
    "plan.unknown_items": (
        "抽查事项清单中没有这些事项：{codes}",
        "These items are not in the joint list: {codes}",
    ),
    "plan.inactive_items": ("这些事项已停用：{codes}", "These items are inactive: {codes}"),
    "plan.not_found": ("没有编号为 {id} 的抽查计划。", "There is no plan {id}."),
    "plan.none_open": (
        "目前没有待抽取的计划。发送 /newplan 新建。",
        "No plan is waiting for a draw. Send /newplan to create one.",
    ),
    "plan.line": ("{id}. {name}（{start} 至 {end}）", "{id}. {name} ({start} to {end})"),
    "draw.choose_plan": ("请选择要抽取的计划：", "Choose the plan to draw:"),
    "draw.preview_head": (
        "计划：{name}\n检查时间：{start} 至 {end}\n检查组人数：{team} 人；每人最多 {cap} 组",
        "Plan: {name}\nCheck window: {start} to {end}\nTeam size: {team}; "
        "at most {cap} team(s) per inspector",
    ),
    "draw.stratum": (
        "{risk} 类：名录 {n} 家，比例 {ratio}，抽取 {k} 家",
        "Class {risk}: {n} eligible, ratio {ratio}, drawing {k}",
    ),
    "draw.excluded_head": ("排除的企业：", "Enterprises excluded:"),
    "draw.excluded_inspectors_head": ("排除的检查人员：", "Inspectors excluded:"),
    "draw.officers_head": ("各部门可抽执法人员：", "Eligible officers per department:"),
    "draw.experts": ("可抽专家：{n} 人", "Eligible experts: {n}"),
    "draw.reason_line": ("  {reason}：{n}", "  {reason}: {n}"),
    "reason.status": ("非存续状态", "not active"),
    "reason.district": ("不在抽查区域", "outside the districts"),
    "reason.industry": ("不在抽查行业", "outside the industries"),
    "reason.object_type": ("不属抽查对象类型", "not an object type of the plan"),
    "reason.no_item": ("无适用的抽查事项", "no plan item applies"),
    "reason.recently_checked": ("近期已检查", "checked recently"),
    "reason.cert_expired": ("执法证在检查结束前到期", "certificate expires before the end"),
    "reason.department": ("所在部门不参与本计划", "department not in the plan"),
    "reason.status_on_leave": ("休假", "on leave"),
    "reason.status_left": ("已离岗", "left"),
    "draw.warn_no_officer": (
        "⚠ 部门 {department} 没有可抽的执法人员，涉及该部门的检查组将缺员并列明。",
        "⚠ Department {department} has no eligible officer; teams needing it will be short "
        "and say so.",
    ),
    "draw.warn_low_ratio": (
        "⚠ 本次抽取 {drawn} 家，低于名录 {total} 家的 3%（企业公示信息抽查的最低比例）。",
        "⚠ Drawing {drawn} of {total}, below the 3% minimum for disclosure checks.",
    ),
    "draw.warn_pool": (
        "⚠ 需要 {needed} 人次，执法人员最多可承担 {capacity} 人次：部分检查组将缺员并列明。",
        "⚠ {needed} places needed but officers can fill at most {capacity}; some teams "
        "will be short and say so.",
    ),
    "button.freeze": ("冻结名单并公布承诺", "Freeze and publish the commitment"),
    "button.cancel": ("取消", "Cancel"),
    "button.no_salt": ("不使用盐值", "No salt"),
    "button.draw_go": ("确认抽取", "Draw now"),
    "draw.frozen": (
        "【抽查名单冻结公告】\n计划：{name}\n检查对象名单哈希：{enterprise_snapshot}\n"
        "检查人员名单哈希：{inspector_snapshot}\n随机种子承诺：{commitment}\n"
        "抽取完成后将公布种子，任何人都可复核。",
        "[Draw freeze notice]\nPlan: {name}\nEnterprise list hash: {enterprise_snapshot}\n"
        "Inspector list hash: {inspector_snapshot}\nSeed commitment: {commitment}\n"
        "The seed is revealed after the draw so that anyone can re-check it.",
    ),
    "draw.ask_salt": (
        "请输入公开盐值（例如联席会议现场宣读的数字），或点击“不使用盐值”。",
        "Type the public salt (for example a number read out at the joint meeting), "
        "or press No salt.",
    ),
    "draw.confirm_salt": (
        "盐值：“{salt}”。确认后立即抽取，结果不可重抽。",
        'Salt: "{salt}". Drawing now is final; there is no re-draw.',
    ),
    "draw.confirm_no_salt": (
        "不使用盐值。确认后立即抽取，结果不可重抽。",
        "No salt. Drawing now is final; there is no re-draw.",
    ),
    "draw.cancelled_frozen": (
        "已退出。名单已冻结，随时发送 /draw 继续抽取（种子已承诺，不会改变）。",
        "Left. The lists stay frozen; send /draw to finish (the committed seed stays).",
    ),
    "draw.result_head": ("抽取完成（抽取编号 {id}）：", "Draw {id} is final:"),
    "draw.result_line": (
        "{n}. {enterprise}（{code}）\n   检查组：{team}",
        "{n}. {enterprise} ({code})\n   Team: {team}",
    ),
    "draw.lead_mark": ("（组长）", " (lead)"),
    "draw.expert_mark": ("（专家）", " (expert)"),
    "draw.short_line": ("   ⚠ 缺：{what}", "   ⚠ Missing: {what}"),
    "draw.unstaffed": (
        "   ⚠ 不足两名执法人员，未组成检查组",
        "   ⚠ Fewer than two officers: no team",
    ),
    "short.department": ("{value} 部门执法人员", "an officer of {value}"),
    "short.officers": ("执法人员（仅 {value} 名）", "officers (only {value})"),
    "short.experts": ("专家（仅 {value} 名）", "experts (only {value})"),
    "draw.announcement": (
        "【抽查公告】{name}\n检查时间：{start} 至 {end}\n抽取种子：{seed}\n盐值：{salt}\n"
        "共抽取 {count} 家：{enterprises}\n发送 /verify {id} 或运行 tools/verify_draw.py 可复核。",
        "[Spot-check notice] {name}\nCheck window: {start} to {end}\nSeed: {seed}\nSalt: {salt}\n"
        "{count} drawn: {enterprises}\nRe-check with /verify {id} or tools/verify_draw.py.",
    ),
    "draw.assigned": (
        "您有新的联合检查任务：{enterprise}（计划：{plan}，检查时间 {start} 至 {end}）。"
        "发送 /tasks 查看详情。",
        "New joint check for you: {enterprise} (plan {plan}, {start} to {end}). "
        "Send /tasks for details.",
    ),
    "draw.exists": (
        "计划 {plan} 已有一次{status}的抽取（编号 {draw}），不能重复抽取；如需重抽，请先作废。",
        "Plan {plan} already has a {status} draw ({draw}); void it first to draw again.",
    ),
    "draw.already_final": (
        "抽取 {id} 已经完成（可能由另一位协调员刚刚完成），结果不会改变。",
        "Draw {id} is already final (perhaps just done by another coordinator).",
    ),
    "draw.not_frozen": ("抽取 {id} 状态为 {status}，不能抽取。", "Draw {id} is {status}."),
    "draw.not_found": ("没有编号为 {id} 的抽取。", "There is no draw {id}."),
    "draw.not_drawn": (
        "抽取 {id} 尚未完成，种子保密，暂不能公开验证。",
        "Draw {id} is not done yet; the seed stays secret until then.",
    ),
    "draw.empty_population": (
        "计划 {plan} 没有符合条件的检查对象，无法抽取。",
        "Plan {plan} has no eligible enterprise.",
    ),
    "draw.salt_too_long": (
        "盐值过长（最多 {limit} 字）。",
        "The salt is too long (limit {limit}).",
    ),
    "draw.void_reason": (
        "作废必须写明理由：/void 编号 理由",
        "A reason is required: /void ID reason",
    ),
    "draw.already_voided": ("抽取 {id} 已作废。", "Draw {id} is already void."),
    "draw.voided": (
        "【抽取作废公告】抽取 {id} 已作废，理由：{reason}。重新抽取需重新冻结名单。",
        "[Void notice] Draw {id} is void: {reason}. A new draw needs a new freeze.",
    ),
    "draw.usage_verify": ("用法：/verify 抽取编号", "Usage: /verify DRAW_ID"),
    "draw.verified": (
        "抽取 {id} 的公开记录已重新计算：一致 / consistent。记录文件见附件。",
        "Draw {id} recomputed from its public record: consistent. The record is attached.",
    ),
    "draw.verify_failed": (
        "抽取 {id} 记录不一致：{difference}",
        "Draw {id} is inconsistent: {difference}",
    ),
    "newplan.ask_name": (
        "新建抽查计划。请输入计划名称（例如“2026年12月 餐饮住宿行业联合抽查”）：",
        "New spot-check plan. Type its name:",
    ),
    "newplan.ask_items": (
        "请选择抽查事项：输入编号，多个用空格或逗号分隔（例如 2 3 8）。\n{items}",
        "Choose the items: type their numbers separated by spaces or commas (e.g. 2 3 8).\n{items}",
    ),
    "newplan.item_line": (
        "{n}. {code} {name}（{departments}）",
        "{n}. {code} {name} ({departments})",
    ),
    "newplan.bad_items": (
        "无法识别的事项编号：{values}。请重新输入。",
        "Unknown item numbers: {values}. Please type them again.",
    ),
    "newplan.ask_window": (
        "请输入检查时间，例如 2026-12-01 至 2026-12-31：",
        "Type the check window, e.g. 2026-12-01 to 2026-12-31:",
    ),
    "newplan.bad_window": (
        "请写成“开始日期 至 结束日期”，结束不早于开始，且开始不早于今天。",
        'Write "start to end"; the end not before the start, the start not before today.',
    ),
    "newplan.ask_ratios": (
        "各风险等级的抽查比例（百分比）。默认 D 100%、C 20%、B 8%、A 1%；"
        "也可输入例如 D=100 C=30 B=10 A=2：",
        "Sampling ratio per risk class (percent). Default D 100%, C 20%, B 8%, A 1%; "
        "or type e.g. D=100 C=30 B=10 A=2:",
    ),
    "newplan.bad_ratios": (
        "比例格式有误。请写成 D=100 C=20 B=8 A=1，每项大于 0 且不超过 100。",
        "Cannot read the ratios. Write D=100 C=20 B=8 A=1, each above 0 and at most 100.",
    ),
    "newplan.ask_max": (
        "最多抽取多少家企业？输入数字，或点击“不限”。",
        "At most how many enterprises? Type a number or press No limit.",
    ),
    "newplan.bad_number": (
        "请输入 1 到 100000 之间的整数。",
        "Type a whole number from 1 to 100000.",
    ),
    "newplan.ask_team": (
        "每个检查组几名执法人员？（至少 2 名）",
        "Officers per team? (at least 2)",
    ),
    "newplan.summary": (
        "请确认：\n名称：{name}\n事项：{items}\n检查时间：{start} 至 {end}\n比例：{ratios}\n"
        "最多：{max}\n检查组：{team} 人，每人每批最多 1 组，近 365 天已查企业不再抽取。",
        "Please confirm:\nName: {name}\nItems: {items}\nCheck window: {start} to {end}\n"
        "Ratios: {ratios}\nAt most: {max}\nTeam: {team} officers, one team per inspector, "
        "enterprises checked in the last 365 days excluded.",
    ),
    "newplan.created": (
        "计划已创建（编号 {id}）。发送 /draw {id} 开始抽取。",
        "Plan {id} created. Send /draw {id} to draw it.",
    ),
    "button.default_ratios": ("使用默认比例", "Default ratios"),
    "button.no_limit": ("不限", "No limit"),
    "button.create": ("创建", "Create"),
    "button.team_size": ("{n} 人", "{n}"),
    "no_limit": ("不限", "no limit"),
}
