"""Texts of the records feature: tasks, field records, follow-up, review and publication."""

_COMMANDS: dict[str, tuple[str, str]] = {
    "cmd.tasks": ("查看我的检查任务", "My inspection tasks"),
    "cmd.record": ("填报检查记录（/record 任务编号）", "Enter a check record (/record TASK_ID)"),
    "cmd.progress": (
        "查看计划进度（/progress 计划编号；年度计划 /progress year [年份]）",
        "Plan progress (/progress PLAN_ID; the annual plan: /progress year [YEAR])",
    ),
    "cmd.review": ("审核检查记录", "Review submitted records"),
    "cmd.publish": ("公示已审核的结果", "Publish approved results"),
    "cmd.followup": ("整改复查与案件办结", "Re-inspections and case closing"),
}

_STATUS: dict[str, tuple[str, str]] = {
    "status.not_entered": ("未填报", "not entered"),
    "status.draft": ("填报中", "draft"),
    "status.awaiting_review": ("待审核", "awaiting review"),
    "status.returned": ("已退回", "returned"),
    "status.approved": ("已审核", "approved"),
    "status.published": ("已公示", "published"),
    "astatus.pending": ("待检查", "to do"),
    "astatus.in_progress": ("检查中", "in progress"),
    "astatus.submitted": ("已提交", "submitted"),
    "astatus.closed": ("已办结", "closed"),
    "astatus.void": ("已作废", "void"),
    "astatus.unstaffed": ("未组成检查组", "no team"),
    "astatus.cancelled": ("已取消", "cancelled"),
    "nstatus.open": ("整改中", "open"),
    "nstatus.corrected": ("已整改", "corrected"),
    "nstatus.extended": ("已延期", "extended"),
    "nstatus.not_corrected": ("未整改", "not corrected"),
    "nstatus.case_filed": ("已立案", "case filed"),
    "cstatus.open": ("办理中", "open"),
    "cstatus.closed": ("已结案", "closed"),
}

_TASKS: dict[str, tuple[str, str]] = {
    "task.none": (
        "您目前没有检查任务。抽取完成后，分到您的任务会出现在这里。",
        "You have no inspection tasks. Tasks drawn for you will appear here.",
    ),
    "task.head": (
        "我的检查任务（第 {page}/{pages} 页，共 {total} 项，未完成的在前）：",
        "My inspection tasks (page {page}/{pages}, {total} in all, open ones first):",
    ),
    "task.line": (
        "【{id}】{enterprise}（{code}）〔{status}〕\n  计划：{plan}\n"
        "  地址：{address}\n  联系人：{contact}\n  检查事项：{items}\n"
        "  检查组：{team}\n  检查时间：{start} 至 {end}",
        "[{id}] {enterprise} ({code}) [{status}]\n  Plan: {plan}\n"
        "  Address: {address}\n  Contact: {contact}\n  Items: {items}\n"
        "  Team: {team}\n  Check window: {start} to {end}",
    ),
    "task.button_record": ("填报：{enterprise}", "Record: {enterprise}"),
    "task.cancelled_line": ("  已取消，理由：{reason}", "  Cancelled: {reason}"),
    "task.button_prev": ("上一页", "Previous"),
    "task.button_next": ("下一页", "Next"),
    "task.not_found": ("没有编号为 {id} 的检查任务。", "There is no task {id}."),
    "task.not_yours": (
        "任务 {id} 不属于您所在的检查组，无法查看或填报。此次尝试已记录。",
        "Task {id} belongs to another team; you cannot see or record it. "
        "This attempt has been logged.",
    ),
    "progress.usage": ("用法：/progress 计划编号", "Usage: /progress PLAN_ID"),
    "progress.head": (
        "计划【{id}】{name} 进度：共 {total} 家\n{counts}",
        "Plan [{id}] {name}: {total} enterprises\n{counts}",
    ),
    "progress.count": ("{status} {n}", "{status} {n}"),
    "progress.line": (
        "{n}.【任务 {id}】{enterprise}｜{team}｜{status}{due}",
        "{n}. [task {id}] {enterprise} | {team} | {status}{due}",
    ),
    "progress.due": ("｜公示期限 {date}", " | publish by {date}"),
    "progress.none": ("计划 {id} 还没有完成的抽取。", "Plan {id} has no final draw yet."),
    "card.none": ("无", "none"),
    "list.more": ("……另有 {n} 项未列出。", "... and {n} more."),
}

