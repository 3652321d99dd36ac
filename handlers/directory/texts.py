"""Texts of the imports feature: the lists, their problems, and the import conversation."""

_KINDS: dict[str, tuple[str, str]] = {
    "import.kind.departments": ("部门名单", "departments"),
    "import.kind.items": ("抽查事项清单", "joint item list"),
    "import.kind.enterprises": ("检查对象名录库", "enterprise directory"),
    "import.kind.inspectors": ("执法检查人员名录库", "inspector directory"),
    "import.kind.recusals": ("回避关系", "recusals"),
    "import.kind.checkpoints": ("检查要点", "check points"),
}

_FILES: dict[str, tuple[str, str]] = {
    "import.empty_file": (
        "文件是空的，没有可导入的内容。",
        "The file is empty; there is nothing to import.",
    ),
    "import.no_rows": (
        "文件只有表头，没有数据行，未导入。",
        "The file has a header but no rows; nothing was imported.",
    ),
    "import.old_xls": (
        "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再发送。",
        "This is an old Excel (.xls) file; save it as .xlsx or CSV in Excel and send it again.",
    ),
    "import.binary": (
        "文件不是文本表格（可能是二进制文件或 UTF-16 编码），请另存为 CSV（UTF-8）或 .xlsx。",
        "The file is not a text table (binary, or UTF-16); save it as CSV (UTF-8) or .xlsx.",
    ),
    "import.bad_encoding": (
        "无法识别文件编码（第 {line} 行既不是 UTF-8 也不是 GBK），请另存为 CSV（UTF-8）。",
        "Unknown encoding (line {line} is neither UTF-8 nor GBK); save the file as CSV (UTF-8).",
    ),
    "import.mixed_encoding": (
        "文件混用了两种编码（第 {utf8} 行是 UTF-8，第 {other} 行是 GBK），"
        "可能由两个文件拼接而成。请统一另存为 CSV（UTF-8）后再导入。",
        "The file mixes two encodings (line {utf8} is UTF-8, line {other} is GBK), perhaps "
        "pasted together from two files. Save it as one CSV (UTF-8) and import it again.",
    ),
    "import.encoding_changes": (
        "文件开头是 UTF-8 编码，但第 {line} 行之后出现了其他编码（可能由两个文件拼接而成）。"
        "请统一另存为 CSV（UTF-8）后再导入。",
        "The file starts in UTF-8 but changes encoding after line {line} (perhaps pasted "
        "together from two files). Save it as one CSV (UTF-8) and import it again.",
    ),
    "import.bad_csv": (
        "CSV 文件第 {row} 行格式有误（引号不配对或含有空字符），请用 Excel 另存为 CSV 后再导入。",
        "The CSV file is malformed at row {row} (unbalanced quotes or a NUL character); save "
        "it as CSV from Excel and import it again.",
    ),
    # The refusal's `error` (what was wrong, in the library's words) stays in its values,
    # not shown: a Chinese reply holds no English.
    "import.bad_xlsx": (
        "无法作为 Excel（.xlsx）文件打开，文件可能已损坏、已加密或并非 Excel 文件。",
        "Cannot open this as an Excel (.xlsx) file; it is damaged, encrypted or not Excel.",
    ),
    "import.missing_columns": (
        "文件缺少必填列：{columns}。请按模板（/template）补齐表头后再导入。",
        "The file lacks required columns: {columns}. Add them (see /template) and try again.",
    ),
    "import.repeated_column": (
        "“{first}”和“{second}”是同一列，请删除其中一列。",
        '"{first}" and "{second}" are the same column; remove one of them.',
    ),
    "import.unknown_kind": (
        "无法判断这是哪一种名单，请指明：{kinds}。",
        "Cannot tell which list this is; name it: {kinds}.",
    ),
    "import.xlsx_too_many_rows": (
        "超过 Excel 的行数上限（{limit} 行），请导出为 CSV。",
        "More rows than Excel allows ({limit}); export to CSV instead.",
    ),
    "import.conflict": (
        "导入期间名单被其他人修改，本次导入未生效，请重新导入。",
        "The list was changed by someone else during the import; nothing was imported. "
        "Import the file again.",
    ),
    "import.cannot_read": ("无法读取文件：{error}", "Cannot read the file: {error}"),
    "import.unsupported_encoding": (
        "文件的编码是 {encoding}，不是 UTF-8 或 GB18030（GBK），直接导入会变成乱码，未导入。"
        "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再发送。",
        "The file is encoded in {encoding}, not UTF-8 or GB18030 (GBK); imported as it is, "
        "its text would be garbled, so nothing was imported. Save it as CSV UTF-8 or .xlsx "
        "in Excel and send it again.",
    ),
}

