"""The public site beside /results: the item list, plans, draws, the audit checkpoint, static.

`public_routes(app)` gives the routes `bot.web.create_web_app` takes as `extra_routes`.
Every page is read-only plain HTML (bot.public_render, bot.public_draws); only /draws/ID
loads one script of our own (the in-browser verifier, bot/static/verify-draw.js), so only
that page widens the Content-Security-Policy, to scripts and fetches of this origin.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import public_draws, public_render
from bot.app import App
from bot.web import PUBLIC_CACHE, SECURITY_HEADERS
from handlers.core.db import unit_of_work
from services.common.audit_files import read_checkpoints
from services.common.errors import DomainError, NotFound
from services.common.numbers import MAX_ID, read_int
from services.directory import public as items
from services.draw import public as plans
from services.draw import public_draw

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_CACHE = {"Cache-Control": "public, max-age=3600"}
# One plain name of bot/static/ with a known type: no folder, no dot file, no traversal.
_STATIC_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9]+)+")
STATIC_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
MAX_PAGE = 100_000
# /draws/ID runs the verifier: scripts and fetches of this origin, nothing else.
DRAW_PAGE_CSP = (
    SECURITY_HEADERS["Content-Security-Policy"] + "; script-src 'self'; connect-src 'self'"
)


def _page(request: Request) -> int:
    return read_int(request.query_params.get("page", "1"), 1, MAX_PAGE) or 1


def _id(request: Request, name: str) -> int:
    # ASCII digits within a row id's range; anything else is simply not found.
    value = read_int(request.path_params[name], 1, MAX_ID)
    if value is None:
        raise NotFound("draw.not_found", id=request.path_params[name])
    return value


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _html(text: str, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(text, headers={**PUBLIC_CACHE, **(headers or {})})


def not_found() -> HTMLResponse:
    """The site's 404 page."""
    return HTMLResponse(public_render.not_found_page(), status_code=404)


def public_routes(app: App, *, static_dir: Path = STATIC_DIR) -> list[BaseRoute]:
    """The routes of /items, /plans, /plans/ID, /draws/ID(/record.json), /audit, /static."""

    async def items_page(request: Request) -> Response:
        query = request.query_params.get("q", "").strip()[: items.MAX_QUERY]
        page = _page(request)
        async with unit_of_work(app.sessions, write=False) as session:
            total = await items.count_items(session, query)
            found = await items.public_items(
                session, query, limit=items.PAGE_SIZE, offset=(page - 1) * items.PAGE_SIZE
            )
        pages = _pages(total, items.PAGE_SIZE)
        return _html(public_render.items_page(found, query, page, pages, total))

    async def plans_page(request: Request) -> Response:
        page = _page(request)
        async with unit_of_work(app.sessions, write=False) as session:
            total = await plans.count_plans(session)
            found = await plans.public_plans(
                session, limit=plans.PAGE_SIZE, offset=(page - 1) * plans.PAGE_SIZE
            )
        pages = _pages(total, plans.PAGE_SIZE)
        return _html(public_draws.plans_page(found, page, pages, total))

    async def plan_page(request: Request) -> Response:
        try:
            plan_id = _id(request, "plan_id")
            async with unit_of_work(app.sessions, write=False) as session:
                plan = await plans.public_plan(session, plan_id)
                drawn = {
                    d.id: await public_draw.drawn_enterprises(session, d.id)
                    for d in plan.draws
                    if d.drawn_at is not None
                }
        except NotFound:
            return not_found()
        return _html(public_draws.plan_page(plan, drawn))

    async def draw_page(request: Request) -> Response:
        try:
            draw_id = _id(request, "draw_id")
            async with unit_of_work(app.sessions, write=False) as session:
                view = await public_draw.draw_page(session, draw_id)
        except NotFound:
            return not_found()
        csp = {"Content-Security-Policy": DRAW_PAGE_CSP}
        return _html(public_draws.draw_page(view), csp)

    async def draw_record(request: Request) -> Response:
        try:
            draw_id = _id(request, "draw_id")
            async with unit_of_work(app.sessions, write=False) as session:
                record = await public_draw.downloadable_record(session, draw_id)
        except NotFound:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse(record, headers=PUBLIC_CACHE)

    async def audit_page(_request: Request) -> Response:
        path = app.settings.audit_files().checkpoints
        try:
            found = await asyncio.to_thread(read_checkpoints, path)
        except DomainError:  # the file exists but cannot be read: say so, show nothing
            return _html(public_render.audit_page(None, 0, unreadable=True))
        latest = found[-1] if found else None
        return _html(public_render.audit_page(latest, len(found)))

    async def static(request: Request) -> Response:
        name = str(request.path_params["name"])
        media = STATIC_TYPES.get(Path(name).suffix.lower())
        if media is None or _STATIC_NAME.fullmatch(name) is None:
            return not_found()
        path = static_dir / name
        if not await anyio.Path(path).is_file():
            return not_found()
        return FileResponse(path, media_type=media, headers=STATIC_CACHE)

    return [
        Route("/items", items_page, methods=["GET"]),
        Route("/plans", plans_page, methods=["GET"]),
        Route("/plans/{plan_id}", plan_page, methods=["GET"]),
        Route("/draws/{draw_id}", draw_page, methods=["GET"]),
        Route("/draws/{draw_id}/record.json", draw_record, methods=["GET"]),
        Route("/audit", audit_page, methods=["GET"]),
        Route("/static/{name:str}", static, methods=["GET"]),
    ]