_RECORD: dict[str, tuple[str, str]] = {
    "record.usage": ("用法：/record 任务编号（发送 /tasks 查看编号）", "Usage: /record TASK_ID"),
    "record.none_open": (
        "您没有待填报的检查任务。发送 /tasks 查看全部任务。",
        "You have no record to enter. Send /tasks to see all your tasks.",
    ),
    "record.choose": ("请选择要填报的检查任务：", "Choose the task to record:"),
    "record.started": (
        "开始填报：{enterprise}。检查日期记为 {date}（可在汇总页修改）。记录随填随存，"
        "中途退出后发送 /record {id} 可继续。",
        "Recording {enterprise}. Check date {date} (change it on the summary). Every answer "
        "is saved as you go; send /record {id} to continue later.",
    ),
    "record.resumed": ("继续填报：{enterprise}。", "Continuing the record of {enterprise}."),
    "record.saved": (
        "已暂存。发送 /record {id} 可随时继续填报。",
        "Saved. Send /record {id} to continue at any time.",
    ),
    "record.use_buttons": ("请点击下方按钮选择。", "Please choose with the buttons below."),
    "record.file_not_now": (
        "现在不需要文件：请先添加问题，在“上传照片”这一步发送照片。",
        "No file is expected now: add a problem first and send photos at its photo step.",
    ),
    "record.ask_categories": (
        "请选择检查结果类别（可多选），选好后点“完成”。\n已选：{chosen}",
        "Choose the result categories (several may apply), then press Done.\nChosen: {chosen}",
    ),
    "record.button.done": ("完成", "Done"),
    "record.button.leave": ("暂存退出", "Save and leave"),
    "record.button.back": ("返回汇总", "Back to summary"),
    "record.ask_problems": (
        "已记录问题 {n} 个。是否还有发现的问题？",
        "{n} problem(s) recorded. Any (more) problems found?",
    ),
    "record.button.add_problem": ("添加问题", "Add a problem"),
    "record.button.no_more": ("没有（更多）问题", "No (more) problems"),
    "record.ask_item": ("这个问题涉及哪个检查事项？", "Which item does this problem concern?"),
    "record.button.no_item": ("不针对具体事项", "No particular item"),
    "record.button.cancel_problem": ("放弃此问题", "Drop this problem"),
    "record.ask_description": ("请描述发现的问题：", "Describe the problem found:"),
    "record.problem_saved": ("问题 {n} 已记录。", "Problem {n} recorded."),
    "record.ask_basis": (
        "请输入该问题的法律依据（如《食品安全法》第五十四条），或点击下方按钮。",
        "Type the legal basis of this problem, or use a button below.",
    ),
    "record.button.item_basis": ("采用事项依据：{basis}", "Use the item's basis: {basis}"),
    "record.button.no_basis": ("暂不填写", "Leave empty"),
    "record.ask_photos": (
        "请发送现场照片或文件（可多张；JPEG、PNG、PDF，单个不超过 {limit}），"
        "发送完毕点“完成”。本问题已有 {n} 张。",
        "Send photos or files (several; JPEG, PNG, PDF, at most {limit} each), then press "
        "Done. This problem has {n} so far.",
    ),
    "record.photo_saved": (
        "已保存第 {n} 张（SHA-256 {sha}…，{size}）。",
        "Saved photo {n} (SHA-256 {sha}…, {size}).",
    ),
    "record.photo_duplicate": (
        "这张照片已经上传过（SHA-256 {sha}…），未重复保存。",
        "This photo was already attached (SHA-256 {sha}…); it was not stored again.",
    ),
    "record.ask_measures": (
        "处理措施：已下达整改通知 {notices} 份，立案 {cases} 件，移送线索 {clues} 条。",
        "Measures: {notices} order(s) to correct, {cases} case(s), {clues} clue(s) transferred.",
    ),
    "record.button.order": ("责令整改", "Order to correct"),
    "record.button.case": ("立案查处", "File a case"),
    "record.button.clue": ("移送线索", "Transfer a clue"),
    "record.button.measures_done": ("完成，查看汇总", "Done, show the summary"),
    "record.button.measures_back": ("返回", "Back"),
    "record.ask_notice_number": (
        "责令整改通知书编号：建议 {proposal}。点击使用建议编号（保存时按顺序分配），"
        "或直接输入编号。",
        "Notice number: {proposal} is proposed. Press to use the next number (allocated "
        "when saved), or type a number.",
    ),
    "record.button.auto_number": ("使用建议编号", "Use the proposed number"),
    "record.ask_issue_date": (
        "通知书下达日期？（如 2026-12-01）",
        "Date the notice was issued? (e.g. 2026-12-01)",
    ),
    "record.button.today": ("今天（{date}）", "Today ({date})"),
    "record.ask_deadline": (
        "整改期限？默认为下达后 {days} 个工作日：{date}。也可直接输入日期。",
        "Deadline? By default {days} working days after issue: {date}. Or type a date.",
    ),
    "record.button.default_deadline": ("使用默认期限 {date}", "Use the default {date}"),
    "record.fallback": (
        "⚠ {years} 年的法定节假日尚未公布，该期限按周一至周五推算，请留意调休。",
        "⚠ The official holidays of {years} are not announced yet; this date counts "
        "Monday to Friday only. Check it when the calendar is published.",
    ),
    "record.notice_saved": (
        "责令整改通知书 {number} 已记录：下达 {issued}，期限 {deadline}。",
        "Order to correct {number} recorded: issued {issued}, deadline {deadline}.",
    ),
    "record.ask_case_number": ("请输入立案案号：", "Type the case number:"),
    "record.ask_filed_on": ("立案日期？", "Date the case was filed?"),
    "record.case_saved": (
        "案件 {number} 已记录：立案 {filed}，应于 {due} 前作出处理决定。",
        "Case {number} recorded: filed {filed}, decision due by {due}.",
    ),
    "record.ask_department": ("线索移送给哪个部门？", "Transfer the clue to which department?"),
    "record.ask_clue": ("请简述移送的线索：", "Describe the clue:"),
    "record.clue_saved": (
        "线索已记录，移送 {department}。",
        "Clue recorded, sent to {department}.",
    ),
    "record.ask_date": (
        "检查日期？（如 2026-12-01，不能晚于今天）",
        "Date of the check? (e.g. 2026-12-01, not after today)",
    ),
    "record.date_saved": ("检查日期已改为 {date}。", "Check date set to {date}."),
    "record.ask_remove": ("选择要删除的条目：", "Choose the entry to remove:"),
    "record.removed": ("已删除。", "Removed."),
    "record.button.submit": ("确认提交审核", "Confirm and submit"),
    "record.button.finish": ("完成修改", "Finish editing"),
    "record.button.categories": ("修改结果类别", "Edit categories"),
    "record.button.measures": ("处理措施", "Measures"),
    "record.button.date": ("修改检查日期", "Edit check date"),
    "record.button.remove": ("删除条目", "Remove an entry"),
    "record.button.del_problem": ("删除问题 {n}", "Remove problem {n}"),
    "record.button.del_notice": ("删除通知 {number}", "Remove notice {number}"),
    "record.button.del_case": ("删除案件 {number}", "Remove case {number}"),
    "record.button.del_clue": ("删除线索（{department}）", "Remove clue ({department})"),
    "record.submitted": (
        "已提交审核：{enterprise}。提交后只有协调员可以修改。公示期限：{due}。",
        "Submitted for review: {enterprise}. Only a coordinator can change it now. "
        "Publish by {due}.",
    ),
    "record.finished": ("修改已保存并记入审计日志。", "Changes saved and audited."),
    "card.head": ("【检查记录】{enterprise}（{code}）", "[Check record] {enterprise} ({code})"),
    "card.department": (
        "检查实施机关：{department}（本部门的部分）",
        "Implementing authority: {department} (this department's part)",
    ),
    "card.meta": (
        "计划：{plan}\n检查日期：{date}　状态：{status}\n检查组：{team}\n检查事项：{items}",
        "Plan: {plan}\nCheck date: {date}  Status: {status}\nTeam: {team}\nItems: {items}",
    ),
    "card.categories": ("结果类别：{categories}", "Result categories: {categories}"),
    "card.problems": ("发现问题：{n} 个", "Problems found: {n}"),
    "card.problem": (
        "  {n}.【{item}】{description}\n     依据：{basis}；照片 {photos} 张",
        "  {n}. [{item}] {description}\n     Basis: {basis}; {photos} photo(s)",
    ),
    "card.notice": (
        "整改通知：{number}，下达 {issued}，期限 {deadline}（{status}）",
        "Order to correct: {number}, issued {issued}, deadline {deadline} ({status})",
    ),
    "card.case": (
        "立案：{number}，立案 {filed}，应于 {due} 前作出决定（{status}）",
        "Case: {number}, filed {filed}, decision due {due} ({status})",
    ),
    "card.clue": ("移送线索：{department}：{description}", "Clue to {department}: {description}"),
    "card.returned": ("退回理由：{reason}", "Returned because: {reason}"),
    "card.due": (
        "公示期限：{date}（检查结束后 20 个工作日）",
        "Publish by {date} (20 working days)",
    ),
    "record.not_found": ("没有编号为 {id} 的检查记录。", "There is no record {id}."),
    "record.problem_not_found": ("没有编号为 {id} 的问题。", "There is no problem {id}."),
    "record.entry_not_found": (
        "该条目已不存在（编号 {id}）。",
        "That entry no longer exists ({id}).",
    ),
    "record.assignment_closed": (
        "任务 {id} 已作废或未组成检查组，不能填报。",
        "Task {id} is void or has no team; it cannot be recorded.",
    ),
    "part.started": (
        "这是{department}的部分：只填本部门事项的结果，由本部门审核、公示。",
        "This is the part of {department}: only its own items' results, reviewed and "
        "published by that department.",
    ),
    "part.choose": (
        "任务 {id} 是多部门联合检查，请选择要填报哪个部门的部分：",
        "Task {id} is a joint check of several departments; choose whose part to record:",
    ),
    "part.choose_department": (
        "任务 {id} 由多个部门联合检查（{departments}），请注明部门，例如 /record {id} 部门编码。",
        "Task {id} is a joint check of several departments ({departments}); name one, "
        "e.g. /record {id} DEPARTMENT_CODE.",
    ),
    "part.not_in_check": (
        "该部门在任务 {id} 中没有检查事项。",
        "That department has no items in task {id}.",
    ),
    "part.unknown_department": (
        "没有编码或名称为“{code}”的部门。",
        "No department has the code or name “{code}”.",
    ),
    "part.other_department": (
        "这是其他部门的部分：各部门只填报本部门的部分（谁检查、谁录入）。",
        "This part belongs to another department: each department records its own part.",
    ),
    "part.not_your_department": (
        "这是其他部门的部分：审核员只能审核、公示本部门的部分。",
        "This part belongs to another department: a reviewer reviews and publishes only "
        "their own department's parts.",
    ),
    "record.published": (
        "记录 {id} 已公示，不能再修改。",
        "Record {id} is published and can no longer be changed.",
    ),
    "record.locked": (
        "记录 {id} 已提交，只有协调员可以修改。如需修改请联系协调员退回。",
        "Record {id} is submitted; only a coordinator can change it now.",
    ),
    "record.already_submitted": (
        "记录 {id} 已经提交过了，未重复提交。",
        "Record {id} was already submitted; nothing was done twice.",
    ),
    "record.text_short": ("内容太短（至少 {minimum} 个字）。", "Too short (at least {minimum})."),
    "record.text_long": ("内容太长（最多 {limit} 字）。", "Too long (at most {limit})."),
    "record.bad_category": ("没有这个结果类别（{id}）。", "No such result category ({id})."),
    "record.bad_item": (
        "检查事项 {id} 不属于本次检查。",
        "Item {id} is not an item of this check.",
    ),
    "record.need_category": (
        "请至少选择一个检查结果类别。",
        "Choose at least one result category.",
    ),
    "record.no_problem_conflict": (
        "“未发现问题”不能与其他类别同时选择，也不能在已记录问题时选择。",
        '"No problem found" cannot be combined with other categories or with problems.',
    ),
    "record.date_future": ("日期 {date} 晚于今天，请重新输入。", "{date} is after today."),
}

