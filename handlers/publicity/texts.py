"""Texts of what follows publication: objections, corrections, abnormal-operations proposals."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # --- help ---
    "cmd.objection": (
        "/objection 结果编号 — 登记对已公示结果的异议；"
        "/objection 异议编号 reject 理由 或 correct 类别…",
        "/objection PART — record an objection to a published result; "
        "/objection ID reject REASON or correct CATEGORIES…",
    ),
    "cmd.objections": ("/objections — 待处理的异议", "/objections — objections to decide"),
    "cmd.abnormal": (
        "/abnormal — 列入经营异常名录的建议（办理、导出）",
        "/abnormal — proposals for the abnormal-operations list (settle, export)",
    ),
    # --- recording an objection (chat) ---
    "objection.usage": (
        "用法：/objection 结果编号 登记异议；/objection 异议编号 reject 理由；"
        "/objection 异议编号 correct 类别代码… [更正说明]。",
        "Usage: /objection PART to record an objection; /objection ID reject REASON; "
        "/objection ID correct CATEGORIES… [summary].",
    ),
    "objection.ask_who": (
        "登记对 {enterprise}（{department}）抽查结果的异议。\n提出异议的单位或个人：",
        "Objection to the result of {enterprise} ({department}).\nWho objects:",
    ),
    "objection.ask_date": (
        "收到异议的日期（如 2026-12-01）：",
        "Date the objection was received (e.g. 2026-12-01):",
    ),
    "objection.ask_grounds": ("异议的事实和理由：", "Grounds of the objection:"),
    "objection.ask_evidence": (
        "发送证明材料的照片或文件（JPEG、PNG、PDF，不超过 {limit}），或按“无材料”。",
        'Send a photo or file as evidence (JPEG, PNG, PDF, up to {limit}), or press "No evidence".',
    ),
    "objection.button_no_evidence": ("无材料", "No evidence"),
    "objection.button_today": ("今天（{date}）", "Today ({date})"),
    "objection.button_cancel": ("取消", "Cancel"),
    "objection.cancelled": ("已取消，未登记异议。", "Cancelled; nothing was recorded."),
    "objection.use_buttons": (
        "请按提示回答，或按下方按钮。",
        "Please answer the question, or use the buttons below.",
    ),
    "objection.recorded": (
        "已登记异议 {reference}，请于 {due} 前处理（驳回或更正）。",
        "Objection {reference} recorded; decide it by {due} (reject or correct).",
    ),
    "objection.fallback": (
        "注意：{years} 年的法定节假日尚未公布，期限按周一至周五计算，请届时核对。",
        "Note: the official holidays of {years} are not known yet; the deadline counts "
        "Monday-Friday. Please check it later.",
    ),
    # --- listing and deciding ---
    "objection.none": ("没有待处理的异议。", "No objection to decide."),
    "objection.head": (
        "待处理的异议（处理期限最早的在前）：",
        "Objections to decide, earliest first:",
    ),
    "objection.line": (
        "{n}. {reference} {enterprise}（{department}），{filed_on} 提出，"
        "应于 {due} 前处理{overdue}",
        "{n}. {reference} {enterprise} ({department}), filed {filed_on}, decide by {due}{overdue}",
    ),
    "objection.overdue": ("（已逾期）", " (overdue)"),
    "objection.button_show": ("{reference} {enterprise}", "{reference} {enterprise}"),
    "objection.card": (
        "异议 {reference}（{source}）\n企业：{enterprise}（{code}）\n检查实施机关：{department}\n"
        "提出人：{filed_by}\n联系方式：{contact}\n提出日期：{filed_on}\n处理期限：{due}\n"
        "状态：{status}\n理由：{grounds}",
        "Objection {reference} ({source})\nEnterprise: {enterprise} ({code})\n"
        "Department: {department}\nFiled by: {filed_by}\nContact: {contact}\nFiled on: {filed_on}\n"
        "Decide by: {due}\nStatus: {status}\nGrounds: {grounds}",
    ),
    "objection.decision_line": ("处理结果：{decision}", "Decision: {decision}"),
    "objection.source.office": ("窗口登记", "recorded by the office"),
    "objection.source.public": ("网站提交", "filed on the site"),
    "objection.status.open": ("待处理", "to decide"),
    "objection.status.rejected": ("已驳回", "rejected"),
    "objection.status.corrected": ("已更正", "corrected"),
    "objection.button_evidence": ("证明材料", "Evidence"),
    "objection.button_reject": ("驳回", "Reject"),
    "objection.button_correct": ("更正", "Correct"),
    "objection.no_evidence": ("该异议没有附证明材料。", "This objection has no evidence attached."),
    "objection.ask_reason": ("驳回的理由：", "Reasons for rejecting:"),
    "objection.rejected": (
        "已驳回异议 {reference}；已公示的结果不变。",
        "Objection {reference} rejected; the published result stays as it is.",
    ),
    "objection.corrected": (
        "已更正：{enterprise}（{department}）的结果重新公示为第 {version} 版"
        "（更正 {date}）：{categories}",
        "Corrected: the result of {enterprise} ({department}) is republished as version "
        "{version} (corrected {date}): {categories}",
    ),
    "objection.how_to_correct": (
        "更正方法：/objection {reference} correct 类别代码… [更正说明]\n"
        "例如：/objection {reference} correct 1 经复核未发现问题\n可选类别：\n{categories}",
        "To correct: /objection {reference} correct CATEGORIES… [summary]\n"
        "e.g. /objection {reference} correct 1 No problem found on review\n"
        "Categories:\n{categories}",
    ),
    # --- service refusals ---
    "objection.part_not_found": (
        "没有编号为 {id} 的已公示结果。",
        "There is no published result {id}.",
    ),
    "objection.part_not_published": (
        "结果 {id} 现在不在公示中，不能更正。",
        "Result {id} is not published now; it cannot be corrected.",
    ),
    "objection.not_found": ("没有编号为 {id} 的异议。", "There is no objection {id}."),
    "objection.decided": (
        "异议 {reference} 已处理完毕，不能再次处理。",
        "Objection {reference} has already been decided.",
    ),
    "objection.date_future": ("日期 {date} 在今天之后。", "{date} is in the future."),
    "objection.before_publication": (
        "异议日期早于该结果的公示日期 {date}。",
        "The objection predates the result's publication on {date}.",
    ),
    "objection.unknown_category": (
        "没有“{code}”这一结果类别。发送 /objection 异议编号 correct 查看可选类别。",
        'There is no result category "{code}". Send /objection ID correct to see them.',
    ),
    "objection.nothing_changed": (
        "更正后的结果与现在公示的结果相同，未作更正。",
        "The corrected result is the same as the published one; nothing was corrected.",
    ),
    "objection.bad_credit_code": (
        "统一社会信用代码格式不正确，请核对后重新填写。",
        "The unified social credit code is not valid; please check it.",
    ),
    "objection.wrong_credit_code": (
        "统一社会信用代码与该抽查结果的企业不一致。",
        "The credit code is not that of the enterprise of this result.",
    ),
    "objection.too_many_address": (
        "提交过于频繁：同一网络地址 {hours} 小时内最多可提交 {limit} 件异议，请稍后再试。",
        "Too many objections: one address may file {limit} within {hours} hours. Please try "
        "again later.",
    ),
    "objection.too_many_code": (
        "该企业 {hours} 小时内已提交 {limit} 件异议，请稍后再试，或与检查实施机关联系。",
        "This enterprise has filed {limit} objections within {hours} hours. Please try again "
        "later or contact the department.",
    ),
    "history.not_found": ("没有编号为 {id} 的已公示结果。", "There is no published result {id}."),
    # --- notices to the office ---
    "objection.filed_public": (
        "【异议】企业通过公示网站对 {enterprise}（{department}）的抽查结果提出异议，"
        "编号 {reference}，请于 {due} 前处理。发送 /objections 查看。",
        "[Objection] The enterprise {enterprise} objected on the public site to its result "
        "({department}), reference {reference}; decide it by {due}. Send /objections.",
    ),
    "objection.filed_office": (
        "【异议】已登记对 {enterprise}（{department}）抽查结果的异议 {reference}，"
        "请于 {due} 前处理。",
        "[Objection] Objection {reference} to the result of {enterprise} ({department}) was "
        "recorded; decide it by {due}.",
    ),
    "objection.rejected_notice": (
        "【异议】{enterprise} 的异议 {reference} 已驳回，公示结果不变。",
        "[Objection] Objection {reference} of {enterprise} was rejected; the result stands.",
    ),
    "objection.corrected_notice": (
        "【更正】{enterprise} 的异议 {reference} 成立，抽查结果已更正并重新公示。",
        "[Correction] Objection {reference} of {enterprise} was upheld; the result was "
        "corrected and republished.",
    ),
    "remind.objection": (
        "【异议处理提醒】异议 {number}（{enterprise}）应于 {due} 前处理。",
        "[Objection] Objection {number} ({enterprise}) must be decided by {due}.",
    ),
    # --- abnormal-operations proposals ---
    "abnormal.proposed_notice": (
        "【经营异常】{enterprise} 通过登记的住所（经营场所）无法联系，已建议列入经营异常名录，"
        "请于 {due} 前办理。发送 /abnormal 查看。",
        "[Abnormal operations] {enterprise} cannot be reached at its registered address and is "
        "proposed for the abnormal-operations list; settle it by {due}. Send /abnormal.",
    ),
    "remind.abnormal": (
        "【经营异常提醒】{enterprise}（{number}）列入经营异常名录的建议应于 {due} 前办理。",
        "[Abnormal operations] The proposal to list {enterprise} ({number}) must be settled "
        "by {due}.",
    ),
    "abnormal.none": ("没有待办理的经营异常名录建议。", "No proposal to settle."),
    "abnormal.head": (
        "建议列入经营异常名录（办理期限最早的在前）：",
        "Proposed for the abnormal-operations list, earliest first:",
    ),
    "abnormal.line": (
        "{n}. {enterprise}（{code}），{department}，{proposed_on} 建议，"
        "应于 {due} 前办理：{status}{overdue}",
        "{n}. {enterprise} ({code}), {department}, proposed {proposed_on}, settle by {due}: "
        "{status}{overdue}",
    ),
    "abnormal.card": (
        "经营异常名录建议 #{id}\n企业：{enterprise}（{code}）\n住所：{address}\n"
        "检查实施机关：{department}\n"
        "检查日期：{checked_on}\n建议日期：{proposed_on}\n办理期限：{due}\n状态：{status}",
        "Proposal #{id}\nEnterprise: {enterprise} ({code})\nAddress: {address}\n"
        "Department: {department}\nChecked on: {checked_on}\nProposed on: {proposed_on}\n"
        "Settle by: {due}\nStatus: {status}",
    ),
    "abnormal.status.open": ("待办理", "to settle"),
    "abnormal.status.listed": ("已列入", "listed"),
    "abnormal.status.dropped": ("不予列入", "not listed"),
    "abnormal.button_show": ("{enterprise}", "{enterprise}"),
    "abnormal.button_listed": ("已列入名录", "Listed"),
    "abnormal.button_dropped": ("不予列入", "Not listed"),
    "abnormal.button_export": ("导出 Excel", "Export to Excel"),
    "abnormal.marked": ("{enterprise}：{status}。", "{enterprise}: {status}."),
    "abnormal.exported": (
        "经营异常名录建议 {n} 条，供登记机关办理。",
        "{n} proposals for the registration department.",
    ),
    "abnormal.usage": (
        "用法：/abnormal（待办理）、/abnormal all（全部）、/abnormal export（导出 Excel）、"
        "/abnormal 编号 listed|dropped [备注]。",
        "Usage: /abnormal (to settle), /abnormal all, /abnormal export (Excel), "
        "/abnormal ID listed|dropped [note].",
    ),
    "abnormal.not_found": ("没有编号为 {id} 的建议。", "There is no proposal {id}."),
    "abnormal.closed": ("建议 {id} 已办结，不能再次办理。", "Proposal {id} is already settled."),
    "abnormal.bad_status": ("未知状态：{status}。", "Unknown status: {status}."),
    # --- in /followup ---
    "publicity.followup_o": (
        "{n}. 异议 {number}：{enterprise}，应于 {due} 前处理{overdue}",
        "{n}. Objection {number}: {enterprise}, decide by {due}{overdue}",
    ),
    "publicity.followup_a": (
        "{n}. 经营异常名录建议：{enterprise}（{number}），应于 {due} 前办理{overdue}",
        "{n}. Abnormal-operations proposal: {enterprise} ({number}), settle by {due}{overdue}",
    ),
    "publicity.button_o": ("异议：{enterprise}", "Objection: {enterprise}"),
    "publicity.button_a": ("经营异常：{enterprise}", "Abnormal: {enterprise}"),
}
