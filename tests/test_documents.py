"""Every kind of document in both formats, from a check of the demo district.

The PDF's text read back by pdftotext holds the expected Chinese, every character of it
is in the embedded fonts, the fonts are embedded, its first page rendered by pdftoppm is
not blank; the DOCX opens with python-docx and holds the same values; a district's own
templates and wording in TEMPLATES_DIR are used.
"""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordFile
from pypdf import PdfReader

from bot.app import App
from handlers.core.db import unit_of_work
from services.documents import store
from services.documents.config import BUILTIN_DIR, DocumentSetup
from services.documents.render import font_folder
from tests import documents_fixture as df

SITE = "https://jc.example.gov.cn"


def _expected(scenario: df.Scenario) -> dict[str, list[str]]:
    common = [scenario.enterprise]
    return {
        "notice": [
            *common,
            "联合抽查通知书",
            "企业公示信息检查",
            "《企业信息公示暂行条例》",
            "一次告知",
        ],
        "onsite": [
            *common,
            "现场检查笔录",
            "马秀兰",
            "不申请回避",
            df.PROBLEM,
            "拒绝签字",
            df.REFUSAL,
        ],
        "order": [*common, "责令改正通知书", scenario.notice_number, df.PROBLEM, "行政复议"],
        "service": [*common, "送达回证", scenario.notice_number, "直接送达", "马秀兰"],
        "annual": ["部门联合", "召开联合执法检查联席会议", "2026年企业公示信息联合抽查"],
    }


def _subjects(scenario: df.Scenario) -> dict[str, int]:
    return {
        "notice": scenario.assignment_id,
        "onsite": scenario.assignment_id,
        "order": scenario.notice_id,
        "service": scenario.notice_id,
        "annual": 2026,
    }


async def _issue(app: App, kind: str, subject: int, fmt: str, setup: DocumentSetup) -> store.Issued:
    async with unit_of_work(app.sessions) as session:
        return await store.issue(
            session,
            None,
            kind,
            subject,
            fmt,
            setup=setup,
            files_dir=app.settings.data_dir,
            now=app.clock.now(),
        )


def _covered() -> set[int]:
    from fontTools.ttLib import TTFont

    chars: set[int] = set()
    for name in ("NotoSerifCJKsc-Regular.otf", "SimHei.ttf", "NotoSansCJKsc-Regular.otf"):
        font = TTFont(str(Path(font_folder()) / name), lazy=True)
        chars |= set(font.getBestCmap())
    return chars


def _fonts_of(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout


def _docx_text(data: bytes) -> str:
    word = WordFile(io.BytesIO(data))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


async def test_every_kind_in_both_formats_holds_its_values(app: App, tmp_path: Path) -> None:
    df.needs_poppler()
    scenario = await df.build(app)
    await df.visit_and_sign(app, scenario, app.settings.data_dir)
    setup = DocumentSetup(site_url=SITE)
    covered = _covered()
    for kind, expected in _expected(scenario).items():
        subject = _subjects(scenario)[kind]
        pdf = await _issue(app, kind, subject, "pdf", setup)
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(pdf.data)
        text = df.pdf_text(path)
        flat = "".join(text.split())
        for value in expected:
            assert "".join(value.split()) in flat, (kind, value)
        # pypdf reads the same text (the ToUnicode maps are whole).
        read = "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)
        assert "".join(expected[0].split()) in read
        missing = {c for c in flat if ord(c) not in covered}
        assert missing == set(), (kind, missing)
        fonts = await asyncio.to_thread(_fonts_of, path)
        rows = fonts.splitlines()[2:]
        assert rows and all(" yes " in row for row in rows), fonts
        assert 0.005 < df.page_ink(path, tmp_path) < 0.5, kind
        word = await _issue(app, kind, subject, "docx", setup)
        assert word.document.verify_code == pdf.document.verify_code
        assert word.document.version == pdf.document.version == 1
        body = _docx_text(word.data)
        for value in expected:
            assert value in body, (kind, value)
        assert f"{SITE}/d/{pdf.document.verify_code}" in body


async def test_signatures_appear_as_images_and_refusals_as_words(app: App) -> None:
    scenario = await df.build(app)
    drawing = await df.visit_and_sign(app, scenario, app.settings.data_dir)
    word = await _issue(app, "onsite", scenario.assignment_id, "docx", DocumentSetup())
    images = [part.blob for part in WordFile(io.BytesIO(word.data)).part.package.parts]
    assert drawing in images
    body = _docx_text(word.data)
    assert f"拒绝签字：{df.REFUSAL}" in body
    service = await _issue(app, "service", scenario.notice_id, "docx", DocumentSetup())
    assert drawing in [p.blob for p in WordFile(io.BytesIO(service.data)).part.package.parts]


async def test_the_order_counts_its_working_days_on_the_official_calendar(app: App) -> None:
    scenario = await df.build(app)
    word = await _issue(app, "order", scenario.notice_id, "docx", DocumentSetup())
    body = _docx_text(word.data)
    # Issued 2026-11-25 with a deadline three weeks later: 15 working days, no holiday.
    assert "2026年12月16日前（15个工作日内" in body
    assert "六十日内" in body and "六个月内" in body


async def test_a_district_template_and_wording_replace_the_shipped_ones(
    app: App, tmp_path: Path
) -> None:
    df.needs_poppler()
    scenario = await df.build(app)
    own = tmp_path / "district-templates"
    own.mkdir()
    word = WordFile(str(BUILTIN_DIR / "order.docx"))
    word.add_paragraph("乐都区定制模板 {{ number }}")
    word.save(str(own / "order.docx"))
    typ = (BUILTIN_DIR / "order.typ").read_text(encoding="utf-8")
    (own / "order.typ").write_text(typ + "\n乐都区定制模板 #d.number\n", encoding="utf-8")
    (own / "documents.toml").write_text('[wording]\ncourt = "西宁铁路运输法院"\n', encoding="utf-8")
    setup = DocumentSetup(templates_dir=own)
    body = _docx_text((await _issue(app, "order", scenario.notice_id, "docx", setup)).data)
    assert f"乐都区定制模板 {scenario.notice_number}" in body
    assert "西宁铁路运输法院" in body and "海东市乐都区人民政府" in body
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes((await _issue(app, "order", scenario.notice_id, "pdf", setup)).data)
    flat = "".join(df.pdf_text(pdf).split())
    assert "乐都区定制模板" in flat and "西宁铁路运输法院" in flat
    # The notice has no district copy: the shipped one is used.
    notice = await _issue(app, "notice", scenario.assignment_id, "docx", setup)
    assert "联合抽查通知书" in _docx_text(notice.data)


async def test_a_broken_district_template_is_refused_with_its_name(
    app: App, tmp_path: Path
) -> None:
    from services.common.errors import InvalidInput

    scenario = await df.build(app)
    own = tmp_path / "broken"
    own.mkdir()
    (own / "order.typ").write_text("#let d = json(bytes(sys.inputs.data))\n#d.nope\n", "utf-8")
    shutil.copy(BUILTIN_DIR / "order.docx", own / "unrelated.docx")
    with pytest.raises(InvalidInput) as caught:
        await _issue(app, "order", scenario.notice_id, "pdf", DocumentSetup(templates_dir=own))
    assert caught.value.key == "doc.template_error"
    assert caught.value.params["name"] == "order.typ"