_EVIDENCE: dict[str, tuple[str, str]] = {
    "evidence.too_big": (
        "文件过大（{size}），单个文件不能超过 {limit}，未保存。",
        "The file is too large ({size}); the limit is {limit}. Nothing was stored.",
    ),
    "evidence.empty": ("文件是空的，未保存。", "The file is empty; nothing was stored."),
    "evidence.bad_type": (
        "文件类型不支持（按文件内容识别），只接受 {types}，未保存。",
        "This type of file is not accepted (judged by its content); only {types}. "
        "Nothing was stored.",
    ),
    "evidence.missing": (
        "证据文件 {sha256}… 在存储目录中找不到，请联系管理员。",
        "Evidence {sha256}… is missing from the files folder; contact the administrator.",
    ),
    "evidence.corrupt": (
        "证据文件 {sha256}… 与其哈希不符，请联系管理员。",
        "Evidence {sha256}… does not match its hash; contact the administrator.",
    ),
}

_MEASURES: dict[str, tuple[str, str]] = {
    "notice.bad_number": (
        "编号不能为空，且不超过 {limit} 字。",
        "A number must not be empty nor longer than {limit}.",
    ),
    "notice.duplicate": (
        "编号 {number} 已被另一份通知书使用，请换一个编号。",
        "Number {number} is already used by another notice; choose another.",
    ),
    "notice.issue_future": ("下达日期 {date} 晚于今天。", "The issue date {date} is after today."),
    "notice.deadline_past": (
        "整改期限 {date} 已经过去（今天是 {today}），请输入今天或以后的日期。",
        "The deadline {date} is in the past (today is {today}); give today or a later day.",
    ),
    "notice.deadline_before_issue": (
        "整改期限 {date} 不能早于或等于下达日期。",
        "The deadline {date} must be after the issue date.",
    ),
    "notice.extension_earlier": (
        "延期后的期限须晚于原期限 {date}。",
        "The new deadline must be after the current one, {date}.",
    ),
    "notice.corrected_before_issue": (
        "整改完成日期 {date} 早于通知下达日期。",
        "{date} is before the notice was issued.",
    ),
    "notice.not_found": ("没有编号为 {id} 的整改通知。", "There is no notice {id}."),
    "notice.closed": ("通知书 {number} 已经复查完毕。", "Notice {number} is already settled."),
    "notice.off_pattern": (
        "编号 {number} 不符合本部门的编号格式（例如 {example}），请确认后再使用。",
        "Number {number} does not follow your department's pattern (e.g. {example}); "
        "confirm it first.",
    ),
    "notice.mismatch_ask": (
        "编号 {number} 不符合本部门的编号格式（例如 {example}）。点击“仍使用此编号”确认，"
        "或重新输入。",
        "Number {number} does not follow your department's pattern (e.g. {example}). Press "
        "Keep this number to confirm, or type another.",
    ),
    "notice.bad_pattern": (
        "编号格式“{pattern}”无效：须含 {{seq}}（序号），可含 {{year}}（年份），不含其他占位符。",
        'Pattern "{pattern}" is invalid: it needs {{seq}} (the sequence) and may hold '
        "{{year}}, nothing else in braces.",
    ),
    "notice.unknown_department": ("没有代码为 {code} 的部门。", "There is no department {code}."),
    "record.button.keep_number": ("仍使用此编号", "Keep this number"),
    "case.duplicate": ("案号 {number} 已存在。", "Case number {number} already exists."),
    "case.filed_future": ("立案日期 {date} 晚于今天。", "The filing date {date} is after today."),
    "case.not_found": ("没有编号为 {id} 的案件。", "There is no case {id}."),
    "case.closed": ("案件 {number} 已经结案。", "Case {number} is already closed."),
    "case.closed_before_filed": (
        "结案日期 {date} 早于立案日期。",
        "{date} is before the case was filed.",
    ),
    "clue.bad_department": ("没有这个部门（{id}）。", "No such department ({id})."),
}

