"""Subcommands of the field-records feature: the web app and the results export."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_types import Runner

if TYPE_CHECKING:
    from bot.app import App


def add_parsers(sub: Any) -> None:
    """Add this feature's subcommands."""
    web = sub.add_parser(
        "web", help="serve the web app alone: public results page, /healthz (uvicorn)"
    )
    web.add_argument("--host", default=None, help="address to listen on (default: WEB_HOST)")
    web.add_argument("--port", type=int, default=None, help="port (default: WEB_PORT)")


async def run_web(app: App, args: argparse.Namespace) -> int:
    """`jointcheck web [--host H] [--port N]`: serve the web app until interrupted."""
    import uvicorn

    from bot.site import create_site

    host = args.host or app.settings.web_host
    port = args.port or app.settings.web_port
    config = uvicorn.Config(
        create_site(app),
        host=host,
        port=port,
        log_level=app.settings.log_level.lower(),
        proxy_headers=False,
    )
    print(f"公示页面 / public page: http://{host}:{port}/results", flush=True)
    await uvicorn.Server(config).serve()
    return 0


RUNNERS: dict[str, Runner] = {"web": run_web}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


async def export_results(app: App, plan_id: int, file: Path | None) -> int:
    """`jointcheck export results --plan ID [FILE]`: the XLSX for the publicity system."""
    import asyncio

    from handlers.core.db import unit_of_work
    from services.records import export

    async with unit_of_work(app.sessions, write=False) as session:
        rows = await export.plan_results(session, plan_id)
    path = file if file is not None else Path.cwd() / f"results-plan-{plan_id}.xlsx"
    await asyncio.to_thread(_write, path, export.to_xlsx(rows))
    print(f"已导出 {len(rows)} 条已公示结果 / {len(rows)} published results exported")
    print(path)
    return 0
