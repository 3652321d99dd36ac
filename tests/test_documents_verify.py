"""A printed document can be checked: its QR code leads to the public page, which says
whether it is current, then replaced once its record changed; documents are stored once
per version with their hash and made again only when the record changes."""

from __future__ import annotations

import asyncio
import hashlib
import io
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import httpx
from PIL import Image
from sqlalchemy import func, select

from bot.app import App
from bot.public_documents import document_routes
from bot.web import create_web_app
from handlers.core.db import unit_of_work
from models import Document
from services.common.clock import local_today
from services.documents import store
from services.documents.config import DocumentSetup
from services.records import notices
from tests import documents_fixture as df

SETUP = DocumentSetup(site_url="https://jc.example.gov.cn")


async def _issue(app: App, kind: str, subject: int, fmt: str) -> store.Issued:
    async with unit_of_work(app.sessions) as session:
        return await store.issue(
            session,
            None,
            kind,
            subject,
            fmt,
            setup=SETUP,
            files_dir=app.settings.data_dir,
            now=app.clock.now(),
        )


def _web(app: App) -> httpx.AsyncClient:
    routes = document_routes(app, SETUP)
    transport = httpx.ASGITransport(app=create_web_app(app, extra_routes=routes))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _page_png(pdf: Path, stem: Path) -> None:
    command = ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(pdf), str(stem)], check=True)


def _decode(image: Image.Image) -> list[str]:
    import zxingcpp

    return [found.text for found in zxingcpp.read_barcodes(image)]


async def test_the_qr_code_of_the_pdf_and_the_word_file_is_the_verification_url(
    app: App, tmp_path: Path
) -> None:
    df.needs_poppler()
    scenario = await df.build(app)
    pdf = await _issue(app, "order", scenario.notice_id, "pdf")
    url = SETUP.verify_url(pdf.document.verify_code)
    path = tmp_path / "order.pdf"
    path.write_bytes(pdf.data)
    stem = tmp_path / "page"
    await asyncio.to_thread(_page_png, path, stem)
    with Image.open(stem.with_suffix(".png")) as page:
        assert _decode(page) == [url]
    word = await _issue(app, "order", scenario.notice_id, "docx")
    with zipfile.ZipFile(io.BytesIO(word.data)) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        decoded = [_decode(Image.open(io.BytesIO(package.read(n)))) for n in media]
    assert [url] in decoded


async def test_the_page_says_current_then_replaced_after_the_record_changes(app: App) -> None:
    scenario = await df.build(app)
    first = await _issue(app, "order", scenario.notice_id, "pdf")
    code = first.document.verify_code
    async with _web(app) as client:
        page = await client.get(f"/d/{code}")
        assert page.status_code == 200
        assert "有效：现行版本" in page.text
        assert scenario.notice_number in page.text and "责令改正通知书" in page.text
        assert "海东市乐都区市场监督管理局" in page.text
        # Nothing personal: not the enterprise, not the problem, not a person.
        assert scenario.enterprise not in page.text and df.PROBLEM not in page.text
        # Typed as printed (with the dash, in lower case) it is found too.
        typed = f"{code[:5]}-{code[5:]}".lower()
        assert (await client.get(f"/d/{typed}")).status_code == 200
        today = local_today(app.clock)
        async with unit_of_work(app.sessions) as session:
            await notices.notice_extended(
                session,
                None,
                scenario.notice_id,
                today + timedelta(days=40),
                "企业申请延期，理由正当",
                today,
                app.clock.now(),
            )
        page = await client.get(f"/d/{code}")
        assert "已被替换" in page.text and "有效" not in page.text
        second = await _issue(app, "order", scenario.notice_id, "pdf")
        assert second.created and second.document.version == 2
        assert second.document.verify_code != code
        assert "有效：现行版本" in (await client.get(f"/d/{second.document.verify_code}")).text
        page = await client.get(f"/d/{code}")
        assert "已被替换（" in page.text
        missing = await client.get("/d/ABCDEFGHJK")
        assert missing.status_code == 404 and "没有找到" in missing.text
        form = await client.get("/d", params={"code": code}, follow_redirects=False)
        assert form.status_code == 303 and form.headers["location"] == f"/d/{code}"


async def test_a_document_is_stored_once_and_made_again_only_when_its_record_changes(
    app: App,
) -> None:
    scenario = await df.build(app)
    first = await _issue(app, "notice", scenario.assignment_id, "pdf")
    again = await _issue(app, "notice", scenario.assignment_id, "pdf")
    assert first.created and not again.created
    assert again.data == first.data and again.document.id == first.document.id
    stored = app.settings.data_dir / first.document.stored_path
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == first.document.file_sha256
    async with unit_of_work(app.sessions, write=False) as session:
        rows = await session.scalar(select(func.count()).select_from(Document))
    assert rows == 1
    # A lost file is written again for the same version (the record did not change).
    stored.unlink()
    restored = await _issue(app, "notice", scenario.assignment_id, "pdf")
    assert restored.document.version == 1 and restored.created
    assert (app.settings.data_dir / restored.document.stored_path).is_file()