_FOLLOWUP: dict[str, tuple[str, str]] = {
    "followup.none": ("没有待复查的整改通知或未结案件。", "No open notice or case."),
    "followup.head": (
        "待跟进（期限早的在前）：",
        "Waiting for follow-up (earliest deadline first):",
    ),
    "followup.notice_line": (
        "{n}. 整改通知 {number}｜{enterprise}｜期限 {due}（{status}）{overdue}",
        "{n}. Notice {number} | {enterprise} | deadline {due} ({status}){overdue}",
    ),
    "followup.case_line": (
        "{n}. 案件 {number}｜{enterprise}｜应于 {due} 前决定{overdue}",
        "{n}. Case {number} | {enterprise} | decision due {due}{overdue}",
    ),
    "followup.overdue": ("　⚠ 已逾期", "  ⚠ overdue"),
    "followup.button_notice": ("复查 {number}", "Re-inspect {number}"),
    "followup.button_case": ("结案 {number}", "Close {number}"),
    "followup.ask_outcome": (
        "整改通知 {number}（期限 {deadline}）复查结果？",
        "Re-inspection of notice {number} (deadline {deadline}): outcome?",
    ),
    "followup.button_corrected": ("已整改", "Corrected"),
    "followup.button_extend": ("未整改，延期", "Not corrected: extend"),
    "followup.button_case_filed": ("未整改，立案", "Not corrected: file a case"),
    "followup.button_cancel": ("取消", "Cancel"),
    "followup.ask_corrected_on": ("整改完成日期？", "Date it was corrected?"),
    "followup.ask_new_deadline": ("新的整改期限？", "New deadline?"),
    "followup.ask_reason": ("延期理由：", "Reason for the extension:"),
    "followup.ask_decision": (
        "案件 {number} 的处理决定（如：罚款 5000 元）：",
        "Decision of case {number} (e.g. a fine of 5000 yuan):",
    ),
    "followup.ask_closed_on": ("结案日期？", "Date the case was closed?"),
    "followup.corrected": (
        "已记录：{number} 于 {date} 整改完毕。",
        "Recorded: {number} corrected on {date}.",
    ),
    "followup.extended": (
        "已记录：{number} 延期至 {date}。",
        "Recorded: {number} extended to {date}.",
    ),
    "followup.case_filed": (
        "已记录：{number} 未整改，已立案 {case}，应于 {due} 前作出决定。",
        "Recorded: {number} not corrected; case {case} filed, decision due {due}.",
    ),
    "followup.case_closed": ("案件 {number} 已结案。", "Case {number} closed."),
    "followup.cancelled": ("已取消，未作任何修改。", "Cancelled; nothing changed."),
    "followup.overdue_notice": (
        "⚠ 整改通知 {number}（{enterprise}）已超过整改期限 {deadline}，请及时复查。"
        "发送 /followup 处理。",
        "⚠ Notice {number} ({enterprise}) is past its deadline {deadline}; re-inspect it. "
        "Send /followup.",
    ),
}

_REVIEW: dict[str, tuple[str, str]] = {
    "review.none": ("没有待审核的检查记录。", "No record is waiting for review."),
    "review.head": (
        "待审核的检查记录（公示期限早的在前）：",
        "Records waiting for review (earliest publication deadline first):",
    ),
    "review.line": (
        "{n}.【记录 {id}】{enterprise}｜{department}｜{plan}｜公示期限 {due}{left}",
        "{n}. [record {id}] {enterprise} | {department} | {plan} | publish by {due}{left}",
    ),
    "review.left": ("（还剩 {days} 天）", " ({days} days left)"),
    "review.late": ("（⚠ 已逾期 {days} 天）", " (⚠ {days} days overdue)"),
    "review.fallback": ("（按周一至周五推算）", " (Monday-Friday estimate)"),
    "review.button_show": ("审核：{enterprise}", "Review: {enterprise}"),
    "review.button_approve": ("审核通过", "Approve"),
    "review.button_return": ("退回修改", "Return to the team"),
    "review.button_evidence": ("查看证据", "Show the evidence"),
    "review.ask_reason": ("请输入退回理由：", "Type the reason for returning it:"),
    "review.approved": (
        "已审核通过：{enterprise}。发送 /publish 进行公示。",
        "Approved: {enterprise}. Send /publish to publish it.",
    ),
    "review.returned": (
        "已退回：{enterprise}，理由：{reason}。已通知检查组。",
        "Returned: {enterprise} ({reason}). The team has been told.",
    ),
    "review.returned_notice": (
        "您填报的检查记录（{enterprise}）被退回，理由：{reason}。"
        "发送 /record {assignment} 修改后重新提交。",
        "Your record of {enterprise} was returned: {reason}. Send /record {assignment} to "
        "fix and resubmit it.",
    ),
    "review.already_approved": ("记录 {id} 已经审核通过。", "Record {id} is already approved."),
    "review.already_returned": ("记录 {id} 已经退回。", "Record {id} is already returned."),
    "review.not_awaiting": (
        "记录 {id} 当前状态不是待审核，无法审核。",
        "Record {id} is not awaiting review.",
    ),
    "review.no_evidence": ("这条记录没有证据文件。", "This record has no evidence files."),
    "review.cancelled": ("已取消。", "Cancelled."),
    "publish.none": ("没有待公示的结果。", "No approved result is waiting to be published."),
    "publish.head": (
        "待公示的结果（公示期限早的在前）：",
        "Approved results (earliest deadline first):",
    ),
    "publish.button": ("公示：{enterprise}", "Publish: {enterprise}"),
    "publish.button_all": ("全部公示（{n} 条）", "Publish all ({n})"),
    "publish.done": (
        "已公示：{enterprise}。公众可在公示页面查询。",
        "Published: {enterprise}. It is now on the public page.",
    ),
    "publish.done_all": ("已公示 {n} 条结果。", "{n} results published."),
    "publish.already": ("记录 {id} 已经公示。", "Record {id} is already published."),
    "publish.not_approved": (
        "记录 {id} 尚未审核通过，不能公示。",
        "Record {id} is not approved and cannot be published.",
    ),
}

