"""The real Application against a fake Bot API server: binding, menus, the draw, a record
with a photo, by polling and by webhook."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App
from handlers.core.db import unit_of_work
from models import EvidenceFile, PlatformAccount, ProcessedUpdate, User
from services.accounts import invites
from services.common.clock import local_today
from services.common.policy import MAX_EVIDENCE_BYTES
from tests import draw_fixture as fx
from tests import records_fixture as rf
from tests.fake_telegram import FakeTelegram
from tests.helpers import row_counts
from tests.telegram_helpers import (
    SECRET,
    add_user,
    bind_telegram,
    post,
    stack,
    texts,
    webhook_client,
)

ALICE = 5001  # a Telegram user id (and her private chat id)


async def _invite(app: App, role: str, **target: str) -> str:
    async with unit_of_work(app.sessions) as session:
        return await invites.create_invite(
            session, None, role=role, now=app.clock.now(), ttl=timedelta(days=7), **target
        )


def _menus(fake: FakeTelegram, scope_type: str, chat_id: int | None = None) -> list[list[str]]:
    out = []
    for call in fake.sent("setMyCommands"):
        scope = call.params.get("scope") or {"type": "default"}
        if scope["type"] == scope_type and (chat_id is None or scope.get("chat_id") == chat_id):
            out.append([c["command"] for c in call.params["commands"]])
    return out


async def test_bind_by_polling_then_the_menu_fits_the_role(app: App) -> None:
    await fx.build(app)
    code = await _invite(app, "inspector", cert_no="X01")
    async with stack(app) as (fake, _bot):
        await fake.push(fake.message(ALICE, "/start", name="Alice Wang"))
        await fake.push(fake.message(ALICE, "/tasks", name="Alice Wang"))
        await fake.push(fake.message(ALICE, "/bind WRONG12345", name="Alice Wang"))
        await fake.push(fake.message(ALICE, f"/bind {code}", name="Alice Wang"))
        await fake.wait_for(lambda f: len(f.messages(ALICE)) == 4)
        await fake.wait_for(lambda f: bool(_menus(f, "chat", ALICE)))
        await fake.push(fake.message(ALICE, "/whoami", name="Alice Wang"))
        await fake.wait_for(lambda f: len(f.messages(ALICE)) == 5)
        said = [c.text for c in fake.messages(ALICE)]
        assert "发送 /bind 邀请码" in said[0]  # the stranger's greeting
        assert "还没有绑定账号" in said[1]  # a stranger gets nothing else
        assert said[2] == "邀请码不正确。"
        assert said[3].startswith("绑定成功，检查员X01")
        assert "登录名：x01" in said[4] and "检查人员" in said[4]
        # Strangers' menu: /start, /help, /bind; the bound inspector's: what the role allows.
        assert ["start", "help", "bind"] in _menus(fake, "default")
        chat_menu = _menus(fake, "chat", ALICE)[-1]
        assert "tasks" in chat_menu and "record" in chat_menu and "whoami" in chat_menu
        assert "bind" not in chat_menu and "draw" not in chat_menu and "invite" not in chat_menu
        assert all(c.params.get("parse_mode") is None for c in fake.messages(ALICE))
    async with unit_of_work(app.sessions, write=False) as session:
        account = await session.scalar(select(PlatformAccount))
    assert account is not None
    assert (account.platform, account.external_id, account.chat_id) == (
        "telegram",
        str(ALICE),
        str(ALICE),
    )


async def test_bound_accounts_get_their_menu_at_start_and_english_users_in_english(
    app: App,
) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await add_user(app, "lead", "Leader", "leader")
    await bind_telegram(app, "coord", 7001)
    await bind_telegram(app, "lead", 7002)
    async with unit_of_work(app.sessions) as session:
        lead = await session.scalar(select(User).where(User.login == "lead"))
        assert lead is not None
        lead.language = "en"
    async with stack(app) as (fake, _bot):
        await fake.wait_for(
            lambda f: bool(_menus(f, "chat", 7001)) and bool(_menus(f, "chat", 7002))
        )
        coord_menu = _menus(fake, "chat", 7001)[-1]
        assert "draw" in coord_menu and "tasks" not in coord_menu
        lead_call = next(
            c
            for c in fake.sent("setMyCommands")
            if (c.params.get("scope") or {}).get("chat_id") == 7002
        )
        assert {"command": "help", "description": "List what you can do"} in lead_call.params[
            "commands"
        ]
        english_default = [
            c
            for c in fake.sent("setMyCommands")
            if c.params.get("language_code") == "en" and c.params["scope"]["type"] == "default"
        ]
        assert english_default and english_default[0].params["commands"][0]["command"] == "start"
        groups = _menus(fake, "all_group_chats")[0]
        assert "help" in groups and "draw" not in groups and "bind" not in groups


async def test_a_draw_through_the_webhook_walking_the_buttons(app: App) -> None:
    await fx.build(app)
    await add_user(app, "coord", "协调员 李", "coordinator")
    await bind_telegram(app, "coord", 6001)
    plan_id = await fx.plan(app)
    async with stack(app, webhook=True) as (fake, bot), webhook_client(bot) as client:
        assert fake.sent("setWebhook")[0].params["secret_token"]

        async def say(update: dict[str, object]) -> None:
            response = await post(client, update)
            assert response.status_code == 200

        await say(fake.message(6001, "/draw"))
        listing = fake.messages(6001)[-1]
        assert f"f:draw:plan:{plan_id}" in listing.buttons
        await say(fake.press(6001, f"f:draw:plan:{plan_id}"))
        # The list of plans turns into the preview: an edit of that very message.
        preview = fake.messages(6001)[-1]
        assert preview.method == "editMessageText"
        assert int(preview.params["message_id"]) == int(listing.params["message_id"])
        assert "D 类：名录 2 家，比例 100%，抽取 2 家" in preview.text
        assert preview.buttons == ["f:draw:freeze", "f:draw:cancel"]
        await say(fake.press(6001, "f:draw:freeze"))
        assert "随机种子承诺" in texts(fake, 6001)
        await say(fake.message(6001, "20261201"))  # typed: a new message, nothing to edit
        confirm = fake.messages(6001)[-1]
        assert confirm.method == "sendMessage" and "盐值：“20261201”" in confirm.text
        await say(fake.press(6001, "f:draw:go"))
        edited = fake.sent("editMessageText", 6001)[-1]
        assert int(edited.params["message_id"]) == int(confirm.params["message_id"])
        assert edited.text.startswith("抽取完成") and "【抽查公告】" in texts(fake, 6001)
        # Every press was answered, so no button keeps spinning.
        assert len(fake.sent("answerCallbackQuery")) == 3
        # The record comes back as a file.
        await say(fake.message(6001, "/verify 1"))
        document = fake.sent("sendDocument", 6001)[-1]
        assert "一致" in document.text
        assert document.files["document"][0] == "draw-1.json"
        assert b'"seed"' in document.files["document"][1]


async def test_a_record_with_a_photo_by_polling(app: App) -> None:
    today = local_today(app.clock)
    await rf.build(app, today)
    plan_id = await rf.drawn_plan(app, today)
    mine = (await rf.teams(app, plan_id))[0]
    inspector = 8001
    await bind_telegram(app, mine.logins[0], inspector)
    photo = rf.png(7, size=4)
    other = await rf.category_id(app, "other_market_rule")
    async with stack(app) as (fake, _bot):
        step = 0

        async def say(update: dict[str, object]) -> str:
            nonlocal step
            step = len(fake.messages(inspector))
            await fake.push(update)
            await fake.wait_for(lambda f: len(f.messages(inspector)) > step)
            return fake.messages(inspector)[-1].text

        listing = await say(fake.message(inspector, "/tasks"))
        assert mine.enterprise in listing
        assert "开始填报" in await say(fake.press(inspector, f"rec:{mine.assignment_id}"))
        question = fake.messages(inspector)[-1]
        assert question.method == "sendMessage"  # the /tasks list stays as it was
        await say(fake.press(inspector, f"f:record:c+:{other}"))
        # Answered by a button, the question turns into the next one in place.
        edited = fake.messages(inspector)[-1]
        assert edited.method == "editMessageText"
        assert int(edited.params["message_id"]) == int(question.params["message_id"])
        assert "是否还有发现的问题" in await say(fake.press(inspector, "f:record:cdone"))
        await say(fake.press(inspector, "f:record:padd"))
        items = fake.messages(inspector)[-1].buttons
        item = next(b for b in items if b.startswith("f:record:item:") and b != "f:record:item:0")
        await say(fake.press(inspector, item))
        await say(fake.message(inspector, "货架上有过期食品"))
        await say(fake.press(inspector, "f:record:basis:item"))
        saved = await say(fake.photo(inspector, photo))
        assert "已保存" in saved
        assert fake.sent("getFile")
    async with unit_of_work(app.sessions, write=False) as session:
        stored = await session.scalar(select(EvidenceFile))
    assert stored is not None and stored.size == len(photo)
    assert stored.platform_file_id is not None and stored.platform_file_id.startswith("F")
    assert (app.settings.data_dir / stored.stored_path).read_bytes() == photo


async def test_a_wrong_or_missing_webhook_secret_is_refused_and_changes_nothing(
    app: App,
) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    async with stack(app, webhook=True) as (fake, bot), webhook_client(bot) as client:
        before = await row_counts(app)
        sent_before = len(fake.calls)
        update = fake.message(6001, "/lang en")
        assert (await post(client, update, secret="wrong")).status_code == 403
        assert (await post(client, update, secret=None)).status_code == 403
        assert (await post(client, update, secret="")).status_code == 403
        assert (await post(client, update, secret="s3cret_for-the-webhoo")).status_code == 403
        assert await row_counts(app) == before
        assert len(fake.calls) == sent_before
        # The right secret: handled once, even when Telegram delivers it again.
        assert (await post(client, update)).status_code == 200
        assert (await post(client, update)).status_code == 200
        assert [c.text for c in fake.messages(6001)] == ["Language set to English."]
        assert (
            await client.post("/telegram/webhook", content=b"{not json", headers=_secret())
        ).status_code == 400


def _secret() -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": SECRET}


async def test_an_oversized_file_is_refused_without_fetching_it(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    async with stack(app) as (fake, _bot):
        update = fake.document(6001, b"%PDF-1.4\n", "scan.pdf", "application/pdf")
        update["message"]["document"]["file_size"] = 30_000_000
        await fake.push(update)
        await fake.wait_for(lambda f: bool(f.messages(6001)))
        assert "文件过大" in texts(fake, 6001) and "20 MB" in texts(fake, 6001)
        assert not fake.sent("getFile")
        assert MAX_EVIDENCE_BYTES < 20_000_000


async def test_behind_a_local_bot_api_server_a_large_file_is_asked_for(app: App) -> None:
    await add_user(app, "coord", "协调员", "coordinator")
    await bind_telegram(app, "coord", 6001)
    async with stack(app, local_mode=True) as (fake, _bot):
        update = fake.document(6001, b"%PDF-1.4\n", "scan.pdf", "application/pdf")
        update["message"]["document"]["file_size"] = 30_000_000
        await fake.push(update)
        await fake.wait_for(lambda f: bool(f.messages(6001)))
        # TELEGRAM_LOCAL_MODE: no 20 MB gate in the adapter; the file is asked for.
        assert fake.sent("getFile") and "20 MB" not in texts(fake, 6001)


async def test_strangers_files_are_never_fetched(app: App) -> None:
    async with stack(app) as (fake, _bot):
        await fake.push(fake.photo(9999, rf.png(1)))
        await fake.wait_for(lambda f: bool(f.messages(9999)))
        assert "还没有绑定账号" in texts(fake, 9999)
        assert not fake.sent("getFile")
    async with unit_of_work(app.sessions, write=False) as session:
        assert await session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1


async def test_the_weekly_summary_chart_comes_as_a_photo(app: App) -> None:
    await add_user(app, "lead", "分管领导 王局长", "leader")
    await bind_telegram(app, "lead", 7002)
    async with stack(app) as (fake, _bot):
        await fake.push(fake.message(7002, "/summary"))
        await fake.wait_for(lambda f: bool(f.sent("sendPhoto", 7002)))
        photo = fake.sent("sendPhoto", 7002)[0]
        assert photo.files["photo"][1].startswith(b"\x89PNG\r\n\x1a\n")
        assert "【联合抽查汇总】" in texts(fake, 7002)
