"""The public objection form: GET/POST /results/ID/objection.

An enterprise objects to its published result: credit code (that of the part's
enterprise), contact, grounds and an optional attachment (JPEG, PNG or PDF by content,
within the evidence limit). The body is read within that limit before it is parsed. A
cross-site form cannot post here: the Origin (or Referer) must be this site when the
browser sends one, and the form carries a random token that must equal its SameSite=Strict
cookie. The limits per client address and per credit code live in the database
(`services.publicity.filing`), so they hold across workers; the one over them gets
HTTP 429 and a sentence. A filed objection is acknowledged with its reference alone.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Message

from bot.app import App
from bot.bodies import BodyRefused, read_body
from bot.public_history import not_found_page
from bot.public_render import e, layout
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from services.common.clock import local_today
from services.common.errors import DomainError, NotFound
from services.common.numbers import MAX_ID, read_int
from services.publicity import filing, objections
from services.publicity.versions import PublicHistory, public_history

COOKIE = "jc_objection"
FORM_OVERHEAD = 64 * 1024  # the text fields and the multipart framing around the file
MAX_CONTACT, MAX_GROUNDS = objections.MAX_NAME, objections.MAX_GROUNDS
FORM_STYLE = """
form.objection{display:block;background:#fff;border:1px solid #d0d7de;border-radius:6px;
padding:.8rem}
form.objection label{display:block;margin:.7rem 0 .2rem}
form.objection input,form.objection textarea{display:block;width:100%;box-sizing:border-box;
font-size:1rem;padding:.55rem;border:1px solid #d0d7de;border-radius:6px}
form.objection textarea{min-height:8rem}
form.objection button{margin-top:1rem}
"""


def _page(title: str, body: str) -> str:
    return layout(title, f"<style>{FORM_STYLE}</style>\n{body}", "results")


def form_page(
    history: PublicHistory,
    token: str,
    *,
    error: str = "",
    values: dict[str, str] | None = None,
    max_bytes: int,
) -> str:
    """The objection form of one published part; `error` shown above it."""
    v = values or {}
    alert = f'<p class="alert" role="alert">{e(error)}</p>' if error else ""
    limit = (
        f"{max_bytes / (1024 * 1024):.0f} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} 字节"
    )
    body = f"""<p class="note">对 {e(history.enterprise)} 的抽查结果
（检查实施机关：{e(history.department)}）提出异议。请填写企业的统一社会信用代码、联系方式和异议理由；可附一份证明材料。
受理后将在规定期限内复核，并通过您留下的联系方式告知结果。</p>
{alert}
<form class="objection" method="post" enctype="multipart/form-data"
 action="/results/{history.result_id}/objection">
<input type="hidden" name="token" value="{e(token)}">
<label for="credit_code">统一社会信用代码（必填）</label>
<input id="credit_code" name="credit_code" required maxlength="40" autocomplete="off"
 value="{e(v.get("credit_code", ""))}">
<label for="contact">联系人及联系电话（必填）</label>
<input id="contact" name="contact" required maxlength="{MAX_CONTACT}"
 value="{e(v.get("contact", ""))}">
<label for="grounds">异议的事实和理由（必填）</label>
<textarea id="grounds" name="grounds" required maxlength="{MAX_GROUNDS}">
{e(v.get("grounds", ""))}</textarea>
<label for="attachment">证明材料（可选，JPEG、PNG 或 PDF，不超过 {e(limit)}）</label>
<input id="attachment" name="attachment" type="file" accept=".jpg,.jpeg,.png,.pdf">
<button type="submit">提交异议</button>
</form>
<p><a href="/results/{history.result_id}/history">查看该结果的公示版本</a></p>"""
    return _page("对抽查结果提出异议", body)


def acknowledged_page(reference: str) -> str:
    """The acknowledgement: the reference number and nothing else of the record."""
    body = f"""<section class="card" aria-label="受理编号">
<p>您的异议已提交。受理编号：<strong>{e(reference)}</strong></p>
<p class="note">请保存此编号，查询办理情况时使用。</p>
</section>
<p><a href="/results">返回抽查结果公示</a></p>"""
    return _page("异议已提交", body)


def refused_page(sentence: str) -> str:
    """A polite refusal in one sentence."""
    body = f'<p class="alert" role="alert">{e(sentence)}</p>'
    body += '<p><a href="/results">返回抽查结果公示</a></p>'
    return _page("未能提交异议", body)


def _same_origin(request: Request) -> bool:
    """The browser's Origin (or, without one, its Referer) names this host, or is absent."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if not sent or sent == "null":
        return sent is None
    # The host alone: behind a proxy that ends TLS the request itself may read as http.
    return urlsplit(sent).netloc == urlsplit(str(request.url)).netloc


async def _parse(request: Request, body: bytes) -> FormData:
    """The form of a body already read (within the limit), parsed once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    replay = Request(request.scope, receive)
    return await replay.form(max_files=1, max_fields=8, max_part_size=FORM_OVERHEAD)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _upload(form: FormData) -> objections.Upload | None:
    value = form.get("attachment")
    if not isinstance(value, UploadFile):
        return None
    data = await value.read()
    if not data and not value.filename:
        return None  # the file field left empty
    return objections.Upload(data, value.filename)


def objection_routes(app: App) -> list[BaseRoute]:
    """The routes of /results/ID/objection (GET the form, POST it)."""
    s = app.settings
    limits = filing.PublicLimits(
        per_address=s.objection_limit_per_address,
        window=timedelta(hours=s.objection_limit_window_hours),
        max_bytes=s.evidence_max_bytes,
        allowed=tuple(x.strip() for x in s.evidence_types.split(",") if x.strip()),
        review_days=s.objection_review_working_days,
    )

    async def part(result_id: int | None) -> PublicHistory | None:
        if result_id is None:
            return None
        try:
            async with unit_of_work(app.sessions, write=False) as session:
                return await public_history(session, result_id)
        except NotFound:
            return None

    def with_cookie(request: Request, html: str, status: int, token: str) -> Response:
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/results",
        )
        return response

    async def show(request: Request) -> Response:
        found = await part(read_int(request.path_params["result_id"], 1, MAX_ID))
        if found is None:
            return HTMLResponse(not_found_page(), status_code=404)
        token = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
        html = form_page(found, token, max_bytes=limits.max_bytes)
        return with_cookie(request, html, 200, token)

    async def submit(request: Request) -> Response:
        found = await part(read_int(request.path_params["result_id"], 1, MAX_ID))
        if found is None:
            return HTMLResponse(not_found_page(), status_code=404)
        if not _same_origin(request):
            return HTMLResponse(refused_page("请在本网站的异议页面提交。"), status_code=403)
        try:
            body = await read_body(request, limits.max_bytes + FORM_OVERHEAD)
            form = await _parse(request, body)
        except BodyRefused as refused:
            sentence = "提交的内容过大：附件不能超过规定大小，请压缩后重新提交。"
            return HTMLResponse(refused_page(sentence), status_code=refused.status)
        except (HTTPException, MultiPartException):
            return HTMLResponse(refused_page("无法读取提交的表单，请重新填写。"), status_code=400)
        try:
            cookie = request.cookies.get(COOKIE, "")
            if not cookie or not secrets.compare_digest(_text(form, "token"), cookie):
                sentence = "表单已过期，请重新打开异议页面后提交。"
                return with_cookie(request, refused_page(sentence), 403, secrets.token_urlsafe(24))
            values = {k: _text(form, k) for k in ("credit_code", "contact", "grounds")}
            upload = await _upload(form)
        finally:
            await form.close()
        try:
            async with unit_of_work(app.sessions) as session:
                filed = await filing.file_public(
                    session,
                    found.result_id,
                    credit_code=values["credit_code"],
                    contact=values["contact"],
                    grounds=values["grounds"],
                    upload=upload,
                    client_address=request.client.host if request.client else "unknown",
                    files_dir=s.data_dir,
                    today=local_today(app.clock),
                    now=app.clock.now(),
                    limits=limits,
                )
        except filing.TooMany as exc:
            return HTMLResponse(refused_page(t("zh", exc.key, **exc.params)), status_code=429)
        except DomainError as exc:
            status = 413 if exc.key == "evidence.too_big" else 400
            html = form_page(
                found,
                cookie,
                error=t("zh", exc.key, **exc.params),
                values=values,
                max_bytes=limits.max_bytes,
            )
            return HTMLResponse(html, status_code=status)
        return HTMLResponse(acknowledged_page(filed.objection.reference))

    return [
        Route("/results/{result_id}/objection", show, methods=["GET"]),
        Route("/results/{result_id}/objection", submit, methods=["POST"]),
    ]