TEXTS: dict[str, tuple[str, str]] = {
    **_COMMANDS,
    **_STATUS,
    **_TASKS,
    **_RECORD,
    **_EVIDENCE,
    **_MEASURES,
    **_FOLLOWUP,
    **_REVIEW,
    # The coded result categories (services/records/codes.py, codes_file.py).
    "codes.unknown": ("没有这个结果类别（{name}）。", "No such result category ({name})."),
    "codes.none_selected": (
        "请至少选择一个检查结果类别。",
        "Choose at least one result category.",
    ),
    "codes.retired": (
        "结果类别「{category}」已停用，请改选现行类别。",
        "The result category “{category}” is retired; choose a current one.",
    ),
    "codes.exclusive_with_others": (
        "「{category}」不能与其他类别同时选择（已选：{others}）。",
        "“{category}” excludes every other category (also chosen: {others}).",
    ),
    "codes.exclusive_with_problems": (
        "已记录 {n} 个问题，不能选择「{category}」。",
        "{n} problem(s) are recorded, so “{category}” cannot be chosen.",
    ),
    "codes.terminal_with_result": (
        "「{category}」表示企业已不存续，不能再有检查结果（已选：{others}）。",
        "“{category}” means the enterprise is gone: it carries no check result "
        "(also chosen: {others}).",
    ),
    "codes.terminal_with_problems": (
        "「{category}」表示企业已不存续，不能记录问题（已记录 {n} 个）。",
        "“{category}” means the enterprise is gone: no problem can be recorded ({n} recorded).",
    ),
    "codes.child_without_parent": (
        "选择「{category}」须同时选择其上级类别「{parent}」。",
        "“{category}” needs its parent category “{parent}”.",
    ),
    "codes.parent_has_child": (
        "「{category}」下还选有「{child}」，请先取消下级类别。",
        "“{child}” under “{category}” is still chosen; remove it first.",
    ),
    "codes.file_unreadable": (
        "无法读取结果类别文件 {file}：{error}",
        "Cannot read the result codes file {file}: {error}",
    ),
    "codes.file_syntax": (
        "结果类别文件 {file} 格式有误：{error}",
        "The result codes file {file} is not valid TOML: {error}",
    ),
    "codes.file_empty": (
        "结果类别文件 {file} 没有任何 [[category]] 条目。",
        "The result codes file {file} has no [[category]] entry.",
    ),
    "codes.file_entry": (
        "结果类别文件 {file} 第 {entry} 项不是 [[category]] 表。",
        "Entry {entry} of the result codes file {file} is not a [[category]] table.",
    ),
    "codes.file_unknown_field": (
        "结果类别文件 {file} 第 {entry} 项有未知字段：{field}。",
        "Entry {entry} of the result codes file {file} has unknown fields: {field}.",
    ),
    "codes.file_missing": (
        "结果类别文件 {file} 第 {entry} 项缺少 {field}（须为非空文本）。",
        "Entry {entry} of the result codes file {file} lacks {field} (non-empty text).",
    ),
    "codes.file_too_long": (
        "结果类别文件 {file} 第 {entry} 项的 {field} 超过 {limit} 个字符。",
        "In entry {entry} of the result codes file {file}, {field} is over {limit} characters.",
    ),
    "codes.file_bad_key": (
        "结果类别文件 {file} 第 {entry} 项的 key「{name}」只能用小写字母、数字和下划线，"
        "并以字母开头。",
        "In entry {entry} of the result codes file {file}, the key “{name}” may hold only "
        "lower-case letters, digits and _, starting with a letter.",
    ),
    "codes.file_unknown_rule": (
        "结果类别文件 {file} 第 {entry} 项的规则「{rule}」未知（可用：{rules}）。",
        "In entry {entry} of the result codes file {file}, the rule “{rule}” is unknown "
        "(known: {rules}).",
    ),
    "codes.file_duplicate_key": (
        "结果类别文件 {file} 第 {entry} 项：key「{name}」重复。",
        "Entry {entry} of the result codes file {file}: the key “{name}” appears twice.",
    ),
    "codes.file_duplicate_code": (
        "结果类别文件 {file} 第 {entry} 项：代码「{code}」已用于 {other}。",
        "Entry {entry} of the result codes file {file}: the code “{code}” is already {other}'s.",
    ),
    "codes.file_unknown_parent": (
        "结果类别文件 {file} 第 {entry} 项的上级「{parent}」不存在。",
        "Entry {entry} of the result codes file {file}: its parent “{parent}” does not exist.",
    ),
    "codes.file_rule_nested": (
        "结果类别文件 {file} 第 {entry} 项与上级「{parent}」规则不相容（{rule} / {parent_rule}）："
        "排他类别不能有上下级，终结类别只能与终结类别构成上下级。",
        "Entry {entry} of the result codes file {file} does not fit under “{parent}” "
        "({rule} / {parent_rule}): an exclusive category stands alone, and a terminal one "
        "only sits with terminal ones.",
    ),
    "codes.file_cycle": (
        "结果类别文件 {file} 的上下级关系成环：{chain}。",
        "The result codes file {file} has a loop of parents: {chain}.",
    ),
    "codes.template_unreadable": (
        "无法读取导出模板 {file}：{error}",
        "Cannot read the export template {file}: {error}",
    ),
    "codes.template_syntax": (
        "导出模板 {file} 格式有误：{error}",
        "The export template {file} cannot be read: {error}",
    ),
    "codes.template_empty": (
        "导出模板 {file} 没有列出任何列（columns = [...]）。",
        "The export template {file} lists no columns (columns = [...]).",
    ),
    "codes.template_entry": (
        '导出模板 {file} 第 {entry} 列应为列名，或 {{column = "列名", header = "表头"}}。',
        "Column {entry} of the export template {file} must be a column name or "
        '{{column = "name", header = "header"}}.',
    ),
    "codes.template_unknown_column": (
        "导出模板 {file} 中的列「{column}」未知。可用的列：{known}。",
        "The export template {file} names an unknown column “{column}”. Known: {known}.",
    ),
    "codes.template_duplicate": (
        "导出模板 {file} 中的列「{column}」出现了两次。",
        "The export template {file} names the column “{column}” twice.",
    ),
    "codes.export_unknown_department": (
        "没有代码为 {code} 的部门。",
        "There is no department with the code {code}.",
    ),
    "codes.export_bad_year": (
        "年份 {year} 不在 {first} 至 {last} 之间。",
        "Year {year} is not between {first} and {last}.",
    ),
    "codes.export_usage": (
        "用法：/export results [年份] [plan 计划编号] [dept 部门代码] [all] [xlsx|csv]",
        "Usage: /export results [YEAR] [plan PLAN_ID] [dept DEPARTMENT_CODE] [all] [xlsx|csv]",
    ),
    "codes.export_done": (
        "检查结果公示导出：{rows} 条（每个部门一行）。",
        "Check results for publicity: {rows} rows (one per department).",
    ),
    "codes.export_format": (
        "文件 {file} 的扩展名与格式 {format} 不符。",
        "The file {file} does not end as a {format} file should.",
    ),
    "cmd.sign": (
        "现场检查笔录签字（/sign 任务编号）",
        "Signatures of the on-site record (/sign TASK_ID)",
    ),
    "sign.usage": ("用法：/sign 任务编号", "Usage: /sign TASK_ID"),
    "sign.head": (
        "任务 {id}｜{enterprise} 现场检查笔录签字：",
        "Task {id} | {enterprise}: signatures of the on-site record:",
    ),
    "sign.line": ("{role}：{who} — {state}", "{role}: {who} — {state}"),
    "sign.unnamed": ("（未填姓名）", "(name not given)"),
    "sign.role.inspected": ("被检查人", "Person inspected"),
    "sign.role.witness": ("见证人", "Witness"),
    "sign.role.officer": ("执法人员", "Officer"),
    "sign.role.paper": ("纸质笔录签字照片", "Photo of the signed paper form"),
    "sign.state.signed": ("已签字 {at}", "signed {at}"),
    "sign.state.refused": ("拒绝签字 {at}，理由：{reason}", "refused to sign {at}: {reason}"),
    "sign.state.paper": ("已上传 {at}", "uploaded {at}"),
    "sign.state.missing": ("未签字", "not signed"),
    "sign.state.missing_optional": ("未签字（可选）", "not signed (optional)"),
    "sign.state.outdated": (
        "（签字后笔录已变化，签字已不对应当前内容）",
        " (the record changed after this signature)",
    ),
    "sign.verdict.current": (
        "签字齐全，均为笔录当前内容。",
        "Signed in full, every signature for the record as it is now.",
    ),
    "sign.verdict.missing": ("尚待签字：{who}", "Still to sign: {who}"),
    "sign.verdict.stale": (
        "笔录在签字后发生了变化。请用 /sign {id} 点击“重新签字”，再请各方重新签字。",
        "The record changed after it was signed. Use /sign {id}, press “Sign again”, then "
        "have everyone sign anew.",
    ),
    "sign.button.inspected": ("被检查人签字：{name}", "Person inspected: {name}"),
    "sign.button.inspected_name": ("被检查人签字（输入姓名）", "Person inspected (type the name)"),
    "sign.button.witness": ("见证人签字（输入姓名）", "Witness (type the name)"),
    "sign.button.officer": ("执法人员签字：{name}", "Officer: {name}"),
    "sign.button.paper": ("上传纸质笔录签字照片", "Upload a photo of the signed paper form"),
    "sign.button.reopen": ("重新签字", "Sign again"),
    "sign.button.reopen_confirm": ("确认重新签字", "Confirm: sign again"),
    "sign.button.view": ("查看{role}签字：{who}", "View {role}: {who}"),
    "sign.button.cancel": ("取消", "Cancel"),
    "sign.link": (
        "请把下面的一次性签字链接交给{role} {signer}，在手机上打开并签字。"
        "链接 {minutes} 分钟内有效（至 {until}），只能使用一次：\n{url}",
        "Hand this one-time signature link to the {role} {signer}, to open and sign on a "
        "phone. It is valid for {minutes} minutes (until {until}) and works once:\n{url}",
    ),
    "sign.ask_inspected": (
        "请输入被检查人（企业负责人或在场人员）的姓名：",
        "Type the name of the person inspected (the enterprise's head or the person present):",
    ),
    "sign.ask_witness": ("请输入见证人的姓名：", "Type the name of the witness:"),
    "sign.ask_name_again": ("请输入签字人的姓名。", "Please type the signer's name."),
    "sign.ask_paper": (
        "请发送已签字的纸质现场检查笔录的照片（JPEG、PNG 或 PDF），每页一张。",
        "Send a photo of the signed paper on-site record (JPEG, PNG or PDF), one per page.",
    ),
    "sign.paper_kept": (
        "已保存任务 {id} 纸质笔录签字照片，作为签字证据（笔录内容哈希 {sha}）。",
        "The photo of the signed paper form of task {id} is kept as the signature evidence "
        "(record content hash {sha}).",
    ),
    "sign.cancelled": ("已取消。", "Cancelled."),
    "sign.reopen_ask": (
        "重新签字会使任务 {id} 现有的全部签字失效（保留记录）。之后可以修改笔录，"
        "修改完成后须请各方重新签字。确认吗？",
        "Signing again supersedes every current signature of task {id} (they stay on "
        "record). The record may then change, and everyone must sign it anew. Go ahead?",
    ),
    "sign.reopened": (
        "任务 {id} 已开放修改：{n} 个签字已失效。修改完成后请用 /sign {id} 重新收集签字。",
        "Task {id} is open to changes: {n} signatures superseded. Once changed, collect "
        "the signatures again with /sign {id}.",
    ),
    "sign.image": (
        "{role} {who} 的签字（{at}，SHA-256 {sha}）",
        "Signature of the {role} {who} ({at}, SHA-256 {sha})",
    ),
    "sign.answer.conform": ("符合", "conforms"),
    "sign.answer.nonconform": ("不符合", "does not conform"),
    "sign.answer.unchecked": ("未检查", "not checked"),
    "sign.answer.not_applicable": ("合理缺项", "not applicable"),
    "sign.record_signed": (
        "任务 {id} 的现场检查笔录已经签字，签字后不能修改。如需修改，请先用 /sign {id} "
        "点击“重新签字”（现有签字将失效），修改后再请各方重新签字。",
        "The on-site record of task {id} is signed and cannot change. To change it, use "
        "/sign {id} and press “Sign again” (the signatures are superseded), then have "
        "everyone sign the changed record.",
    ),
    "sign.signed_on_paper": (
        "该笔录已上传纸质签字照片作为签字证据，无需再签。如需重新签字，请先点击“重新签字”。",
        "A photo of the signed paper form is already the signature evidence. To sign "
        "again, press “Sign again” first.",
    ),
    "sign.slot_taken": (
        "此签字人已经签字（或拒绝签字）。如需重新签字，请先点击“重新签字”。",
        "This signer has already signed (or refused). To sign again, press “Sign again” first.",
    ),
    "sign.bad_name": (
        "签字人姓名不能为空，且不超过 {limit} 个字。",
        "The signer's name must be given, in at most {limit} characters.",
    ),
    "sign.bad_role": ("未知的签字人类型：{role}。", "Unknown kind of signer: {role}."),
    "sign.bad_minutes": (
        "签字链接的有效时间应为 1 至 {limit} 分钟。",
        "A signature link must be valid for 1 to {limit} minutes.",
    ),
    "sign.not_an_officer": (
        "此人不是任务 {id} 检查组的执法人员。",
        "This person is not an officer of the team of task {id}.",
    ),
    "sign.link_unknown": (
        "签字链接无效。请向检查人员索取新的签字链接。",
        "This signature link is not valid. Ask the officers for a new one.",
    ),
    "sign.link_used": (
        "此签字链接已经使用过，每个链接只能使用一次。如需再次签字，请向检查人员索取新的链接。",
        "This signature link has already been used; each link works once. Ask the officers "
        "for a new one to sign again.",
    ),
    "sign.link_expired": (
        "此签字链接已过期。请向检查人员索取新的签字链接。",
        "This signature link has expired. Ask the officers for a new one.",
    ),
    "sign.link_closed": (
        "此检查已取消或作废，不再签字。",
        "This check was called off; it is signed no more.",
    ),
    "sign.content_changed": (
        "笔录内容与您打开页面时不同（可能已被修改）。请重新打开签字链接，核对后再签。",
        "The record is not what the page showed (it may have changed). Open the link again, "
        "read it and sign.",
    ),
    "sign.reason_short": (
        "请填写拒绝签字的理由（至少 2 个字）。",
        "Please give the reason for refusing to sign (at least 2 characters).",
    ),
    "sign.reason_long": (
        "拒绝签字的理由不能超过 {limit} 个字。",
        "The reason for refusing may be at most {limit} characters.",
    ),
    "sign.paper_duplicate": (
        "这张照片已经上传过了。",
        "This photo has already been uploaded.",
    ),
    "sign.nothing_to_reopen": (
        "任务 {id} 的笔录还没有签字，无需重新签字。",
        "The record of task {id} has no signatures to supersede.",
    ),
    "sign.not_found": ("没有编号为 {id} 的签字。", "There is no signature {id}."),
    "sign.no_file": (
        "签字 {id} 没有图片（拒绝签字）。",
        "Signature {id} has no image (a refusal).",
    ),
    "sign.png_size": (
        "签名图片的尺寸不能超过 {side}×{side} 像素。",
        "The signature image may be at most {side}×{side} pixels.",
    ),
    "sign.png_unreadable": (
        "无法读取签名图片，请清除后重新签写。",
        "The signature image cannot be read. Clear it and sign again.",
    ),
    "sign.png_blank": (
        "没有检测到签名笔迹，请在签名框内签写后再提交。",
        "No signature was drawn. Sign in the box, then submit.",
    ),
    # The field check (issue 16): check points, the visit, the card's on-site lines.
    "check.item_head": (
        "检查要点 · 事项 {n}/{total}：{code} {name}（已答 {answered}/{points}）",
        "Check points · item {n}/{total}: {code} {name} ({answered}/{points} answered)",
    ),
    "check.point_line": ("{mark}{seq}.【{answer}】{content}", "{mark}{seq}. [{answer}] {content}"),
    "check.point_note": ("（备注：{note}）", " (note: {note})"),
    "check.point_method": ("　　检查方法：{method}", "    Method: {method}"),
    "check.point_basis": ("　　检查依据：{basis}", "    Basis: {basis}"),
    "check.ask_point": ("请为第 {seq} 项选择检查结果。", "Choose the result of point {seq}."),
    "check.change_point": (
        "第 {seq} 项已答“{answer}”，可点击其他结果更改。",
        "Point {seq} is answered “{answer}”; press another result to change it.",
    ),
    "check.item_done": (
        "本事项的检查要点已全部作答，可修改，或进入下一事项。",
        "Every point of this item is answered; change one, or go on to the next item.",
    ),
    "check.note_hint": (
        "直接输入文字，可为第 {seq} 项的回答添加备注（发现的情况）。",
        "Type a text to note what was found at point {seq}.",
    ),
    "check.answer.conform": ("符合", "Conforms"),
    "check.answer.nonconform": ("不符合", "Does not conform"),
    "check.answer.unchecked": ("未检查", "Not checked"),
    "check.answer.not_applicable": ("合理缺项", "Not applicable"),
    "check.answer.none": ("未答", "open"),
    "check.button.all_conform": ("本事项全部符合", "All the rest conforms"),
    "check.button.prev_point": ("‹ 上一要点", "‹ Previous point"),
    "check.button.next_point": ("下一要点 ›", "Next point ›"),
    "check.button.prev_item": ("‹ 上一事项", "‹ Previous item"),
    "check.button.next_item": ("下一事项 ›", "Next item ›"),
    "check.button.done": ("完成检查要点", "Check points done"),
    "check.saved": ("第 {seq} 项：{answer}。", "Point {seq}: {answer}."),
    "check.all_conform_done": (
        "{n} 个未答的检查要点已记为符合。",
        "{n} open check point(s) recorded as conforming.",
    ),
    "check.note_saved": ("第 {seq} 项的备注已保存。", "Note of point {seq} saved."),
    "check.problem_opened": (
        "已生成问题：{description}（依据：{basis}）。请发送现场照片作为证据，完成后点“完成”"
        "回到检查要点。",
        "Problem opened: {description} (basis: {basis}). Send photos as evidence, then press "
        "Done to return to the check points.",
    ),
    "check.problem_removed": (
        "原“不符合”生成的问题尚未补充内容，已一并删除。",
        "The problem the “does not conform” had opened was untouched and is removed.",
    ),
    "check.problem_kept": (
        "原“不符合”生成的问题已有照片、整改通知或修改，予以保留；如不再成立，请在汇总页"
        "“删除条目”中删除。",
        "The problem the “does not conform” had opened has photos, an order or edits, so it "
        "is kept; remove it on the summary (Remove an entry) if it no longer stands.",
    ),
    "check.unanswered": (
        "还有 {n} 个检查要点未作答，可稍后在汇总页“检查要点”中继续。",
        "{n} check point(s) are still open; continue from the summary (Check points).",
    ),
    "check.proposed": (
        "已按检查要点的结果预选结果类别：{categories}。请确认或修改。",
        "Result categories pre-selected from the check points: {categories}. Confirm or "
        "change them.",
    ),
    "check.proposal_line": (
        "按检查要点建议：{categories}",
        "Proposed by the check points: {categories}",
    ),
    "check.none": (
        "本部门在该企业检查的事项没有检查要点。",
        "The items your department checks here have no check points.",
    ),
    "checklist.not_this_part": (
        "检查要点 {id} 不属于本部门在该企业检查的事项，未作记录。",
        "Check point {id} is not one of the items your department checks here; nothing "
        "was recorded.",
    ),
    "checklist.other_item": (
        "该检查要点属于事项“{item}”，不是当前显示的事项，未作记录。请在该事项下作答。",
        "That check point belongs to “{item}”, not to the item shown; nothing was recorded. "
        "Answer it under its item.",
    ),
    "checklist.not_this_item": (
        "事项 {id} 不在本部门的检查要点中。",
        "Item {id} is not among your department's check points.",
    ),
    "checklist.bad_answer": ("无效的检查结果：{answer}。", "Not a check result: {answer}."),
    "checklist.note_first": (
        "请先为该检查要点选择结果，再添加备注。",
        "Answer the check point first, then add a note.",
    ),
    "record.location_not_now": (
        "现在不需要位置：请在“开始检查”之后、被询问检查地点时发送位置。",
        "No location is expected now: send it when asked for the place, after “Start the check”.",
    ),
    "record.button.onsite": ("现场记录", "On-site record"),
    "record.button.checklist": ("检查要点", "Check points"),
    "record.button.measures_onsite": ("完成，填写现场记录", "Done, on to the on-site record"),
    "record.button.start_visit": ("开始检查（记录时间和地点）", "Start the check (time, place)"),
    "visit.ask_start": (
        "现场检查：到达企业后请点击“开始检查”，记录开始时间和检查地点。",
        "On site: press “Start the check” on arrival to record the start time and the place.",
    ),
    "visit.button.start": ("开始检查", "Start the check"),
    "visit.button.skip_start": ("暂不记录，继续填报", "Not now, go on"),
    "visit.started": ("检查开始时间：{time}。", "Check started at {time}."),
    "visit.ask_location": (
        "请发送当前位置作为检查地点（Telegram：📎 → 位置；企业微信：＋ → 位置；"
        "控制台：@location 纬度,经度），或点“跳过”。",
        "Send your current location as the place of the check (Telegram: 📎 → Location; "
        "WeCom: + → Location; console: @location LAT,LON), or press Skip.",
    ),
    "visit.button.skip": ("跳过", "Skip"),
    "visit.location_saved": ("{place}（已记录）", "{place} (recorded)"),
    "visit.ask_attendees": (
        "请输入企业到场人员，每行一人：姓名 职务（如：张建国 负责人）。\n当前：{current}",
        "Type who attended for the enterprise, one a line: name post (e.g. Zhang Jianguo "
        "manager).\nNow: {current}",
    ),
    "visit.attendees_saved": ("到场人员已记录：{people}。", "Attendees recorded: {people}."),
    "visit.ask_certificates": (
        "执法人员是否已向被检查人出示执法证件？\n当前：{current}",
        "Did the officers show their enforcement certificates?\nNow: {current}",
    ),
    "visit.button.shown": ("已出示", "Shown"),
    "visit.button.not_shown": ("未出示", "Not shown"),
    "visit.ask_recusal": (
        "是否已告知被检查人有申请回避的权利？对方如何答复？也可直接输入对方的答复。\n"
        "当前：{current}",
        "Was the person inspected told of the right to ask for recusal, and what did they "
        "answer? You may type the answer.\nNow: {current}",
    ),
    "visit.button.no_recusal": ("已告知，不申请回避", "Told; no recusal asked"),
    "visit.button.asks_recusal": ("已告知，申请回避", "Told; recusal asked"),
    "visit.button.not_told": ("未告知", "Not told"),
    "visit.ask_end": (
        "检查结束后请点击“结束检查”。开始时间：{start}。",
        "Press “End the check” when done. Started at {start}.",
    ),
    "visit.ask_end_ended": (
        "检查已于 {end} 结束（开始于 {start}）。",
        "The check ended at {end} (started at {start}).",
    ),
    "visit.ask_end_unstarted": (
        "未记录检查开始时间：仍可提交，审核人员会看到这一情况。",
        "No start time was recorded: the record can still be submitted, and the reviewer "
        "will see it.",
    ),
    "visit.button.end": ("结束检查", "End the check"),
    "visit.button.end_again": ("更新结束时间", "Record the end again"),
    "visit.button.later": ("查看汇总", "Summary"),
    "visit.ended": ("检查结束时间：{time}。", "Check ended at {time}."),
    "visit.submitted_without": (
        "注意：本次检查未记录{missing}，审核人员会看到。",
        "Note: no {missing} was recorded for this check; the reviewer will see it.",
    ),
    "visit.start_time": ("开始时间", "start time"),
    "visit.end_time": ("结束时间", "end time"),
    "visit.person": ("{name}（{post}）", "{name} ({post})"),
    "visit.yes": ("是", "yes"),
    "visit.no": ("否", "no"),
    "visit.unknown": ("未记录", "not recorded"),
    "visit.recusal_answer": ("已告知，答复：{answer}", "told; answer: {answer}"),
    "visit.metres": ("{n} 米", "{n} m"),
    "visit.km": ("{n} 公里", "{n} km"),
    "visit.bad_location": ("位置无效（{location}）。", "Not a valid location ({location})."),
    "visit.not_started": (
        "请先点击“开始检查”。",
        "Press “Start the check” first.",
    ),
    "visit.attendee_long": (
        "姓名或职务过长（各不超过 {limit} 个字）。",
        "A name or post is too long (at most {limit} characters each).",
    ),
    "visit.no_attendees": (
        "请按“姓名 职务”输入到场人员，每行一人。",
        "Type the attendees as “name post”, one a line.",
    ),
    "visit.too_many_attendees": (
        "到场人员最多记录 {limit} 人。",
        "At most {limit} attendees are recorded.",
    ),
    "visit.answer_without_notice": (
        "未告知回避权利时不能记录对方的答复。",
        "An answer cannot be recorded when the right was not explained.",
    ),
    "card.visit": ("现场检查：开始 {start}　结束 {end}", "On site: started {start}, ended {end}"),
    "card.visit_missing": (
        "⚠ 未记录检查{missing}（仍可提交）",
        "⚠ No {missing} recorded (submission allowed)",
    ),
    "card.place": ("检查地点：纬度 {lat}，经度 {lon}", "Place: latitude {lat}, longitude {lon}"),
    "card.place_distance": (
        "检查地点：纬度 {lat}，经度 {lon}（距登记地址 {distance}）",
        "Place: latitude {lat}, longitude {lon} ({distance} from the registered address)",
    ),
    "card.place_far": (
        "⚠ 检查地点：纬度 {lat}，经度 {lon}，距登记地址 {distance}，超出 {radius} 米",
        "⚠ Place: latitude {lat}, longitude {lon}, {distance} from the registered address, "
        "beyond {radius} m",
    ),
    "card.place_none": ("检查地点：未记录", "Place: not recorded"),
    "card.attendees": ("企业到场人员：{people}", "Attended for the enterprise: {people}"),
    "card.certificates": (
        "出示执法证件：{shown}　告知回避权利：{recusal}",
        "Certificates shown: {shown}  Right to recusal: {recusal}",
    ),
    "card.signatures": ("签字情况：{verdict}", "Signatures: {verdict}"),
    "card.check_head": ("检查要点：", "Check points:"),
    "card.check_item": (
        "  {code} {name}：符合 {conform}，不符合 {nonconform}，未检查 {unchecked}，"
        "合理缺项 {na}，未答 {open}",
        "  {code} {name}: conform {conform}, not {nonconform}, not checked {unchecked}, "
        "n/a {na}, open {open}",
    ),
}
