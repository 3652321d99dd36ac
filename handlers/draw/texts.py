"""Texts of plans (the guided /newplan), the draw and its verification."""

_PLAN_AND_DRAW: dict[str, tuple[str, str]] = {
    "cmd.draw": ("随机抽取检查对象和检查组", "Draw enterprises and inspector teams"),
    "cmd.newplan": ("新建抽查计划", "Create a spot-check plan"),
    "cmd.verify": ("验证一次抽取（/verify 编号）", "Verify a draw (/verify ID)"),
    "cmd.void": (
        "作废一次抽取（/void 编号 理由，确认后生效）",
        "Void a draw (/void ID reason, then confirm)",
    ),
    "cmd.cancel_task": (
        "取消单个检查任务（/cancel_task 任务编号 理由）",
        "Cancel one check (/cancel_task TASK_ID reason)",
    ),
    "cmd.substitute": (
        "更换检查组成员（/substitute 任务编号 证号或姓名 理由）",
        "Replace a team member (/substitute TASK_ID CERT_OR_NAME reason)",
    ),
    "cmd.supplement": (
        "补充抽取缺员的检查组（/supplement 抽取编号）",
        "Fill the short teams of a draw (/supplement DRAW_ID)",
    ),
    "cmd.plans": ("查看抽查计划", "List spot-check plans"),
    "date.bad": (
        "日期“{value}”无法识别，请写成 2026-12-01、2026/12/1 或 2026年12月1日。",
        'Cannot read the date "{value}"; write it like 2026-12-01 or 2026/12/1.',
    ),
    "plan.invalid": ("计划参数有误。", "Invalid plan."),
    # One text per field of a plan (services/draw/plans.py): what a valid value is.
    "plan.invalid.name": (
        "计划参数有误：计划名称须为 1 到 200 个字。",
        "Invalid plan: the name must have 1 to 200 characters.",
    ),
    "plan.invalid.items": (
        "计划参数有误：至少要有一个抽查事项（事项编号的列表）。",
        "Invalid plan: at least one item code is needed.",
    ),
    "plan.invalid.check_start": (
        "计划参数有误：检查开始日期须为日期，例如 2026-12-01。",
        "Invalid plan: the start must be a date such as 2026-12-01.",
    ),
    "plan.invalid.check_end": (
        "计划参数有误：检查结束日期须为日期，且不早于开始日期。",
        "Invalid plan: the end must be a date, not before the start.",
    ),
    "plan.invalid.districts": (
        "计划参数有误：抽查区域须为名称的列表。",
        "Invalid plan: the districts must be a list of names.",
    ),
    "plan.invalid.industries": (
        "计划参数有误：抽查行业须为名称的列表。",
        "Invalid plan: the industries must be a list of names.",
    ),
    "plan.invalid.object_types": (
        "计划参数有误：对象类型须为名称的列表。",
        "Invalid plan: the object types must be a list of names.",
    ),
    "plan.invalid.ratios": (
        "计划参数有误：抽查比例只能给 A、B、C、D 四类，每类为大于 0、不超过 1 的小数（如 0.08）。",
        "Invalid plan: ratios are for classes A, B, C and D only, each a decimal "
        "above 0 and at most 1 (e.g. 0.08).",
    ),
    "plan.invalid.min_count": (
        "计划参数有误：最少抽取数须为不小于 0 的整数。",
        "Invalid plan: the minimum must be a whole number of at least 0.",
    ),
    "plan.invalid.max_count": (
        "计划参数有误：最多抽取数须为不小于 1 的整数，且不少于最少抽取数。",
        "Invalid plan: the maximum must be a whole number of at least 1 and not below the minimum.",
    ),
    "plan.invalid.team_size": (
        "计划参数有误：检查组人数须为 2 到 10 的整数。",
        "Invalid plan: the team size must be a whole number from 2 to 10.",
    ),
    "plan.invalid.experts_per_team": (
        "计划参数有误：每组专家数须为 0 到 5 的整数。",
        "Invalid plan: experts per team must be a whole number from 0 to 5.",
    ),
    "plan.invalid.load_cap": (
        "计划参数有误：每人最多参加的检查组数须为 1 到 100 的整数。",
        "Invalid plan: the load cap must be a whole number from 1 to 100.",
    ),
    "plan.invalid.recent_window_days": (
        "计划参数有误：近期已查的天数须为 0 到 3650 的整数。",
        "Invalid plan: the recent window must be a whole number from 0 to 3650.",
    ),
    "plan.invalid.allow_overlap": (
        "计划参数有误：是否允许与其他计划重叠须为是或否。",
        "Invalid plan: allow_overlap must be true or false.",
    ),
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
    "reason.in_open_plan": (
        "已被检查期重叠的其他计划抽中",
        "drawn by another plan whose window overlaps",
    ),
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
    "draw.warn_competing": (
        "{count} 家企业已被检查期重叠的其他计划抽中，本计划不再抽取。"
        "同一企业的多部门联合事项应放在同一个计划中（确需重复检查时，计划可设 allow_overlap）。",
        "{count} enterprises were drawn by another plan whose window overlaps and are left out. "
        "Joint items of several departments for one enterprise belong in one plan (set "
        "allow_overlap on a plan that must check them again).",
    ),
    "draw.warn_staffing": (
        "⚠ 预计组成 {teams} 个检查组，以下人员不足，部分检查组将缺员并列明：",
        "⚠ About {teams} teams will be formed and these are short; some teams will be short "
        "and say so:",
    ),
    "draw.warn_department_short": (
        "  {department}：预计需 {needed} 人次，可抽执法人员 {officers} 人 × 每人最多 {cap} 组，"
        "约缺 {missing} 人",
        "  {department}: about {needed} places needed, {officers} eligible officer(s) × at most "
        "{cap} team(s) each; about {missing} officer(s) missing",
    ),
    "draw.warn_experts": (
        "  专家：需 {needed} 人次，最多可承担 {capacity} 人次",
        "  Experts: {needed} places needed, at most {capacity} can be filled",
    ),
    "button.freeze": ("冻结名单并公布承诺", "Freeze and publish the commitment"),
    "button.cancel": ("取消", "Cancel"),
    "button.no_salt": ("不使用盐值", "No salt"),
    "button.draw_go": ("确认抽取", "Draw now"),
    "draw.frozen": (
        "【抽查名单冻结公告】\n计划：{name}\n检查对象名单哈希：{enterprise_snapshot}\n"
        "检查人员名单哈希：{inspector_snapshot}\n随机种子承诺：{commitment}\n"
        "输入哈希（全部参数与名单）：{input_hash}\n"
        "抽取完成后将公布种子，任何人都可复核。",
        "[Draw freeze notice]\nPlan: {name}\nEnterprise list hash: {enterprise_snapshot}\n"
        "Inspector list hash: {inspector_snapshot}\nSeed commitment: {commitment}\n"
        "Input hash (every parameter and list): {input_hash}\n"
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
        "作废必须写明理由（2 至 500 字）：/void 编号 理由",
        "A reason (2 to 500 characters) is required: /void ID reason",
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
        "请写成“开始日期 至 结束日期”，结束不早于开始，且结束不早于今天。",
        'Write "start to end"; the end not before the start, the end not before today.',
    ),
    "newplan.past_start": (
        "注意：检查期自 {start} 起，已经开始。抽取仍在冻结之后进行。",
        "Note: the check window started on {start}, in the past. The draw still comes after "
        "the freeze.",
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
    "newplan.ask_districts": (
        "抽查哪些区域（乡镇、街道）？输入名称，多个用空格或逗号分隔；点击“默认”为全部区域。\n"
        "名录中的区域：{known}",
        "Which districts? Type their names separated by spaces or commas; Default is all.\n"
        "Districts in the directory: {known}",
    ),
    "newplan.ask_industries": (
        "抽查哪些行业？输入名称，多个用空格或逗号分隔；点击“默认”为全部行业。\n名录中的行业：{known}",
        "Which industries? Type their names separated by spaces or commas; Default is all.\n"
        "Industries in the directory: {known}",
    ),
    "newplan.ask_object_types": (
        "抽查哪些对象类型？输入名称，多个用空格或逗号分隔；点击“默认”为全部类型。\n"
        "名录中的类型：{known}",
        "Which object types? Type their names separated by spaces or commas; Default is all.\n"
        "Types in the directory: {known}",
    ),
    "newplan.none_known": ("（名录中尚无）", "(none in the directory yet)"),
    "newplan.unknown_names": (
        "名录中没有：{values}。请按名录中的写法重新输入，或点击“默认”。",
        "Not in the directory: {values}. Type them as the directory writes them, or press Default.",
    ),
    "newplan.ask_min_count": (
        "最少抽取多少家企业？输入数字；点击“默认”为 0（按比例抽取，不设下限）。",
        "At least how many enterprises? Type a number; Default is 0 (the ratios alone).",
    ),
    "newplan.ask_max": (
        "最多抽取多少家企业？输入数字，或点击“默认”（不限）。",
        "At most how many enterprises? Type a number or press Default (no limit).",
    ),
    "newplan.max_below_min": (
        "最多抽取数不能少于最少抽取数 {min}，请重新输入。",
        "The maximum cannot be below the minimum of {min}; type it again.",
    ),
    "newplan.bad_range": (
        "请输入 {low} 到 {high} 之间的整数。",
        "Type a whole number from {low} to {high}.",
    ),
    "newplan.ask_team": (
        "每个检查组几名执法人员？（2 到 10 名；点击“默认”为 2 名）",
        "Officers per team? (2 to 10; Default is 2)",
    ),
    "newplan.ask_experts_per_team": (
        "每个检查组配几名专家？输入 0 到 5；点击“默认”为 0（不配专家）。",
        "Experts per team? Type 0 to 5; Default is 0 (no expert).",
    ),
    "newplan.ask_load_cap": (
        "每名检查人员本次最多参加几个检查组？输入 1 到 100；点击“默认”为 1。",
        "At most how many teams per inspector in this plan? Type 1 to 100; Default is 1.",
    ),
    "newplan.ask_recent_window_days": (
        "近多少天内已检查过的企业不再抽取？输入 0 到 3650（0 为不排除）；点击“默认”为 365 天。",
        "Leave out enterprises checked in the last how many days? Type 0 to 3650 (0: none "
        "left out); Default is 365.",
    ),
    "newplan.ask_allow_overlap": (
        "是否允许抽取已被检查期重叠的其他计划抽中的企业？点击“默认”为否"
        "（同一企业的多部门联合事项应放在同一个计划中）。",
        "Allow enterprises already drawn by another plan whose window overlaps? Default is "
        "No (joint items of several departments for one enterprise belong in one plan).",
    ),
    "newplan.any": ("全部", "all"),
    "newplan.summary": (
        "请确认：\n名称：{name}\n事项：{items}\n检查时间：{start} 至 {end}\n区域：{districts}\n"
        "行业：{industries}\n对象类型：{object_types}\n比例：{ratios}\n最少：{min}\n最多：{max}\n"
        "检查组：{team} 名执法人员，{experts} 名专家\n每人最多参加：{cap} 组\n"
        "近 {recent} 天已查企业不再抽取\n允许与其他计划重叠：{overlap}",
        "Please confirm:\nName: {name}\nItems: {items}\nCheck window: {start} to {end}\n"
        "Districts: {districts}\nIndustries: {industries}\nObject types: {object_types}\n"
        "Ratios: {ratios}\nAt least: {min}\nAt most: {max}\n"
        "Team: {team} officers, {experts} experts\nTeams per inspector: at most {cap}\n"
        "Enterprises checked in the last {recent} days excluded\n"
        "Overlap with other plans allowed: {overlap}",
    ),
    "newplan.created": (
        "计划已创建（编号 {id}）。发送 /draw {id} 开始抽取。",
        "Plan {id} created. Send /draw {id} to draw it.",
    ),
    "button.default": ("默认", "Default"),
    "button.yes": ("是", "Yes"),
    "button.no": ("否", "No"),
    "button.no_limit": ("不限", "No limit"),
    "button.create": ("创建", "Create"),
    "button.team_size": ("{n} 人", "{n}"),
    "no_limit": ("不限", "no limit"),
}

# Voiding a draw, cancelling one check, substitutions and supplementary draws.
_AMEND: dict[str, tuple[str, str]] = {
    "draw.void_confirm": (
        "确认作废抽取 {id}？理由：{reason}\n将结束的检查任务：\n{states}\n"
        "作废后各检查组成员会收到通知，待发的任务和期限提醒将撤回；重新抽取需重新冻结名单。",
        "Void draw {id}? Reason: {reason}\nChecks that will end:\n{states}\n"
        "Every team member is told, pending task and deadline reminders are withdrawn; "
        "a new draw needs a new freeze.",
    ),
    "draw.void_state": ("  {state}：{n}", "  {state}: {n}"),
    "draw.void_nothing": ("  （没有检查任务）", "  (no checks)"),
    "button.void_go": ("确认作废", "Void it"),
    "draw.void_handed_in": (
        "抽取 {id} 已有 {n} 份检查记录提交、审核或公示，不能作废。"
        "可用 /cancel_task 取消尚未完成的单个任务，或用 /substitute 更换检查人员。",
        "Draw {id} has {n} record(s) submitted, approved or published and cannot be voided. "
        "Cancel single unfinished checks with /cancel_task, or replace inspectors with "
        "/substitute.",
    ),
    "draw.task_voided": (
        "抽取作废通知：您对 {enterprise} 的检查任务（任务 {id}，计划“{plan}”）已取消，"
        "原因：{reason}。请勿前往检查。",
        "Draw voided: your check of {enterprise} (task {id}, plan {plan}) is cancelled: "
        "{reason}. Do not go.",
    ),
    "cancel_task.usage": (
        "用法：/cancel_task 任务编号 理由（理由 2 至 500 字）",
        "Usage: /cancel_task TASK_ID reason (2 to 500 characters)",
    ),
    "task.cancel_reason": (
        "取消必须写明理由（2 至 500 字）：/cancel_task 任务编号 理由",
        "A reason (2 to 500 characters) is required: /cancel_task TASK_ID reason",
    ),
    "task.already_cancelled": ("任务 {id} 已取消。", "Task {id} is already cancelled."),
    "task.cancel_not_final": (
        "任务 {id} 所属的抽取已作废或未完成，不能取消。",
        "Task {id} does not belong to a final draw; it cannot be cancelled.",
    ),
    "task.cancel_handed_in": (
        "任务 {id} 的检查记录已提交、审核或公示，不能取消；请在审核中处理。",
        "The record of task {id} was submitted, approved or published; it cannot be "
        "cancelled. Handle it in the review.",
    ),
    "task.cancelled": (
        "任务取消通知：您对 {enterprise} 的检查任务（任务 {id}，计划“{plan}”）已取消，"
        "原因：{reason}。已填写的记录会保留。",
        "Check cancelled: your check of {enterprise} (task {id}, plan {plan}) is "
        "cancelled: {reason}. What was recorded is kept.",
    ),
    "cancel_task.done": (
        "任务 {id} 已取消，检查组成员已收到通知，已填写的记录保留。",
        "Task {id} is cancelled; its team is told and any record is kept.",
    ),
    "task.cancel_announcement": (
        "【检查任务取消公告】抽取 {id} 中对 {enterprise} 的检查已取消，理由：{reason}。",
        "[Check cancelled] The check of {enterprise} in draw {id} is cancelled: {reason}.",
    ),
    "sub.usage": (
        "用法：/substitute 任务编号 执法证号或姓名 理由（理由以 病假、离职、回避 或 其他 开头）",
        "Usage: /substitute TASK_ID CERT_OR_NAME reason (starting with sick, left, "
        "recusal or other)",
    ),
    "sub.reason": (
        "更换必须写明理由（2 至 500 字），以 病假、离职、回避 或 其他 开头。",
        "A reason (2 to 500 characters) is required, starting with sick, left, recusal or other.",
    ),
    "sub.not_live": (
        "任务 {id} 已取消、已作废、未组成检查组或已提交，不能更换人员。",
        "Task {id} is cancelled, void, without a team or handed in; its team cannot change.",
    ),
    "sub.record_entered": (
        "任务 {id} 的检查记录已开始填报，不能再更换人员。",
        "The record of task {id} has been started; its team can no longer change.",
    ),
    "sub.not_member": (
        "{who} 不是任务 {id} 检查组的成员。",
        "{who} is not in the team of task {id}.",
    ),
    "sub.no_candidate": (
        "没有人可以替换任务 {id} 中的 {who}：同部门、无回避、未达任务上限的人员已用尽。"
        "可以保留原检查组，或用 /cancel_task 取消该任务。",
        "Nobody can replace {who} in task {id}: no one of the same department, without a "
        "recusal and under the load cap is left. Keep the team, or cancel the check with "
        "/cancel_task.",
    ),
    "sub.done": (
        "已更换（修订 {seq}）：任务 {id} 中 {removed_name}（{removed}）由 {added_name}（{added}）"
        "替换。替换人按公开排序产生，可用 /verify 复核。",
        "Done (amendment {seq}): in task {id}, {removed_name} ({removed}) is replaced by "
        "{added_name} ({added}), chosen by the published ranking; /verify re-checks it.",
    ),
    "sub.removed_notice": (
        "人员调整通知：您不再参加对 {enterprise} 的检查（任务 {id}，计划“{plan}”），"
        "原因：{reason}。",
        "Team change: you no longer take part in the check of {enterprise} (task {id}, "
        "plan {plan}): {reason}.",
    ),
    "sub.team_notice": (
        "检查组调整通知：对 {enterprise} 的检查（任务 {id}，计划“{plan}”）中，"
        "{removed} 由 {added} 替换。",
        "Team change: in the check of {enterprise} (task {id}, plan {plan}), {removed} is "
        "replaced by {added}.",
    ),
    "sub.announced": (
        "【检查人员调整公告】抽取 {id} 修订 {seq}：{enterprise} 检查组中 {removed} 由 {added} "
        "替换，理由：{reason}。发送 /verify {id} 可复核。",
        "[Team change] Draw {id}, amendment {seq}: in the team for {enterprise}, {removed} "
        "is replaced by {added}: {reason}. Re-check with /verify {id}.",
    ),
    "sub.proposed_recusal": (
        "需要更换人员：{name}（{cert}）与任务 {id}（{enterprise}）新增了回避关系。"
        "点击按钮按公开排序更换，或发送 /substitute {id} {cert} 回避。",
        "A substitution is due: {name} ({cert}) now has a recusal for task {id} "
        "({enterprise}). Press the button to replace them by the ranking, or send "
        "/substitute {id} {cert} recusal.",
    ),
    "sub.proposed_left": (
        "需要更换人员：任务 {id}（{enterprise}）的 {name}（{cert}）已离岗。"
        "点击按钮按公开排序更换，或发送 /substitute {id} {cert} 离职。",
        "A substitution is due: {name} ({cert}) of task {id} ({enterprise}) has left. "
        "Press the button to replace them by the ranking, or send /substitute {id} {cert} "
        "left.",
    ),
    "sub.proposed_on_leave": (
        "需要更换人员：任务 {id}（{enterprise}）的 {name}（{cert}）正在休假。"
        "点击按钮按公开排序更换，或发送 /substitute {id} {cert} 其他 休假。",
        "A substitution is due: {name} ({cert}) of task {id} ({enterprise}) is on leave. "
        "Press the button to replace them by the ranking, or send /substitute {id} {cert} "
        "other on leave.",
    ),
    "sub.proposed_cert_expired": (
        "需要更换人员：任务 {id}（{enterprise}）的 {name}（{cert}）执法证在检查结束前到期。"
        "点击按钮按公开排序更换，或发送 /substitute {id} {cert} 其他 证件到期。",
        "A substitution is due: the certificate of {name} ({cert}) of task {id} "
        "({enterprise}) ends before the check does. Press the button to replace them by the "
        "ranking, or send /substitute {id} {cert} other certificate.",
    ),
    "sub.button_do": ("按公开排序更换", "Replace by the ranking"),
    "supp.usage": ("用法：/supplement 抽取编号", "Usage: /supplement DRAW_ID"),
    "supp.not_final": (
        "抽取 {id} 不是已完成的抽取，不能补充抽取。",
        "Draw {id} is not final; it cannot be supplemented.",
    ),
    "supp.none_short": (
        "抽取 {id} 没有可补充的检查组（缺员且记录尚未填报的）。",
        "Draw {id} has no team to fill (short, with no record started).",
    ),
    "supp.already_frozen": (
        "抽取 {id} 已有一次冻结的补充抽取，发送 /supplement {id} 完成它。",
        "Draw {id} already has a frozen supplementary draw; send /supplement {id} to finish it.",
    ),
    "supp.not_frozen": (
        "抽取 {id} 没有待完成的补充抽取。",
        "Draw {id} has no frozen supplementary draw.",
    ),
    "supp.preview": (
        "补充抽取（抽取 {id}）：缺员的检查组 {short} 个，未组成的 {unformed} 个。\n"
        "目前可抽执法人员 {officers} 人，专家 {experts} 人。\n"
        "先冻结人员名单并公布新种子的承诺，再按同一规则只补缺员的检查组；抽中的企业不变。",
        "Supplementary draw (draw {id}): {short} team(s) short, {unformed} without a team.\n"
        "Eligible now: {officers} officer(s), {experts} expert(s).\n"
        "The inspector list is frozen and a new seed's commitment published first; then the "
        "short teams alone are filled by the same rule. The enterprises drawn do not change.",
    ),
    "supp.frozen": (
        "【补充抽取冻结公告】抽取 {id}\n检查人员名单哈希：{snapshot}（{count} 人）\n"
        "新种子承诺：{commitment}\n补充抽取完成后将公布种子，任何人都可复核。",
        "[Supplementary draw freeze notice] Draw {id}\nInspector list hash: {snapshot} "
        "({count})\nNew seed commitment: {commitment}\nThe seed is revealed once the teams "
        "are filled, so that anyone can re-check it.",
    ),
    "supp.left_frozen": (
        "已退出。补充抽取的名单已冻结，发送 /supplement {id} 继续（种子已承诺，不会改变）。",
        "Left. The supplementary draw stays frozen; send /supplement {id} to finish it "
        "(the committed seed stays).",
    ),
    "supp.formed": (
        "【补充抽取公告】抽取 {id} 修订 {seq}：补足检查组 {filled} 个，仍缺员 {short} 个。\n"
        "种子：{seed}\n盐值：{salt}\n发送 /verify {id} 或运行 tools/verify_draw.py 可复核。",
        "[Supplementary draw] Draw {id}, amendment {seq}: {filled} team(s) filled, {short} "
        "still short.\nSeed: {seed}\nSalt: {salt}\nRe-check with /verify {id} or "
        "tools/verify_draw.py.",
    ),
    "supp.result_head": (
        "补充抽取完成（抽取 {id}，修订 {seq}）：",
        "Supplementary draw done (draw {id}, amendment {seq}):",
    ),
    "supp.nothing_filled": ("  （没有需要补充的检查组）", "  (no team needed filling)"),
    # The annual joint plan (handlers/draw/annual.py, services/draw/annual*.py).
    "annual.cmd": (
        "年度联合抽查计划：导入、查看、生成批次（/annualplan [编号]）",
        "The annual joint plan: import, show, make batches (/annualplan [ID])",
    ),
    "annual.usage": (
        "用法：/annualplan（随后发送计划文件）、/annualplan 编号、/annualplan batches 编号。",
        "Usage: /annualplan (then send the plan's file), /annualplan ID, /annualplan batches ID.",
    ),
    "annual.ask_file": (
        "请发送年度联合抽查计划文件（.xlsx 或 .csv）。表头：序号、事项编码、发起部门、配合部门、"
        "抽查比例、抽查频次、季度/时间窗口；表格上方写明发文文号和年度（或作为两列）。"
        "模板见 examples/annual_plan.csv。",
        "Send the annual joint plan's file (.xlsx or .csv). Columns: 序号, 事项编码, 发起部门, "
        "配合部门, 抽查比例, 抽查频次, 季度/时间窗口; the document number (发文文号) and year "
        "(年度) above the table (or as two columns). Template: examples/annual_plan.csv.",
    ),
    "annual.none": ("还没有导入年度联合抽查计划。", "No annual joint plan imported yet."),
    "annual.list_head": ("已导入的年度联合抽查计划：", "Annual joint plans imported:"),
    "annual.list_line": (
        "{id}. {year} 年度 {doc_number}《{title}》",
        '{id}. {year}: {doc_number} "{title}"',
    ),
    "annual.not_found": ("没有编号为 {id} 的年度计划。", "There is no annual plan {id}."),
    "annual.check_head": (
        "文件：{file}\n《{title}》 发文文号 {doc_number}，{year} 年度，{rows} 行",
        'File: {file}\n"{title}", document {doc_number}, year {year}, {rows} rows',
    ),
    "annual.problems_head": (
        "发现 {n} 个问题，整份计划未导入（改正后重新发送）：",
        "{n} problem(s) found; nothing of the plan is imported (correct and send it again):",
    ),
    "annual.notes_head": ("提示（不影响导入）：", "Notes (the import is not refused):"),
    "annual.note.cooperating_left_out": (
        "事项清单中的配合部门 {names} 未写入本行，仍按事项清单参加检查",
        "the item list's cooperating department(s) {names} are not in this row; they still "
        "take part as the item list says",
    ),
    "annual.refused": ("未导入。", "Not imported."),
    "annual.confirm": ("检查通过，确认导入吗？", "All rows are fine. Import the plan?"),
    "annual.button_import": ("确认导入", "Import"),
    "annual.button_batches": ("按行生成批次", "Make the batches"),
    "annual.imported": (
        "已导入年度计划 {id}（{rows} 行）。"
        "发送 /annualplan batches {id} 按行生成抽查计划（批次）。",
        "Annual plan {id} imported ({rows} rows). Send /annualplan batches {id} to make a "
        "plan (batch) of each row.",
    ),
    "annual.no_header": (
        "前 10 行中找不到表头（须含：{columns}）。",
        "No header row in the first 10 lines (it needs: {columns}).",
    ),
    "annual.no_rows": ("表头下没有任何计划行。", "There are no rows under the header."),
    "annual.too_many_rows": (
        "计划行超过 {limit} 行，这不像年度计划文件。",
        "More than {limit} rows: this is not an annual plan's file.",
    ),
    "annual.no_doc_number": (
        "没有找到发文文号：请在表格上方写“发文文号：……”，或加一列“发文文号”。",
        'No document number: write "发文文号：..." above the table or add a column 发文文号.',
    ),
    "annual.doc_number_long": (
        "发文文号超过 {limit} 个字符。",
        "The document number is longer than {limit} characters.",
    ),
    "annual.no_year": (
        "没有找到年度：请在表格上方写“年度：2026”，或加一列“年度”。",
        'No year: write "年度：2026" above the table or add a column 年度.',
    ),
    "annual.already_imported": (
        "发文文号 {doc_number} 的年度计划已导入（编号 {id}），同一文号不再重复导入；"
        "计划有变化请以新的文号发文。",
        "The annual plan numbered {doc_number} is imported already (annual plan {id}); a "
        "document number is imported once: a changed plan comes with a new number.",
    ),
    "annual.reason.empty": ("不能为空", "must not be empty"),
    "annual.reason.other_document": (
        "与本计划的 {value} 不一致",
        "differs from this plan's {value}",
    ),
    "annual.reason.bad_seq": ("序号应为 1 到 9999 的整数", "must be a whole number 1 to 9999"),
    "annual.reason.duplicate_seq": ("序号与第 {row} 行重复", "same number as row {row}"),
    "annual.reason.unknown_item": (
        "事项清单中没有这个事项编码",
        "no item of the item list has this code",
    ),
    "annual.reason.inactive_item": ("该事项已停用", "the item is no longer in use"),
    "annual.reason.unknown_department": (
        "没有这个部门（编码或名称）",
        "no department has this code or name",
    ),
    "annual.reason.not_initiator": (
        "事项清单中该事项的发起部门是 {department}",
        "the item list names {department} as the item's initiating department",
    ),
    "annual.reason.unknown_cooperating": ("没有部门“{name}”", 'no department "{name}"'),
    "annual.reason.not_in_item": (
        "{name} 不是事项清单中该事项的部门，请先更新事项清单",
        "{name} takes no part in this item in the item list; update the item list first",
    ),
    "annual.reason.no_ratio": (
        "没有抽查比例，事项清单中也没有",
        "no ratio here and none in the item list",
    ),
    "annual.reason.bad_ratio": (
        "抽查比例应写成 5% 或 0.05（大于 0，不超过 100%）",
        "write the ratio as 5% or 0.05 (above 0, at most 100%)",
    ),
    "annual.reason.too_long": ("超过 {limit} 个字", "longer than {limit} characters"),
    "annual.reason.bad_window": (
        "应写季度（第二季度、Q2）、上半年/下半年/全年、月份（3-5月）或起止日期"
        "（2026-03-01至2026-05-31）",
        "write a quarter (第二季度, Q2), 上半年/下半年/全年, months (3-5月) or two dates "
        "(2026-03-01至2026-05-31)",
    ),
    "annual.reason.window_outside_year": (
        "不在计划年度 {year} 年内",
        "not within the plan's year {year}",
    ),
    "annual.show_head": (
        "年度计划 {id}：《{title}》 发文文号 {doc_number}，{year} 年度，{rows} 行",
        'Annual plan {id}: "{title}", document {doc_number}, year {year}, {rows} rows',
    ),
    "annual.row_line": (
        "{seq}. {code} {item}｜发起：{initiating}｜配合：{cooperating}｜比例 {ratio}｜"
        "频次 {frequency}｜{window}｜{batch}",
        "{seq}. {code} {item} | initiating: {initiating} | cooperating: {cooperating} | "
        "ratio {ratio} | frequency {frequency} | {window} | {batch}",
    ),
    "annual.no_batch": ("未生成批次", "no batch yet"),
    "annual.batch": ("批次：计划 {id}（{number}）", "batch: plan {id} ({number})"),
    "annual.batches_head": (
        "年度计划 {id} 的批次：新生成 {new} 个，已有 {kept} 个。",
        "Batches of annual plan {id}: {new} made now, {kept} made before.",
    ),
    "annual.batch_line": (
        "{seq}. 计划 {id}（{number}）{name}{mark}",
        "{seq}. plan {id} ({number}) {name}{mark}",
    ),
    "annual.batch_new": ("（新生成）", " (new)"),
    "annual.batch_kept": ("（已有）", " (made before)"),
    "annual.batches_hint": (
        "发送 /draw 计划编号 预览并抽取；/progress year 查看全年进度。",
        "Send /draw PLAN_ID to preview and draw; /progress year shows the year's progress.",
    ),
}

TEXTS: dict[str, tuple[str, str]] = {**_PLAN_AND_DRAW, **_AMEND}
