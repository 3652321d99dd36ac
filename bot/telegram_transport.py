"""Neutral replies rendered as Telegram messages, and Telegram updates read as neutral events.

Rendering: texts longer than Telegram's 4,096 characters (counted, as Telegram does, in
UTF-16 code units) are split on line ends; a reply's buttons become an inline keyboard on
the last message of that reply; an image goes out as a photo and a document as a file, the
text as their caption when it fits in 1,024 characters. A reply marked `edit` replaces the
message whose button was pressed where Telegram allows it, and is sent anew otherwise.

Reading: a text, a photo (its largest size), a document, a video, an audio or voice
recording, or a shared location of a private chat; in groups only
commands meant for this bot and button presses, so that the bot never reacts to the group's
conversation nor takes files there.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, FileSizeLimit, MessageLimit
from telegram.error import BadRequest, ChatMigrated

from handlers.core.model import Attachment, Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"
MAX_TEXT = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_CAPTION = int(MessageLimit.CAPTION_LENGTH)
# Files are fetched into memory at once: never more than the official Bot API allows, even
# when a self-hosted Bot API server would hand out bigger ones.
MAX_FILE_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
MAX_ID = 2**53  # Telegram's ids fit in 52 bits (and a double), chats' with a sign
MAX_NAME = 100  # users.display_name: a Telegram name may be 129 characters


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:  # a single overlong line: cut it hard
            if current:
                pieces.append(current)
                current = ""
            cut = _cut(line, limit)
            pieces.append(line[:cut])
            line = line[cut:]
        if utf16_len(current) + utf16_len(line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") for p in pieces if p.strip()]


def _cut(line: str, limit: int) -> int:
    """The longest prefix of `line` within `limit` UTF-16 units."""
    units = 0
    for index, char in enumerate(line):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(line)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's button rows as an inline keyboard (callback data is at most 64 bytes)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
            for row in reply.buttons
        ]
    )


class TelegramTransport:
    """Delivers neutral replies to Telegram chats (the `Transport` of this platform)."""

    platform = PLATFORM

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, replies: Sequence[Reply]) -> None:
        """Deliver replies to a chat (outbox messages and announcements come this way)."""
        await self.deliver(chat_id, replies)

    async def deliver(
        self, chat_id: str, replies: Sequence[Reply], *, pressed_message_id: int | None = None
    ) -> None:
        """Deliver replies in order; `pressed_message_id` is the message whose button was
        pressed in `chat_id`, which the first reply marked `edit` replaces."""
        for reply in replies:
            target = reply.chat_id or chat_id
            edit_id = pressed_message_id if target == chat_id else None
            if reply.edit and edit_id is not None and await self._edit(target, edit_id, reply):
                pressed_message_id = None  # that message now shows this reply
                continue
            try:
                await self._send_one(target, reply)
            except ChatMigrated as exc:  # a group became a supergroup: its id changed
                log.warning(
                    "Telegram chat %s moved to %s; update the configured chat id",
                    target,
                    exc.new_chat_id,
                )
                await self._send_one(str(exc.new_chat_id), reply)

    async def _edit(self, chat_id: str, message_id: int, reply: Reply) -> bool:
        """Replace the pressed message's text and keyboard; False when it must be sent."""
        if reply.image is not None or reply.document is not None:
            return False
        if not reply.text.strip() or utf16_len(reply.text) > MAX_TEXT:
            return False
        try:
            await self.bot.edit_message_text(
                reply.text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard(reply)
            )
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return True  # pressed twice: it already shows this
            log.info("editing message %s in %s failed (%s); sending", message_id, chat_id, exc)
            return False
        return True

    async def _send_one(self, chat_id: str, reply: Reply) -> None:
        markup = keyboard(reply)
        pieces = split_text(reply.text) if reply.text.strip() else []
        has_media = reply.image is not None or reply.document is not None
        caption = None
        if has_media and len(pieces) == 1 and utf16_len(pieces[0]) <= MAX_CAPTION:
            caption = pieces.pop()
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1 and not has_media
            await self.bot.send_message(chat_id, piece, reply_markup=markup if last else None)
        if not pieces and not has_media and markup is not None:
            log.warning("a reply with buttons but no text to %s was dropped", chat_id)
        if reply.image is not None:
            last = reply.document is None
            await self._photo(chat_id, reply.image, caption, markup if last else None)
            caption = None
        if reply.document is not None:
            doc = reply.document
            await self.bot.send_document(
                chat_id, doc.data, filename=doc.name, caption=caption, reply_markup=markup
            )

    async def _photo(
        self, chat_id: str, image: bytes, caption: str | None, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self.bot.send_photo(
                chat_id, image, filename="image.png", caption=caption, reply_markup=markup
            )
        except BadRequest as exc:  # too large or oddly shaped for a photo: send it as a file
            log.info("photo refused by Telegram (%s); sending it as a file", exc)
            await self.bot.send_document(
                chat_id, image, filename="image.png", caption=caption, reply_markup=markup
            )


@dataclass(frozen=True)
class Wanted:
    """What an update asks of the core, before any file is fetched."""

    incoming: Incoming
    file_id: str | None = None
    file_name: str = ""
    file_mime: str = ""
    file_size: int | None = None
    # The message whose button was pressed (callback queries).
    pressed_message_id: int | None = None


def read_update(update: Update, bot_username: str | None) -> Wanted | None:
    """The neutral event of an update, or None for updates the bot ignores.

    Only Telegram can send an update (the webhook checks its secret), but every field is
    checked for the type and range Telegram gives it: anything odd is ignored, never acted on.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot is not False:
        return None
    sender, chat_id = _ident(user.id, 1, MAX_ID), _ident(chat.id, -MAX_ID, MAX_ID)
    update_id = _ident(update.update_id, 0, MAX_ID)
    if sender is None or chat_id is None or update_id is None:
        return None
    if chat.type not in (ChatType.PRIVATE, *GROUP_TYPES):
        return None  # channels
    name = user.full_name if isinstance(user.full_name, str) else ""
    base = Incoming(
        PLATFORM,
        sender_id=sender,
        chat_id=chat_id,
        sender_name=name[:MAX_NAME],
        is_group=chat.type in GROUP_TYPES,
        update_key=update_id,
    )
    query = update.callback_query
    if query is not None:
        if not isinstance(query.data, str):
            return None
        pressed = query.message.message_id if query.message is not None else None
        return Wanted(
            replace(base, button=query.data), pressed_message_id=_number(pressed, 1, MAX_ID)
        )
    message = update.message  # edits of earlier messages are not events
    if message is None:
        return None
    if message.text is not None and not isinstance(message.text, str):
        return None
    if base.is_group:
        text = message.text or ""
        if not text.startswith("/") or not _for_this_bot(text, bot_username):
            return None  # in groups: only commands meant for this bot
        return Wanted(replace(base, text=text))
    return _private(message, base)


def _number(value: object, low: int, high: int) -> int | None:
    """A JSON integer within [low, high] (never a bool, a float or a string)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _ident(value: object, low: int, high: int) -> str | None:
    number = _number(value, low, high)
    return None if number is None else str(number)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _private(message: Message, base: Incoming) -> Wanted | None:
    if message.text is not None:
        return Wanted(replace(base, text=message.text))
    if message.photo:
        photo = max(
            message.photo,
            key=lambda p: (
                (_number(p.width, 0, MAX_ID) or 0) * (_number(p.height, 0, MAX_ID) or 0),
                _number(p.file_size, 0, MAX_ID) or 0,
            ),
        )
        file_id = _text(photo.file_id)
        if file_id is None:
            return None
        return Wanted(
            base,
            file_id=file_id,
            file_name=f"photo-{_text(photo.file_unique_id) or 'x'}.jpg"[:MAX_NAME],
            file_mime="image/jpeg",  # Telegram re-encodes every photo as JPEG
            file_size=_number(photo.file_size, 0, MAX_ID),
        )
    if message.document is not None:
        doc = message.document
        file_id = _text(doc.file_id)
        if file_id is None:
            return None
        # The caption goes along: a document captioned "/import KIND" is that import.
        return Wanted(
            replace(base, text=_text(message.caption)),
            file_id=file_id,
            file_name=_text(doc.file_name) or f"file-{_text(doc.file_unique_id) or 'x'}",
            file_mime=_text(doc.mime_type) or "application/octet-stream",
            file_size=_number(doc.file_size, 0, MAX_ID),
        )
    media = _media(message, base)
    if media is not None:
        return media
    if message.location is not None:
        where = _location(message.location.latitude, message.location.longitude)
        return Wanted(replace(base, location=where)) if where is not None else None
    if message.effective_attachment is not None or message.caption is not None:
        # A sticker, a contact...: the core answers that it did not understand.
        return Wanted(base)
    return None  # service messages (pins, members joining): not addressed to the bot


def _location(latitude: object, longitude: object) -> tuple[float, float] | None:
    """A shared location as (latitude, longitude), or None when it is not one."""
    values = []
    for value, limit in ((latitude, 90.0), (longitude, 180.0)):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if not math.isfinite(value) or abs(value) > limit:
            return None
        values.append(float(value))
    return values[0], values[1]


# Telegram's recordings: the attribute, the file name when it gives none, the usual type.
RECORDINGS = (
    ("video", "video-{id}.mp4", "video/mp4"),
    ("video_note", "video-note-{id}.mp4", "video/mp4"),
    ("audio", "audio-{id}.mp3", "audio/mpeg"),
    ("voice", "voice-{id}.ogg", "audio/ogg"),
)


def _media(message: Message, base: Incoming) -> Wanted | None:
    """A video, video note, audio file or voice note, fetched as evidence like a photo."""
    for attribute, default_name, default_mime in RECORDINGS:
        media = getattr(message, attribute, None)
        if media is None:
            continue
        file_id = _text(media.file_id)
        if file_id is None:
            return None
        unique = _text(media.file_unique_id) or "x"
        name = _text(getattr(media, "file_name", None)) or default_name.format(id=unique)
        return Wanted(
            replace(base, text=_text(message.caption)),
            file_id=file_id,
            file_name=name[:MAX_NAME],
            file_mime=_text(getattr(media, "mime_type", None)) or default_mime,
            file_size=_number(media.file_size, 0, MAX_ID),
        )
    return None


def _for_this_bot(text: str, bot_username: str | None) -> bool:
    """`/cmd` and `/cmd@ThisBot` are for this bot; `/cmd@OtherBot` is not."""
    head = text.split(maxsplit=1)[0]
    if "@" not in head:
        return True
    return bot_username is not None and head.split("@", 1)[1].lower() == bot_username.lower()


async def fetch(bot: Bot, wanted: Wanted) -> Incoming:
    """The event with its file's bytes fetched (call only when `wanted.file_id` is set)."""
    assert wanted.file_id is not None
    file = await bot.get_file(wanted.file_id)
    data = bytes(await file.download_as_bytearray())
    attachment = Attachment(wanted.file_name, wanted.file_mime, data, wanted.file_id)
    return replace(wanted.incoming, file=attachment)
