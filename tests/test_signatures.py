"""Signatures of the on-site record: one-time links, drawings, refusals, the paper form,
and a signed record that cannot change until it is re-opened for signing."""

from __future__ import annotations

import asyncio
import hashlib
import io
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from handlers.records import signing
from models import (
    Department,
    EvidenceFile,
    InspectionResult,
    Problem,
    Signature,
    SignatureLink,
    User,
    UserRole,
    Visit,
)
from services.common.clock import ManualClock, local_today
from services.common.errors import Conflict, InvalidInput, NotFound
from services.records import (
    evidence,
    problems,
    results,
    signature_links,
    signature_status,
    signatures,
    signed_content,
)
from services.records.signature_summary import record_summary
from services.records.tasks import NotMember
from tests import records_fixture as rf
from tests.helpers import console_account, row_counts, say, texts


def drawn(width: int = 600, height: int = 240, *, ink: bool = True, white: bool = False) -> bytes:
    """A canvas as the page sends it: transparent (or white), with a stroke when `ink`."""
    image = Image.new("RGBA", (width, height), (255, 255, 255, 255 if white else 0))
    if ink:
        ImageDraw.Draw(image).line([(40, 180), (160, 60), (300, 190), (520, 70)], "#111", 6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


async def _check(app: App) -> tuple[rf.Team, rf.Team, int]:
    """The district, a drawn plan, a started record of my team with a problem; its id."""
    today = local_today(app.clock)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today)
    mine, other = await rf.teams(app, plan_id)
    member = await rf.actor(app, mine.logins[0])
    async with unit_of_work(app.sessions) as session:
        opened = await results.open_record(
            session, member, mine.assignment_id, today, app.clock.now()
        )
        await problems.add_problem(
            session, member, opened.result.id, None, "未公示食品经营许可证", app.clock.now()
        )
    return mine, other, opened.result.id


async def _link(app: App, team: rf.Team, role: str, name: str = "张建国", **kw: int) -> str:
    member = await rf.actor(app, team.logins[0])
    async with unit_of_work(app.sessions) as session:
        made = await signature_links.create_link(
            session, member, team.assignment_id, role, name, app.clock.now(), 30, **kw
        )
    return made.token


async def _sign(app: App, token: str, png: bytes | None = None, **kw: str) -> Signature:
    async with unit_of_work(app.sessions) as session:
        return await signatures.sign(
            session,
            token,
            drawn() if png is None else png,
            app.clock.now(),
            app.settings.data_dir,
            **kw,
        )


async def _status(app: App, assignment_id: int) -> signature_status.SigningStatus:
    async with unit_of_work(app.sessions, write=False) as session:
        return await signature_status.status(session, assignment_id)


async def _officers(app: App, team: rf.Team) -> list[int]:
    async with unit_of_work(app.sessions, write=False) as session:
        summary = await record_summary(session, team.assignment_id)
    return [o.inspector_id for o in summary.officers]


async def _refused_unchanged(app: App, work: object, error: type[Exception], key: str) -> None:
    before = await row_counts(app)
    with pytest.raises(error) as caught:
        await work  # type: ignore[misc]
    assert getattr(caught.value, "key", None) == key
    assert await row_counts(app) == before


async def test_a_link_signs_once_and_the_signature_is_kept_as_evidence(app: App) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    async with unit_of_work(app.sessions, write=False) as session:
        page = await signature_links.page(session, token, app.clock.now())
        stored_hash = await session.scalar(select(SignatureLink.token_sha256))
    assert page.summary.enterprise == mine.enterprise and page.signer == "张建国"
    assert [d for d, _ in page.summary.parts[0].problems] == ["未公示食品经营许可证"]
    assert stored_hash == hashlib.sha256(token.encode()).hexdigest()  # never the token

    png = drawn()
    signature = await _sign(app, token, png, expected_sha256=page.content_sha256)
    assert signature.content_sha256 == page.content_sha256
    async with unit_of_work(app.sessions, write=False) as session:
        kept = await session.get(EvidenceFile, signature.evidence_id)
        assert kept is not None and kept.result_id is None and kept.mime == "image/png"
        assert await evidence.read(app.settings.data_dir, kept) == png
    assert kept.sha256 == hashlib.sha256(png).hexdigest()
    status = await _status(app, mine.assignment_id)
    inspected = status.places[0]
    assert (inspected.role, inspected.signer, inspected.state) == ("inspected", "张建国", "signed")
    assert inspected.current and not status.complete  # the officers have still to sign

    await _refused_unchanged(app, _sign(app, token), Conflict, "sign.link_used")
    async with unit_of_work(app.sessions, write=False) as session:
        with pytest.raises(Conflict) as caught:
            await signature_links.page(session, token, app.clock.now())
    assert caught.value.key == "sign.link_used"