# A file refused as a whole for its size or shape, before or while its rows are read.
_BOUNDS: dict[str, tuple[str, str]] = {
    "import.too_many_rows": (
        "文件超过 {limit} 行的上限，未导入。请分成几个文件导入。",
        "The file has more than {limit} rows, the limit; nothing was imported. Split it into "
        "several files.",
    ),
    "import.blank_rows": (
        "从第 {row} 行起有超过 {limit} 个连续的空行，未导入。请删除这些空行后再导入。",
        "More than {limit} empty rows follow one another from row {row}; nothing was "
        "imported. Delete them and import again.",
    ),
    "import.too_many_columns": (
        "单元格 {cell} 超出了 {limit} 列的上限，未导入。",
        "Cell {cell} lies beyond the limit of {limit} columns; nothing was imported.",
    ),
    "import.cell_too_big": (
        "第 {row} 行（或其附近）有一个超过 {limit} 个字符的单元格，未导入。",
        "A cell at or near row {row} is longer than {limit} characters; nothing was imported.",
    ),
    "import.line_too_long": (
        "文件第 {line} 行超过 {limit} 字节，不像是名单文件，未导入。",
        "Line {line} of the file is longer than {limit} bytes; this is not a list, and "
        "nothing was imported.",
    ),
    "import.xlsx_parts": (
        "Excel 文件包含 {parts} 个部件，超过 {limit} 个的上限，未导入。",
        "The Excel file has {parts} parts, over the limit of {limit}; nothing was imported.",
    ),
    "import.xlsx_part_too_big": (
        "Excel 文件中的“{part}”解压后约 {size} MB，超过 {limit} MB 的上限，未导入。"
        "请删除多余的工作表或另存为 CSV。",
        'The part "{part}" of the Excel file is about {size} MB uncompressed, over the '
        "limit of {limit} MB; nothing was imported. Remove other sheets or save it as CSV.",
    ),
    "import.xlsx_strings": (
        "Excel 文件的共享字符串表超过 {limit} 个字符串，多于工作表中引用它们的单元格，未导入。",
        "The Excel file's shared strings outnumber the {limit} cells that could refer to "
        "them; nothing was imported.",
    ),
    "import.xlsx_ratio": (
        "Excel 文件中的“{part}”压缩比达 {ratio}:1，超过 {limit}:1 的上限（疑似压缩炸弹），未导入。",
        'The part "{part}" of the Excel file is compressed {ratio} to 1, over the limit of '
        "{limit} to 1 (a zip bomb?); nothing was imported.",
    ),
    "import.check_cpu": (
        "检查文件用时超过 {seconds} 秒的上限，已停止，未导入任何内容。",
        "Checking the file took more than its limit of {seconds} CPU seconds; it was stopped "
        "and nothing was imported.",
    ),
    "import.check_time": (
        "检查文件超过 {seconds} 秒没有进展，已停止，未导入任何内容。",
        "Checking the file made no progress for {seconds} seconds; it was stopped and "
        "nothing was imported.",
    ),
    "import.check_memory": (
        "检查文件所需内存超过 {limit} MB 的上限，已停止，未导入任何内容。",
        "Checking the file needed more than its limit of {limit} MB of memory; it was "
        "stopped and nothing was imported.",
    ),
    "import.check_killed": (
        "检查文件的进程被终止（上限：CPU {seconds} 秒，内存 {limit} MB），未导入任何内容。",
        "The process checking the file was killed (limits: {seconds} CPU seconds, {limit} MB "
        "of memory); nothing was imported.",
    ),
    "import.file_changed": (
        "文件在检查之后被改动过，未导入。请重新发送文件。",
        "The file changed after it was checked; nothing was imported. Send it again.",
    ),
}

