"""HTML of the public site: the shared frame, the item list, the audit checkpoint, 404.

Plain HTML and CSS (the look of the /results page), usable on a phone, `lang="zh-CN"`, no
external resource; every value escaped. Plans and draws are drawn by `bot.public_draws`.
This module imports nothing of `bot.web`, so that the /results page can take `nav` and
`STYLE` from here without an import cycle.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from services.common.audit_files import Recorded
from services.common.clock import local_text
from services.directory.public import MAX_QUERY, PublicItem

# The site's sections, in the order of the navigation bar.
SECTIONS = (
    ("results", "/results", "结果"),
    ("items", "/items", "事项"),
    ("plans", "/plans", "计划"),
    ("audit", "/audit", "审计"),
)
# The /results page's look (bot/web.py), then what the other pages add.
STYLE = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:0;padding:1rem;color:#1f2328;background:#f6f8fa;line-height:1.5}
main{max-width:72rem;margin:0 auto}
h1{font-size:1.35rem;margin:.2rem 0 .4rem}
p.note{color:#57606a;font-size:.9rem;margin:.2rem 0 .8rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;margin:.8rem 0}
label{width:100%;font-size:.9rem;color:#57606a}
input{flex:1 1 14rem;font-size:1rem;padding:.55rem;border:1px solid #d0d7de;border-radius:6px}
button{font-size:1rem;padding:.55rem 1.2rem;border:0;border-radius:6px;background:#0969da;
color:#fff}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{background:#eaeef2;font-weight:600;white-space:nowrap}
a{color:#0969da}
nav{display:flex;justify-content:space-between;margin:1rem 0}
@media (max-width:640px){
 table,thead,tbody,tr,th,td{display:block}
 thead{display:none}
 tr{margin:0 0 .8rem;border:1px solid #d0d7de;border-radius:6px;background:#fff}
 td{border:0;padding:.25rem .6rem}
 td::before{content:attr(data-label) "：";color:#57606a;font-size:.85rem;display:block}
}
header{max-width:72rem;margin:0 auto}
nav.site{justify-content:flex-start;flex-wrap:wrap;gap:.4rem 1.2rem;margin:0 0 .6rem;
padding:.3rem 0;border-bottom:1px solid #d0d7de}
nav.site a{text-decoration:none;font-weight:600;padding:.2rem 0}
nav.site a[aria-current=page]{color:#1f2328;border-bottom:2px solid #0969da}
h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
section.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;
margin:.8rem 0}
dl{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.25rem .8rem;margin:.4rem 0}
dt{color:#57606a}
dd{margin:0;min-width:0}
.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem;
word-break:break-all}
.status{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85rem;
background:#ddf4ff;color:#0550ae}
.status.voided,.status.cancelled{background:#ffebe9;color:#a40e26}
.status.corrected{background:#fff8c5;color:#7d4e00}
p.alert{background:#ffebe9;border:1px solid #ff8182;border-radius:6px;padding:.5rem .8rem}
ol.timeline{padding-left:1.3rem}
ol.timeline li{margin:.35rem 0}
output{display:block;margin:.6rem 0;white-space:pre-wrap}
@media (max-width:640px){dl{grid-template-columns:1fr}dt{font-size:.85rem}}
"""


def e(value: object) -> str:
    """A value escaped for HTML text and attributes."""
    return html.escape(str(value), quote=True)


def link(path: str, **params: object) -> str:
    """A path with its query, leaving out empty values and page 1."""
    kept = {k: v for k, v in params.items() if v not in ("", None, 1)}
    return path + ("?" + urlencode(kept) if kept else "")


def or_dash(value: object) -> str:
    """An escaped value, or a dash for nothing."""
    return "-" if value in (None, "") else e(value)


def percent(ratio: str) -> str:
    """A decimal ratio ("0.08") as a percentage ("8%")."""
    try:
        return f"{(Decimal(ratio) * 100).normalize():f}%"
    except InvalidOperation:
        return ratio


def correction_mark(corrected_on: date | None) -> str:
    """The mark of a corrected published result ("更正 YYYY-MM-DD"), empty when none."""
    if corrected_on is None:
        return ""
    return f'<span class="status corrected">更正 {corrected_on.isoformat()}</span>'


def nav(current: str) -> str:
    """The navigation bar of the site, the current section marked."""
    links = "".join(
        f'<a href="{path}"{" aria-current=page" if key == current else ""}>{label}</a>'
        for key, path, label in SECTIONS
    )
    return f'<nav class="site" aria-label="公示栏目">{links}</nav>'


