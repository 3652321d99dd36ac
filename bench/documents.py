"""Benchmark: orders to correct (责令改正通知书) made per second, PDF and Word, against a floor.

Ours: `services.documents.store.issue` for N different orders, each in its own
transaction as the chat and the command line do it: the record read, the content hashed,
the template filled (typst for the PDF, docxtpl for Word) with its QR code, the file
written under DATA_DIR and the version stored and audited. Floor, in the same run: the
same text of each order written into a plain document by the same library with no
template, no QR code, no database (typst with the same fonts; python-docx). Target: a
county's year of documents (2,000) in under a minute on this machine, in either format.

    python bench/documents.py [--documents N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2000  # a county's documents in a year
TARGET_SECONDS = 60.0


async def _setup(folder: Path, count: int) -> tuple[Any, list[int]]:
    """The demo district, one drawn check and `count` orders to correct on its record."""
    from bot.app import build_app
    from bot.settings import Settings
    from handlers.core.db import unit_of_work
    from models import InspectionResult, Problem, RectificationNotice
    from services.common.clock import ManualClock
    from tests import documents_fixture

    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        data_dir=folder / "data",
    )
    app = await build_app(settings, clock=ManualClock(datetime(2026, 11, 25, 1, tzinfo=UTC)))
    scenario = await documents_fixture.build(app)
    async with unit_of_work(app.sessions) as session:
        part = await session.get(InspectionResult, scenario.part_id)
        assert part is not None
        problems = [
            Problem(
                result_id=part.id,
                description=f"第{n}处：未按规定公示即时信息，经营场所公示的许可证件已过有效期",
                legal_basis="《企业信息公示暂行条例》第十条",
                found_on=date(2026, 11, 25),
            )
            for n in range(count)
        ]
        session.add_all(problems)
        await session.flush()
        notices = [
            RectificationNotice(
                result_id=part.id,
                problem_id=problem.id,
                number=f"乐市监责改〔2026〕{1000 + n}号",
                issued_on=date(2026, 11, 25),
                deadline=date(2026, 11, 25) + timedelta(days=21),
                status="open",
            )
            for n, problem in enumerate(problems)
        ]
        session.add_all(notices)
        await session.flush()
        ids = [n.id for n in notices]
    return app, ids


async def _ours(app: Any, ids: list[int], fmt: str) -> float:
    from handlers.core.db import unit_of_work
    from services.documents import store
    from services.documents.config import DocumentSetup

    setup = DocumentSetup(site_url="https://jc.example.gov.cn")
    start = time.perf_counter()
    for notice_id in ids:
        async with unit_of_work(app.sessions) as session:
            issued = await store.issue(
                session,
                None,
                "order",
                notice_id,
                fmt,
                setup=setup,
                files_dir=app.settings.data_dir,
                now=app.clock.now(),
            )
            assert issued.created
    return time.perf_counter() - start


async def _texts(app: Any, ids: list[int]) -> list[list[str]]:
    """Each order's text, line by line (what the floor writes)."""
    from handlers.core.db import unit_of_work
    from services.documents import kinds
    from services.documents.config import DocumentSetup

    wording = DocumentSetup().wording(app.settings.data_dir)
    out = []
    async with unit_of_work(app.sessions, write=False) as session:
        for notice_id in ids:
            content = await kinds.content_of(
                session,
                None,
                "order",
                notice_id,
                wording=wording,
                files_dir=app.settings.data_dir,
                today=date(2026, 11, 25),
            )
            out.append(_lines(content.values))
    return out


def _lines(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [line for v in value.values() for line in _lines(v)]
    if isinstance(value, list):
        return [line for v in value for line in _lines(v)]
    return [str(value)]


def _floor_pdf(texts: list[list[str]]) -> float:
    import typst

    from services.documents.render import _fonts, font_folder

    source = (
        b'#set text(font: "Noto Serif CJK SC", lang: "zh")\n'
        b"#for line in json(bytes(sys.inputs.data)) [#line \\ ]\n"
    )
    start = time.perf_counter()
    for lines in texts:
        compiler = typst.Compiler(font_paths=_fonts(font_folder()))
        data = compiler.compile(
            input=source, format="pdf", sys_inputs={"data": json.dumps(lines, ensure_ascii=False)}
        )
        assert isinstance(data, bytes)
    return time.perf_counter() - start


def _floor_docx(texts: list[list[str]]) -> float:
    from docx import Document

    start = time.perf_counter()
    for lines in texts:
        word = Document()
        for line in lines:
            word.add_paragraph(line)
        word.save(io.BytesIO())
    return time.perf_counter() - start


def _report(fmt: str, count: int, ours: float, floor: float) -> bool:
    rate = count / ours
    year = YEAR / rate
    print(
        f"{fmt:>4}: ours {rate:6.1f} documents/s, floor {count / floor:6.1f}/s, "
        f"ratio {ours / floor:4.2f}x; a year of {YEAR:,}: {year:5.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s: {'met' if year < TARGET_SECONDS else 'MISSED'})"
    )
    return year < TARGET_SECONDS


async def main(count: int) -> int:
    """Set up, warm up (fonts, imports, compiled templates), then time each side."""
    with tempfile.TemporaryDirectory(prefix="jc-bench-docs-") as folder:
        app, ids = await _setup(Path(folder), count + 2)
        try:
            warm, ids = ids[:2], ids[2:]
            texts = await _texts(app, ids)
            for fmt in ("pdf", "docx"):
                await _ours(app, warm[:1] if fmt == "pdf" else warm[1:], fmt)
            _floor_pdf(texts[:1])
            _floor_docx(texts[:1])
            ok = True
            for fmt, floor in (("pdf", _floor_pdf), ("docx", _floor_docx)):
                ours = await _ours(app, ids, fmt)
                ok = _report(fmt, len(ids), ours, floor(texts)) and ok
        finally:
            await app.aclose()
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    sys.exit(asyncio.run(main(parser.parse_args().documents)))
