"""The signature page's HTML: the record to read, the signature pad, the refusal form.

Plain HTML on a phone, in Chinese, every value escaped, no resource from elsewhere; the
pad's script is bot/static/sign.js. The pad posts the drawing as a PNG data URL in a
hidden field, so that the page needs no fetch; the refusal form works without script.
"""

from __future__ import annotations

import html

from handlers.core.i18n import t
from models import Signature
from services.common.clock import local_text
from services.records.signature_links import SigningPage
from services.records.signature_summary import PartSummary, RecordSummary

STYLE = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
margin:0;padding:.8rem;color:#1f2328;background:#f6f8fa;line-height:1.55;font-size:1rem}
main{max-width:40rem;margin:0 auto}
h1{font-size:1.3rem;margin:.2rem 0 .6rem}
h2{font-size:1.08rem;margin:1rem 0 .3rem}
h3{font-size:1rem;margin:.8rem 0 .2rem}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.7rem .9rem;
margin:.8rem 0}
dl{margin:0}dt{color:#57606a;font-size:.9rem}dd{margin:0 0 .4rem}
ul{margin:.2rem 0;padding-left:1.3rem}
table{width:100%;border-collapse:collapse;font-size:.92rem}
th,td{text-align:left;padding:.3rem;border-bottom:1px solid #d0d7de;vertical-align:top}
.note{color:#57606a;font-size:.9rem}
.hash{color:#57606a;font-size:.8rem;word-break:break-all}
.alert{background:#ffebe9;border:1px solid #ff8182;border-radius:6px;padding:.6rem}
#signature-pad{display:block;width:100%;height:13rem;touch-action:none;background:#fff;
border:2px dashed #8c959f;border-radius:8px;cursor:crosshair;user-select:none;
-webkit-user-select:none}
.buttons{display:flex;gap:.6rem;margin-top:.6rem}
button{font-size:1.05rem;padding:.7rem 1.2rem;border:0;border-radius:8px;background:#0969da;
color:#fff;flex:1}
button[disabled]{background:#8c959f}
button.secondary{background:#eaeef2;color:#1f2328}
button.refuse{background:#cf222e}
label{display:block;margin:.5rem 0 .2rem}
textarea{display:block;width:100%;box-sizing:border-box;min-height:6rem;font-size:1rem;
padding:.5rem;border:1px solid #d0d7de;border-radius:6px}
"""


def e(value: object) -> str:
    """Escaped text for HTML."""
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, *, script: bool = False) -> str:
    js = '<script src="/static/sign.js" defer></script>\n' if script else ""
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{e(title)}</title>
<style>{STYLE}</style>
{js}</head>
<body>
<main>
<h1>{e(title)}</h1>
{body}
</main>
</body>
</html>
"""


def _list(values: list[str], empty: str = "无") -> str:
    if not values:
        return f"<p>{e(empty)}</p>"
    return "<ul>" + "".join(f"<li>{e(v)}</li>" for v in values) + "</ul>"


def _part(part: PartSummary) -> str:
    problems = [f"{d}（依据：{b}）" if b else d for d, b in part.problems]
    orders = [f"{n}，整改期限 {d.isoformat()}" for n, d in part.orders]
    out = [
        f"<h2>{e(part.department)}</h2>",
        f"<p>检查日期：{e(part.checked_on or '—')}</p>",
        "<h3>检查结果</h3>",
        _list(part.categories, "尚未选择"),
        "<h3>发现的问题</h3>",
        _list(problems),
        "<h3>责令整改</h3>",
        _list(orders),
    ]
    if part.answers:
        rows = "".join(
            f"<tr><td>{e(a.check_point)}</td><td>{e(t('zh', f'sign.answer.{a.answer}'))}</td>"
            f"<td>{e(a.note or '')}</td></tr>"
            for a in part.answers
        )
        out.append(
            '<h3>检查表</h3><table><thead><tr><th scope="col">检查内容</th>'
            f'<th scope="col">结论</th><th scope="col">说明</th></tr></thead><tbody>{rows}'
            "</tbody></table>"
        )
    return "\n".join(out)


def record_html(summary: RecordSummary, content_sha256: str) -> str:
    """The record as the signer reads it."""
    attendees = [f"{name}（{post}）" if post else name for name, post in summary.attendees]
    officers = [f"{o.name}（执法证号 {o.cert_no}）" for o in summary.officers]
    parts = "\n".join(_part(p) for p in summary.parts) or "<p>各部门尚未填写检查情况。</p>"
    return f"""<section aria-label="现场检查笔录">
<h2>检查对象</h2>
<dl>
<dt>企业名称</dt><dd>{e(summary.enterprise)}</dd>
<dt>统一社会信用代码</dt><dd>{e(summary.credit_code)}</dd>
<dt>地址</dt><dd>{e(summary.address or "—")}</dd>
<dt>检查日期</dt><dd>{e(summary.day or "—")}</dd>
</dl>
<h2>检查事项</h2>
{_list(summary.items)}
<h2>企业在场人员</h2>
{_list(attendees)}
<h2>执法人员</h2>
{_list(officers)}
{parts}
<p class="hash">笔录内容 SHA-256：{e(content_sha256)}</p>
</section>"""


def sign_page(view: SigningPage, token: str, csrf: str, *, error: str = "") -> str:
    """The whole signature page for a usable link; `error` shown above the forms."""
    role = t("zh", f"sign.role.{view.role}")
    alert = f'<p class="alert" role="alert">{e(error)}</p>' if error else ""
    action = f"/sign/{e(token)}"
    hidden = (
        f'<input type="hidden" name="csrf" value="{e(csrf)}">'
        f'<input type="hidden" name="content" value="{e(view.content_sha256)}">'
    )
    until = local_text(view.expires_at)
    body = f"""<p>签字人：<strong>{e(role)} {e(view.signer)}</strong></p>
<p class="note">请核对下面的现场检查笔录。链接有效至 {e(until)}，只能使用一次。</p>
{alert}
{record_html(view.summary, view.content_sha256)}
<section aria-labelledby="pad-title">
<h2 id="pad-title">签名</h2>
<form id="sign-form" method="post" action="{action}" enctype="multipart/form-data">
{hidden}<input type="hidden" name="action" value="sign">
<input type="hidden" id="signature-data" name="signature" value="">
<p id="pad-label" class="note">请在下面的框内用手指（或鼠标）签写姓名。</p>
<canvas id="signature-pad" aria-labelledby="pad-label" role="img"></canvas>
<p id="sign-status" class="note" role="status" aria-live="polite"></p>
<div class="buttons">
<button type="button" id="sign-clear" class="secondary">清除</button>
<button type="submit" id="sign-submit" disabled>提交签名</button>
</div>
<noscript><p class="alert">签名需要启用浏览器的 JavaScript。也可以在下方拒绝签字。</p></noscript>
</form>
</section>
<section aria-labelledby="refuse-title">
<h2 id="refuse-title">拒绝签字</h2>
<form id="refuse-form" method="post" action="{action}">
{hidden}<input type="hidden" name="action" value="refuse">
<label for="reason">拒绝签字的理由（必填）</label>
<textarea id="reason" name="reason" required minlength="2" maxlength="500"></textarea>
<div class="buttons"><button type="submit" id="refuse-submit" class="refuse">拒绝签字</button></div>
</form>
</section>"""
    return _page("现场检查笔录签字", body, script=True)


def thanks_page(signature: Signature) -> str:
    """The acknowledgement: who signed (or refused) and when, nothing more of the record."""
    role = t("zh", f"sign.role.{signature.role}")
    when = local_text(signature.signed_at)
    if signature.refused:
        what = f"已记录 {e(role)} {e(signature.signer)} 拒绝签字（{e(when)}）。"
    else:
        what = f"{e(role)} {e(signature.signer)} 的签名已提交（{e(when)}）。"
    body = f"""<section aria-label="结果">
<p id="sign-done">{what}</p>
<p class="hash">所签笔录内容 SHA-256：{e(signature.content_sha256)}</p>
<p class="note">谢谢。本页面可以关闭；此链接已失效。</p>
</section>"""
    return _page("签字完成", body)


def refused_page(sentence: str) -> str:
    """A link that cannot sign: one sentence, nothing of the record."""
    return _page("无法签字", f'<p class="alert" role="alert">{e(sentence)}</p>')