async def test_an_expired_or_unknown_link_is_refused_and_shows_nothing(app: App) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    for bad, error, key in (
        ("x" * 43, NotFound, "sign.link_unknown"),
        ("../../etc", NotFound, "sign.link_unknown"),
    ):
        await _refused_unchanged(app, _sign(app, bad), error, key)
    assert isinstance(app.clock, ManualClock)
    app.clock.advance(timedelta(minutes=30))
    await _refused_unchanged(app, _sign(app, token), Conflict, "sign.link_expired")
    async with unit_of_work(app.sessions, write=False) as session:
        with pytest.raises(Conflict) as caught:
            await signature_links.page(session, token, app.clock.now())
    assert caught.value.key == "sign.link_expired" and caught.value.params == {}


async def test_a_link_is_bound_to_its_own_record(app: App) -> None:
    mine, other, _rid = await _check(app)
    token_a = await _link(app, mine, "inspected")
    coordinator = await rf.actor(app, "coord")
    async with unit_of_work(app.sessions) as session:
        made_b = await signature_links.create_link(
            session, coordinator, other.assignment_id, "inspected", "李秀英", app.clock.now(), 30
        )
    async with unit_of_work(app.sessions, write=False) as session:
        page_a = await signature_links.page(session, token_a, app.clock.now())
        page_b = await signature_links.page(session, made_b.token, app.clock.now())
    assert page_a.summary.enterprise == mine.enterprise
    assert page_b.summary.enterprise == other.enterprise
    # Link A with what B's page showed: refused, nothing changed, link A still usable.
    await _refused_unchanged(
        app,
        _sign(app, token_a, expected_sha256=page_b.content_sha256),
        Conflict,
        "sign.content_changed",
    )
    signature = await _sign(app, token_a, expected_sha256=page_a.content_sha256)
    async with unit_of_work(app.sessions, write=False) as session:
        visit_a = await session.scalar(
            select(Visit.id).where(Visit.assignment_id == mine.assignment_id)
        )
    assert signature.visit_id == visit_a
    assert all(p.signature is None for p in (await _status(app, other.assignment_id)).places)


async def test_two_uses_of_one_link_at_once_make_one_signature(app: App) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    outcomes = await asyncio.gather(
        _sign(app, token, drawn()), _sign(app, token, drawn(500)), return_exceptions=True
    )
    won = [o for o in outcomes if isinstance(o, Signature)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].key == "sign.link_used"
    async with unit_of_work(app.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(Signature)) == 1


async def test_a_refusal_is_recorded_with_its_reason(app: App) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "witness", "王见证")

    async def refuse(reason: str) -> Signature:
        async with unit_of_work(app.sessions) as session:
            return await signatures.refuse(session, token, reason, app.clock.now())

    await _refused_unchanged(app, refuse(" 否 "), InvalidInput, "sign.reason_short")
    done = await refuse("不认可检查结论")
    assert done.refused and done.refusal_reason == "不认可检查结论" and done.evidence_id is None
    witness = (await _status(app, mine.assignment_id)).places[1]
    assert (witness.role, witness.signer, witness.state) == ("witness", "王见证", "refused")
    await _refused_unchanged(app, refuse("再次拒绝"), Conflict, "sign.link_used")


