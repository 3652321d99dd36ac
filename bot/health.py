"""Readiness and the metrics port: what a load balancer and Prometheus ask a process.

- `/readyz` (on the public web app and on the metrics port): the database answers and the
  scheduler's heartbeat, which the scheduler process writes to the database, is recent; 503
  otherwise. A web worker started with `--web-only` thus reads another process's heartbeat.
- The metrics port (METRICS_PORT on METRICS_HOST): `/metrics` in the Prometheus text format,
  refused with 401 without `Authorization: Bearer METRICS_TOKEN` when a token is set, and
  `/healthz` and `/readyz`. A non-loopback METRICS_HOST without a token is refused at start.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from bot.app import App
from bot.settings import Settings
from handlers.core.db import unit_of_work
from services.common import heartbeat

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


async def readiness(app: App) -> tuple[bool, dict[str, object]]:
    """Whether this process should get traffic: the database answers, the scheduler beats."""
    try:
        async with unit_of_work(app.sessions, write=False) as session:
            await session.execute(text("SELECT 1"))
            last = await heartbeat.last_beat(session)
    except Exception as exc:
        log.warning("readiness: database unavailable: %s", type(exc).__name__)
        return False, {"database": "unavailable", "scheduler": "unknown"}
    checks: dict[str, object] = {"database": "ok"}
    if last is None:
        checks["scheduler"] = "no heartbeat"
        return False, checks
    age = (app.clock.now() - last).total_seconds()
    checks["heartbeat_age_seconds"] = round(age)
    fresh = age <= app.settings.readyz_heartbeat_seconds
    checks["scheduler"] = "ok" if fresh else "heartbeat too old"
    return fresh, checks


def readyz_route(app: App) -> Route:
    """GET /readyz: 200 when ready, 503 saying which check failed."""

    async def readyz(_request: Request) -> Response:
        ready, checks = await readiness(app)
        body = {"status": "ready" if ready else "unavailable", **checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    return Route("/readyz", readyz, methods=["GET"])


def check_metrics_binding(settings: Settings) -> None:
    """Refuse (ValueError) a metrics port open beyond this machine without a token."""
    if settings.metrics_port is None or settings.metrics_token is not None:
        return
    host = settings.metrics_host.strip("[]")
    if host.lower() in LOOPBACK_NAMES:
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"METRICS_HOST={settings.metrics_host} is reachable from other machines: "
            "set METRICS_TOKEN, or bind the metrics port to 127.0.0.1"
        )


def _authorized(request: Request, token: str | None) -> bool:
    if token is None:
        return True
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = token.encode("utf-8")
    # Compared in constant time whatever the scheme, so timing tells nothing either.
    matches = hmac.compare_digest(given.strip().encode("utf-8"), expected)
    return scheme.lower() == "bearer" and matches


class _MetricsEndpoint:
    """GET /metrics as an ASGI app: the token checked, the database read, then the exporter."""

    def __init__(self, app: App) -> None:
        self.app = app
        secret = app.settings.metrics_token
        self.token = None if secret is None else secret.get_secret_value()
        self.exporter = app.metrics.exporter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer one scrape (401 without the token, when one is set)."""
        if not _authorized(Request(scope), self.token):
            refusal = Response(
                "unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
            await refusal(scope, receive, send)
            return
        try:
            await self.app.metrics.refresh(self.app.sessions, self.app.clock.now())
        except Exception as exc:  # the counters are still worth reading
            log.warning("metrics: database figures not read: %s", type(exc).__name__)
        await self.exporter(scope, receive, send)


def create_metrics_app(app: App) -> Starlette:
    """The metrics port's web app: /metrics (token checked), /healthz, /readyz."""

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    routes: list[BaseRoute] = [
        Route("/metrics", _MetricsEndpoint(app), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        readyz_route(app),
    ]
    return Starlette(routes=routes)
