"""The neutral message model: what every transport turns its platform's events into."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from services.common.text import strip_unsafe

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class Button:
    """A button: its label and short callback data (at most 64 bytes)."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode("utf-8")) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {self.data!r}")


@dataclass(frozen=True)
class Attachment:
    """A file or photo, with its bytes already fetched by the transport."""

    name: str
    mime: str
    data: bytes
    platform_file_id: str | None = None


@dataclass(frozen=True)
class Incoming:
    """One event from a user: a text, a button press or a file."""

    platform: str
    sender_id: str
    chat_id: str
    sender_name: str = ""
    text: str | None = None
    button: str | None = None
    file: Attachment | None = None
    is_group: bool = False
    # The platform's id of the update, so that a redelivered update is handled once.
    update_key: str | None = None
    # A shared location (latitude, longitude in WGS-84): "start the check here".
    location: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        # Cleaned at the edge, so that no handler can store a NUL or a lone surrogate.
        for name in ("sender_name", "text", "button"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, strip_unsafe(value))


@dataclass(frozen=True)
class Reply:
    """What the bot says back: text, optional button rows, image or document."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: bytes | None = None
    document: Attachment | None = None
    # None answers the chat the message came from; otherwise a chat on the same platform.
    chat_id: str | None = None
    # A transport that can edit the message carrying the pressed button may do so.
    edit: bool = False

    def with_buttons(self, *rows: tuple[Button, ...]) -> Reply:
        """The same reply with button rows."""
        return replace(self, buttons=tuple(rows))

    def replacing(self, pressed: bool = True) -> Reply:
        """The same reply, to replace the message whose button was pressed (if `pressed`).

        Used where a button moves a conversation on: the question (and its buttons, now
        stale) turns into the next one instead of piling up in the chat.
        """
        return replace(self, edit=pressed)


@dataclass
class Outgoing:
    """Replies addressed to a user or chat, as the outbox and announcements need."""

    platform: str
    chat_id: str
    replies: list[Reply] = field(default_factory=list)