def layout(title: str, body: str, current: str) -> str:
    """A whole page in the frame of the site."""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} - 部门联合双随机抽查公示</title>
<style>{STYLE}</style>
</head>
<body>
<header>{nav(current)}</header>
<main>
<h1>{e(title)}</h1>
{body}
</main>
</body>
</html>
"""


def pager(path: str, page: int, pages: int, **params: object) -> str:
    """Previous and next links."""
    out = []
    if page > 1:
        out.append(f'<a href="{e(link(path, page=page - 1, **params))}">上一页</a>')
    if page < pages:
        out.append(f'<a href="{e(link(path, page=page + 1, **params))}">下一页</a>')
    return f'<nav aria-label="翻页">{"".join(out)}</nav>' if out else ""


def table(headers: tuple[str, ...], rows: list[list[str]]) -> str:
    """A table of already escaped cells that becomes labelled cards on a phone."""
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
    body = "\n".join(
        "<tr>"
        + "".join(f'<td data-label="{e(h)}">{c}</td>' for h, c in zip(headers, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"


ITEM_HEADERS = (
    "事项编码",
    "抽查事项",
    "抽查子项",
    "抽查依据",
    "发起部门",
    "配合部门",
    "抽查对象",
    "事项类别",
    "抽查比例",
    "抽查频次",
    "检查方式",
    "层级",
)
KINDS = {"key": "重点检查事项", "general": "一般检查事项"}


def _item_row(item: PublicItem) -> list[str]:
    return [
        e(item.code),
        e(item.name),
        or_dash(item.sub_item),
        or_dash(item.legal_basis),
        e(item.initiating),
        or_dash("、".join(item.cooperating)),
        e(item.object_type or "所有检查对象"),
        e(KINDS.get(item.kind, item.kind)),
        or_dash(item.ratio),
        or_dash(item.frequency),
        or_dash(item.method),
        or_dash(item.level),
    ]


def items_page(items: list[PublicItem], query: str, page: int, pages: int, total: int) -> str:
    """The joint item list with its search form."""
    listing = (
        table(ITEM_HEADERS, [_item_row(i) for i in items])
        if items
        else "<p>没有符合条件的抽查事项。</p>"
    )
    body = f"""<p class="note">各部门联合抽查事项清单（一单两库之“一单”）：
事项、依据、发起与配合部门、比例和频次。共 {total} 项，第 {page}/{pages} 页。</p>
<form method="get" action="/items" role="search">
<label for="q">事项名称、编码或抽查依据</label>
<input id="q" name="q" type="search" maxlength="{MAX_QUERY}" value="{e(query)}">
<button type="submit">查询</button>
</form>
{listing}
{pager("/items", page, pages, q=query)}"""
    return layout("联合抽查事项清单", body, "items")


def audit_page(latest: Recorded | None, count: int, unreadable: bool = False) -> str:
    """The newest audit checkpoint and how to hold the log to it."""
    if unreadable:
        found = "<p>检查点文件暂时无法读取，请稍后再试。</p>"
    elif latest is None:
        found = "<p>尚未记录审计检查点。</p>"
    else:
        source = {"daily": "每日自动记录", "cli": "管理员手动记录"}.get(latest.source, "其他")
        found = f"""<section class="card" aria-labelledby="latest">
<h2 id="latest">最新检查点</h2>
<dl>
<dt>记录时间</dt><dd>{e(local_text(latest.at))}（北京时间）</dd>
<dt>日志条目序号</dt><dd>{latest.checkpoint.seq}</dd>
<dt>链头哈希</dt><dd class="hash">{e(latest.checkpoint.hash)}</dd>
<dt>检查点</dt><dd class="hash">{e(latest.checkpoint)}</dd>
<dt>记录方式</dt><dd>{e(source)}</dd>
</dl>
</section>
<p class="note">已记录检查点共 {count} 个。</p>"""
    body = f"""<p class="note">系统的每一项操作都写入带密钥的哈希链审计日志。
检查点公开链头（条目序号与哈希）：此后对该条目及之前任何条目的删改、截短都会与检查点不符。核验命令：
<code>jointcheck audit verify --checkpoint 序号:哈希</code>。</p>
{found}"""
    return layout("审计检查点", body, "audit")


def not_found_page() -> str:
    """The page of an address the site does not have (or does not show yet)."""
    body = (
        "<p>没有找到该页面：计划在冻结前不公示，编号可能有误。</p>"
        '<p><a href="/plans">返回抽查计划</a></p>'
    )
    return layout("未找到", body, "")
