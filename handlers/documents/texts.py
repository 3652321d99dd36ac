"""Texts of official documents: /doc, the document buttons and their refusals."""

TEXTS: dict[str, tuple[str, str]] = {
    "cmd.doc": (
        "取得文书（/doc 种类 编号 [pdf|word]）",
        "Get a document (/doc KIND ID [pdf|word])",
    ),
    "doc.usage": (
        "用法：/doc 种类 编号 [pdf|word]。种类：notice 抽查通知书（任务编号）、onsite "
        "现场检查笔录（任务编号）、order 责令改正通知书（通知编号）、service 送达回证（通知编号）、"
        "annual 年度报告（年份）。",
        "Usage: /doc KIND ID [pdf|word]. Kinds: notice (task id), onsite (task id), order "
        "(order id), service (order id), annual (year).",
    ),
    "doc.sent": (
        "{title}（{number}，第 {version} 版，验证码 {code}）。",
        "{title} ({number}, version {version}, verify code {code}).",
    ),
    "doc.sent_again": (
        "{title}（{number}，第 {version} 版，验证码 {code}）：记录未变，发送的是已存档的文件。",
        "{title} ({number}, version {version}, verify code {code}): the record has not "
        "changed, this is the stored file.",
    ),
    "doc.notice_ready": (
        "抽查通知书已生成：{enterprise}（{plan}，任务 {id}）。按下面的按钮取得 PDF 或 Word "
        "版，检查前送达被检查单位。",
        "The inspection notice for {enterprise} ({plan}, task {id}) is ready. Press a "
        "button for the PDF or Word file, to hand to the enterprise before the check.",
    ),
    "doc.offer": (
        "可取得本次检查的文书（打印后加盖印章）：",
        "The documents of this check (print and seal them):",
    ),
    "doc.button.pdf": ("PDF", "PDF"),
    "doc.button.docx": ("Word", "Word"),
    "doc.button.notice": ("抽查通知书", "Inspection notice"),
    "doc.button.onsite": ("现场检查笔录 PDF", "On-site record PDF"),
    "doc.button.onsite_docx": ("笔录 Word", "Record Word"),
    "doc.button.order": ("责令改正通知书 {number}", "Order to correct {number}"),
    "doc.button.order_docx": ("Word", "Word"),
    "doc.button.service": ("送达回证", "Proof of service"),
    "doc.button.other": ("另存为 {format}", "Also as {format}"),
    "doc.bad_kind": (
        "没有“{kind}”这种文书；可用：{kinds}。",
        "There is no document kind “{kind}”; use one of: {kinds}.",
    ),
    "doc.bad_year": ("年份 {year} 不在 2000 至 2100 之间。", "Year {year} is not 2000-2100."),
    "doc.bad_id": ("“{id}”不是编号。", "“{id}” is not an id."),
    "doc.bad_format": (
        "格式“{format}”不可用：请用 pdf 或 word。",
        "Format “{format}” is not available: use pdf or word.",
    ),
    "doc.not_yours": (
        "文书 {kind} {id} 不属于您的检查任务或部门。",
        "Document {kind} {id} is not of your checks or your department.",
    ),
    "doc.no_template": (
        "找不到文书模板 {name}：请检查 TEMPLATES_DIR 或 DATA_DIR/templates。",
        "The document template {name} was not found: check TEMPLATES_DIR or DATA_DIR/templates.",
    ),
    "doc.bad_wording": (
        "文书措辞文件 {file} 无法读取：{error}",
        "The document wording file {file} cannot be read: {error}",
    ),
    "doc.template_error": (
        "文书模板 {name} 有误，未能生成文书：{error}",
        "The document template {name} has an error; no document was made: {error}",
    ),
    "doc.busy": (
        "该文书正由另一请求生成，请稍后再试。",
        "This document is being made by another request; try again shortly.",
    ),
}
