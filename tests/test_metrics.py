"""/metrics: the counts move as updates, deliveries and audited work happen; the database's
figures are read at each scrape; the metrics port wants its token and stays on this machine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot.app import App
from bot.health import check_metrics_binding, create_metrics_app
from bot.settings import Settings
from handlers.core.db import unit_of_work
from handlers.core.model import Incoming, Reply
from scheduler.delivery import deliver_due
from services.common import audit
from services.common.errors import NotAllowed
from tests import records_fixture as rf
from tests.helpers import say, texts

TOKEN = "metrics-token-for-tests"


class Inbox:
    """The console transport at the seam: it takes every message."""

    platform = "console"

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        self.sent.append(chat_id)


async def scrape(app: App, token: str | None = None) -> httpx.Response:
    """GET /metrics from the metrics port's app, with the bearer token if given."""
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    transport = httpx.ASGITransport(app=create_metrics_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://metrics") as client:
        return await client.get("/metrics", headers=headers)


def value(body: str, name: str, **labels: str) -> float:
    """The sample `name` with these labels (0 when absent: a counter not yet moved)."""
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def figures(app: App) -> str:
    response = await scrape(app)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_update_counts_and_latency_move_as_updates_come(app: App) -> None:
    await rf.ready(app)
    before = await figures(app)
    for n in range(3):
        await app.core.handle(
            Incoming("console", "insp1", "insp1", text="/tasks", update_key=f"u{n}")
        )
    # Telegram delivers an update again: handled once, counted as a duplicate.
    await app.core.handle(Incoming("console", "insp1", "insp1", text="/tasks", update_key="u0"))
    await say(app, "insp1", "/nosuchcommand")
    after = await figures(app)
    ok = ("jointcheck_updates_total", {"platform": "console", "outcome": "ok"})
    assert value(after, ok[0], **ok[1]) - value(before, ok[0], **ok[1]) == 4
    dup = {"platform": "console", "outcome": "duplicate"}
    assert value(after, "jointcheck_updates_total", **dup) == 1
    count = "jointcheck_update_handling_seconds_count"
    assert value(after, count, platform="console") - value(before, count, platform="console") == 5
    assert value(after, "jointcheck_update_handling_seconds_sum", platform="console") > 0


async def test_a_refusal_is_counted_as_refused(app: App) -> None:
    await rf.ready(app)
    # A plan that does not exist: the service refuses, the core rolls back and answers.
    assert "没有编号为 9999 的抽查计划" in texts(await say(app, "coord", "/draw 9999"))
    body = await figures(app)
    assert value(body, "jointcheck_updates_total", platform="console", outcome="refused") == 1
    assert value(body, "jointcheck_updates_total", platform="console", outcome="error") == 0


async def test_draws_and_submitted_records_are_counted_when_committed(app: App) -> None:
    _, mine, _ = await rf.ready(app)  # a plan drawn
    body = await figures(app)
    assert value(body, "jointcheck_draws_total") == 1
    assert value(body, "jointcheck_records_submitted_total") == 0
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    no_problem = await rf.category_id(app, "no_problem")
    for step in (f"c+:{no_problem}", "cdone", "pnone", "hub", "submit"):
        await rf.press(app, login, f"f:record:{step}")
    body = await figures(app)
    assert value(body, "jointcheck_records_submitted_total") == 1
    assert value(body, "jointcheck_audited_actions_total", action="record.submit") == 1
    assert value(body, "jointcheck_audited_actions_total", action="record.start") == 1
    assert value(body, "jointcheck_imports_total") == 0


async def test_an_action_rolled_back_is_not_counted(app: App) -> None:
    def entry(action: str) -> dict[str, object]:
        return {"at": app.clock.now(), "actor": "cli", "action": action}

    with pytest.raises(NotAllowed):
        async with unit_of_work(app.sessions) as session:
            await audit.record(session, **entry("draw.final"))  # type: ignore[arg-type]
            raise NotAllowed("error.not_allowed")
    async with unit_of_work(app.sessions) as session:
        try:
            async with session.begin_nested():
                await audit.record(session, **entry("import.file"))  # type: ignore[arg-type]
                raise NotAllowed("error.not_allowed")
        except NotAllowed:
            pass
        await audit.record(session, **entry("record.submit"))  # type: ignore[arg-type]
    body = await figures(app)
    assert value(body, "jointcheck_draws_total") == 0
    assert value(body, "jointcheck_imports_total") == 0
    assert value(body, "jointcheck_records_submitted_total") == 1


async def test_outbox_rows_oldest_due_and_deliveries(app: App) -> None:
    await rf.ready(app)
    body = await figures(app)
    pending = value(body, "jointcheck_outbox_messages", status="pending", kind="assignment.new")
    assert pending == 4  # two teams of two
    assert value(body, "jointcheck_outbox_oldest_due_age_seconds") == 0
    app.clock.advance(timedelta(minutes=10))
    body = await figures(app)
    assert value(body, "jointcheck_outbox_oldest_due_age_seconds") == 600
    inbox = Inbox()
    sent = await deliver_due(
        app.sessions, {"console": inbox}, app.clock, "w1", observer=app.metrics
    )
    body = await figures(app)
    delivered = "jointcheck_outbox_deliveries_total"
    assert value(body, delivered, kind="assignment.new", outcome="sent") == 4
    counted = sum(
        s.value
        for f in text_string_to_metric_families(body)
        for s in f.samples
        if s.name == delivered and s.labels["outcome"] == "sent"
    )
    assert counted == sent
    assert value(body, "jointcheck_outbox_messages", status="sent", kind="assignment.new") == 4
    assert value(body, "jointcheck_outbox_messages", status="pending", kind="assignment.new") == 0
    assert value(body, "jointcheck_outbox_oldest_due_age_seconds") == 0


async def test_the_metrics_port_refuses_a_request_without_the_token(
    db_url: str, settings_for, clock
) -> None:  # type: ignore[no-untyped-def]
    from bot.app import build_app

    settings = settings_for(db_url).model_copy(
        update={"metrics_token": SecretStr(TOKEN), "metrics_port": 9108}
    )
    app = await build_app(settings, clock=clock)
    try:
        refused = await scrape(app)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert "jointcheck" not in refused.text
        assert (await scrape(app, "wrong-token")).status_code == 401
        granted = await scrape(app, TOKEN)
        assert granted.status_code == 200
        assert "jointcheck_updates_total" in granted.text
    finally:
        await app.aclose()


def test_a_metrics_port_beyond_this_machine_needs_a_token() -> None:
    def settings(host: str, token: str | None = None) -> Settings:
        secret = None if token is None else SecretStr(token)
        return Settings(_env_file=None, metrics_port=9108, metrics_host=host, metrics_token=secret)

    for host in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"):
        check_metrics_binding(settings(host))
    for host in ("0.0.0.0", "10.0.0.5", "::", "metrics.example.org"):
        with pytest.raises(ValueError, match="METRICS_TOKEN"):
            check_metrics_binding(settings(host))
        check_metrics_binding(settings(host, TOKEN))
    # No metrics port, nothing to refuse.
    check_metrics_binding(Settings(_env_file=None, metrics_host="0.0.0.0"))