_REASONS: dict[str, tuple[str, str]] = {
    "import.reason.required": ("不能为空", "is required"),
    "import.reason.too_long": ("超过 {limit} 字", "is longer than {limit} characters"),
    "import.reason.invalid": ("格式不正确", "is not valid"),
    "import.reason.cell_too_long": (
        "内容过长（{length} 字，上限 {limit} 字）",
        "is too long ({length} characters, limit {limit})",
    ),
    "import.reason.extra_cells": (
        "本行的格子多于表头的 {columns} 列（可能有未加引号的逗号）",
        "has more cells than the {columns} columns of the header (an unquoted comma?)",
    ),
    "import.reason.formula": (
        "是公式，请粘贴为数值后再导入",
        "is a formula; paste it as values and import again",
    ),
    "import.reason.excel_error": ("是 Excel 错误值", "is an Excel error value"),
    "import.reason.phone": (
        "不是有效的电话号码（手机 11 位，座机如 0972-8612345）",
        "is not a phone number (11-digit mobile, or a landline like 0972-8612345)",
    ),
    "import.reason.date": (
        "日期无法识别（可写 2024-05-01、2024/5/1、2024.5.1 或 2024年5月1日）",
        "is not a date (write 2024-05-01, 2024/5/1, 2024.5.1 or 2024年5月1日)",
    ),
    "import.reason.credit_code_length": (
        "统一社会信用代码应为 18 位",
        "a credit code has 18 characters",
    ),
    "import.reason.credit_code_charset": (
        "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）",
        "the credit code has characters outside its set (no I, O, S, V, Z)",
    ),
    "import.reason.credit_code_division": (
        "统一社会信用代码第 3-8 位应为行政区划数字",
        "characters 3-8 of a credit code are the division's digits",
    ),
    "import.reason.credit_code_checksum": (
        "统一社会信用代码校验位不正确（可能有输错的字符）",
        "the credit code's check character is wrong (a mistyped character?)",
    ),
    "import.reason.credit_code_number": (
        "代码被 Excel 存成了数字，末几位已丢失；请将该列设为文本后重新录入",
        "Excel stored the code as a number and lost its last digits; format the column as "
        "text and enter it again",
    ),
    "import.reason.risk": (
        "信用风险等级应为 A、B、C、D（或 低、一般、较高、高）",
        "a risk class is A, B, C or D (or 低, 一般, 较高, 高)",
    ),
    "import.reason.enterprise_status": (
        "经营状态应为 存续、停业、注销、吊销、撤销 或 迁出",
        "a status is 存续, 停业, 注销, 吊销, 撤销 or 迁出 (or active, closed, deregistered, "
        "revoked, moved_out)",
    ),
    "import.reason.inspector_status": (
        "状态应为 在岗、休假 或 离岗",
        "a status is 在岗, 休假 or 离岗 (or active, on_leave, left)",
    ),
    "import.reason.item_kind": (
        "事项类别应为 重点 或 一般",
        "a kind is 重点 (key) or 一般 (general)",
    ),
    "import.reason.yes_no": ("应填 是 或 否", "write 是 (yes) or 否 (no)"),
    "import.reason.active": ("状态应为 启用 或 停用", "write 启用 (active) or 停用 (inactive)"),
    "import.reason.duplicate": ("与第 {row} 行重复", "repeats row {row}"),
    "import.reason.unknown_department": (
        "没有名为“{name}”的部门（请先导入部门名单）",
        'there is no department "{name}" (import the departments first)',
    ),
    "import.reason.name_taken": (
        "该名称已用于部门 {code}",
        "this name is already used by department {code}",
    ),
    "import.reason.unknown_cert": (
        "名录库中没有这个执法证号",
        "no inspector has this certificate number",
    ),
    "import.reason.unknown_code": (
        "名录库中没有这个统一社会信用代码",
        "no enterprise has this credit code",
    ),
    "import.reason.unknown_item": (
        "抽查事项清单中没有这个事项编码（请先导入抽查事项清单）",
        "no joint item has this code (import the item list first)",
    ),
    "import.reason.seq": (
        "序号应为 1 至 {limit} 的整数",
        "a number (序号) is a whole number from 1 to {limit}",
    ),
}