@pytest.mark.parametrize(
    ("png", "key"),
    [
        (drawn(ink=False), "sign.png_blank"),
        (drawn(ink=False, white=True), "sign.png_blank"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "sign.png_unreadable"),
        (rf.jpeg(), "evidence.bad_type"),
        (b"", "evidence.empty"),
        (drawn(5000, 10), "sign.png_size"),
    ],
)
async def test_a_blank_or_fake_drawing_is_refused(app: App, png: bytes, key: str) -> None:
    mine, _other, _rid = await _check(app)
    token = await _link(app, mine, "inspected")
    await _refused_unchanged(app, _sign(app, token, png), InvalidInput, key)
    assert (await _sign(app, token)).evidence_id is not None  # the link is still good


async def test_a_signed_record_changes_only_after_it_is_reopened(app: App) -> None:
    mine, _other, rid = await _check(app)
    member = await rf.actor(app, mine.logins[0])
    await _sign(app, await _link(app, mine, "inspected"))
    for inspector in await _officers(app, mine):
        await _sign(app, await _link(app, mine, "officer", inspector_id=inspector))
    status = await _status(app, mine.assignment_id)
    assert status.complete and status.current and status.missing == []

    async def change() -> None:  # a service's change, then the check the lead wires in
        async with unit_of_work(app.sessions) as session:
            await problems.add_problem(session, member, rid, None, "另一个问题", app.clock.now())
            await signed_content.require_unsigned(session, mine.assignment_id)

    await _refused_unchanged(app, change(), Conflict, "sign.record_signed")
    # A photo of a problem is no part of what was signed: it may still be added.
    async with unit_of_work(app.sessions) as session:
        pid = await session.scalar(select(func.min(Problem.id)))
        assert pid is not None
        await evidence.attach(
            session,
            member,
            pid,
            data=rf.jpeg(),
            name="a.jpg",
            files_dir=app.settings.data_dir,
            now=app.clock.now(),
        )
        await signed_content.require_unsigned(session, mine.assignment_id)
        with pytest.raises(Conflict):
            await signed_content.require_unsigned(session, mine.assignment_id, any_change=True)

    async with unit_of_work(app.sessions) as session:
        superseded = await signatures.reopen_for_signing(
            session, member, mine.assignment_id, app.clock.now()
        )
    assert superseded == 1 + len(await _officers(app, mine))
    await change()  # now it passes
    status = await _status(app, mine.assignment_id)
    assert not status.complete and {p.state for p in status.places} == {"missing"}
    await _sign(app, await _link(app, mine, "inspected"))
    assert (await _status(app, mine.assignment_id)).places[0].current


async def test_a_change_that_slipped_by_makes_the_signatures_stale(app: App) -> None:
    mine, _other, rid = await _check(app)
    await _sign(app, await _link(app, mine, "inspected"))
    # Written around the services (a database edit, say): the service itself refuses it.
    async with unit_of_work(app.sessions) as session:
        session.add(
            Problem(result_id=rid, description="未经检查的修改", found_on=local_today(app.clock))
        )
    status = await _status(app, mine.assignment_id)
    assert status.stale and not status.current and not status.places[0].current


async def test_a_photo_of_the_signed_paper_form_stands_for_the_signatures(app: App) -> None:
    mine, _other, _rid = await _check(app)
    member = await rf.actor(app, mine.logins[1])

    async def paper(data: bytes) -> Signature:
        async with unit_of_work(app.sessions) as session:
            return await signatures.paper_signature(
                session,
                member,
                mine.assignment_id,
                data=data,
                name="笔录.jpg",
                files_dir=app.settings.data_dir,
                now=app.clock.now(),
            )

    kept = await paper(rf.jpeg(1))
    assert kept.role == "paper" and kept.evidence_id is not None
    status = await _status(app, mine.assignment_id)
    assert status.complete and status.current
    await _refused_unchanged(app, paper(rf.jpeg(1)), Conflict, "sign.paper_duplicate")
    await paper(rf.jpeg(2))  # a second page
    with pytest.raises(Conflict) as caught:
        await _link(app, mine, "inspected")
    assert caught.value.key == "sign.signed_on_paper"


