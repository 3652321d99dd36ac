"""Texts of the holiday calendar: /calendar, `jointcheck calendar`, and moved deadlines."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.calendar": (
        "查看某年的法定节假日与调休（/calendar 年份）",
        "Show a year's holidays and adjusted working days (/calendar YEAR)",
    ),
    "calendar.usage": (
        "用法：/calendar 年份，例如 /calendar 2027",
        "Usage: /calendar YEAR, for example /calendar 2027",
    ),
    "calendar.origin.loaded": (
        "{year} 年：按国务院办公厅通知载入（{source}，{at}）。",
        "{year}: loaded from the State Council's notice ({source}, {at}).",
    ),
    "calendar.origin.official": (
        "{year} 年：按内置的官方日历（{source}）。",
        "{year}: from the built-in official calendar ({source}).",
    ),
    "calendar.origin.fallback": (
        "{year} 年的放假安排尚未公布或尚未载入：暂按周一至周五推算工作日。"
        "管理员公布后可运行 jointcheck calendar load {year} 文件 载入，已推算的期限会重新计算。",
        "The {year} holiday schedule is not announced or not loaded yet: working days are "
        "estimated as Monday to Friday. An admin can load it with "
        "jointcheck calendar load {year} FILE; estimated deadlines are then recomputed.",
    ),
    "calendar.holiday": ("休", "day off"),
    "calendar.workday": ("班（调休上班）", "working day (adjusted)"),
    "calendar.bad_year": (
        "年份应在 {low} 到 {high} 之间。",
        "The year must be between {low} and {high}.",
    ),
    "calendar.bad_file": (
        "无法读取放假安排文件（{error}）：请使用 UTF-8 编码的文本文件。",
        "Cannot read the holiday file ({error}): use a UTF-8 text file.",
    ),
    "calendar.too_long": (
        "文件超过 {limit} 行，不像一年的放假安排。",
        "The file has more than {limit} lines; that is not one year's notice.",
    ),
    "calendar.bad_line": (
        "第 {line} 行无法识别：“{text}”。每行应为“日期 休”或“日期 班”，例如 2027-02-06 休 春节。",
        "Line {line} is not understood: '{text}'. Each line is 'DATE 休' (day off) or "
        "'DATE 班' (working day), for example 2027-02-06 休 Spring Festival.",
    ),
    "calendar.other_year": (
        "第 {line} 行的日期不在 {year} 年。",
        "The date on line {line} is not in {year}.",
    ),
    "calendar.twice": ("第 {line} 行：{day} 重复出现。", "Line {line}: {day} is listed twice."),
    "calendar.no_holidays": (
        "文件中没有 {year} 年的休息日，不像放假安排，未载入。",
        "The file lists no day off in {year}; it does not look like the notice, nothing loaded.",
    ),
    "calendar.publish_moved": (
        "{year} 年放假安排已载入：检查记录 {id} 的公示期限由 {old} 调整为 {new}。",
        "The {year} holiday schedule was loaded: the publication limit of record {id} moved "
        "from {old} to {new}.",
    ),
    "calendar.notice_moved": (
        "{year} 年放假安排已载入：责令改正通知书（编号 {id}）的整改期限由 {old} 调整为 {new}。",
        "The {year} holiday schedule was loaded: the deadline of order to correct {id} moved "
        "from {old} to {new}.",
    ),
}
