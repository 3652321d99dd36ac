"""Texts of the records feature: tasks, field records, follow-up, review and publication."""

_COMMANDS: dict[str, tuple[str, str]] = {
    "cmd.tasks": ("查看我的检查任务", "My inspection tasks"),
    "cmd.record": ("填报检查记录（/record 任务编号）", "Enter a check record (/record TASK_ID)"),
    "cmd.progress": ("查看计划进度（/progress 计划编号）", "Plan progress (/progress PLAN_ID)"),
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
        "{n}.【记录 {id}】{enterprise}｜{plan}｜公示期限 {due}{left}",
        "{n}. [record {id}] {enterprise} | {plan} | publish by {due}{left}",
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
}
