"""The web app: the public results page ("one public"), its CSV, and health and readiness.

`create_web_app` takes extra routes so that the Telegram webhook and the WeCom callback join
the same Starlette app later. The public page is read-only, needs no JavaScript, renders on a
phone, and shows only published results with what may be published (services.records.export).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from urllib.parse import urlencode

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.app import App
from bot.health import readyz_route
from handlers.core.db import unit_of_work
from services.common.numbers import read_int
from services.records import export

log = logging.getLogger(__name__)

CSV_LIMIT = 10_000
MAX_PAGE = 100_000  # far past the last page; anything else shows page 1
# Sent with every response of the web app (SecurityHeaders); a response may set its own
# Cache-Control, the others are not cached.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DEFAULT_CACHE = "no-store"
PUBLIC_CACHE = {"Cache-Control": "public, max-age=60"}

_STYLE = """
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
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _query(request: Request) -> str:
    return request.query_params.get("q", "").strip()[: export.MAX_QUERY]


def _page_number(request: Request) -> int:
    return read_int(request.query_params.get("page", "1"), 1, MAX_PAGE) or 1


def _link(path: str, **params: object) -> str:
    kept = {k: v for k, v in params.items() if v not in ("", None, 1)}
    return path + ("?" + urlencode(kept) if kept else "")


def _rows_html(rows: list[export.PublicRow]) -> str:
    out = []
    for row in rows:
        cells = zip(export.HEADERS_ZH, row.cells(), strict=True)
        tds = "".join(f'<td data-label="{_e(h)}">{_e(c) or "-"}</td>' for h, c in cells)
        out.append(f"<tr>{tds}</tr>")
    return "\n".join(out)


def render_page(rows: list[export.PublicRow], query: str, page: int, total: int) -> str:
    """The public page as HTML; every value escaped."""
    pages = max(1, -(-total // export.PAGE_SIZE))
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in export.HEADERS_ZH)
    if rows:
        table = (
            f"<table><thead><tr>{head}</tr></thead>\n<tbody>\n{_rows_html(rows)}\n</tbody></table>"
        )
    else:
        table = "<p>没有符合条件的公示结果。</p>"
    nav = []
    if page > 1:
        nav.append(f'<a href="{_e(_link("/results", q=query, page=page - 1))}">上一页</a>')
    if page < pages:
        nav.append(f'<a href="{_e(_link("/results", q=query, page=page + 1))}">下一页</a>')
    csv_link = _e(_link("/results.csv", q=query))
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>部门联合双随机抽查结果公示</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<h1>部门联合“双随机、一公开”抽查结果公示</h1>
<p class="note">依据《企业信息公示暂行条例》公示抽查检查结果。
共 {total} 条，第 {page}/{pages} 页。</p>
<form method="get" action="/results" role="search">
<label for="q">企业名称或统一社会信用代码</label>
<input id="q" name="q" type="search" maxlength="{export.MAX_QUERY}" value="{_e(query)}">
<button type="submit">查询</button>
</form>
<p><a href="{csv_link}" download>下载 CSV</a></p>
{table}
<nav>{"".join(nav)}</nav>
</main>
</body>
</html>
"""


def create_web_app(app: App, *, extra_routes: Sequence[BaseRoute] | None = None) -> Starlette:
    """The Starlette app: /healthz, /readyz, the public page /results and /results.csv, plus
    extras (webhooks, callbacks, more public pages)."""

    async def healthz(_request: Request) -> Response:
        try:
            async with unit_of_work(app.sessions, write=False) as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unavailable")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def index(_request: Request) -> Response:
        return RedirectResponse("/results", status_code=307)

    async def results_page(request: Request) -> Response:
        query, page = _query(request), _page_number(request)
        async with unit_of_work(app.sessions, write=False) as session:
            total = await export.count_published(session, query)
            rows = await export.published(
                session,
                query,
                limit=export.PAGE_SIZE,
                offset=(page - 1) * export.PAGE_SIZE,
            )
        return HTMLResponse(render_page(rows, query, page, total), headers=PUBLIC_CACHE)

    async def results_csv(request: Request) -> Response:
        query = _query(request)
        async with unit_of_work(app.sessions, write=False) as session:
            rows = await export.published(session, query, limit=CSV_LIMIT)
        headers = {
            **PUBLIC_CACHE,
            "Content-Disposition": 'attachment; filename="results.csv"',
        }
        return Response(export.to_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        readyz_route(app),
        Route("/", index, methods=["GET"]),
        Route("/results", results_page, methods=["GET"]),
        Route("/results.csv", results_csv, methods=["GET"]),
        *(extra_routes or ()),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={500: _server_error},
    )


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response that passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to the response's start message (a header the route set stays)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**SECURITY_HEADERS, "Cache-Control": DEFAULT_CACHE}.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _server_error(_request: Request, _exc: Exception) -> Response:
    # Starlette answers an unhandled error outside every middleware: the headers go here.
    headers = {**SECURITY_HEADERS, "Cache-Control": DEFAULT_CACHE}
    return PlainTextResponse("Internal Server Error", status_code=500, headers=headers)
