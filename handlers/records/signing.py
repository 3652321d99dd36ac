"""/sign ASSIGNMENT_ID: the on-site record's signatures, one-time links, the paper fallback.

The team (and the office) make a one-time link per signer, sent as text to hand over (on
the console the URL is printed); the signer opens it on a phone and signs or refuses.
A photo of the signed paper form may stand for the signatures instead, and "重新签字"
supersedes the signatures so that a changed record can be signed anew. Reviewers of a
department with a part read the signatures and open their images.
"""

from __future__ import annotations

from handlers.core.model import Attachment, Button, Reply
from handlers.core.router import (
    ButtonHandler,
    ButtonKind,
    Command,
    Ctx,
    Flow,
    FlowHandler,
    Router,
    flow_button,
    roles,
)
from handlers.records import render
from handlers.records.guard import guarded
from handlers.records.tasks import parse_id
from services.common.clock import local_text
from services.common.errors import InvalidInput
from services.messaging.conversations import State
from services.records import evidence, signature_links, signature_status, signatures
from services.records.signature_status import SignedBy, SigningStatus
from services.records.signature_summary import RecordSummary, record_summary
from services.records.tasks import is_office, require_member, team_inspector_ids

FIELD = roles("inspector", "coordinator", "reviewer")
FLOW = "sign"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
DEFAULT_MINUTES = 30
MAX_ATTENDEE_BUTTONS = 5


def base_url(public: str | None, host: str, port: int) -> str:
    """Where signers open their links: PUBLIC_BASE_URL, else the web app's own address."""
    return (public or f"http://{host}:{port}").rstrip("/")


def _role(ctx: Ctx, role: str) -> str:
    return ctx.t(f"sign.role.{role}")


def place_line(ctx: Ctx, place: SignedBy) -> str:
    """One signer's place as a line: who, and signed / refused / on paper / missing."""
    who = place.signer or ctx.t("sign.unnamed")
    s = place.signature
    if s is None:
        state = ctx.t(
            "sign.state.missing_optional" if place.role == "witness" else "sign.state.missing"
        )
    elif place.state == "refused":
        state = ctx.t(
            "sign.state.refused", at=local_text(s.signed_at), reason=s.refusal_reason or ""
        )
    else:
        state = ctx.t(f"sign.state.{place.state}", at=local_text(s.signed_at))
    if s is not None and not place.current:
        state += ctx.t("sign.state.outdated")
    return ctx.t("sign.line", role=_role(ctx, place.role), who=who, state=state)


def status_lines(ctx: Ctx, status: SigningStatus) -> list[str]:
    """The signatures of a record as lines, with the verdict (for /sign and the review card)."""
    lines = [place_line(ctx, p) for p in status.places]
    if status.stale:
        lines.append(ctx.t("sign.verdict.stale", id=status.assignment_id))
    elif status.current:
        lines.append(ctx.t("sign.verdict.current"))
    else:
        missing = [f"{_role(ctx, p.role)}{p.signer or ''}" for p in status.missing]
        lines.append(ctx.t("sign.verdict.missing", who=render.joined(ctx, missing)))
    return lines


def _buttons(ctx: Ctx, summary: RecordSummary, status: SigningStatus) -> list[tuple[Button, ...]]:
    aid = summary.assignment_id
    rows: list[tuple[Button, ...]] = []
    paper = any(p.state == "paper" for p in status.places)
    missing = {(p.role, p.inspector_id) for p in status.places if p.state == "missing"}
    if not paper:
        if ("inspected", None) in missing:
            for n, (name, _post) in enumerate(summary.attendees[:MAX_ATTENDEE_BUTTONS]):
                label = ctx.t("sign.button.inspected", name=render.short(name, 12))
                rows.append((Button(label, f"sig:l:{aid}:i:{n}"),))
            rows.append((ctx.button("sign.button.inspected_name", f"sig:n:{aid}:i"),))
        if ("witness", None) in missing:
            rows.append((ctx.button("sign.button.witness", f"sig:n:{aid}:w"),))
        for officer in summary.officers:
            if ("officer", officer.inspector_id) in missing:
                label = ctx.t("sign.button.officer", name=render.short(officer.name, 12))
                rows.append((Button(label, f"sig:l:{aid}:o:{officer.inspector_id}"),))
    rows.append((ctx.button("sign.button.paper", f"sig:p:{aid}"),))
    if any(p.signature is not None for p in status.places):
        rows.append((ctx.button("sign.button.reopen", f"sig:r:{aid}"),))
    for p in status.places:
        if p.signature is not None and p.signature.evidence_id is not None:
            label = ctx.t(
                "sign.button.view", role=_role(ctx, p.role), who=render.short(p.signer or "", 10)
            )
            rows.append((Button(label, f"sig:v:{p.signature.id}"),))
    return rows


async def _overview(ctx: Ctx, assignment_id: int) -> list[Reply]:
    await signature_status.require_viewer(ctx.session, ctx.actor, assignment_id)
    summary = await record_summary(ctx.session, assignment_id)
    status = await signature_status.status(ctx.session, assignment_id)
    head = ctx.t("sign.head", id=assignment_id, enterprise=summary.enterprise)
    text = "\n".join([head, *status_lines(ctx, status)])
    member = is_office(ctx.actor) or ctx.user.inspector_id in await team_inspector_ids(
        ctx.session, assignment_id
    )
    rows = (
        _buttons(ctx, summary, status)
        if member
        else [r for r in _buttons(ctx, summary, status) if r[0].data.startswith("sig:v:")]
    )
    return [Reply(text).with_buttons(*rows)]


async def sign_command(ctx: Ctx, args: list[str]) -> list[Reply]:
    """/sign ID: who signed the record, and a button per signer still to sign."""
    if len(args) != 1:
        return [ctx.reply("sign.usage")]
    return await _overview(ctx, parse_id(args[0]))


