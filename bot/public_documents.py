"""The public check of a printed document: /d/CODE (the QR code's address) and /d (a form).

Someone holding a printed order to correct types the short code under its QR code, or
scans it, and reads whether the document was issued: its kind, number, date, issuing
department, version and whether it is current or replaced. Nothing personal is shown.
`document_routes(app)` gives the routes `bot.web.create_web_app` takes as `extra_routes`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.public_render import e, layout
from handlers.core.db import unit_of_work
from services.common.clock import local_text
from services.documents.config import DocumentSetup
from services.documents.render import format_code
from services.documents.verify import Verified, lookup

MAX_CODE = 40  # characters of a typed code read at all
FORMATS = {"pdf": "PDF", "docx": "Word"}


def _form(code: str = "") -> str:
    return f"""<form method="get" action="/d" role="search">
<label for="code">文书验证码（二维码下方的 10 位字母数字）</label>
<input id="code" name="code" maxlength="{MAX_CODE}" value="{e(code)}" autocomplete="off">
<button type="submit">核验</button>
</form>"""


def verified_page(found: Verified) -> str:
    """What the site says of an issued document."""
    if found.current:
        status = '<span class="status">有效：现行版本</span>'
        note = "该文书由本系统出具，内容与所依据的记录一致。"
    else:
        when = f"（{e(local_text(found.replaced_at))} 起）" if found.replaced_at else ""
        status = f'<span class="status cancelled">已被替换{when}</span>'
        note = "该文书曾由本系统出具，但其所依据的记录已变更或已出具新版本，请以新版本为准。"
    formats = "、".join(FORMATS.get(f, f) for f in found.formats)
    body = f"""<p class="note">{e(note)}</p>
<section class="card" aria-labelledby="doc">
<h2 id="doc">{e(found.title)}</h2>
<dl>
<dt>状态</dt><dd>{status}</dd>
<dt>文号</dt><dd>{e(found.number or "—")}</dd>
<dt>出具日期</dt><dd>{e(found.issued_on.isoformat())}</dd>
<dt>出具机关</dt><dd>{e(found.department)}</dd>
<dt>版本</dt><dd>第 {found.version} 版（{e(formats)}）</dd>
<dt>验证码</dt><dd class="hash">{e(format_code(found.code))}</dd>
</dl>
</section>
<p class="note">本页只说明文书是否出具及其状态，不显示企业和个人信息。</p>
{_form()}"""
    return layout("文书核验", body, "")


def unknown_page(code: str) -> str:
    """The page of a code no document carries."""
    body = f"""<p class="alert">没有找到验证码为“{e(code)}”的文书。请核对二维码下方的验证码；
验证码由 10 位字母和数字组成，不含 0、1、I、O。</p>
{_form(code)}"""
    return layout("文书核验", body, "")


def document_routes(app: App, setup: DocumentSetup | None = None) -> list[BaseRoute]:
    """The routes of /d and /d/{code}."""
    chosen = setup or app.settings.document_setup()

    async def form(request: Request) -> Response:
        code = request.query_params.get("code", "").strip()[:MAX_CODE]
        if code:
            clean = "".join(c for c in code if c.isalnum())
            return RedirectResponse(f"/d/{clean}", status_code=303)
        return HTMLResponse(layout("文书核验", _form(), ""))

    async def page(request: Request) -> Response:
        code = str(request.path_params["code"])[:MAX_CODE]
        async with unit_of_work(app.sessions, write=False) as session:
            found = await lookup(
                session,
                code,
                setup=chosen,
                files_dir=app.settings.data_dir,
                now=app.clock.now(),
            )
        if found is None:
            return HTMLResponse(unknown_page(code), status_code=404)
        return HTMLResponse(verified_page(found))

    return [
        Route("/d", form, methods=["GET"]),
        Route("/d/{code}", page, methods=["GET"]),
    ]
