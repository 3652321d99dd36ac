"""The public page (published results only, no internal field), its CSV, the XLSX export
and the `jointcheck web` command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from bot import cli, cli_records
from bot.app import App
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import Enterprise
from services.records.export import neutralise
from tests import records_fixture as rf

# Whatever must never reach the public: risk classes, recusals, certificates, phones, people.
INTERNAL = [
    "风险",
    "risk",
    rf.RECUSAL_REASON,
    "回避",
    *(cert for _, cert, _, _ in rf.INSPECTORS.values()),
    *(phone for _, _, _, phone in rf.INSPECTORS.values()),
    *(name for _, _, name, _ in rf.INSPECTORS.values()),
    *(e[5] for e in rf.ENTERPRISES.values()),  # enterprise phones
    *(e[4] for e in rf.ENTERPRISES.values()),  # contact people
    "evidence",
    ".png",
]


async def _get(app: App, url: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_web_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(url)


async def _published_and_not(app: App) -> tuple[int, rf.Team, rf.Team]:
    plan_id, mine, other = await rf.ready(app)
    await rf.published(app, mine, categories=("other_market_rule", "pending_follow_up"))
    await rf.submitted(app, other)  # submitted, not published: never public
    return plan_id, mine, other


async def test_the_page_shows_published_results_and_nothing_internal(app: App) -> None:
    _, mine, other = await _published_and_not(app)
    response = await _get(app, "/results")
    assert response.status_code == 200
    page = response.text
    assert mine.enterprise in page and mine.credit_code in page
    assert "2026年食品经营联合抽查" in page
    assert "A 发现问题待后续处理；2 违反市场监管相关规定；D 违反其他市场监管规定" in page
    assert "乐都区市场监督管理局" in page  # the implementing authority of the part
    assert "食品经营许可及经营行为检查" in page
    assert other.enterprise not in page
    for secret in INTERNAL:
        assert secret not in page, secret
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<script" not in page
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_search_by_name_or_code(app: App) -> None:
    _, mine, _ = await _published_and_not(app)
    by_name = await _get(app, "/results?q=" + mine.enterprise[3:6])
    assert mine.credit_code in by_name.text
    by_code = await _get(app, "/results?q=" + mine.credit_code[:10].lower())
    assert mine.credit_code in by_code.text
    nothing = await _get(app, "/results?q=不存在的企业")
    assert mine.credit_code not in nothing.text and "没有符合条件" in nothing.text
    wildcard = await _get(app, "/results?q=%25")  # a LIKE wildcard is searched literally
    assert mine.credit_code not in wildcard.text


async def test_everything_is_escaped_and_the_csv_is_formula_safe(app: App) -> None:
    _, mine, _ = await _published_and_not(app)
    async with unit_of_work(app.sessions) as session:
        await session.execute(
            update(Enterprise)
            .where(Enterprise.credit_code == mine.credit_code)
            .values(name='=HYPERLINK("http://x")<script>alert(1)</script>')
        )
    page = (await _get(app, "/results")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = await _get(app, "/results.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][1] == mine.credit_code
    for secret in INTERNAL:
        assert secret not in response.content.decode("utf-8-sig"), secret


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A3", "1" * 400, "0", "-2", "%2B2", "2.0", "x"])
async def test_an_odd_page_number_shows_the_first_page(app: App, page: str) -> None:
    response = await _get(app, "/results?page=" + page)
    assert response.status_code == 200
    assert "第 1/1 页" in response.text


def test_neutralise_leaves_ordinary_text_alone() -> None:
    assert neutralise("乐都区放心粮油店") == "乐都区放心粮油店"
    for lead in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(lead + "1") == "'" + lead + "1"


async def test_health_and_the_front_door(app: App) -> None:
    health = await _get(app, "/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    front = await _get(app, "/")
    assert front.status_code == 307 and front.headers["location"] == "/results"


async def test_extra_routes_join_the_same_app(app: App) -> None:
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def hook(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("hooked")

    web = create_web_app(app, extra_routes=[Route("/telegram/hook", hook, methods=["POST"])])
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.post("/telegram/hook")).text == "hooked"
        assert (await client.get("/healthz")).status_code == 200


async def test_export_writes_the_xlsx_for_the_publicity_system(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_id, mine, other = await _published_and_not(app)
    monkeypatch.chdir(tmp_path)
    assert await cli_records.export_results(app, plan_id, None) == 0
    path = tmp_path / f"results-plan-{plan_id}.xlsx"
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(path)
    sheet = load_workbook(path).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "企业名称",
        "统一社会信用代码",
        "抽查计划",
        "检查实施机关",
        "检查日期",
        "抽查结果",
        "抽查事项",
        "公示日期",
        "更正日期",
    ]
    assert len(rows) == 2  # the published one only
    assert rows[1][0] == mine.enterprise and rows[1][1] == mine.credit_code
    assert rows[1][3] == "乐都区市场监督管理局"
    assert rows[1][5] == "A 发现问题待后续处理；2 违反市场监管相关规定；D 违反其他市场监管规定"
    assert other.enterprise not in str(rows)
    chosen = tmp_path / "out" / "plan.xlsx"
    assert await cli_records.export_results(app, plan_id, chosen) == 0
    assert chosen.exists()


async def test_export_of_an_unknown_plan_is_refused(app: App, tmp_path: Path) -> None:
    from services.common.errors import NotFound

    with pytest.raises(NotFound):
        await cli_records.export_results(app, 99, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_web_subcommand_is_wired() -> None:
    args = cli.build_parser().parse_args(["web", "--host", "0.0.0.0", "--port", "9001"])
    assert (args.command, args.host, args.port) == ("web", "0.0.0.0", 9001)
    defaults = cli.build_parser().parse_args(["web"])
    assert defaults.host is None and defaults.port is None  # taken from WEB_HOST / WEB_PORT
    assert cli.RUNNERS["web"] is cli_records.run_web