_REPORTS: dict[str, tuple[str, str]] = {
    "import.cell_reason": ("{column}：{reason}", "{column}: {reason}"),
    "import.rejects_reason": ("问题", "Problem"),
    "import.problem_line": (
        "第 {row} 行 {column}“{value}”：{reason}",
        'Row {row}, {column} "{value}": {reason}',
    ),
    "import.problem_row": ("第 {row} 行：{reason}", "Row {row}: {reason}"),
    "import.head": (
        "文件：{file}（{kind}，{rows} 行）",
        "File: {file} ({kind}, {rows} rows)",
    ),
    "import.counts": (
        "新增 {added}，更新 {updated}，未变 {unchanged}，停用 {deactivated}。",
        "{added} added, {updated} updated, {unchanged} unchanged, {deactivated} deactivated.",
    ),
    "import.problems_head": (
        "{rows} 行有问题（共 {problems} 处），前 {shown} 处如下：",
        "{rows} rows have problems ({problems} in all); the first {shown}:",
    ),
    "import.more_problems": (
        "……另有 {n} 处问题，见问题行文件。",
        "... and {n} more; see the rejects file.",
    ),
    "import.ignored_columns": (
        "以下列未识别，已忽略：{columns}",
        "These columns were not recognised and are ignored: {columns}",
    ),
    "import.counts_removed": (
        "新增 {added}，更新 {updated}，未变 {unchanged}，删除 {deactivated}。",
        "{added} added, {updated} updated, {unchanged} unchanged, {deactivated} removed.",
    ),
    "import.warn_points_replaced": (
        "文件列出的 {n} 个事项的检查要点以本文件为准、整体替换：原有而文件未列出的要点一并删除。",
        "The check points of the {n} items the file lists are replaced by the file's as a "
        "whole: points they had that the file leaves out are removed.",
    ),
    "import.points_answered": (
        "以下检查要点已有检查记录作答，不能删除：{points}（共 {n} 条）。本文件未列出它们，"
        "导入会删除它们，因此整个文件未导入。请在文件中保留这些序号（内容可以修改）后再导入。",
        "These check points have been answered in check records and cannot be removed: "
        "{points} ({n} in all). The file leaves them out, which would remove them, so "
        "nothing was imported. Keep their numbers in the file (their text may change) and "
        "import it again.",
    ),
    "import.warn_expired": (
        "⚠ 其中 {n} 人执法证已过期（可以导入，但不会被抽中）。",
        "⚠ {n} of them hold an expired certificate (imported, but never drawn).",
    ),
    "import.preview": ("【试导入，尚未写入】", "[Dry run: nothing written yet]"),
    "import.done": ("【已导入】", "[Imported]"),
    "import.refused": (
        "【未导入】文件中有问题行，整个文件未导入。请修改后重新导入，或只导入无问题的行。",
        "[Not imported] The file has rows with problems, so nothing was imported. Fix them "
        "and import again, or import the valid rows only.",
    ),
    "import.progress": (
        "已读 {rows} 行，{rate} 行/秒，剩余约 {left}",
        "{rows} rows, {rate} rows/s, {left} left",
    ),
    "import.rejects_written": ("问题行已写入：{path}", "Rows with problems written to: {path}"),
    "import.unchanged_all": (
        "名单与现有数据一致，无需导入。",
        "The list matches what is stored; there is nothing to import.",
    ),
}