async def test_only_the_team_and_the_office_make_links(app: App) -> None:
    mine, other, _rid = await _check(app)
    with pytest.raises(NotMember):
        await _outsider_link(app, mine, other)
    with pytest.raises(InvalidInput) as caught:
        await _link(app, mine, "officer", inspector_id=999_999)
    assert caught.value.key == "sign.not_an_officer"
    with pytest.raises(InvalidInput):
        await _link(app, mine, "inspected", "   ")


async def _outsider_link(app: App, mine: rf.Team, other: rf.Team) -> str:
    outsider = await rf.actor(app, other.logins[0])
    async with unit_of_work(app.sessions) as session:
        made = await signature_links.create_link(
            session, outsider, mine.assignment_id, "inspected", "张三", app.clock.now(), 30
        )
    return made.token


async def test_the_team_makes_links_in_chat_and_a_reviewer_sees_the_signatures(
    app: App,
) -> None:
    # The app registers /sign with PUBLIC_BASE_URL, else the web app's own address.
    assert signing.base_url("https://jc.example.cn/", "127.0.0.1", 8080) == "https://jc.example.cn"
    mine, _other, _rid = await _check(app)
    async with unit_of_work(app.sessions) as session:
        x = await session.scalar(select(Department.id).where(Department.code == "X"))
        reviewer = User(
            login="revx", display_name="审核 X", created_at=app.clock.now(), department_id=x
        )
        session.add(reviewer)
        await session.flush()
        session.add(UserRole(user_id=reviewer.id, role="reviewer"))
    for login in (*mine.logins, "revx"):
        await console_account(app, login)
    lead = mine.logins[0]

    shown = await say(app, lead, f"/sign {mine.assignment_id}")
    assert "未签字" in texts(shown)
    data = rf.buttons(shown)
    officer = next(d for d in data if d.startswith(f"sig:l:{mine.assignment_id}:o:"))
    made = texts(await say(app, lead, button=officer))
    assert "http://127.0.0.1:8080/sign/" in made and "30 分钟" in made
    token = made.rsplit("/sign/", 1)[1].strip()
    await _sign(app, token)

    await say(app, lead, button=f"sig:n:{mine.assignment_id}:w")
    witness = texts(await say(app, lead, "王见证"))
    async with unit_of_work(app.sessions) as session:
        await signatures.refuse(
            session, witness.rsplit("/sign/", 1)[1].strip(), "不认可结论", app.clock.now()
        )

    seen = await say(app, "revx", f"/sign {mine.assignment_id}")
    text = texts(seen)
    assert "见证人：王见证 — 拒绝签字" in text and "不认可结论" in text and "已签字" in text
    views = [d for d in rf.buttons(seen) if d.startswith("sig:v:")]
    assert views and not [d for d in rf.buttons(seen) if d.startswith("sig:l:")]
    image = await say(app, "revx", button=views[0])
    assert image[0].image is not None and image[0].image.startswith(b"\x89PNG")


async def test_a_part_opened_after_signing_changes_nothing_until_it_records(app: App) -> None:
    mine, _other, _rid = await _check(app)
    await _sign(app, await _link(app, mine, "inspected"))
    async with unit_of_work(app.sessions) as session:
        y = await session.scalar(select(Department.id).where(Department.code == "Y"))
        assert y is not None
        late = InspectionResult(
            assignment_id=mine.assignment_id,
            department_id=y,
            status="draft",
            checked_on=local_today(app.clock),
        )
        session.add(late)
        await session.flush()
        await signed_content.require_unsigned(session, mine.assignment_id)
    assert (await _status(app, mine.assignment_id)).places[0].current
    # Once it records, it changes the signed content: refused, until signed anew.
    with pytest.raises(Conflict) as refused:
        async with unit_of_work(app.sessions) as session:
            await problems.add_problem(session, None, late.id, None, "后补的问题", app.clock.now())
    assert refused.value.key == "sign.record_signed"
