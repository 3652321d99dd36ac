"""Texts of joint meetings, reminders and the outbox's notices."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.meeting": ("安排联席会议", "Schedule a joint meeting"),
    "cmd.meetings": ("查看近期联席会议", "Upcoming joint meetings"),
    "meeting.ask_kind": ("会议类型：", "Kind of meeting:"),
    "button.plenary": ("全体会议", "Plenary"),
    "button.topical": ("专题会议", "Topical"),
    "meeting.ask_title": ("会议名称：", "Title:"),
    "meeting.ask_time": (
        "会议时间（北京时间），例如 2026-12-05 09:30：",
        "Time (Beijing time), e.g. 2026-12-05 09:30:",
    ),
    "meeting.bad_time": (
        "时间格式有误或已过去。请写成 2026-12-05 09:30。",
        "Cannot read that time, or it has passed. Write 2026-12-05 09:30.",
    ),
    "meeting.ask_past": (
        "该时间已过去。如果会议已经召开，请点击“已召开”，补录出席情况和会议纪要（不发送通知和提醒）。",
        "That time has passed. If the meeting was held, press Held to enter its attendance "
        "and minutes (no invitations or reminders are sent).",
    ),
    "meeting.past_mark": ("（已召开）", " (held)"),
    "meeting.past_recorded": (
        "已补录会议（编号 {id}）：已召开，缺席 {absent} 人；未发送通知。",
        "Meeting {id} entered as held, {absent} absent; nobody was notified.",
    ),
    "meeting.minutes_required": (
        "补录已召开的会议须填写会议纪要。",
        "A held meeting needs its minutes.",
    ),
    "meeting.ask_place": ("会议地点：", "Place:"),
    "meeting.ask_agenda": ("会议议程：", "Agenda:"),
    "meeting.ask_departments": (
        "参会单位：输入编号（空格分隔），或点击“全部成员单位”。\n{departments}",
        "Participating departments: type their numbers, or press All members.\n{departments}",
    ),
    "button.all_departments": ("全部成员单位", "All members"),
    "meeting.bad_departments": ("无法识别的编号：{values}", "Unknown numbers: {values}"),
    "meeting.summary": (
        "请确认：\n{kind}：{title}\n时间：{time}\n地点：{place}\n议程：{agenda}\n参会单位：{departments}",
        "Please confirm:\n{kind}: {title}\nTime: {time}\nPlace: {place}\nAgenda: {agenda}\n"
        "Departments: {departments}",
    ),
    "meeting.created": (
        "会议已安排（编号 {id}），已通知 {count} 人；将在会前提醒。",
        "Meeting {id} scheduled; {count} people invited; reminders will be sent.",
    ),
    "meeting.invite": (
        "【联席会议通知】{title}\n时间：{time}\n地点：{place}\n议程：{agenda}\n请确认是否参加。",
        "[Joint meeting] {title}\nTime: {time}\nPlace: {place}\nAgenda: {agenda}\n"
        "Please reply whether you attend.",
    ),
    "meeting.reminder": (
        "【会议提醒】{title} 将于 {time} 在 {place} 召开。",
        "[Reminder] {title} at {time}, {place}.",
    ),
    "meeting.moved": (
        "【会议改期】{title} 改为 {time} 在 {place} 召开。",
        "[Rescheduled] {title} is now at {time}, {place}.",
    ),
    "meeting.cancelled": (
        "【会议取消】{title}（原定 {time}）已取消。",
        "[Cancelled] {title} ({time}).",
    ),
    "button.attend": ("参加", "Attend"),
    "button.leave": ("请假", "Excuse me"),
    "meeting.rsvp_attend": ("已登记：参加。", "Noted: you attend."),
    "meeting.ask_leave_reason": ("请输入请假理由：", "Please give the reason:"),
    "meeting.rsvp_leave": ("已登记请假。", "Noted: excused."),
    "meeting.leave_reason": ("请假须写明理由。", "A reason is required to be excused."),
    "meeting.not_invited": ("您不在该会议的参会名单中。", "You are not invited to this meeting."),
    "meeting.none": ("近期没有已安排的会议。", "No meeting is scheduled."),
    "meeting.line": ("{id}. {title}（{time}，{place}）", "{id}. {title} ({time}, {place})"),
    "button.move": ("改期", "Reschedule"),
    "button.cancel_meeting": ("取消会议", "Cancel"),
    "button.outcome": ("记录召开情况", "Record outcome"),
    "meeting.ask_new_time": (
        "新的会议时间，例如 2026-12-06 14:00：",
        "New time, e.g. 2026-12-06 14:00:",
    ),
    "meeting.moved_done": (
        "会议已改期，提醒随之调整并已通知参会人员。",
        "Rescheduled; reminders moved and people told.",
    ),
    "meeting.ask_cancel_reason": ("请输入取消理由：", "Reason for cancelling:"),
    "meeting.cancelled_done": (
        "会议已取消，提醒已撤回并已通知参会人员。",
        "Cancelled; reminders withdrawn and people told.",
    ),
    "meeting.ask_held": ("会议是否如期召开？", "Was the meeting held?"),
    "button.held": ("已召开", "Held"),
    "button.not_held": ("未召开", "Not held"),
    "meeting.ask_absent": (
        "缺席人员：输入编号（空格分隔），或点击“全部出席”。\n{people}",
        "Absent: type their numbers, or press All present.\n{people}",
    ),
    "button.all_present": ("全部出席", "All present"),
    "meeting.ask_minutes": ("会议纪要：", "Minutes:"),
    "meeting.ask_decisions": (
        "会议决定（如审议通过的事项清单、抽查计划）：",
        "Decisions (e.g. the item list or plan approved):",
    ),
    "meeting.ask_not_held_reason": ("未召开的原因：", "Why it was not held:"),
    "meeting.outcome_done": ("已记录会议召开情况。", "Outcome recorded."),
    "meeting.bad_kind": ("未知会议类型。", "Unknown kind of meeting."),
    "meeting.in_past": ("会议时间已过。", "That time has passed."),
    "meeting.not_found": ("没有编号为 {id} 的会议。", "There is no meeting {id}."),
    "meeting.not_scheduled": ("会议 {id} 已结束或已取消。", "Meeting {id} is over or cancelled."),
    "meeting.not_yet": ("会议尚未开始，不能记录召开情况。", "The meeting has not started yet."),
    "meeting.no_participants": ("没有参会人员。", "No participants."),
    "meeting.unknown_department": ("未知单位。", "Unknown department."),
    "meeting.unknown_user": ("未知人员。", "Unknown person."),
    "kind.plenary": ("全体会议", "Plenary meeting"),
    "kind.topical": ("专题会议", "Topical meeting"),
    "remind.window": (
        "【到期提醒】{enterprise} 的联合检查将于 {end} 截止，请及时完成并录入结果。",
        "[Due soon] The joint check of {enterprise} closes on {end}; please finish and record it.",
    ),
    "remind.notice": (
        "【整改到期】责令整改通知书 {number} 将于 {deadline} 到期，请及时复查。",
        "[Order due] Order to correct {number} is due on {deadline}; please re-inspect.",
    ),
    "remind.overdue": (
        "【整改逾期】责令整改通知书 {number} 已于 {deadline} 到期，尚未复查整改情况。",
        "[Overdue] Order to correct {number} was due on {deadline} and is not closed.",
    ),
    "remind.publish": (
        "【公示提醒】{enterprise} 的抽查结果须于 {limit} 前公示。",
        "[Publish] The result for {enterprise} must be published by {limit}.",
    ),
    "remind.case": (
        "【案件提醒】案件 {number} 应于 {due} 前作出处理决定。",
        "[Case] Case {number} must be decided by {due}.",
    ),
    "outbox.missed": (
        "【提醒未送达】一条“{kind}”提醒原定 {due} 发送，因系统停机超过宽限时间，已标记为错过。",
        'A "{kind}" reminder due at {due} was missed while the system was down past the grace '
        "period.",
    ),
    # Refusals of `jointcheck import results` (services/records/past.py); they live here
    # until the records catalog takes them. Every one says nothing was imported.
    "past.missing_column": (
        "结果文件缺少“{column}”列，未导入任何结果。",
        'The results file has no "{column}" column; nothing was imported.',
    ),
    "past.unreadable": (
        "无法读取文件 {file}，未导入任何结果。",
        "Cannot read the file {file}; nothing was imported.",
    ),
    "past.too_many": (
        "结果文件超过 {limit} 行，未导入任何结果。",
        "The results file has more than {limit} rows; nothing was imported.",
    ),
    "past.no_rows": (
        "结果文件没有数据行，未导入任何结果。",
        "The results file has no rows; nothing was imported.",
    ),
    "past.bad_code": (
        "第 {row} 行统一社会信用代码“{value}”无效，未导入任何结果。",
        'Row {row}: "{value}" is not a valid credit code; nothing was imported.',
    ),
    "past.unknown_enterprise": (
        "第 {row} 行：检查对象名录库中没有信用代码为 {value} 的企业，未导入任何结果。",
        "Row {row}: no enterprise with credit code {value} in the directory; nothing was imported.",
    ),
    "past.bad_plan": (
        "第 {row} 行缺少抽查计划名称，未导入任何结果。",
        "Row {row}: the plan name is missing; nothing was imported.",
    ),
    "past.bad_date": (
        "第 {row} 行检查日期“{value}”无效或在今天之后，未导入任何结果。",
        'Row {row}: check date "{value}" is not a date up to today; nothing was imported.',
    ),
    "past.bad_category": (
        "第 {row} 行检查结果“{value}”不是已知的结果类别，未导入任何结果。",
        'Row {row}: result "{value}" is not a known result category; nothing was imported.',
    ),
    "past.bad_count": (
        "第 {row} 行“{column}”应为 0 至 {high} 的整数，而不是“{value}”，未导入任何结果。",
        'Row {row}: "{column}" must be a whole number from 0 to {high}, not "{value}"; '
        "nothing was imported.",
    ),
    "past.already_imported": (
        "文件 {file} 已导入过，未重复导入。",
        "The file {file} was imported before; nothing was imported again.",
    ),
}
