"""/doc and the document buttons: a document of a record sent as a file, PDF or Word.

`/doc KIND ID [pdf|word]` (KIND: notice, onsite, order, service, annual, or their Chinese
names) and the button `doc:KIND:ID:FORMAT` that the notice message, the offer after a
record is submitted and /report carry. The file is the stored one while its record is
unchanged; otherwise a new version (services.documents.store). `register` takes the
setup (TEMPLATES_DIR, the public site's URL) from the composition root.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.core.model import Attachment, Button, Reply
from handlers.core.router import ButtonKind, Command, Ctx, Router, roles
from models import InspectionResult, RectificationNotice
from services.common.errors import InvalidInput
from services.common.numbers import MAX_ID, read_int
from services.documents.config import FORMATS, KINDS, MEDIA, DocumentSetup, check_format

PREFIX = "doc"
READERS = roles("coordinator", "inspector", "reviewer", "leader")
ALIASES = {
    "通知书": "notice",
    "抽查通知书": "notice",
    "笔录": "onsite",
    "现场检查笔录": "onsite",
    "记录表": "onsite",
    "责令改正": "order",
    "责令改正通知书": "order",
    "送达回证": "service",
    "回证": "service",
    "年报": "annual",
    "年度报告": "annual",
}
FORMAT_WORDS = {"pdf": "pdf", "word": "docx", "docx": "docx", "doc": "docx"}


def doc_button(ctx: Ctx, key: str, kind: str, subject_id: int, fmt: str, **params: str) -> Button:
    """A button that sends one document in one format."""
    return ctx.button(key, f"{PREFIX}:{kind}:{subject_id}:{fmt}", **params)


async def send_document(
    ctx: Ctx, setup: DocumentSetup, kind: str, subject_id: int, fmt: str
) -> list[Reply]:
    """The document as a file, with a button for the other format."""
    # The builders, templates and typesetting load with the first document, not at start.
    from services.documents import store
    from services.documents.render import format_code

    issued = await store.issue(
        ctx.session,
        ctx.actor,
        kind,
        subject_id,
        fmt,
        setup=setup,
        files_dir=ctx.files_dir,
        now=ctx.now,
    )
    doc = issued.document
    key = "doc.sent" if issued.created else "doc.sent_again"
    text = ctx.t(
        key,
        title=issued.title,
        number=doc.number or "—",
        version=doc.version,
        code=format_code(doc.verify_code),
    )
    other = "docx" if doc.format == "pdf" else "pdf"
    label = "Word" if other == "docx" else "PDF"
    reply = Reply(text, document=Attachment(issued.file_name, MEDIA[doc.format], issued.data))
    return [
        reply.with_buttons(
            (doc_button(ctx, "doc.button.other", kind, subject_id, other, format=label),)
        )
    ]


def parse(args: list[str]) -> tuple[str, int, str] | None:
    """(kind, id, format) of /doc's words; None when they do not say one."""
    if len(args) not in (2, 3):
        return None
    kind = ALIASES.get(args[0], args[0].lower())
    fmt = FORMAT_WORDS.get(args[2].lower().lstrip("."), args[2]) if len(args) == 3 else "pdf"
    if kind not in KINDS:
        from services.documents.kinds import check_kind

        check_kind(kind)  # refuses, naming the kinds
    subject = read_int(args[1], 1, MAX_ID)
    if subject is None:
        raise InvalidInput("doc.bad_id", id=args[1])
    return kind, subject, check_format(fmt)


def register(router: Router, setup: DocumentSetup | None = None) -> None:
    """Register /doc and the document buttons."""
    chosen = setup or DocumentSetup()

    async def doc_command(ctx: Ctx, args: list[str]) -> list[Reply]:
        parsed = parse(args)
        if parsed is None:
            return [ctx.reply("doc.usage")]
        return await send_document(ctx, chosen, *parsed)

    async def doc_pressed(ctx: Ctx, args: list[str]) -> list[Reply]:
        if len(args) != 3 or args[0] not in KINDS:
            return [ctx.reply("error.unknown_button")]
        subject = read_int(args[1], 1, MAX_ID)
        if subject is None:
            return [ctx.reply("error.unknown_button")]
        if args[2] not in FORMATS:
            return [ctx.reply("error.unknown_button")]
        return await send_document(ctx, chosen, args[0], subject, args[2])

    router.command(Command("doc", doc_command, READERS, "cmd.doc", private_only=True))
    router.button(ButtonKind(PREFIX, doc_pressed, READERS))


async def offer_documents(ctx: Ctx, assignment_id: int) -> list[Reply]:
    """After a record is submitted: buttons for the on-site record and each order to correct."""
    rows: list[tuple[Button, ...]] = [
        (
            doc_button(ctx, "doc.button.onsite", "onsite", assignment_id, "pdf"),
            doc_button(ctx, "doc.button.onsite_docx", "onsite", assignment_id, "docx"),
        )
    ]
    notices = await ctx.session.execute(
        select(RectificationNotice.id, RectificationNotice.number)
        .join(InspectionResult, InspectionResult.id == RectificationNotice.result_id)
        .where(InspectionResult.assignment_id == assignment_id)
        .order_by(RectificationNotice.id)
    )
    for notice_id, number in notices:
        rows.append(
            (
                doc_button(ctx, "doc.button.order", "order", notice_id, "pdf", number=number),
                doc_button(ctx, "doc.button.order_docx", "order", notice_id, "docx"),
                doc_button(ctx, "doc.button.service", "service", notice_id, "pdf"),
            )
        )
    return [ctx.reply("doc.offer").with_buttons(*rows)]


async def annual_report(ctx: Ctx, year: int) -> list[Reply]:
    """The annual report as a PDF, through the registered /doc button (for /report)."""
    kind = ctx.router.buttons.get(PREFIX)
    if kind is None:  # documents not registered: /report stays the paragraph alone
        return []
    return await kind.handler(ctx, ["annual", str(year), "pdf"])
