"""Texts of the guided /newplan conversation."""

TEXTS: dict[str, tuple[str, str]] = {
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