def _link_reply(ctx: Ctx, link: signature_links.NewLink, url: str, minutes: int) -> Reply:
    return ctx.reply(
        "sign.link",
        role=_role(ctx, link.role),
        signer=link.signer,
        minutes=minutes,
        until=local_text(link.expires_at),
        url=f"{url}/sign/{link.token}",
    )


def _cancel(ctx: Ctx) -> tuple[Button, ...]:
    return (flow_button(ctx.t("sign.button.cancel"), FLOW, "cancel"),)


def make_handlers(url: str, minutes: int) -> tuple[ButtonHandler, FlowHandler]:
    """The button and flow handlers, holding the base URL and the links' validity."""

    async def link(
        ctx: Ctx, assignment_id: int, role: str, name: str, officer: int | None
    ) -> Reply:
        made = await signature_links.create_link(
            ctx.session,
            ctx.user,
            assignment_id,
            role,
            name,
            ctx.now,
            minutes,
            inspector_id=officer,
        )
        return _link_reply(ctx, made, url, minutes)

    async def button(ctx: Ctx, args: list[str]) -> list[Reply]:
        """The buttons of /sign: links, names, paper, reopen, viewing a signature."""
        if len(args) < 2:
            return [ctx.reply("error.unknown_button")]
        kind, ident = args[0], parse_id(args[1])
        if kind == "l" and len(args) == 4 and args[2] in ("i", "o"):
            n = parse_id(args[3])
            if args[2] == "o":
                return [await link(ctx, ident, "officer", "", n)]
            summary = await record_summary(ctx.session, ident)
            if n >= len(summary.attendees):
                return [ctx.reply("error.unknown_button")]
            return [await link(ctx, ident, "inspected", summary.attendees[n][0], None)]
        if kind == "n" and len(args) == 3 and args[2] in ("i", "w"):
            await require_member(ctx.session, ctx.actor, ident, "signature.link")
            await ctx.start_flow(FLOW, "name", {"a": ident, "r": args[2]})
            key = "sign.ask_inspected" if args[2] == "i" else "sign.ask_witness"
            return [ctx.reply(key).with_buttons(_cancel(ctx))]
        if kind == "p" and len(args) == 2:
            await require_member(ctx.session, ctx.actor, ident, "signature.paper")
            await ctx.start_flow(FLOW, "paper", {"a": ident})
            return [ctx.reply("sign.ask_paper").with_buttons(_cancel(ctx))]
        if kind == "r" and len(args) == 2:
            await require_member(ctx.session, ctx.actor, ident, "signature.reopen")
            confirm = ctx.button("sign.button.reopen_confirm", f"sig:R:{ident}")
            return [ctx.reply("sign.reopen_ask", id=ident).with_buttons((confirm,))]
        if kind == "R" and len(args) == 2:
            n = await signatures.reopen_for_signing(ctx.session, ctx.user, ident, ctx.now)
            return [ctx.reply("sign.reopened", id=ident, n=n)]
        if kind == "v" and len(args) == 2:
            return [await _image(ctx, ident)]
        return [ctx.reply("error.unknown_button")]

    async def flow(ctx: Ctx, state: State) -> list[Reply]:
        """The name of a signer typed, or the paper form's photo sent."""
        if ctx.choice == "cancel":
            await ctx.end_flow()
            return [ctx.reply("sign.cancelled")]
        aid = int(state.data["a"])
        if state.step == "name" and ctx.choice is None and (ctx.incoming.text or "").strip():
            role = "inspected" if state.data.get("r") == "i" else "witness"
            reply = await link(ctx, aid, role, ctx.incoming.text or "", None)
            await ctx.end_flow()
            return [reply]
        if state.step == "paper" and ctx.incoming.file is not None:
            upload = ctx.incoming.file
            done = await signatures.paper_signature(
                ctx.session,
                ctx.user,
                aid,
                data=upload.data,
                name=upload.name,
                files_dir=ctx.files_dir,
                now=ctx.now,
                platform_file_id=upload.platform_file_id,
                max_bytes=ctx.policy.evidence_max_bytes,
                allowed=ctx.policy.evidence_types,
            )
            await ctx.end_flow()
            return [ctx.reply("sign.paper_kept", id=aid, sha=done.content_sha256[:12])]
        key = "sign.ask_paper" if state.step == "paper" else "sign.ask_name_again"
        return [ctx.reply(key).with_buttons(_cancel(ctx))]

    return button, flow


async def _image(ctx: Ctx, signature_id: int) -> Reply:
    signature, stored = await signature_status.signature_file(ctx.session, ctx.actor, signature_id)
    data = await evidence.read(ctx.files_dir, stored)
    text = ctx.t(
        "sign.image",
        role=_role(ctx, signature.role),
        who=signature.signer,
        at=local_text(signature.signed_at),
        sha=stored.sha256[:12],
    )
    if stored.mime.startswith("image/"):
        return Reply(text, image=data)
    return Reply(text, document=Attachment(stored.original_name or "paper.pdf", stored.mime, data))


def register(
    router: Router, *, base_url: str = DEFAULT_BASE_URL, minutes: int = DEFAULT_MINUTES
) -> None:
    """Register /sign, its buttons and its conversation."""
    if not 1 <= minutes <= signature_links.MAX_MINUTES:
        raise InvalidInput("sign.bad_minutes", limit=signature_links.MAX_MINUTES)
    button, flow = make_handlers(base_url.rstrip("/"), minutes)
    router.command(Command("sign", guarded(sign_command), FIELD, "cmd.sign", private_only=True))
    router.button(ButtonKind("sig", guarded(button), FIELD))
    router.flow(Flow(FLOW, guarded(flow), FIELD))