_CHAT: dict[str, tuple[str, str]] = {
    "cmd.import": ("导入名单（CSV 或 Excel）", "Import a list (CSV or Excel)"),
    "cmd.export": ("导出名单（/export 名单 [xlsx]）", "Export a list (/export KIND [xlsx])"),
    "cmd.template": (
        "下载导入模板（/template 名单 [xlsx]）",
        "Get an import template (/template KIND [xlsx])",
    ),
    "import.ask_file": (
        "请发送要导入的 CSV 或 Excel（.xlsx）文件。可导入：{kinds}。"
        "将先试导入并报告问题，确认后才写入。",
        "Send the CSV or Excel (.xlsx) file to import. Lists: {kinds}. It is checked first; "
        "nothing is written until you confirm.",
    ),
    "import.kinds_usage": (
        "名单类型：{kinds}",
        "Lists: {kinds}",
    ),
    "import.path_console_only": (
        "只能在控制台按路径导入；在聊天中请直接发送文件。",
        "Import by path works on the console only; in chat, send the file itself.",
    ),
    "import.confirm_all": (
        "确认导入以上内容吗？",
        "Import this now?",
    ),
    "import.confirm_valid": (
        "可以只导入 {valid} 行无问题的数据（问题行不导入，见附件），或修改后重新发送。",
        "You can import the {valid} valid rows only (the others are left out, see the file), "
        "or fix the file and send it again.",
    ),
    "import.nothing_valid": (
        "没有可导入的行。请按问题修改后重新发送。",
        "No row can be imported. Fix the problems and send the file again.",
    ),
    "import.cancelled": ("已取消，未导入任何内容。", "Cancelled; nothing was imported."),
    "import.stale_button": (
        "这个按钮属于之前检查的另一个文件，已失效，未导入任何内容。请使用最新一次检查结果下的按钮。",
        "This button belongs to a file checked earlier and no longer works; nothing was "
        "imported. Use the buttons under the latest check.",
    ),
    "import.rejects_name": ("问题行", "rejects"),
    "button.import_go": ("确认导入", "Import"),
    "button.import_valid": ("只导入无问题的行", "Import the valid rows only"),
    "import.export_done": ("{kind}：共 {rows} 行，见附件。", "{kind}: {rows} rows, attached."),
    "import.template_done": (
        "{kind}导入模板：表头和一行示例，见附件。",
        "Import template of the {kind}: the headers and one example row, attached.",
    ),
    "import.export_usage": (
        "用法：/export 名单 [xlsx]；名单：{kinds}",
        "Usage: /export KIND [xlsx]; {kinds}",
    ),
    "import.template_usage": (
        "用法：/template 名单 [xlsx]；名单：{kinds}",
        "Usage: /template KIND [xlsx]; {kinds}",
    ),
}

# /item: one item of the joint list with its check points.
_ITEM: dict[str, tuple[str, str]] = {
    "cmd.item": (
        "查看抽查事项及其检查要点（/item 事项编码）",
        "An item of the joint list and its check points (/item CODE)",
    ),
    "item.usage": (
        "用法：/item 事项编码（或事项名称中的词）。现有事项 {total} 项：",
        "Usage: /item CODE (or a word of the item's name). {total} active items:",
    ),
    "item.not_found": (
        "没有找到事项“{code}”。发送 /item 查看事项清单。",
        'No item "{code}" was found. Send /item for the list.',
    ),
    "item.several": (
        "有 {n} 个事项符合“{text}”，请发送其中一个编码：",
        '{n} items match "{text}"; send one of their codes:',
    ),
    "item.line": ("{code} {name}", "{code} {name}"),
    "item.more": ("……另有 {n} 项", "... and {n} more"),
    "item.head": ("【{code}】{name}（{kind}）", "[{code}] {name} ({kind})"),
    "item.inactive": ("⚠ 该事项已停用。", "⚠ This item is inactive."),
    "item.kind.key": ("重点事项", "key item"),
    "item.kind.general": ("一般事项", "general item"),
    "item.sub_item": ("抽查子项：{value}", "Sub-item: {value}"),
    "item.object_type": ("抽查对象：{value}", "Objects: {value}"),
    "item.all_objects": ("全部对象", "all objects"),
    "item.basis": ("抽查依据：{value}", "Legal basis: {value}"),
    "item.initiating": ("发起部门：{value}", "Initiating department: {value}"),
    "item.cooperating": ("配合部门：{value}", "Cooperating departments: {value}"),
    "item.none": ("无", "none"),
    "item.method": ("检查方式：{value}", "Method: {value}"),
    "item.ratio": ("抽查比例：{value}", "Ratio: {value}"),
    "item.frequency": ("抽查频次：{value}", "Frequency: {value}"),
    "item.points_head": ("检查要点（{n} 条）：", "Check points ({n}):"),
    "item.no_points": (
        "尚无检查要点（协调员可用 /import checkpoints 导入）。",
        "No check points yet (a coordinator imports them with /import checkpoints).",
    ),
    "item.point": ("{seq}. {content}", "{seq}. {content}"),
    "item.point_method": ("   检查方法：{value}", "   Method: {value}"),
    "item.point_basis": ("   检查依据：{value}", "   Basis: {value}"),
}

TEXTS: dict[str, tuple[str, str]] = {
    **_KINDS,
    **_FILES,
    **_BOUNDS,
    **_REASONS,
    **_REPORTS,
    **_CHAT,
    **_ITEM,
}
