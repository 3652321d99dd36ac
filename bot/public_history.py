"""The public history of a published part: /results/ID/history.

Each version the part was published in: its number, the day it went public, the
correction mark (更正 with its date) of a republished version, its categories with their
platform codes and the implementing department; the current version first and marked.
Only what was public is shown (`services.publicity.versions.public_history`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.app import App
from bot.public_render import correction_mark, e, layout, or_dash
from bot.web import PUBLIC_CACHE
from handlers.core.db import unit_of_work
from services.common.errors import NotFound
from services.common.numbers import MAX_ID, read_int
from services.publicity.versions import PublicHistory, PublicVersion, public_history


def not_found_page() -> str:
    """The page of a result that is not published (or does not exist)."""
    body = "<p>没有找到该公示结果：结果编号可能有误，或尚未公示。</p>"
    body += '<p><a href="/results">返回抽查结果公示</a></p>'
    return layout("未找到", body, "results")


def _version(v: PublicVersion) -> str:
    title = f"第 {v.number} 版"
    marks = []
    if v.current:
        marks.append('<span class="status">当前版本</span>')
    if v.number > 1:
        marks.append(correction_mark(v.corrected_on))
    categories = "".join(
        f"<li>{e(code)} {e(name)}</li>" if code else f"<li>{e(name)}</li>"
        for code, name in v.categories
    )
    return f"""<section class="card" aria-label="{e(title)}">
<h2>{e(title)} {" ".join(m for m in marks if m)}</h2>
<dl>
<dt>公示日期</dt><dd>{or_dash(v.published_on)}</dd>
<dt>检查实施机关</dt><dd>{or_dash(v.department)}</dd>
<dt>抽查结果</dt><dd><ul>{categories or "<li>-</li>"}</ul></dd>
</dl>
</section>"""


def history_page(history: PublicHistory) -> str:
    """Every published version of a part, the current one first."""
    corrected = ""
    if history.corrected_on is not None:
        corrected = (
            f"<p>{correction_mark(history.corrected_on)} 该结果经异议复核后已更正并重新公示。</p>"
        )
    body = f"""<dl>
<dt>企业名称</dt><dd>{e(history.enterprise)}</dd>
<dt>统一社会信用代码</dt><dd>{e(history.credit_code)}</dd>
<dt>抽查计划</dt><dd>{e(history.plan)}</dd>
<dt>检查实施机关</dt><dd>{or_dash(history.department)}</dd>
<dt>检查日期</dt><dd>{or_dash(history.checked_on)}</dd>
</dl>
{corrected}
{"".join(_version(v) for v in history.versions)}
<p><a href="/results/{history.result_id}/objection">对该结果有异议？提交异议</a></p>
<p><a href="/results">返回抽查结果公示</a></p>"""
    return layout(f"{history.enterprise} 抽查结果公示版本", body, "results")


def history_routes(app: App) -> list[BaseRoute]:
    """The route of /results/ID/history."""

    async def history(request: Request) -> Response:
        result_id = read_int(request.path_params["result_id"], 1, MAX_ID)
        if result_id is None:
            return HTMLResponse(not_found_page(), status_code=404)
        try:
            async with unit_of_work(app.sessions, write=False) as session:
                found = await public_history(session, result_id)
        except NotFound:
            return HTMLResponse(not_found_page(), status_code=404)
        return HTMLResponse(history_page(found), headers=PUBLIC_CACHE)

    return [Route("/results/{result_id}/history", history, methods=["GET"])]
