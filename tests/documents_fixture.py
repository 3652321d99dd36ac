"""A check of the demo district ready for every document: drawn, visited, recorded, signed.

The plan covers 企业公示信息检查 (LD-001, every enterprise) and 食品经营行为检查 (LD-002):
the first drawn enterprise gets answers to the demo's check points, a visit, a problem
with an order to correct, and signatures (a drawn one, a refusal). Checklist answers,
the visit and the signatures are inserted as rows (their services belong to the on-site
record); everything else goes through the services.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import App, build_router
from handlers.core.db import unit_of_work
from handlers.core.dispatch import Core
from handlers.documents import commands as documents
from models import (
    Assignment,
    AssignmentMember,
    ChecklistAnswer,
    CheckPoint,
    Enterprise,
    EvidenceFile,
    Item,
    ResultCategory,
    Signature,
    User,
    Visit,
)
from services.common.clock import local_today
from services.documents.config import DocumentSetup
from services.draw import freeze, plans, run
from services.records import notices, problems, results
from services.records.evidence import stored_path, write_once
from services.records.parts import departments_of_assignment
from tests.helpers import load_demo
from tests.records_fixture import png

PROBLEM = "未按规定公示2025年度报告"
BASIS = "《企业信息公示暂行条例》第八条"
REFUSAL = "认为检查结论有误"


@dataclass(frozen=True)
class Scenario:
    """The ids of the check and its records."""

    plan_id: int
    draw_id: int
    assignment_id: int
    part_id: int
    notice_id: int
    notice_number: str
    enterprise: str
    team_logins: list[str]


async def build(app: App) -> Scenario:
    """Load the demo district and bring one check as far as a signed record."""
    await load_demo(app)
    today, now = local_today(app.clock), app.clock.now()
    spec = plans.parse_spec(
        {
            "name": "2026年企业公示信息联合抽查",
            "items": ["LD-001", "LD-002"],
            "check_start": today - timedelta(days=2),
            "check_end": today + timedelta(days=20),
            "ratios": {"A": "0.02", "B": "0.02", "C": "0.02", "D": "0.02"},
            "max_count": 4,
            "team_size": 2,
        }
    )
    async with unit_of_work(app.sessions) as session:
        plan = await plans.create_plan(session, None, spec, now)
    async with unit_of_work(app.sessions) as session:
        frozen = await freeze.freeze(session, None, plan.id, now)
    async with unit_of_work(app.sessions) as session:
        await run.execute(session, None, frozen.id, "documents", now)
    async with unit_of_work(app.sessions) as session:
        assignment = await session.scalar(
            select(Assignment)
            .where(Assignment.draw_id == frozen.id, Assignment.status == "pending")
            .order_by(Assignment.position)
            .limit(1)
        )
        assert assignment is not None
        item = await session.scalar(select(Item).where(Item.code == "LD-001"))
        assert item is not None
        department = (await departments_of_assignment(session, assignment.id))[0]
        opened = await results.open_record(
            session, None, assignment.id, today, now, department_id=department
        )
        part = opened.result
        problem = await problems.add_problem(
            session, None, part.id, item.id, PROBLEM, now, legal_basis=BASIS
        )
        notice = await notices.add_notice(
            session,
            None,
            part.id,
            number=None,
            issued_on=today,
            deadline=today + timedelta(days=21),
            today=today,
            now=now,
            problem_id=problem.id,
        )
        category = await session.scalar(
            select(ResultCategory.id).where(ResultCategory.code == "undisclosed")
        )
        assert category is not None
        await results.set_category(session, None, part.id, category, True, now)
        points = (
            await session.scalars(select(CheckPoint).where(CheckPoint.item_id == item.id))
        ).all()
        for point in points:
            session.add(
                ChecklistAnswer(
                    result_id=part.id,
                    check_point_id=point.id,
                    answer="nonconform" if point.seq == 1 else "conform",
                    note="年报未报送" if point.seq == 1 else None,
                    problem_id=problem.id if point.seq == 1 else None,
                    answered_at=now,
                )
            )
        await results.submit(session, None, part.id, now)
        logins = (
            await session.scalars(
                select(User.login)
                .join(AssignmentMember, AssignmentMember.inspector_id == User.inspector_id)
                .where(AssignmentMember.assignment_id == assignment.id)
                .order_by(AssignmentMember.position)
            )
        ).all()
        enterprise = await session.get(Enterprise, assignment.enterprise_id)
        assert enterprise is not None
        return Scenario(
            plan.id,
            frozen.id,
            assignment.id,
            part.id,
            notice.id,
            notice.number,
            enterprise.name,
            list(logins),
        )


async def visit_and_sign(app: App, scenario: Scenario, files_dir: Path) -> bytes:
    """The shared visit and its signatures: the person inspected draws, a witness refuses."""
    now = app.clock.now()
    drawing = png(77, 48)
    digest = hashlib.sha256(drawing).hexdigest()
    write_once(files_dir / stored_path(digest), drawing)
    async with unit_of_work(app.sessions) as session:
        visit = Visit(
            assignment_id=scenario.assignment_id,
            started_at=datetime(2026, 11, 25, 1, 30, tzinfo=UTC),
            ended_at=datetime(2026, 11, 25, 2, 45, tzinfo=UTC),
            latitude=36.48,
            longitude=102.4,
            location_source="console",
            location_at=now,
            attendees=[{"name": "马秀兰", "post": "店长"}],
            certificates_shown=True,
            recusal_explained=True,
            recusal_answer="不申请回避",
        )
        session.add(visit)
        evidence = EvidenceFile(
            sha256=digest,
            size=len(drawing),
            mime="image/png",
            original_name="signature.png",
            stored_path=stored_path(digest),
            created_at=now,
        )
        session.add(evidence)
        await session.flush()
        for role, signer, refused, file_id in (
            ("inspected", "马秀兰", False, evidence.id),
            ("witness", "祁建国", True, None),
        ):
            session.add(
                Signature(
                    visit_id=visit.id,
                    role=role,
                    signer=signer,
                    refused=refused,
                    refusal_reason=REFUSAL if refused else None,
                    evidence_id=file_id,
                    content_sha256="0" * 64,
                    signed_at=now,
                    status="current",
                )
            )
    return drawing


def with_documents(app: App, setup: DocumentSetup) -> App:
    """The app with /doc and the document buttons registered (as the composition root will)."""
    router = app.router
    if "doc" not in router.commands:
        router = build_router(app.settings.import_limits(), app.settings.results_export_template)
        documents.register(router, setup)
    core = Core(
        app.sessions,
        router,
        app.clock,
        conversation_ttl=timedelta(hours=app.settings.conversation_ttl_hours),
        default_language=app.settings.default_language,
        files_dir=app.settings.data_dir,
        policy=app.settings.policy(),
    )
    return replace(app, router=router, core=core)


def page_ink(pdf: Path, folder: Path, dpi: int = 40) -> float:
    """The share of dark pixels on the PDF's first page, rendered to PNG by pdftoppm."""
    from PIL import Image

    stem = folder / f"{pdf.stem}-page"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        capture_output=True,
    )
    with Image.open(stem.with_suffix(".png")) as image:
        histogram = image.convert("L").histogram()
    return sum(histogram[:128]) / sum(histogram)


def pdf_text(pdf: Path) -> str:
    """The PDF's text as pdftotext reads it (layout kept, so table cells stay on their line)."""
    run = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return run.stdout


def needs_poppler() -> None:
    """Skip, saying why, when poppler's tools are not installed (.ci/run installs them)."""
    import pytest

    missing = [tool for tool in ("pdftoppm", "pdftotext", "pdffonts") if shutil.which(tool) is None]
    if missing:
        print(f"poppler-utils missing ({', '.join(missing)}): apt-get install poppler-utils")
        pytest.skip(f"poppler-utils missing: {', '.join(missing)}")
