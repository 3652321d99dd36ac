"""Rendering neutral replies as Telegram messages, and reading updates as neutral events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot, Update

from bot.telegram import affects_menu, file_base_url
from bot.telegram_transport import (
    MAX_TEXT,
    TelegramTransport,
    read_update,
    split_text,
    utf16_len,
)
from handlers.core.model import Attachment, Button, Incoming, Reply
from tests import records_fixture as rf
from tests.fake_telegram import BOT_USERNAME, FakeTelegram
from tests.telegram_helpers import fake_server

CHAT = 4242


@asynccontextmanager
async def _transport() -> AsyncIterator[tuple[FakeTelegram, TelegramTransport]]:
    async with fake_server() as fake:
        bot = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        async with bot:
            yield fake, TelegramTransport(bot)


def test_texts_are_split_within_telegrams_limit_at_line_ends() -> None:
    line = "检" * 99 + "\n"
    pieces = split_text(line * 100)  # 10,000 characters
    assert len(pieces) == 3
    assert all(utf16_len(p) <= MAX_TEXT for p in pieces)
    assert "".join(p + "\n" for p in pieces) == line * 100
    # Emoji count twice, as Telegram counts them.
    assert utf16_len("😀") == 2
    emoji = split_text("😀" * 3000)
    assert [utf16_len(p) for p in emoji] == [4096, 1904]
    assert split_text("  \n") == []


async def test_long_text_goes_in_pieces_with_the_buttons_on_the_last() -> None:
    async with _transport() as (fake, transport):
        row = (Button("确认", "draw:ok:1"), Button("取消", "f:draw:cancel"))
        await transport.send(str(CHAT), [Reply("第一行\n" * 2500).with_buttons(row)])
        sent = fake.sent("sendMessage", CHAT)
        assert len(sent) == 3
        assert [c.buttons for c in sent] == [[], [], ["draw:ok:1", "f:draw:cancel"]]
        assert sent[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "确认"


async def test_an_image_goes_as_a_photo_and_a_document_as_a_file() -> None:
    chart = rf.png(3, size=8)
    async with _transport() as (fake, transport):
        await transport.send(
            str(CHAT),
            [
                Reply("本周检查进度", image=chart).with_buttons((Button("详情", "cmd:help"),)),
                Reply("长说明\n" * 400, image=chart),
                Reply("导出", document=Attachment("results.csv", "text/csv", b"a,b\n")),
            ],
        )
        calls = fake.messages(CHAT)
        assert [c.method for c in calls] == [
            "sendPhoto",
            "sendMessage",  # a caption over 1,024 characters goes as its own message
            "sendPhoto",
            "sendDocument",
        ]
        assert calls[0].text == "本周检查进度" and calls[0].buttons == ["cmd:help"]
        assert calls[0].files["photo"][1] == chart
        assert calls[2].text == ""
        assert calls[3].files["document"] == ("results.csv", b"a,b\n")
        assert calls[3].text == "导出"


async def test_a_photo_telegram_refuses_is_sent_as_a_file() -> None:
    async with _transport() as (fake, transport):
        fake.fail("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
        await transport.send(str(CHAT), [Reply("图表", image=rf.png(1))])
        assert [c.method for c in fake.messages(CHAT)] == ["sendDocument"]


async def test_an_edit_reply_replaces_the_pressed_message() -> None:
    async with _transport() as (fake, transport):
        edit = Reply("已确认", edit=True).with_buttons((Button("撤销", "x:undo"),))
        await transport.deliver(str(CHAT), [edit, Reply("下一步")], pressed_message_id=77)
        first, second = fake.messages(CHAT)
        assert first.method == "editMessageText" and int(first.params["message_id"]) == 77
        assert first.buttons == ["x:undo"]
        assert second.method == "sendMessage"
        # Pressed twice: Telegram says nothing changed, and nothing more is sent.
        fake.fail("editMessageText", 400, "Bad Request: message is not modified")
        await transport.deliver(str(CHAT), [edit], pressed_message_id=77)
        assert len(fake.messages(CHAT)) == 2
        # A message too old to edit: the reply is sent instead.
        fake.fail("editMessageText", 400, "Bad Request: message can't be edited")
        await transport.deliver(str(CHAT), [edit], pressed_message_id=77)
        assert fake.messages(CHAT)[-1].method == "sendMessage"
        # Without a pressed message, or addressed elsewhere, an edit reply is simply sent.
        await transport.send(str(CHAT), [edit])
        await transport.deliver(
            str(CHAT), [Reply("群公告", chat_id="-100", edit=True)], pressed_message_id=77
        )
        assert fake.messages(CHAT)[-1].method == "sendMessage"
        assert fake.messages("-100")[0].method == "sendMessage"


async def test_a_group_that_became_a_supergroup_still_gets_the_message() -> None:
    async with _transport() as (fake, transport):
        fake.fail(
            "sendMessage",
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            parameters={"migrate_to_chat_id": -1009999},
        )
        await transport.send("-4242", [Reply("会议通知")])
        assert fake.messages(-1009999)[0].text == "会议通知"


def _update(data: dict[str, object]) -> Update:
    return Update.de_json(data, None)  # type: ignore[arg-type]


def test_updates_the_bot_does_not_treat_as_events() -> None:
    fake = FakeTelegram()
    user = {"id": 5, "is_bot": False, "first_name": "A"}
    chat = {"id": 5, "type": "private"}
    edited = {"update_id": 1, "edited_message": fake.message(5, "/draw")["message"]}
    channel = {
        "update_id": 2,
        "channel_post": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": -100, "type": "channel", "title": "c"},
            "text": "/start",
        },
    }
    service = {
        "update_id": 3,
        "message": {"message_id": 2, "date": 0, "chat": chat, "from": user, "new_chat_title": "x"},
    }
    bot_user = fake.message(5, "/start")
    bot_user["message"]["from"]["is_bot"] = True
    for data in (edited, channel, service, bot_user):
        assert read_update(_update(data), BOT_USERNAME) is None


def test_a_private_message_becomes_the_neutral_event() -> None:
    fake = FakeTelegram()
    text = read_update(_update(fake.message(5, "/bind X", name="Wang Fang")), BOT_USERNAME)
    assert text is not None
    assert text.incoming == Incoming(
        "telegram",
        "5",
        "5",
        sender_name="Wang Fang",
        text="/bind X",
        update_key=text.incoming.update_key,
    )
    sticker = fake.message(
        5,
        sticker={
            "file_id": "S",
            "file_unique_id": "s",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        },
    )
    event = read_update(_update(sticker), BOT_USERNAME)
    assert event is not None and event.incoming.text is None and event.file_id is None
    photo = read_update(_update(fake.photo(5, b"1234567890")), BOT_USERNAME)
    assert photo is not None and photo.file_id == "F00002"  # the largest size
    assert photo.file_mime == "image/jpeg" and photo.file_name.endswith(".jpg")
    doc = read_update(_update(fake.document(5, b"%PDF", "整改通知.pdf", "application/pdf")), None)
    assert doc is not None and doc.file_name == "整改通知.pdf" and doc.file_size == 4
    press = read_update(_update(fake.press(5, "lang:en", chat_id=5)), BOT_USERNAME)
    assert press is not None and press.incoming.button == "lang:en"
    assert press.pressed_message_id is not None


def test_which_events_refresh_the_menu() -> None:
    def inc(text: str | None = None, button: str | None = None) -> Incoming:
        return Incoming("telegram", "1", "1", text=text, button=button)

    assert affects_menu(inc("/bind ABC")) and affects_menu(inc("/lang@jointcheck_bot en"))
    assert affects_menu(inc(button="lang:zh"))
    assert not affects_menu(inc("/whoami")) and not affects_menu(inc("bind"))
    assert not affects_menu(inc(button="cmd:lang"))


def test_the_file_url_follows_the_bot_api_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://10.0.0.5:8081/bot") == "http://10.0.0.5:8081/file/bot"
    assert file_base_url("https://proxy/tg/bot{token}") == "https://proxy/tg/file/bot{token}"
